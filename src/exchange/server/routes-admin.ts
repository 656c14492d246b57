/**
 * The admin API of the local exchange, outside Kalshi's namespace and reachable from loopback only:
 * settle a market, move its fair value, pause/resume/close, exchange-wide pauses, accounts, tiers,
 * and fault injection. Bodies are validated with zod; errors use Kalshi's error shape.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseCash, type Cash } from '../../core/index.js';
import type { ServerContext } from './context.js';
import { HttpError, sendError } from './errors.js';
import { faultSchema } from './faults.js';
import { setExchangeSwitches } from './pause.js';
import { TIER_BUDGETS, type UsageTier } from './rate-limit.js';
import { parseBody } from './schemas.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const settleSchema = z.object({ result: z.enum(['yes', 'no']) }).strict();
const fairSchema = z.object({ probability: z.number().gt(0).lt(1) }).strict();
const exchangeSchema = z.object({ trading_active: z.boolean().optional(), exchange_active: z.boolean().optional() }).strict();
const accountSchema = z.object({ balance_dollars: z.string().optional() }).strict();
const depositSchema = z.object({ amount_dollars: z.string() }).strict();
const tierSchema = z.object({ tier: z.enum(Object.keys(TIER_BUDGETS) as [UsageTier, ...UsageTier[]]) }).strict();

/** Registers the admin routes on `admin` (mounted at /_admin). */
export function registerAdminRoutes(admin: FastifyInstance, ctx: ServerContext): void {
  const { engine } = ctx;
  admin.addHook('onRequest', async (request, reply) => {
    if (!LOOPBACK.has(request.socket.remoteAddress ?? '')) return sendError(reply, 403, 'forbidden', 'the admin API answers loopback clients only');
    return undefined;
  });
  const ticker = (params: unknown): string => (params as { ticker: string }).ticker;

  admin.get('/state', async () => ({
    exchange_active: ctx.switches.exchangeActive,
    trading_active: ctx.switches.tradingActive,
    accounts: engine.accountIds(),
    markets: engine.listMarkets().map((m) => ({ ticker: m.definition.ticker, status: m.status })),
  }));
  admin.post('/markets/:ticker/settle', async (request) => {
    const { result } = parseBody(settleSchema, request.body);
    engine.settleMarket(ticker(request.params), result);
    return { ok: true };
  });
  admin.post('/markets/:ticker/fair', async (request) => {
    const { probability } = parseBody(fairSchema, request.body);
    try {
      ctx.admin.moveFair(ticker(request.params), probability);
    } catch (error) {
      throw new HttpError(404, 'not_found', error instanceof Error ? error.message : String(error));
    }
    return { ok: true };
  });
  admin.post('/markets/:ticker/pause', async (request) => (engine.pauseMarket(ticker(request.params)), { ok: true }));
  admin.post('/markets/:ticker/resume', async (request) => (engine.resumeMarket(ticker(request.params)), { ok: true }));
  admin.post('/markets/:ticker/close', async (request) => (engine.closeMarket(ticker(request.params)), { ok: true }));
  admin.post('/exchange', async (request) => {
    const body = parseBody(exchangeSchema, request.body);
    const cancelled = setExchangeSwitches(engine, ctx.switches, {
      ...(body.trading_active === undefined ? {} : { tradingActive: body.trading_active }),
      ...(body.exchange_active === undefined ? {} : { exchangeActive: body.exchange_active }),
    });
    return { exchange_active: ctx.switches.exchangeActive, trading_active: ctx.switches.tradingActive, cancelled_orders: cancelled };
  });
  admin.post('/accounts', async (request, reply) => {
    const body = parseBody(accountSchema, request.body);
    const balance = body.balance_dollars === undefined ? undefined : dollars(body.balance_dollars, 'balance_dollars');
    const created = await ctx.admin.addAccount(balance);
    return reply.code(201).send({ account_id: created.accountId, key_id: created.keyId, private_key_path: created.privateKeyPath });
  });
  admin.post('/accounts/:account_id/deposit', async (request) => {
    const { amount_dollars: amount } = parseBody(depositSchema, request.body);
    engine.deposit((request.params as { account_id: string }).account_id, dollars(amount, 'amount_dollars'));
    return { ok: true };
  });
  admin.post('/accounts/:account_id/tier', async (request) => {
    const { tier } = parseBody(tierSchema, request.body);
    ctx.limiter.setTier((request.params as { account_id: string }).account_id, tier);
    return { ok: true };
  });
  admin.post('/faults', async (request) => {
    const fault = parseBody(faultSchema, request.body);
    if (fault.kind === 'drop_ws') return { ok: true, affected: ctx.admin.dropConnections() };
    if (fault.kind === 'skip_seq') return { ok: true, affected: ctx.admin.skipSeq() };
    ctx.faults.setRestFault(fault);
    return { ok: true };
  });
  admin.delete('/faults', async () => (ctx.faults.clear(), { ok: true }));
}

function dollars(text: string, field: string): Cash {
  try {
    const cash = parseCash(text, field);
    if (cash < 0) throw new HttpError(400, 'invalid_parameters', `${field}: was ${text}, expected a non-negative amount`);
    return cash;
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, 'invalid_parameters', error instanceof Error ? error.message : String(error));
  }
}
