/**
 * `ExchangeClient`: the ExchangePort (core/port.ts) over Kalshi's REST and WebSocket APIs, for
 * Kalshi demo, prod, or the local exchange server. REST calls are paced by the token-bucket limiter
 * and retried only where safe (rest/http.ts); market data and account events come from one
 * WebSocket with per-sid seq tracking and local books (event-pump.ts).
 */
import {
  ApiError,
  OrderRejectedError,
  SeededRng,
  WireFormatError,
  silentLogger,
  type AmendRequest,
  type Balance,
  type BatchCreateResult,
  type BookSnapshot,
  type CancelAck,
  type Clock,
  type Count,
  type DecreaseRequest,
  type ExchangePort,
  type ExchangeStatus,
  type Fill,
  type FillQuery,
  type Logger,
  type Market,
  type MarketFilter,
  type Order,
  type OrderAck,
  type OrderGroup,
  type OrderGroupMethods,
  type OrderQuery,
  type OrderRequest,
  type PortEvent,
  type Position,
  type PublicTrade,
  type Rng,
  type Settlement,
  type TradeQuery,
} from '../core/index.js';
import type { KalshiCredentials } from './credentials.js';
import { EventPump } from './event-pump.js';
import { FeeSchedules } from './fee-schedules.js';
import { KalshiRestClient } from './rest/client.js';
import { HttpTransport } from './rest/http.js';
import { BASIC_TIER_LIMITS, RateLimiter, type RateLimits } from './rest/limiter.js';
import * as w from './wire/index.js';
import { KalshiWsClient } from './ws/client.js';
import { BoundedQueue } from './ws/queue.js';
import type { WsEvent } from './ws/types.js';

/** Kalshi's recommended hosts (kalshi-api.md §1). */
export const KALSHI_ENVIRONMENTS = {
  demo: { restBaseUrl: 'https://external-api.demo.kalshi.co/trade-api/v2', wsUrl: 'wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2' },
  prod: { restBaseUrl: 'https://external-api.kalshi.com/trade-api/v2', wsUrl: 'wss://external-api-ws.kalshi.com/trade-api/ws/v2' },
} as const;

/** Options of `ExchangeClient`. */
export interface ExchangeClientOptions {
  /** REST root including `/trade-api/v2`. */
  readonly restBaseUrl: string;
  /** WebSocket URL ending in `/trade-api/ws/v2`. */
  readonly wsUrl: string;
  readonly credentials: KalshiCredentials;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Starting bucket limits; default Basic. Call `syncRateLimits()` to read the account's. */
  readonly tier?: RateLimits;
  readonly rng?: Rng;
  /** Per-attempt REST timeout, ms. Default 10,000. */
  readonly requestTimeoutMs?: number;
  /** WS silence before a reconnect, ms. Default 30,000. */
  readonly silenceMs?: number;
  /** Bounded buffer of each `events()` consumer. Default 100,000. */
  readonly bufferCapacity?: number;
  /** Injected fetch (tests). */
  readonly fetch?: typeof fetch;
}

const PRIVATE_CHANNELS = ['fill', 'user_orders', 'market_positions'] as const;

/** The ExchangePort over Kalshi's REST and WebSocket APIs. */
export class ExchangeClient implements ExchangePort, OrderGroupMethods {
  /** The raw endpoint methods, for callers that need wire-level access. */
  readonly rest: KalshiRestClient;
  /** The WebSocket client; `ws.raw()` gives verbatim frames for recorders. */
  readonly ws: KalshiWsClient;
  readonly limiter: RateLimiter;
  private readonly logger: Logger;
  private readonly pump: EventPump;
  private readonly subscribed = new Set<string>();
  private readonly consumers = new Set<BoundedQueue<PortEvent>>();
  private readonly fees: FeeSchedules;
  private connecting: Promise<void> | undefined;
  private groupUpdates: Promise<void> | undefined;
  private pumping: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: ExchangeClientOptions) {
    this.logger = options.logger ?? silentLogger;
    const rng = options.rng ?? new SeededRng(options.clock.nowMs() >>> 0);
    this.limiter = new RateLimiter(options.clock, options.tier ?? BASIC_TIER_LIMITS);
    const http = new HttpTransport({
      baseUrl: options.restBaseUrl,
      credentials: options.credentials,
      clock: options.clock,
      limiter: this.limiter,
      logger: this.logger.child({ component: 'rest' }),
      rng: rng.fork('rest'),
      ...(options.requestTimeoutMs !== undefined ? { timeoutMs: options.requestTimeoutMs } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.rest = new KalshiRestClient(http, this.limiter, this.logger.child({ component: 'rest' }));
    this.fees = new FeeSchedules(this.rest, this.logger.child({ component: 'fees' }));
    this.ws = new KalshiWsClient({
      url: options.wsUrl,
      credentials: options.credentials,
      clock: options.clock,
      logger: this.logger.child({ component: 'ws' }),
      rng: rng.fork('ws'),
      ...(options.silenceMs !== undefined ? { silenceMs: options.silenceMs } : {}),
      ...(options.bufferCapacity !== undefined ? { bufferCapacity: options.bufferCapacity } : {}),
    });
    this.pump = new EventPump({
      logger: this.logger.child({ component: 'books' }),
      isSubscribed: (ticker) => this.subscribed.has(ticker),
      subscribedTickers: () => [...this.subscribed],
      requestSnapshots: (tickers) => {
        this.ws.requestSnapshots(tickers).catch((error: unknown) => this.logger.warn({ error: error instanceof Error ? error.message : 'unknown' }, 'snapshot request failed'));
      },
    });
  }

  /** Returns a client for Kalshi `demo` or `prod` (hosts of kalshi-api.md §1). */
  static forEnvironment(env: 'demo' | 'prod', options: Omit<ExchangeClientOptions, 'restBaseUrl' | 'wsUrl'>): ExchangeClient {
    return new ExchangeClient({ ...options, ...KALSHI_ENVIRONMENTS[env] });
  }

  /** The local books (valid between a snapshot and the next gap). */
  get books(): EventPump['books'] {
    return this.pump.books;
  }

  /** Reads the account's bucket limits and endpoint costs and applies them. Returns the tier name. */
  syncRateLimits(signal?: AbortSignal): Promise<string> {
    return this.rest.syncRateLimits(signal);
  }

  /**
   * Opens the WebSocket and subscribes the private channels (fills, orders, positions) and market
   * lifecycle. Called by `events()` and `subscribeMarkets()`; idempotent.
   * @throws AuthError when the handshake is refused; TransportError when it fails.
   */
  connect(): Promise<void> {
    // One pump for the client's lifetime: a second one would apply every delta twice.
    this.pumping ??= this.runPump(this.ws.events());
    this.connecting ??= (async () => {
      await this.ws.connect();
      await Promise.all([...PRIVATE_CHANNELS.map((c) => this.ws.subscribe(c)), this.ws.subscribe('market_lifecycle_v2')]);
    })().catch((error: unknown) => {
      // Forget the failure so that a later call tries again.
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  private async runPump(events: AsyncIterableIterator<WsEvent>): Promise<void> {
    for await (const event of events) {
      for (const out of this.pump.convert(event)) for (const q of this.consumers) q.push(out);
    }
    for (const q of this.consumers) q.end();
  }

  // ── market data ─────────────────────────────────────────────────────────────────────────────
  async getExchangeStatus(): Promise<ExchangeStatus> {
    return w.exchangeStatusFromWire(await this.rest.getExchangeStatus());
  }

  async getMarket(ticker: string): Promise<Market> {
    const { market } = await this.rest.getMarket(ticker);
    return w.marketFromWire(market, 'market', await this.fees.of(market.event_ticker));
  }

  async *listMarkets(filter: MarketFilter = {}): AsyncIterable<Market> {
    let i = 0;
    const query = {
      limit: 1000,
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.eventTicker ? { event_ticker: filter.eventTicker } : {}),
      ...(filter.seriesTicker ? { series_ticker: filter.seriesTicker } : {}),
      ...(filter.tickers ? { tickers: filter.tickers } : {}),
    };
    // A scan over many events loads them in pages first; a filtered listing looks its few up directly.
    if (!filter.eventTicker && !filter.tickers && filter.status !== undefined && filter.status !== 'paused') await this.fees.prime(filter.status);
    for await (const market of this.rest.iterateMarkets(query)) {
      const path = `markets[${i++}]`;
      let converted: Market;
      try {
        converted = w.marketFromWire(market, path, await this.fees.of(market.event_ticker));
      } catch (error) {
        // One market with a value we cannot represent (an odd grid, a bad price string) must not end
        // a scan of thousands; it is reported and left out. getMarket() still throws for it.
        if (!(error instanceof WireFormatError)) throw error;
        this.logger.error({ ticker: market.ticker, reason: error.message }, 'market left out of the listing');
        continue;
      }
      yield converted;
    }
  }

  async getOrderBook(ticker: string, depth?: number): Promise<BookSnapshot> {
    const body = await this.rest.getMarketOrderbook(ticker, depth);
    return w.bookFromWire(ticker, body.orderbook_fp, 'orderbook_fp');
  }

  async *listTrades(query: TradeQuery): AsyncIterable<PublicTrade> {
    let i = 0;
    const wire = {
      limit: 1000,
      ...(query.ticker ? { ticker: query.ticker } : {}),
      ...(query.minTsMs !== undefined ? { min_ts: Math.floor(query.minTsMs / 1000) } : {}),
      ...(query.maxTsMs !== undefined ? { max_ts: Math.ceil(query.maxTsMs / 1000) } : {}),
    };
    for await (const trade of this.rest.iterateTrades(wire)) yield w.tradeFromWire(trade, `trades[${i++}]`);
  }

  async subscribeMarkets(tickers: readonly string[]): Promise<void> {
    await this.connect();
    for (const t of tickers) this.subscribed.add(t);
    await this.ws.subscribe('orderbook_delta', tickers);
    await this.ws.subscribe('trade', tickers);
  }

  async unsubscribeMarkets(tickers: readonly string[]): Promise<void> {
    for (const t of tickers) {
      this.subscribed.delete(t);
      this.pump.books.delete(t);
    }
    await this.ws.unsubscribeMarkets('orderbook_delta', tickers);
    await this.ws.unsubscribeMarkets('trade', tickers);
  }

  /**
   * Returns one consumer of the event stream (bounded: a consumer that falls behind gets one `stale`
   * event for every market in place of what was dropped). Ends after `close()` or when `signal` aborts.
   */
  events(signal?: AbortSignal): AsyncIterable<PortEvent> {
    const queue: BoundedQueue<PortEvent> = new BoundedQueue<PortEvent>({
      capacity: this.options.bufferCapacity ?? 100_000,
      onOverflow: (dropped) => {
        this.pump.books.markStale();
        return { type: 'stale', recvMs: this.options.clock.nowMs(), reason: `consumer fell behind; ${dropped} events dropped` };
      },
      onClose: () => this.consumers.delete(queue),
    });
    if (this.closed) queue.end();
    else this.consumers.add(queue);
    signal?.addEventListener('abort', () => void queue.return(), { once: true });
    this.connect().catch((error: unknown) => {
      this.logger.error({ error: error instanceof Error ? error.message : 'unknown' }, 'WebSocket connect failed');
      queue.end();
    });
    return queue;
  }

  // ── order entry ─────────────────────────────────────────────────────────────────────────────
  async createOrder(request: OrderRequest): Promise<OrderAck> {
    const body = { ...w.encodeOrderRequest(request), client_order_id: request.clientOrderId, ticker: request.ticker };
    const reply = await rejections(() => this.rest.createOrder(body));
    return w.orderAckFromWire(reply, 'order');
  }

  async createOrders(requests: readonly OrderRequest[]): Promise<readonly BatchCreateResult[]> {
    if (requests.length === 0) return [];
    const reply = await rejections(() => this.rest.batchCreateOrders(requests.map((r) => w.encodeOrderRequest(r))));
    return reply.orders.map((item, i): BatchCreateResult => {
      const request = requests[i];
      if (item.error || !item.order_id || typeof item.ts_ms !== 'number') {
        return { ok: false, ...(request ? { clientOrderId: request.clientOrderId } : {}), errorCode: item.error?.code ?? 'unknown', message: item.error?.message ?? 'no order in the reply' };
      }
      return { ok: true, ack: w.orderAckFromWire({ ...item, order_id: item.order_id, ts_ms: item.ts_ms }, `orders[${i}]`) };
    });
  }

  async amendOrder(request: AmendRequest): Promise<OrderAck> {
    const reply = await rejections(() => this.rest.amendOrder(request.orderId, w.encodeAmendRequest(request)));
    if (reply.remaining_count == null) {
      // Optional in Kalshi's answer (§5.2): read as 0, an order still resting would look done and be
      // left unmanaged, so the order itself is read instead.
      const order = await this.getOrder(reply.order_id);
      const clientOrderId = reply.client_order_id ?? order.clientOrderId;
      return {
        orderId: order.orderId,
        ...(clientOrderId ? { clientOrderId } : {}),
        fillCount: order.fillCount,
        remainingCount: order.remainingCount,
        tsMs: reply.ts_ms,
      };
    }
    return w.orderAckFromWire(reply, 'amend');
  }

  async decreaseOrder(request: DecreaseRequest): Promise<OrderAck> {
    const reply = await rejections(() => this.rest.decreaseOrder(request.orderId, w.encodeDecreaseRequest(request)));
    return w.orderAckFromWire({ ...reply, fill_count: undefined }, 'decrease');
  }

  async cancelOrder(orderId: string, ticker: string): Promise<CancelAck> {
    return w.cancelAckFromWire(await rejections(() => this.rest.cancelOrder(orderId, ticker)), 'cancel');
  }

  async cancelOrders(orders: readonly { orderId: string; ticker: string }[]): Promise<readonly (CancelAck | { orderId: string; errorCode: string; message: string })[]> {
    if (orders.length === 0) return [];
    const reply = await rejections(() => this.rest.batchCancelOrders(orders.map((o) => ({ order_id: o.orderId, market_ticker: o.ticker }))));
    return reply.orders.map((item, i) => {
      if (item.error || item.reduced_by === undefined || item.reduced_by === null || typeof item.ts_ms !== 'number') {
        return { orderId: item.order_id, errorCode: item.error?.code ?? 'unknown', message: item.error?.message ?? 'no result in the reply' };
      }
      return w.cancelAckFromWire({ order_id: item.order_id, client_order_id: item.client_order_id, reduced_by: item.reduced_by, ts_ms: item.ts_ms }, `orders[${i}]`);
    });
  }

  async cancelAll(): Promise<void> {
    await rejections(() => this.rest.cancelAllOrders());
  }

  // ── order groups (§9) ──────────────────────────────────────────────────────────────────────
  /**
   * Subscribes `order_group_updates` (once; resubscribed after reconnects like every channel), so the
   * group's changes reach `events()` as `order_group` events. Called by `createOrderGroup` before it
   * sends the create, so even the `created` update is seen; clients that never use groups never ask.
   * @throws AuthError, TransportError as `connect()`; ApiError for a refused subscription.
   */
  subscribeOrderGroupUpdates(): Promise<void> {
    this.groupUpdates ??= (async () => {
      await this.connect();
      await this.ws.subscribe('order_group_updates');
    })().catch((error: unknown) => {
      this.groupUpdates = undefined;
      throw error;
    });
    return this.groupUpdates;
  }

  async createOrderGroup(contractsLimit: Count): Promise<OrderGroup> {
    await this.subscribeOrderGroupUpdates();
    const reply = await rejections(() => this.rest.createOrderGroup(w.encodeOrderGroupLimit(contractsLimit)));
    return { orderGroupId: reply.order_group_id, contractsLimit, autoCancelEnabled: false };
  }

  async listOrderGroups(): Promise<readonly OrderGroup[]> {
    const reply = await this.rest.getOrderGroups();
    return (reply.order_groups ?? []).map((g, i) => w.orderGroupFromWire(g, `order_groups[${i}]`));
  }

  async getOrderGroup(orderGroupId: string): Promise<OrderGroup> {
    return w.orderGroupDetailFromWire(orderGroupId, await this.rest.getOrderGroup(orderGroupId));
  }

  async resetOrderGroup(orderGroupId: string): Promise<void> {
    await rejections(() => this.rest.resetOrderGroup(orderGroupId));
  }

  async triggerOrderGroup(orderGroupId: string): Promise<void> {
    await rejections(() => this.rest.triggerOrderGroup(orderGroupId));
  }

  async setOrderGroupLimit(orderGroupId: string, contractsLimit: Count): Promise<void> {
    await rejections(() => this.rest.updateOrderGroupLimit(orderGroupId, w.encodeOrderGroupLimit(contractsLimit)));
  }

  async deleteOrderGroup(orderGroupId: string): Promise<void> {
    await rejections(() => this.rest.deleteOrderGroup(orderGroupId));
  }

  // ── portfolio ───────────────────────────────────────────────────────────────────────────────
  async getBalance(): Promise<Balance> {
    return w.balanceFromWire(await this.rest.getBalance());
  }

  async getPositions(): Promise<readonly Position[]> {
    const out: Position[] = [];
    for await (const p of this.rest.iteratePositions({ limit: 1000 })) out.push(w.positionFromWire(p, `market_positions[${out.length}]`));
    return out;
  }

  async getOrders(query: OrderQuery = {}): Promise<readonly Order[]> {
    const out: Order[] = [];
    const wire = { limit: 1000, ...(query.ticker ? { ticker: query.ticker } : {}), ...(query.status ? { status: query.status } : {}) };
    for await (const o of this.rest.iterateOrders(wire)) out.push(w.orderFromWire(o, `orders[${out.length}]`));
    return out;
  }

  async getOrder(orderId: string): Promise<Order> {
    return w.orderFromWire((await this.rest.getOrder(orderId)).order, 'order');
  }

  async *listFills(query: FillQuery = {}): AsyncIterable<Fill> {
    let i = 0;
    const wire = {
      limit: 1000,
      ...(query.ticker ? { ticker: query.ticker } : {}),
      ...(query.orderId ? { order_id: query.orderId } : {}),
      ...(query.minTsMs !== undefined ? { min_ts: Math.floor(query.minTsMs / 1000) } : {}),
    };
    for await (const f of this.rest.iterateFills(wire)) yield w.fillFromWire(f, `fills[${i++}]`);
  }

  async *listSettlements(): AsyncIterable<Settlement> {
    let i = 0;
    for await (const s of this.rest.iterateSettlements({ limit: 1000 })) yield w.settlementFromWire(s, `settlements[${i++}]`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.ws.close();
    await this.pumping;
    for (const q of this.consumers) q.end();
  }
}

/**
 * Runs an order-entry call, turning Kalshi's business refusals (4xx other than 401/403/404/429) into
 * `OrderRejectedError` with Kalshi's code as `reason`, as every ExchangePort does; 404 stays an ApiError.
 */
async function rejections<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiError && error.status >= 400 && error.status < 500 && ![401, 403, 404, 429].includes(error.status)) {
      throw new OrderRejectedError(error.apiCode, error.message, { cause: error });
    }
    throw error;
  }
}
