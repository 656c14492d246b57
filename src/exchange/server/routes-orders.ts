/**
 * The V2 order API (kalshi-api.md §4, §5): create (201), batched create (201, per-item errors),
 * amend, decrease, cancel, batched cancel, cancel all (204). Legacy V1 mutations answer 400 telling
 * the caller to switch to V2, as Kalshi has since June 2026.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatCount, type Count } from '../../core/index.js';
import type { CreateOrderResult } from '../matching/index.js';
import type { ServerContext } from './context.js';
import { describeFailure, errorBody, HttpError } from './errors.js';
import { fillAverages, type Json } from './format.js';
import { amendSchema, batchCancelSchema, batchCreateSchema, countField, createOrderSchema, decreaseSchema, parseBody, priceField, stringQuery, toOrderRequest } from './schemas.js';

/** Registers the order routes on `api` (mounted at /trade-api/v2). */
export function registerOrderRoutes(api: FastifyInstance, ctx: ServerContext): void {
  const { engine } = ctx;
  const now = (): number => ctx.clock.nowMs();

  const ensureTrading = (): void => {
    if (!ctx.switches.exchangeActive) throw new HttpError(503, 'exchange_unavailable', 'the exchange is paused');
    if (!ctx.switches.tradingActive) throw new HttpError(409, 'trading_is_paused', 'trading is paused');
  };
  const ensureCancels = (): void => {
    if (!ctx.switches.exchangeActive) throw new HttpError(503, 'exchange_unavailable', 'the exchange is paused; cancels are not accepted');
  };
  const createOne = (accountId: string, raw: unknown): Json => {
    const body = parseBody(createOrderSchema, raw, 'invalid_order');
    if (body.subaccount !== undefined && body.subaccount !== 0) throw new HttpError(400, 'invalid_parameters', `subaccount: was ${body.subaccount}; the local exchange has subaccount 0 only`);
    const result: CreateOrderResult = engine.createOrder(accountId, toOrderRequest(body));
    return {
      order_id: result.order.orderId,
      ...(result.order.clientOrderId ? { client_order_id: result.order.clientOrderId } : {}),
      fill_count: formatCount(result.order.fillCount),
      remaining_count: formatCount(result.order.remainingCount),
      ...fillAverages(result.fills),
      ts_ms: now(),
    };
  };
  /** Applies an `accept_then_fail` fault after the order was executed. */
  const afterAccept = (): void => {
    const status = ctx.faults.takeAcceptThenFail();
    if (status !== undefined) throw new HttpError(status, 'internal_server_error', 'injected fault: the order was accepted');
  };

  api.post('/portfolio/events/orders', async (request, reply) => {
    ensureTrading();
    const answer = createOne(request.accountId, request.body);
    afterAccept();
    return reply.code(201).send(answer);
  });

  api.post('/portfolio/events/orders/batched', async (request, reply) => {
    ensureTrading();
    const { orders } = parseBody(batchCreateSchema, request.body);
    const results = orders.map((raw) => {
      try {
        return createOne(request.accountId, raw);
      } catch (error) {
        const failure = describeFailure(error);
        if (failure.status >= 500) throw error;
        const clientOrderId = (raw as { client_order_id?: unknown } | null)?.client_order_id;
        return { ...(typeof clientOrderId === 'string' ? { client_order_id: clientOrderId } : {}), ...errorBody(failure.code, failure.message, failure.details) };
      }
    });
    afterAccept();
    return reply.code(201).send({ orders: results });
  });

  api.delete('/portfolio/events/orders/batched', async (request) => {
    ensureCancels();
    const { orders } = parseBody(batchCancelSchema, request.body);
    return {
      orders: orders.map(({ order_id: orderId }) => {
        try {
          const result = engine.cancelOrder(request.accountId, orderId);
          return { order_id: orderId, ...clientId(result.order.clientOrderId), reduced_by: formatCount(result.reducedBy), ts_ms: now() };
        } catch (error) {
          const failure = describeFailure(error);
          return { order_id: orderId, reduced_by: '0.00', ...errorBody(failure.code, failure.message, failure.details) };
        }
      }),
    };
  });

  api.delete('/portfolio/events/orders/:order_id', async (request) => {
    ensureCancels();
    checkSubaccount(request);
    const { order_id: orderId } = request.params as { order_id: string };
    const result = engine.cancelOrder(request.accountId, orderId);
    return { order_id: orderId, ...clientId(result.order.clientOrderId), reduced_by: formatCount(result.reducedBy), ts_ms: now() };
  });

  api.post('/portfolio/events/orders/:order_id/amend', async (request) => {
    ensureTrading();
    checkSubaccount(request);
    const { order_id: orderId } = request.params as { order_id: string };
    const body = parseBody(amendSchema, request.body, 'invalid_order');
    const current = engine.getOrder(orderId, request.accountId);
    if (body.client_order_id !== undefined && body.client_order_id !== (current.clientOrderId ?? '')) {
      throw new HttpError(400, 'order_id_and_client_order_id_mismatch', `client_order_id: was ${JSON.stringify(body.client_order_id)}, the order has ${JSON.stringify(current.clientOrderId ?? '')}`);
    }
    const result = engine.amendOrder(request.accountId, {
      orderId,
      ticker: body.ticker,
      side: body.side,
      price: priceField(body.price, 'price'),
      count: countField(body.count, 'count'),
      ...(body.updated_client_order_id === undefined ? {} : { updatedClientOrderId: body.updated_client_order_id }),
    });
    return {
      order_id: orderId,
      ...clientId(result.order.clientOrderId),
      remaining_count: formatCount(result.order.remainingCount),
      fill_count: formatCount(result.order.fillCount),
      ...fillAverages(result.fills),
      ts_ms: now(),
    };
  });

  api.post('/portfolio/events/orders/:order_id/decrease', async (request) => {
    ensureCancels();
    checkSubaccount(request);
    const { order_id: orderId } = request.params as { order_id: string };
    const body = parseBody(decreaseSchema, request.body, 'invalid_order');
    const result = engine.decreaseOrder(
      request.accountId,
      body.reduce_by !== undefined ? { orderId, reduceBy: countField(body.reduce_by, 'reduce_by') } : { orderId, reduceTo: countField(body.reduce_to ?? '', 'reduce_to') },
    );
    return { order_id: orderId, ...clientId(result.order.clientOrderId), remaining_count: formatCount(result.order.remainingCount as Count), ts_ms: now() };
  });

  api.delete('/portfolio/events/orders', async (request, reply) => {
    ensureCancels();
    engine.cancelAll(request.accountId);
    return reply.code(204).send();
  });

  const legacy = async (): Promise<never> => {
    throw new HttpError(400, 'endpoint_deprecated', 'the legacy order API is deprecated; use /portfolio/events/orders (V2)');
  };
  api.post('/portfolio/orders', legacy);
  api.post('/portfolio/orders/batched', legacy);
  api.delete('/portfolio/orders/batched', legacy);
  api.delete('/portfolio/orders/:order_id', legacy);
  api.post('/portfolio/orders/:order_id/amend', legacy);
  api.post('/portfolio/orders/:order_id/decrease', legacy);
}

function clientId(id: string | undefined): Json {
  return id === undefined || id === '' ? {} : { client_order_id: id };
}

function checkSubaccount(request: FastifyRequest): void {
  const sub = stringQuery((request.query as Record<string, unknown>)['subaccount']);
  if (sub !== undefined && sub !== '0') throw new HttpError(400, 'invalid_parameters', `subaccount: was ${sub}; the local exchange has subaccount 0 only`);
}
