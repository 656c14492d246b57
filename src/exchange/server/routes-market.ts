/**
 * Public market data (kalshi-api.md §4, §6): exchange status and schedule, markets, order books,
 * trades, series, events, candlesticks, endpoint costs. No signature needed.
 */
import type { FastifyInstance } from 'fastify';
import { FEE_MULTIPLIER_SCALE, type MarketStatus } from '../../core/index.js';
import type { MarketState } from '../matching/index.js';
import { candlesticksJson } from './candles.js';
import type { ServerContext } from './context.js';
import { HttpError } from './errors.js';
import { encodeTime } from '../../kalshi/wire/index.js';
import { marketJson, orderbookJson, tradeJson, type Json } from './format.js';
import { paginate, paginateNewestFirst } from './paging.js';
import { DEFAULT_COST, ENDPOINT_COSTS } from './rate-limit.js';
import { intQuery, listQuery, stringQuery } from './schemas.js';

type Query = Record<string, unknown>;
const PUBLIC = { config: { auth: 'public' as const } };

/** `GET /markets?status=` filter → REST statuses it matches (§6.2). */
const STATUS_FILTER: Record<string, readonly MarketStatus[]> = {
  unopened: ['initialized'],
  open: ['active'],
  paused: ['inactive'],
  closed: ['closed', 'determined', 'disputed', 'amended'],
  settled: ['finalized'],
};

/** Registers the public market routes on `api` (mounted at /trade-api/v2). */
export function registerMarketRoutes(api: FastifyInstance, ctx: ServerContext): void {
  const { engine } = ctx;
  const market = (ticker: string): MarketState => {
    try {
      return engine.getMarket(ticker);
    } catch {
      throw new HttpError(404, 'not_found', `market ${JSON.stringify(ticker)} not found`);
    }
  };

  api.get('/exchange/status', PUBLIC, async () => ({
    exchange_active: ctx.switches.exchangeActive,
    trading_active: ctx.switches.exchangeActive && ctx.switches.tradingActive,
    exchange_estimated_resume_time: null,
  }));
  api.get('/exchange/schedule', PUBLIC, async () => ({ schedule: { standard_hours: [], maintenance_windows: [] } }));
  api.get('/exchange/user_data_timestamp', PUBLIC, async () => ({ as_of_time: encodeTime(ctx.clock.nowMs()) }));

  api.get('/markets', PUBLIC, async (request) => {
    const q = request.query as Query;
    const status = stringQuery(q['status']);
    if (status !== undefined && !(status in STATUS_FILTER)) {
      throw new HttpError(400, 'invalid_parameters', `status: was ${JSON.stringify(status)}, expected one of ${Object.keys(STATUS_FILTER).join(', ')}`);
    }
    const tickers = listQuery(q['tickers']);
    const eventTicker = stringQuery(q['event_ticker']);
    const seriesTicker = stringQuery(q['series_ticker']);
    const minClose = intQuery(q['min_close_ts'], 'min_close_ts');
    const maxClose = intQuery(q['max_close_ts'], 'max_close_ts');
    const markets = engine.listMarkets().filter((m) => {
      if (status !== undefined && !(STATUS_FILTER[status] ?? []).includes(m.status)) return false;
      if (tickers && !tickers.includes(m.definition.ticker)) return false;
      if (eventTicker !== undefined && !eventTicker.split(',').includes(m.definition.eventTicker)) return false;
      if (seriesTicker !== undefined && m.definition.seriesTicker !== seriesTicker) return false;
      if (minClose !== undefined && m.closeTimeMs < minClose * 1000) return false;
      if (maxClose !== undefined && m.closeTimeMs > maxClose * 1000) return false;
      return true;
    });
    const { page, cursor } = paginate(markets, q);
    return { markets: page.map(marketJson), cursor };
  });

  api.get('/markets/trades', PUBLIC, async (request) => {
    const q = request.query as Query;
    const ticker = stringQuery(q['ticker']);
    const minTs = intQuery(q['min_ts'], 'min_ts');
    const maxTs = intQuery(q['max_ts'], 'max_ts');
    const { page, cursor } = paginateNewestFirst(ctx.publicTrades(ticker), (t) => (minTs === undefined || t.tsMs >= minTs * 1000) && (maxTs === undefined || t.tsMs <= maxTs * 1000), q);
    return { trades: page.map(tradeJson), cursor };
  });

  api.get('/markets/orderbooks', PUBLIC, async (request) => {
    const tickers = listQuery((request.query as Query)['tickers']);
    if (!tickers || tickers.length > 100) throw new HttpError(400, 'invalid_parameters', 'tickers: expected 1 to 100 market tickers');
    return { orderbooks: tickers.map((t) => (market(t), { ticker: t, orderbook_fp: orderbookJson(engine.getBook(t)) })) };
  });

  api.get('/markets/:ticker', PUBLIC, async (request) => ({ market: marketJson(market((request.params as { ticker: string }).ticker)) }));

  api.get('/markets/:ticker/orderbook', PUBLIC, async (request) => {
    const { ticker } = request.params as { ticker: string };
    const depth = intQuery((request.query as Query)['depth'], 'depth', { min: 0, max: 100 }) ?? 0;
    market(ticker);
    return { orderbook_fp: orderbookJson(engine.getBook(ticker, depth === 0 ? Infinity : depth)) };
  });

  api.get('/series', PUBLIC, async () => ({ series: seriesList(ctx).map(seriesJson) }));
  api.get('/series/fee_changes', PUBLIC, async () => ({ series_fee_change_arr: [] }));
  api.get('/series/:series', PUBLIC, async (request) => {
    const { series } = request.params as { series: string };
    const found = seriesList(ctx).find((s) => s.ticker === series);
    if (!found) throw new HttpError(404, 'not_found', `series ${JSON.stringify(series)} not found`);
    return { series: seriesJson(found) };
  });
  api.get('/series/:series/markets/:ticker/candlesticks', PUBLIC, async (request) => {
    const { ticker } = request.params as { ticker: string };
    const q = request.query as Query;
    const start = intQuery(q['start_ts'], 'start_ts');
    const end = intQuery(q['end_ts'], 'end_ts');
    const period = intQuery(q['period_interval'], 'period_interval');
    if (start === undefined || end === undefined || (period !== 1 && period !== 60 && period !== 1440)) {
      throw new HttpError(400, 'invalid_parameters', 'start_ts, end_ts and period_interval (1, 60 or 1440) are required');
    }
    const state = market(ticker);
    return { ticker, candlesticks: candlesticksJson(ctx.publicTrades(ticker), state, { startS: start, endS: end, periodMinutes: period }) };
  });

  api.get('/events', PUBLIC, async (request) => {
    const q = request.query as Query;
    const nested = stringQuery(q['with_nested_markets']) === 'true';
    const series = stringQuery(q['series_ticker']);
    const status = stringQuery(q['status']);
    if (status !== undefined && status !== 'open' && status !== 'closed' && status !== 'settled') {
      throw new HttpError(400, 'invalid_parameters', `status: was ${JSON.stringify(status)}, expected open, closed or settled`);
    }
    const events = eventList(ctx).filter((e) => (series === undefined || e.seriesTicker === series) && (status === undefined || eventStatus(e) === status));
    const { page, cursor } = paginate(events, q, { defaultLimit: 200, maxLimit: 200 });
    return { events: page.map((e) => eventJson(e, nested)), cursor, milestones: [] };
  });
  api.get('/events/fee_changes', PUBLIC, async () => ({ event_fee_change_arr: [] }));
  api.get('/events/:event', PUBLIC, async (request) => {
    const { event } = request.params as { event: string };
    const found = eventList(ctx).find((e) => e.eventTicker === event);
    if (!found) throw new HttpError(404, 'not_found', `event ${JSON.stringify(event)} not found`);
    const nested = stringQuery((request.query as Query)['with_nested_markets']) === 'true';
    return { event: eventJson(found, nested), markets: found.markets.map(marketJson) };
  });

  api.get('/account/endpoint_costs', PUBLIC, async () => ({
    default_cost: DEFAULT_COST,
    endpoint_costs: ENDPOINT_COSTS.map((c) => ({ method: c.method, path: `/trade-api/v2${c.path.replace(/:([a-z_]+)/g, '{$1}')}`, cost: c.cost })),
  }));
}

interface SeriesInfo {
  readonly ticker: string;
  readonly markets: MarketState[];
}

function seriesList(ctx: ServerContext): SeriesInfo[] {
  const bySeries = new Map<string, MarketState[]>();
  for (const m of ctx.engine.listMarkets()) {
    const list = bySeries.get(m.definition.seriesTicker) ?? [];
    list.push(m);
    bySeries.set(m.definition.seriesTicker, list);
  }
  return [...bySeries].map(([ticker, markets]) => ({ ticker, markets }));
}

function seriesJson(series: SeriesInfo): Json {
  const fees = series.markets[0]?.definition.fees;
  return {
    ticker: series.ticker,
    frequency: 'custom',
    title: `Local series ${series.ticker}`,
    category: 'Local',
    categories: ['Local'],
    tags: [],
    settlement_sources: [],
    contract_url: '',
    contract_terms_url: '',
    fee_type: fees?.feeType ?? 'quadratic',
    fee_multiplier: (fees?.multiplier ?? FEE_MULTIPLIER_SCALE) / FEE_MULTIPLIER_SCALE,
    additional_prohibitions: [],
  };
}

interface EventInfo {
  readonly eventTicker: string;
  readonly seriesTicker: string;
  readonly markets: MarketState[];
}

function eventList(ctx: ServerContext): EventInfo[] {
  const byEvent = new Map<string, EventInfo>();
  for (const m of ctx.engine.listMarkets()) {
    const entry = byEvent.get(m.definition.eventTicker) ?? { eventTicker: m.definition.eventTicker, seriesTicker: m.definition.seriesTicker, markets: [] };
    entry.markets.push(m);
    byEvent.set(m.definition.eventTicker, entry);
  }
  return [...byEvent.values()];
}

/** An event is open while a market trades, settled when all are finalized, closed in between. */
function eventStatus(event: EventInfo): 'open' | 'closed' | 'settled' {
  if (event.markets.some((m) => m.status === 'active' || m.status === 'inactive' || m.status === 'initialized')) return 'open';
  return event.markets.every((m) => m.status === 'finalized') ? 'settled' : 'closed';
}

function eventJson(event: EventInfo, nested: boolean): Json {
  return {
    event_ticker: event.eventTicker,
    series_ticker: event.seriesTicker,
    title: `Local event ${event.eventTicker}`,
    sub_title: '',
    collateral_return_type: '',
    mutually_exclusive: false,
    category: 'Local',
    settlement_sources: [],
    exchange_index: 0,
    ...(nested ? { markets: event.markets.map(marketJson) } : {}),
  };
}
