/**
 * Raw REST methods named after Kalshi's endpoints (kalshi-api.md §4). They take wire-shaped queries
 * and bodies and return zod-parsed wire objects; list endpoints also have `iterate…` async iterators
 * that follow the cursor lazily. Domain conversion happens in `client.ts` via `wire/convert.ts`.
 */
import type { z } from 'zod';
import { ApiError, silentLogger, type Logger } from '../../core/index.js';
import * as w from '../wire/index.js';
import type { HttpRequest, HttpTransport, RetryPolicy } from './http.js';
import type { RateLimiter } from './limiter.js';

type Query = HttpRequest['query'];
type Out<S extends z.ZodType> = z.output<S>;

/** Cursor and page size of a list call (limit ≤ 1000; events ≤ 200). */
export interface PageQuery {
  readonly limit?: number;
  readonly cursor?: string;
}

/** Filters of GET /markets (§4). One status per request. */
export interface GetMarketsQuery extends PageQuery {
  readonly status?: 'unopened' | 'open' | 'paused' | 'closed' | 'settled';
  readonly event_ticker?: string;
  readonly series_ticker?: string;
  /** Comma-joined on the wire. */
  readonly tickers?: readonly string[];
  readonly min_close_ts?: number;
  readonly max_close_ts?: number;
  readonly mve_filter?: 'only' | 'exclude';
}

export interface GetTradesQuery extends PageQuery {
  readonly ticker?: string;
  /** Unix seconds. */
  readonly min_ts?: number;
  readonly max_ts?: number;
}

export interface GetOrdersQuery extends PageQuery {
  readonly ticker?: string;
  readonly event_ticker?: string;
  readonly status?: 'resting' | 'canceled' | 'executed';
  readonly min_ts?: number;
  readonly max_ts?: number;
  readonly subaccount?: number;
}

export interface GetFillsQuery extends PageQuery {
  readonly ticker?: string;
  readonly order_id?: string;
  readonly min_ts?: number;
  readonly max_ts?: number;
  readonly subaccount?: number;
}

export interface GetPositionsQuery extends PageQuery {
  readonly ticker?: string;
  readonly event_ticker?: string;
  readonly count_filter?: 'position' | 'total_traded';
  readonly subaccount?: number;
}

export interface GetSettlementsQuery extends PageQuery {
  readonly ticker?: string;
  readonly event_ticker?: string;
  readonly min_ts?: number;
  readonly max_ts?: number;
}

export interface GetEventsQuery extends PageQuery {
  readonly status?: 'unopened' | 'open' | 'closed' | 'settled';
  readonly series_ticker?: string;
  readonly with_nested_markets?: boolean;
}

export interface GetCandlesticksQuery {
  /** Unix seconds. */
  readonly start_ts: number;
  readonly end_ts: number;
  /** Minutes: 1, 60 or 1440. */
  readonly period_interval: 1 | 60 | 1440;
}

/** One item of a V2 batch cancel. */
export interface BatchCancelItem {
  readonly order_id: string;
  readonly market_ticker?: string;
}

function groupPath(orderGroupId: string): string {
  return `/portfolio/order_groups/${encodeURIComponent(orderGroupId)}`;
}

function joinTickers(query: { readonly tickers?: readonly string[] } & Record<string, unknown>): Query {
  const { tickers, ...rest } = query;
  return { ...(rest as Record<string, string | number | boolean | undefined>), ...(tickers ? { tickers: tickers.join(',') } : {}) };
}

/** The raw Kalshi REST API over one transport. */
export class KalshiRestClient {
  private readonly logger: Logger;

  constructor(
    private readonly http: HttpTransport,
    readonly limiter: RateLimiter,
    logger: Logger = silentLogger,
  ) {
    this.logger = logger;
  }

  private async call<S extends z.ZodType>(schema: S, request: HttpRequest): Promise<Out<S>> {
    const response = await this.http.request(request);
    return w.parseWire(schema, response.json);
  }

  private get<S extends z.ZodType>(schema: S, path: string, query?: Query, signal?: AbortSignal, retry: RetryPolicy = 'safe'): Promise<Out<S>> {
    return this.call(schema, { method: 'GET', path, retry, ...(query ? { query } : {}), ...(signal ? { signal } : {}) });
  }

  private async *paginate<S extends z.ZodType<{ cursor?: string | null | undefined }>, T>(
    schema: S,
    path: string,
    query: Query,
    items: (page: Out<S>) => readonly T[],
    signal?: AbortSignal,
  ): AsyncGenerator<T> {
    let cursor: string | undefined = (query?.['cursor'] as string | undefined) ?? undefined;
    for (;;) {
      const page = await this.get(schema, path, { ...query, ...(cursor ? { cursor } : {}) }, signal);
      yield* items(page);
      const next = page.cursor;
      if (!next || next === cursor) return;
      cursor = next;
    }
  }

  // ── Exchange ────────────────────────────────────────────────────────────────────────────────
  /** GET /exchange/status */
  getExchangeStatus(signal?: AbortSignal): Promise<Out<typeof w.getExchangeStatusResponseSchema>> {
    return this.get(w.getExchangeStatusResponseSchema, '/exchange/status', undefined, signal);
  }
  /** GET /exchange/schedule */
  getExchangeSchedule(signal?: AbortSignal): Promise<Out<typeof w.getExchangeScheduleResponseSchema>> {
    return this.get(w.getExchangeScheduleResponseSchema, '/exchange/schedule', undefined, signal);
  }
  /** GET /exchange/user_data_timestamp */
  getUserDataTimestamp(signal?: AbortSignal): Promise<Out<typeof w.getUserDataTimestampResponseSchema>> {
    return this.get(w.getUserDataTimestampResponseSchema, '/exchange/user_data_timestamp', undefined, signal);
  }

  // ── Markets, events, series ─────────────────────────────────────────────────────────────────
  /** GET /markets (one page). */
  getMarkets(query: GetMarketsQuery = {}, signal?: AbortSignal): Promise<Out<typeof w.getMarketsResponseSchema>> {
    return this.get(w.getMarketsResponseSchema, '/markets', joinTickers({ ...query }), signal);
  }
  /** GET /markets, every page. */
  iterateMarkets(query: GetMarketsQuery = {}, signal?: AbortSignal): AsyncGenerator<w.WireMarket> {
    return this.paginate(w.getMarketsResponseSchema, '/markets', joinTickers({ ...query }), (p) => p.markets, signal);
  }
  /** GET /markets/{ticker} */
  getMarket(ticker: string, signal?: AbortSignal): Promise<Out<typeof w.getMarketResponseSchema>> {
    return this.get(w.getMarketResponseSchema, `/markets/${encodeURIComponent(ticker)}`, undefined, signal);
  }
  /** GET /markets/{ticker}/orderbook (`depth` 0 = all). */
  getMarketOrderbook(ticker: string, depth?: number, signal?: AbortSignal): Promise<Out<typeof w.getOrderbookResponseSchema>> {
    return this.get(w.getOrderbookResponseSchema, `/markets/${encodeURIComponent(ticker)}/orderbook`, depth !== undefined ? { depth } : undefined, signal);
  }
  /** GET /markets/orderbooks (`tickers` repeated, 1–100). */
  getMarketOrderbooks(tickers: readonly string[], signal?: AbortSignal): Promise<Out<typeof w.getOrderbooksResponseSchema>> {
    return this.get(w.getOrderbooksResponseSchema, '/markets/orderbooks', { tickers }, signal);
  }
  /** GET /markets/trades (one page). */
  getTrades(query: GetTradesQuery = {}, signal?: AbortSignal): Promise<Out<typeof w.getTradesResponseSchema>> {
    return this.get(w.getTradesResponseSchema, '/markets/trades', { ...query }, signal);
  }
  /** GET /markets/trades, every page. */
  iterateTrades(query: GetTradesQuery = {}, signal?: AbortSignal): AsyncGenerator<w.WireTrade> {
    return this.paginate(w.getTradesResponseSchema, '/markets/trades', { ...query }, (p) => p.trades, signal);
  }
  /** GET /series/{series_ticker}/markets/{ticker}/candlesticks */
  getMarketCandlesticks(seriesTicker: string, ticker: string, query: GetCandlesticksQuery, signal?: AbortSignal): Promise<Out<typeof w.getCandlesticksResponseSchema>> {
    return this.get(w.getCandlesticksResponseSchema, `/series/${encodeURIComponent(seriesTicker)}/markets/${encodeURIComponent(ticker)}/candlesticks`, { ...query }, signal);
  }
  /** GET /events (one page). */
  getEvents(query: GetEventsQuery = {}, signal?: AbortSignal): Promise<Out<typeof w.getEventsResponseSchema>> {
    return this.get(w.getEventsResponseSchema, '/events', { ...query }, signal);
  }
  /** GET /events, every page. */
  iterateEvents(query: GetEventsQuery = {}, signal?: AbortSignal): AsyncGenerator<Out<typeof w.eventSchema>> {
    return this.paginate(w.getEventsResponseSchema, '/events', { ...query }, (p) => p.events, signal);
  }
  /** GET /events/{event_ticker} */
  getEvent(eventTicker: string, withNestedMarkets = false, signal?: AbortSignal): Promise<Out<typeof w.getEventResponseSchema>> {
    return this.get(w.getEventResponseSchema, `/events/${encodeURIComponent(eventTicker)}`, withNestedMarkets ? { with_nested_markets: true } : undefined, signal);
  }
  /** GET /series/{series_ticker} */
  getSeries(seriesTicker: string, signal?: AbortSignal): Promise<Out<typeof w.getSeriesResponseSchema>> {
    return this.get(w.getSeriesResponseSchema, `/series/${encodeURIComponent(seriesTicker)}`, undefined, signal);
  }

  // ── Portfolio ───────────────────────────────────────────────────────────────────────────────
  /** GET /portfolio/balance */
  getBalance(signal?: AbortSignal): Promise<Out<typeof w.getBalanceResponseSchema>> {
    return this.get(w.getBalanceResponseSchema, '/portfolio/balance', undefined, signal);
  }
  /** GET /portfolio/positions (one page). */
  getPositions(query: GetPositionsQuery = {}, signal?: AbortSignal): Promise<Out<typeof w.getPositionsResponseSchema>> {
    return this.get(w.getPositionsResponseSchema, '/portfolio/positions', { ...query }, signal);
  }
  /** GET /portfolio/positions, every market position of every page. */
  iteratePositions(query: GetPositionsQuery = {}, signal?: AbortSignal): AsyncGenerator<Out<typeof w.marketPositionSchema>> {
    return this.paginate(w.getPositionsResponseSchema, '/portfolio/positions', { ...query }, (p) => p.market_positions ?? [], signal);
  }
  /** GET /portfolio/orders (one page). */
  getOrders(query: GetOrdersQuery = {}, signal?: AbortSignal): Promise<Out<typeof w.getOrdersResponseSchema>> {
    return this.get(w.getOrdersResponseSchema, '/portfolio/orders', { ...query }, signal);
  }
  /** GET /portfolio/orders, every page. */
  iterateOrders(query: GetOrdersQuery = {}, signal?: AbortSignal): AsyncGenerator<w.WireOrder> {
    return this.paginate(w.getOrdersResponseSchema, '/portfolio/orders', { ...query }, (p) => p.orders, signal);
  }
  /** GET /portfolio/orders/{order_id} (cost 2). */
  getOrder(orderId: string, signal?: AbortSignal): Promise<Out<typeof w.getOrderResponseSchema>> {
    return this.get(w.getOrderResponseSchema, `/portfolio/orders/${encodeURIComponent(orderId)}`, undefined, signal);
  }
  /** GET /portfolio/fills (one page). */
  getFills(query: GetFillsQuery = {}, signal?: AbortSignal): Promise<Out<typeof w.getFillsResponseSchema>> {
    return this.get(w.getFillsResponseSchema, '/portfolio/fills', { ...query }, signal);
  }
  /** GET /portfolio/fills, every page. */
  iterateFills(query: GetFillsQuery = {}, signal?: AbortSignal): AsyncGenerator<w.WireFill> {
    return this.paginate(w.getFillsResponseSchema, '/portfolio/fills', { ...query }, (p) => p.fills, signal);
  }
  /** GET /portfolio/settlements (one page). */
  getSettlements(query: GetSettlementsQuery = {}, signal?: AbortSignal): Promise<Out<typeof w.getSettlementsResponseSchema>> {
    return this.get(w.getSettlementsResponseSchema, '/portfolio/settlements', { ...query }, signal);
  }
  /** GET /portfolio/settlements, every page. */
  iterateSettlements(query: GetSettlementsQuery = {}, signal?: AbortSignal): AsyncGenerator<Out<typeof w.settlementSchema>> {
    return this.paginate(w.getSettlementsResponseSchema, '/portfolio/settlements', { ...query }, (p) => p.settlements, signal);
  }
  /** GET /portfolio/orders/queue_positions (`market_tickers` comma-joined). */
  getOrderQueuePositions(query: { market_tickers?: readonly string[]; event_ticker?: string }, signal?: AbortSignal): Promise<Out<typeof w.getQueuePositionsResponseSchema>> {
    const { market_tickers, ...rest } = query;
    return this.get(w.getQueuePositionsResponseSchema, '/portfolio/orders/queue_positions', { ...rest, ...(market_tickers ? { market_tickers: market_tickers.join(',') } : {}) }, signal);
  }
  /** GET /portfolio/orders/{order_id}/queue_position */
  getOrderQueuePosition(orderId: string, signal?: AbortSignal): Promise<Out<typeof w.getQueuePositionResponseSchema>> {
    return this.get(w.getQueuePositionResponseSchema, `/portfolio/orders/${encodeURIComponent(orderId)}/queue_position`, undefined, signal);
  }

  // ── V2 order entry ──────────────────────────────────────────────────────────────────────────
  /**
   * POST /portfolio/events/orders. Retried on transient failures with the same body (same
   * `client_order_id`); a retry answered 409 `order_already_exists` resolves to the order that the
   * earlier attempt created (looked up by client id), so the caller never gets two orders.
   * @throws ApiError (e.g. 400 invalid_price, 409 trading_is_paused); ApiError 409 order_already_exists
   * only when the duplicate id cannot be found among the account's orders.
   */
  async createOrder(body: w.WireJson & { client_order_id: string; ticker: string }, signal?: AbortSignal): Promise<Out<typeof w.createOrderV2ResponseSchema>> {
    try {
      return await this.call(w.createOrderV2ResponseSchema, { method: 'POST', path: '/portfolio/events/orders', body, retry: 'idempotent-create', ...(signal ? { signal } : {}) });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 409 || error.apiCode !== 'order_already_exists') throw error;
      const existing = await this.findOrderByClientId(body.ticker, body.client_order_id, signal);
      if (!existing) throw error;
      this.logger.info({ orderId: existing.order_id, clientOrderId: body.client_order_id }, 'create answered order_already_exists; using the existing order');
      return {
        order_id: existing.order_id,
        client_order_id: existing.client_order_id,
        fill_count: existing.fill_count_fp,
        remaining_count: existing.remaining_count_fp,
        ts_ms: Date.parse(existing.last_update_time ?? existing.created_time ?? '') || 0,
      };
    }
  }

  /** Returns the account's order with this client id in `ticker` (resting first, then any status). */
  async findOrderByClientId(ticker: string, clientOrderId: string, signal?: AbortSignal): Promise<w.WireOrder | undefined> {
    for await (const order of this.iterateOrders({ ticker, limit: 1000 }, signal)) {
      if (order.client_order_id === clientOrderId) return order;
    }
    return undefined;
  }

  /** POST /portfolio/events/orders/batched (10 tokens per item, whole batch admitted at once). Not retried. */
  batchCreateOrders(orders: readonly w.WireJson[], signal?: AbortSignal): Promise<Out<typeof w.batchCreateOrdersV2ResponseSchema>> {
    const cost = this.limiter.costOf('POST', '/portfolio/events/orders') * orders.length;
    return this.call(w.batchCreateOrdersV2ResponseSchema, { method: 'POST', path: '/portfolio/events/orders/batched', body: { orders }, retry: 'never', cost, ...(signal ? { signal } : {}) });
  }
  /** POST /portfolio/events/orders/{order_id}/amend (`count` is the new total). Not retried. */
  amendOrder(orderId: string, body: w.WireJson, signal?: AbortSignal): Promise<Out<typeof w.amendOrderV2ResponseSchema>> {
    return this.call(w.amendOrderV2ResponseSchema, { method: 'POST', path: `/portfolio/events/orders/${encodeURIComponent(orderId)}/amend`, body, retry: 'never', ...(signal ? { signal } : {}) });
  }
  /** POST /portfolio/events/orders/{order_id}/decrease. Not retried. */
  decreaseOrder(orderId: string, body: w.WireJson, signal?: AbortSignal): Promise<Out<typeof w.decreaseOrderV2ResponseSchema>> {
    return this.call(w.decreaseOrderV2ResponseSchema, { method: 'POST', path: `/portfolio/events/orders/${encodeURIComponent(orderId)}/decrease`, body, retry: 'never', ...(signal ? { signal } : {}) });
  }
  /** DELETE /portfolio/events/orders/{order_id} (cost 2). Not retried: a repeat of a cancel that landed answers 404. */
  cancelOrder(orderId: string, marketTicker?: string, signal?: AbortSignal): Promise<Out<typeof w.cancelOrderV2ResponseSchema>> {
    return this.call(w.cancelOrderV2ResponseSchema, {
      method: 'DELETE',
      path: `/portfolio/events/orders/${encodeURIComponent(orderId)}`,
      retry: 'never',
      ...(marketTicker ? { query: { market_ticker: marketTicker } } : {}),
      ...(signal ? { signal } : {}),
    });
  }
  /** DELETE /portfolio/events/orders/batched (2 tokens per item). Not retried. */
  batchCancelOrders(orders: readonly BatchCancelItem[], signal?: AbortSignal): Promise<Out<typeof w.batchCancelOrdersV2ResponseSchema>> {
    const cost = this.limiter.costOf('DELETE', '/portfolio/events/orders/{order_id}') * orders.length;
    return this.call(w.batchCancelOrdersV2ResponseSchema, { method: 'DELETE', path: '/portfolio/events/orders/batched', body: { orders }, retry: 'never', cost, ...(signal ? { signal } : {}) });
  }
  /** DELETE /portfolio/events/orders (204). Idempotent, so retried. */
  async cancelAllOrders(signal?: AbortSignal): Promise<void> {
    await this.http.request({ method: 'DELETE', path: '/portfolio/events/orders', retry: 'safe', allowEmpty: true, ...(signal ? { signal } : {}) });
  }

  // ── Order groups (§9) ───────────────────────────────────────────────────────────────────────
  /** POST /portfolio/order_groups/create (201). Not retried: a repeat would make a second group. */
  createOrderGroup(body: w.WireJson, signal?: AbortSignal): Promise<Out<typeof w.createOrderGroupResponseSchema>> {
    return this.call(w.createOrderGroupResponseSchema, { method: 'POST', path: '/portfolio/order_groups/create', body, retry: 'never', ...(signal ? { signal } : {}) });
  }
  /** GET /portfolio/order_groups */
  getOrderGroups(signal?: AbortSignal): Promise<Out<typeof w.getOrderGroupsResponseSchema>> {
    return this.get(w.getOrderGroupsResponseSchema, '/portfolio/order_groups', undefined, signal);
  }
  /** GET /portfolio/order_groups/{order_group_id} */
  getOrderGroup(orderGroupId: string, signal?: AbortSignal): Promise<Out<typeof w.getOrderGroupResponseSchema>> {
    return this.get(w.getOrderGroupResponseSchema, groupPath(orderGroupId), undefined, signal);
  }
  // reset, trigger, limit and delete answer `{}` (or nothing): no field is read, so no schema applies.
  /** PUT /portfolio/order_groups/{order_group_id}/reset. Retried: a repeated reset changes nothing more. */
  async resetOrderGroup(orderGroupId: string, signal?: AbortSignal): Promise<void> {
    await this.http.request({ method: 'PUT', allowEmpty: true, path: `${groupPath(orderGroupId)}/reset`, body: {}, retry: 'safe', ...(signal ? { signal } : {}) });
  }
  /** PUT /portfolio/order_groups/{order_group_id}/trigger. Retried: triggering twice is triggering once. */
  async triggerOrderGroup(orderGroupId: string, signal?: AbortSignal): Promise<void> {
    await this.http.request({ method: 'PUT', allowEmpty: true, path: `${groupPath(orderGroupId)}/trigger`, body: {}, retry: 'safe', ...(signal ? { signal } : {}) });
  }
  /** PUT /portfolio/order_groups/{order_group_id}/limit. Retried: it sets a value, so a repeat is harmless. */
  async updateOrderGroupLimit(orderGroupId: string, body: w.WireJson, signal?: AbortSignal): Promise<void> {
    await this.http.request({ method: 'PUT', allowEmpty: true, path: `${groupPath(orderGroupId)}/limit`, body, retry: 'safe', ...(signal ? { signal } : {}) });
  }
  /** DELETE /portfolio/order_groups/{order_group_id} (cancels its orders). Not retried: a repeat answers 404. */
  async deleteOrderGroup(orderGroupId: string, signal?: AbortSignal): Promise<void> {
    await this.http.request({ method: 'DELETE', path: groupPath(orderGroupId), retry: 'never', allowEmpty: true, ...(signal ? { signal } : {}) });
  }

  // ── Account ─────────────────────────────────────────────────────────────────────────────────
  /** GET /account/limits */
  getAccountLimits(signal?: AbortSignal): Promise<Out<typeof w.getAccountLimitsResponseSchema>> {
    return this.get(w.getAccountLimitsResponseSchema, '/account/limits', undefined, signal);
  }
  /** GET /account/endpoint_costs */
  getEndpointCosts(signal?: AbortSignal): Promise<Out<typeof w.getEndpointCostsResponseSchema>> {
    return this.get(w.getEndpointCostsResponseSchema, '/account/endpoint_costs', undefined, signal);
  }

  /**
   * Reconfigures the limiter from GET /account/limits and GET /account/endpoint_costs.
   * Returns the usage tier name.
   */
  async syncRateLimits(signal?: AbortSignal): Promise<string> {
    const limits = await this.getAccountLimits(signal);
    this.limiter.setLimits({
      read: { refillPerSecond: limits.read.refill_rate, capacity: limits.read.bucket_capacity },
      write: { refillPerSecond: limits.write.refill_rate, capacity: limits.write.bucket_capacity },
    });
    const costs = await this.getEndpointCosts(signal);
    this.limiter.setCosts(costs.default_cost, costs.endpoint_costs);
    this.logger.info({ tier: limits.usage_tier, read: limits.read, write: limits.write, endpointCosts: costs.endpoint_costs.length }, 'rate limits synchronised');
    return limits.usage_tier;
  }
}
