/**
 * Order-group routes (kalshi-api.md §9; paths and shapes of kalshi-typescript's OrderGroupsApi).
 * The groups themselves live in the matching engine. `is_auto_cancel_enabled` is reported true
 * while a group is triggered (Kalshi names the field without defining it; this reading tells a
 * client whether the group currently blocks new orders).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { formatCount, type Count } from '../../core/index.js';
import type { OrderGroupView } from '../matching/index.js';
import type { ServerContext } from './context.js';
import { HttpError } from './errors.js';
import type { Json } from './format.js';
import { countField, parseBody } from './schemas.js';

const limitSchema = z.object({
  contracts_limit: z.number().int().optional(),
  contracts_limit_fp: z.string().optional(),
  subaccount: z.number().int().optional(),
  exchange_index: z.number().int().optional(),
});

/** Registers the order-group routes on `api` (mounted at /trade-api/v2). */
export function registerOrderGroupRoutes(api: FastifyInstance, ctx: ServerContext): void {
  const { engine } = ctx;
  const idOf = (params: unknown): string => (params as { order_group_id: string }).order_group_id;

  api.post('/portfolio/order_groups/create', async (request, reply) => {
    const group = engine.createOrderGroup(request.accountId, limitOf(request.body));
    return reply.code(201).send({ order_group_id: group.orderGroupId, subaccount: 0, exchange_index: 0 });
  });
  api.get('/portfolio/order_groups', async (request) => ({
    order_groups: engine.listOrderGroups(request.accountId).map((g) => ({ id: g.orderGroupId, contracts_limit_fp: formatCount(g.contractsLimit), is_auto_cancel_enabled: g.triggered, exchange_index: 0 })),
  }));
  api.get('/portfolio/order_groups/:order_group_id', async (request) => groupJson(engine.getOrderGroup(request.accountId, idOf(request.params))));
  api.put('/portfolio/order_groups/:order_group_id/reset', async (request) => (engine.resetOrderGroup(request.accountId, idOf(request.params)), {}));
  api.put('/portfolio/order_groups/:order_group_id/trigger', async (request) => (engine.triggerOrderGroup(request.accountId, idOf(request.params)), {}));
  api.put('/portfolio/order_groups/:order_group_id/limit', async (request) => (engine.setOrderGroupLimit(request.accountId, idOf(request.params), limitOf(request.body)), {}));
  api.delete('/portfolio/order_groups/:order_group_id', async (request) => (engine.deleteOrderGroup(request.accountId, idOf(request.params)), {}));
}

function groupJson(group: OrderGroupView): Json {
  return { is_auto_cancel_enabled: group.triggered, contracts_limit_fp: formatCount(group.contractsLimit), orders: [...group.orderIds], exchange_index: 0 };
}

/** @throws HttpError 400 unless exactly one of contracts_limit / contracts_limit_fp is given. */
function limitOf(body: unknown): Count {
  const parsed = parseBody(limitSchema, body);
  if ((parsed.contracts_limit === undefined) === (parsed.contracts_limit_fp === undefined)) {
    throw new HttpError(400, 'invalid_parameters', 'exactly one of contracts_limit or contracts_limit_fp is required');
  }
  return parsed.contracts_limit !== undefined ? ((parsed.contracts_limit * 100) as Count) : countField(parsed.contracts_limit_fp ?? '', 'contracts_limit_fp');
}
