/**
 * Private reads (kalshi-api.md §4, §7): balance, positions, orders, fills, settlements, queue
 * positions, account limits. Lists are newest first, cursor-paginated.
 */
import type { FastifyInstance } from 'fastify';
import { cashToWholeCents, formatCash, formatCount, type Cash } from '../../core/index.js';
import type { ServerContext } from './context.js';
import { HttpError } from './errors.js';
import { eventPositionsJson, fillJson, orderJson, positionJson, settlementJson } from './format.js';
import { paginate } from './paging.js';
import { TIER_BUDGETS, tierCapacity } from './rate-limit.js';
import { intQuery, listQuery, stringQuery } from './schemas.js';

type Query = Record<string, unknown>;

/** Registers the private read routes on `api` (mounted at /trade-api/v2). */
export function registerPortfolioRoutes(api: FastifyInstance, ctx: ServerContext): void {
  const { engine } = ctx;
  const eventOf = (ticker: string): string => {
    try {
      return engine.getMarket(ticker).definition.eventTicker;
    } catch {
      return ticker;
    }
  };

  api.get('/portfolio/balance', async (request) => {
    const balance = engine.getBalance(request.accountId);
    let value = balance.cash as number;
    for (const p of engine.getPositions(request.accountId)) value += markValue(ctx, p.ticker, p.position);
    return {
      balance: cashToWholeCents(balance.available),
      balance_dollars: formatCash(balance.available),
      portfolio_value: cashToWholeCents(value as Cash),
      updated_ts: Math.floor(ctx.clock.nowMs() / 1000),
    };
  });

  api.get('/portfolio/positions', async (request) => {
    const q = request.query as Query;
    const ticker = stringQuery(q['ticker']);
    const events = listQuery(q['event_ticker']);
    const filter = stringQuery(q['count_filter']);
    const positions = engine.getPositions(request.accountId).filter((p) => {
      if (ticker !== undefined && p.ticker !== ticker) return false;
      if (events && !events.includes(eventOf(p.ticker))) return false;
      if (filter?.includes('position') && p.position === 0) return false;
      if (filter?.includes('total_traded') && p.volume === 0) return false;
      return true;
    });
    const { page, cursor } = paginate(positions, q);
    return { market_positions: page.map(positionJson), event_positions: eventPositionsJson(positions, eventOf), cursor };
  });

  api.get('/portfolio/orders', async (request) => {
    const q = request.query as Query;
    const ticker = stringQuery(q['ticker']);
    const events = listQuery(q['event_ticker']);
    const status = stringQuery(q['status']);
    if (status !== undefined && !['resting', 'canceled', 'executed'].includes(status)) {
      throw new HttpError(400, 'invalid_parameters', `status: was ${JSON.stringify(status)}, expected resting, canceled or executed`);
    }
    const minTs = intQuery(q['min_ts'], 'min_ts');
    const maxTs = intQuery(q['max_ts'], 'max_ts');
    const orders = engine
      .listOrders(request.accountId)
      .reverse()
      .filter((o) => {
        if (ticker !== undefined && o.ticker !== ticker) return false;
        if (events && !events.includes(eventOf(o.ticker))) return false;
        if (status !== undefined && o.status !== status) return false;
        const created = o.createdMs ?? 0;
        if (minTs !== undefined && created < minTs * 1000) return false;
        if (maxTs !== undefined && created > maxTs * 1000) return false;
        return true;
      });
    const { page, cursor } = paginate(orders, q);
    return { orders: page.map(orderJson), cursor };
  });

  api.get('/portfolio/orders/queue_positions', async (request) => {
    const q = request.query as Query;
    const tickers = listQuery(q['market_tickers']);
    const event = stringQuery(q['event_ticker']);
    if (!tickers && event === undefined) throw new HttpError(400, 'invalid_parameters', 'market_tickers or event_ticker is required');
    const resting = engine.listOrders(request.accountId).filter((o) => o.status === 'resting' && (!tickers || tickers.includes(o.ticker)) && (event === undefined || eventOf(o.ticker) === event));
    return {
      queue_positions: resting.map((o) => ({ order_id: o.orderId, market_ticker: o.ticker, queue_position_fp: formatCount(engine.queuePosition(request.accountId, o.orderId)) })),
    };
  });

  api.get('/portfolio/orders/:order_id', async (request) => {
    const { order_id: orderId } = request.params as { order_id: string };
    return { order: orderJson(engine.getOrder(orderId, request.accountId)) };
  });

  api.get('/portfolio/orders/:order_id/queue_position', async (request) => {
    const { order_id: orderId } = request.params as { order_id: string };
    return { queue_position_fp: formatCount(engine.queuePosition(request.accountId, orderId)) };
  });

  api.get('/portfolio/fills', async (request) => {
    const q = request.query as Query;
    const ticker = stringQuery(q['ticker']);
    const orderId = stringQuery(q['order_id']);
    const minTs = intQuery(q['min_ts'], 'min_ts');
    const maxTs = intQuery(q['max_ts'], 'max_ts');
    const fills = [...engine.listFills(request.accountId)]
      .reverse()
      .filter((f) => (ticker === undefined || f.ticker === ticker) && (orderId === undefined || f.orderId === orderId) && (minTs === undefined || f.tsMs >= minTs * 1000) && (maxTs === undefined || f.tsMs <= maxTs * 1000));
    const { page, cursor } = paginate(fills, q);
    return { fills: page.map(fillJson), cursor };
  });

  api.get('/portfolio/settlements', async (request) => {
    const q = request.query as Query;
    const ticker = stringQuery(q['ticker']);
    const event = stringQuery(q['event_ticker']);
    const settlements = [...engine.listSettlements(request.accountId)].reverse().filter((s) => (ticker === undefined || s.ticker === ticker) && (event === undefined || s.eventTicker === event));
    const { page, cursor } = paginate(settlements, q);
    return { settlements: page.map(settlementJson), cursor };
  });

  api.get('/account/limits', async (request) => {
    const tier = ctx.limiter.tierOf(request.accountId);
    const budget = TIER_BUDGETS[tier];
    const capacity = tierCapacity(tier);
    return {
      usage_tier: tier,
      read: { refill_rate: budget.read, bucket_capacity: capacity.read },
      write: { refill_rate: budget.write, bucket_capacity: capacity.write },
      grants: [],
    };
  });
}

/** Marks a position at the market's last price (the contract leg held), for `portfolio_value`. */
function markValue(ctx: ServerContext, ticker: string, position: number): number {
  try {
    const market = ctx.engine.getMarket(ticker);
    const yesPrice = market.lastPrice ?? 5_000;
    const legPrice = position >= 0 ? yesPrice : 10_000 - yesPrice;
    return Math.floor((Math.abs(position) * legPrice) / 100);
  } catch {
    return 0;
  }
}
