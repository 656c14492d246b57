/**
 * `LocalPort`: the ExchangePort over a MatchingEngine in the same process, for one account. It is
 * the fast stand-in for the trading core's tests: the same matching rules as the local exchange
 * server, no sockets, time from the engine's Clock. Engine rejections surface as they would from
 * Kalshi through the client: business refusals as `OrderRejectedError` (an `EngineRejection` with
 * Kalshi's code), missing orders and markets as `ApiError` 404.
 */
import {
  ApiError,
  type AmendRequest,
  type Balance,
  type BatchCreateResult,
  type BookSnapshot,
  type CancelAck,
  type Cash,
  type Clock,
  type Count,
  type DecreaseRequest,
  type ExchangePort,
  type ExchangeStatus,
  type Fill,
  type FillQuery,
  type Market,
  type MarketFilter,
  type MarketStatus,
  type Order,
  type OrderAck,
  type OrderGroup,
  type OrderGroupMethods,
  type OrderQuery,
  type OrderRequest,
  type PortEvent,
  type Position,
  type PublicTrade,
  type Settlement,
  type TradeQuery,
} from '../core/index.js';
import { EngineRejection, type EngineEvent, type EngineOrder, type MarketState, type MatchingEngine, type OrderGroupView } from './matching/index.js';

/** Options of a LocalPort. */
export interface LocalPortOptions {
  readonly engine: MatchingEngine;
  readonly accountId: string;
  readonly clock: Clock;
  /** Events buffered per `events()` reader before it is told its books are stale. Default 100,000. */
  readonly bufferLimit?: number;
}

const STATUS_FILTER: Record<NonNullable<MarketFilter['status']>, readonly MarketStatus[]> = {
  unopened: ['initialized'],
  open: ['active'],
  paused: ['inactive'],
  closed: ['closed', 'determined', 'disputed', 'amended'],
  settled: ['finalized'],
};

/** One reader of `events()`: a bounded queue and a waiting resolver. */
interface Reader {
  queue: PortEvent[];
  wake: (() => void) | undefined;
}

/** The in-process ExchangePort (see the file comment). */
export class LocalPort implements ExchangePort, OrderGroupMethods {
  private readonly engine: MatchingEngine;
  private readonly accountId: string;
  private readonly clock: Clock;
  private readonly bufferLimit: number;
  private readonly subscribed = new Set<string>();
  private readonly readers = new Set<Reader>();
  /** Events that arrived while nobody was reading (e.g. the snapshot of a subscribe made before `events()`). */
  private backlog: PortEvent[] = [];
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(options: LocalPortOptions) {
    this.engine = options.engine;
    this.accountId = options.accountId;
    this.clock = options.clock;
    this.bufferLimit = options.bufferLimit ?? 100_000;
    this.unsubscribe = this.engine.subscribe((event) => this.onEngineEvent(event));
  }

  getExchangeStatus(): Promise<ExchangeStatus> {
    return Promise.resolve({ exchangeActive: !this.closed, tradingActive: !this.closed });
  }

  getMarket(ticker: string): Promise<Market> {
    return this.call('GET', `/markets/${ticker}`, () => toMarket(this.engine.getMarket(ticker)));
  }

  async *listMarkets(filter: MarketFilter = {}): AsyncIterable<Market> {
    const statuses = filter.status === undefined ? undefined : STATUS_FILTER[filter.status];
    for (const state of this.engine.listMarkets()) {
      const def = state.definition;
      if (statuses && !statuses.includes(state.status)) continue;
      if (filter.eventTicker !== undefined && def.eventTicker !== filter.eventTicker) continue;
      if (filter.seriesTicker !== undefined && def.seriesTicker !== filter.seriesTicker) continue;
      if (filter.tickers !== undefined && !filter.tickers.includes(def.ticker)) continue;
      yield toMarket(state);
    }
  }

  getOrderBook(ticker: string, depth?: number): Promise<BookSnapshot> {
    return this.call('GET', `/markets/${ticker}/orderbook`, () => this.engine.getBook(ticker, depth));
  }

  async *listTrades(query: TradeQuery): AsyncIterable<PublicTrade> {
    for (const trade of this.engine.listTrades(query.ticker)) {
      if (query.minTsMs !== undefined && trade.tsMs < query.minTsMs) continue;
      if (query.maxTsMs !== undefined && trade.tsMs > query.maxTsMs) continue;
      yield trade;
    }
  }

  subscribeMarkets(tickers: readonly string[]): Promise<void> {
    return this.call('POST', '/ws/subscribe', () => {
      for (const ticker of tickers) {
        const book = this.engine.getBook(ticker);
        this.subscribed.add(ticker);
        this.push({ type: 'book_snapshot', recvMs: this.clock.nowMs(), ticker, yes: book.yes, no: book.no });
      }
    });
  }

  unsubscribeMarkets(tickers: readonly string[]): Promise<void> {
    for (const ticker of tickers) this.subscribed.delete(ticker);
    return Promise.resolve();
  }

  /**
   * Returns a stream of this port's events; it ends on `close()` or when `signal` aborts. Events that
   * arrived while no stream was open (such as the snapshots of an earlier `subscribeMarkets`) come
   * first, to the first stream opened after them. An abort detaches the stream at once, even while
   * its consumer is not reading (suspended at a yield): later events go to the backlog; the ones
   * already queued for it are dropped with it.
   */
  async *events(signal?: AbortSignal): AsyncIterable<PortEvent> {
    // An already aborted stream must not take the backlog it would never deliver.
    if (this.closed || signal?.aborted === true) return;
    const reader: Reader = { queue: this.backlog, wake: undefined };
    this.backlog = [];
    this.readers.add(reader);
    const detach = (): void => {
      this.readers.delete(reader);
      reader.wake?.();
    };
    signal?.addEventListener('abort', detach, { once: true });
    try {
      while (!this.closed && !isAborted(signal)) {
        const next = reader.queue.shift();
        if (next) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => {
          reader.wake = resolve;
        });
        reader.wake = undefined;
      }
    } finally {
      signal?.removeEventListener('abort', detach);
      this.readers.delete(reader);
    }
  }

  createOrder(request: OrderRequest): Promise<OrderAck> {
    return this.call('POST', '/portfolio/events/orders', () => {
      const existing = request.clientOrderId === '' ? undefined : this.engine.findOrderByClientId(this.accountId, request.clientOrderId);
      return ackOf(existing ?? this.engine.createOrder(this.accountId, request).order, this.clock.nowMs());
    });
  }

  async createOrders(requests: readonly OrderRequest[]): Promise<readonly BatchCreateResult[]> {
    const results: BatchCreateResult[] = [];
    for (const request of requests) {
      try {
        results.push({ ok: true, ack: await this.createOrder(request) });
      } catch (error) {
        if (!(error instanceof EngineRejection) && !(error instanceof ApiError)) throw error;
        const errorCode = error instanceof EngineRejection ? error.reason : error.apiCode;
        results.push({ ok: false, clientOrderId: request.clientOrderId, errorCode, message: error.message });
      }
    }
    return results;
  }

  amendOrder(request: AmendRequest): Promise<OrderAck> {
    return this.call('POST', `/portfolio/events/orders/${request.orderId}/amend`, () => {
      const { updatedClientOrderId, ...rest } = request;
      const result = this.engine.amendOrder(this.accountId, { ...rest, ...(updatedClientOrderId === undefined ? {} : { updatedClientOrderId }) });
      return ackOf(result.order, this.clock.nowMs());
    });
  }

  decreaseOrder(request: DecreaseRequest): Promise<OrderAck> {
    return this.call('POST', `/portfolio/events/orders/${request.orderId}/decrease`, () => {
      const change = 'reduceBy' in request ? { orderId: request.orderId, reduceBy: request.reduceBy } : { orderId: request.orderId, reduceTo: request.reduceTo };
      return ackOf(this.engine.decreaseOrder(this.accountId, change).order, this.clock.nowMs());
    });
  }

  cancelOrder(orderId: string, _ticker: string): Promise<CancelAck> {
    return this.call('DELETE', `/portfolio/events/orders/${orderId}`, () => {
      const result = this.engine.cancelOrder(this.accountId, orderId);
      return { orderId, ...clientId(result.order), reducedBy: result.reducedBy, tsMs: this.clock.nowMs() };
    });
  }

  async cancelOrders(orders: readonly { orderId: string; ticker: string }[]): Promise<readonly (CancelAck | { orderId: string; errorCode: string; message: string })[]> {
    const results: (CancelAck | { orderId: string; errorCode: string; message: string })[] = [];
    for (const { orderId, ticker } of orders) {
      try {
        results.push(await this.cancelOrder(orderId, ticker));
      } catch (error) {
        if (!(error instanceof EngineRejection) && !(error instanceof ApiError)) throw error;
        results.push({ orderId, errorCode: error instanceof EngineRejection ? error.reason : error.apiCode, message: error.message });
      }
    }
    return results;
  }

  cancelAll(): Promise<void> {
    return this.call('DELETE', '/portfolio/events/orders', () => {
      this.engine.cancelAll(this.accountId);
    });
  }

  getBalance(): Promise<Balance> {
    return this.call('GET', '/portfolio/balance', () => {
      const balance = this.engine.getBalance(this.accountId);
      return { balance: balance.available, portfolioValue: this.portfolioValue() };
    });
  }

  getPositions(): Promise<readonly Position[]> {
    return this.call('GET', '/portfolio/positions', () =>
      this.engine.getPositions(this.accountId).map((p) => ({ ticker: p.ticker, position: p.position, exposure: p.exposure, realizedPnl: p.realizedPnl, feesPaid: p.feesPaid })),
    );
  }

  getOrders(query: OrderQuery = {}): Promise<readonly Order[]> {
    return this.call('GET', '/portfolio/orders', () =>
      this.engine.listOrders(this.accountId).filter((o) => (query.ticker === undefined || o.ticker === query.ticker) && (query.status === undefined || o.status === query.status)),
    );
  }

  getOrder(orderId: string): Promise<Order> {
    return this.call('GET', `/portfolio/orders/${orderId}`, () => this.engine.getOrder(orderId, this.accountId));
  }

  async *listFills(query: FillQuery = {}): AsyncIterable<Fill> {
    for (const fill of [...this.engine.listFills(this.accountId)]) {
      if (query.ticker !== undefined && fill.ticker !== query.ticker) continue;
      if (query.orderId !== undefined && fill.orderId !== query.orderId) continue;
      if (query.minTsMs !== undefined && fill.tsMs < query.minTsMs) continue;
      yield fill;
    }
  }

  async *listSettlements(): AsyncIterable<Settlement> {
    for (const s of [...this.engine.listSettlements(this.accountId)]) {
      yield { ticker: s.ticker, result: s.result, yesCount: s.yesCount, noCount: s.noCount, revenue: s.revenue, settledMs: s.settledMs };
    }
  }

  // Order groups (kalshi-api.md §9): the engine's own, so the 15 s rule is the local exchange's.
  createOrderGroup(contractsLimit: Count): Promise<OrderGroup> {
    return this.call('POST', '/portfolio/order_groups/create', () => groupOf(this.engine.createOrderGroup(this.accountId, contractsLimit), false));
  }

  listOrderGroups(): Promise<readonly OrderGroup[]> {
    return this.call('GET', '/portfolio/order_groups', () => this.engine.listOrderGroups(this.accountId).map((g) => groupOf(g, false)));
  }

  getOrderGroup(orderGroupId: string): Promise<OrderGroup> {
    return this.call('GET', `/portfolio/order_groups/${orderGroupId}`, () => groupOf(this.engine.getOrderGroup(this.accountId, orderGroupId), true));
  }

  resetOrderGroup(orderGroupId: string): Promise<void> {
    return this.call('PUT', `/portfolio/order_groups/${orderGroupId}/reset`, () => this.engine.resetOrderGroup(this.accountId, orderGroupId));
  }

  triggerOrderGroup(orderGroupId: string): Promise<void> {
    return this.call('PUT', `/portfolio/order_groups/${orderGroupId}/trigger`, () => this.engine.triggerOrderGroup(this.accountId, orderGroupId));
  }

  setOrderGroupLimit(orderGroupId: string, contractsLimit: Count): Promise<void> {
    return this.call('PUT', `/portfolio/order_groups/${orderGroupId}/limit`, () => this.engine.setOrderGroupLimit(this.accountId, orderGroupId, contractsLimit));
  }

  deleteOrderGroup(orderGroupId: string): Promise<void> {
    return this.call('DELETE', `/portfolio/order_groups/${orderGroupId}`, () => this.engine.deleteOrderGroup(this.accountId, orderGroupId));
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.unsubscribe();
      for (const reader of this.readers) reader.wake?.();
    }
    return Promise.resolve();
  }

  /** Runs an engine call, turning "not found" rejections into Kalshi-like 404 ApiErrors. */
  private call<T>(method: string, path: string, fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      if (error instanceof EngineRejection && error.status === 404) {
        return Promise.reject(new ApiError(404, error.reason, error.message, method, path, { cause: error }));
      }
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Returns the value of the positions, marked at the mid (or the last price, else their cost). */
  private portfolioValue(): Cash {
    let value = 0;
    for (const p of this.engine.getPositions(this.accountId)) {
      const market = this.engine.getMarket(p.ticker);
      const mark = market.yesBid !== undefined && market.yesAsk !== undefined ? (market.yesBid + market.yesAsk) / 2 : market.lastPrice;
      if (mark === undefined) value += p.exposure;
      else value += Math.round((p.position >= 0 ? mark : 10_000 - mark) * Math.abs(p.position) / 100);
    }
    return value as Cash;
  }

  private onEngineEvent(event: EngineEvent): void {
    const portEvent = this.toPortEvent(event);
    if (portEvent) this.push(portEvent);
  }

  private toPortEvent(event: EngineEvent): PortEvent | undefined {
    const recvMs = this.clock.nowMs();
    switch (event.type) {
      case 'book_delta': {
        if (!this.subscribed.has(event.ticker)) return undefined;
        const own = event.accountId === this.accountId && event.clientOrderId !== undefined ? { clientOrderId: event.clientOrderId } : {};
        return { type: 'book_delta', recvMs, tsMs: event.tsMs, ticker: event.ticker, side: event.side, price: event.price, delta: event.delta, ...own };
      }
      case 'trade':
        return this.subscribed.has(event.trade.ticker) ? { type: 'trade', recvMs, trade: event.trade } : undefined;
      case 'fill':
        return event.accountId === this.accountId ? { type: 'fill', recvMs, fill: event.fill } : undefined;
      case 'order':
        return event.accountId === this.accountId ? { type: 'order', recvMs, order: event.order } : undefined;
      case 'position':
        return event.accountId === this.accountId ? { type: 'position', recvMs, ticker: event.position.ticker, position: event.position.position } : undefined;
      case 'market':
        return { type: 'market', recvMs, ticker: event.ticker, status: event.status, result: event.result, closeTimeMs: event.closeTimeMs, grid: event.grid };
      case 'order_group':
        if (event.accountId !== this.accountId) return undefined;
        return { type: 'order_group', recvMs, orderGroupId: event.group.orderGroupId, kind: event.kind, contractsLimit: event.group.contractsLimit, tsMs: event.tsMs };
      case 'settlement':
        return undefined;
    }
  }

  private push(event: PortEvent): void {
    if (this.readers.size === 0) {
      if (this.backlog.length >= this.bufferLimit) this.backlog = [{ type: 'stale', recvMs: event.recvMs, reason: 'event buffer overflow' }];
      else this.backlog.push(event);
      return;
    }
    for (const reader of this.readers) {
      if (reader.queue.length >= this.bufferLimit) {
        // A reader that fell this far behind has lost continuity: say so instead of growing without bound.
        reader.queue = [{ type: 'stale', recvMs: event.recvMs, reason: 'event buffer overflow' }];
      } else reader.queue.push(event);
      reader.wake?.();
    }
  }
}

/** Returns whether `signal` has aborted (a call, so a check inside a loop is not narrowed by an earlier one). */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function clientId(order: EngineOrder): { clientOrderId?: string } {
  return order.clientOrderId === undefined ? {} : { clientOrderId: order.clientOrderId };
}

function ackOf(order: EngineOrder, tsMs: number): OrderAck {
  return { orderId: order.orderId, ...clientId(order), fillCount: order.fillCount, remainingCount: order.remainingCount, tsMs };
}

/** Returns the engine's group as the port reports it (`autoCancelEnabled` = triggered, as the server says). */
function groupOf(group: OrderGroupView, withOrders: boolean): OrderGroup {
  return {
    orderGroupId: group.orderGroupId,
    contractsLimit: group.contractsLimit,
    autoCancelEnabled: group.triggered,
    ...(withOrders ? { orderIds: group.orderIds } : {}),
  };
}

function toMarket(state: MarketState): Market {
  const def = state.definition;
  return {
    ticker: def.ticker,
    eventTicker: def.eventTicker,
    seriesTicker: def.seriesTicker,
    title: def.title,
    status: state.status,
    openTimeMs: state.openTimeMs,
    closeTimeMs: state.closeTimeMs,
    grid: state.grid,
    fees: def.fees,
    result: state.result,
    ...(state.yesBid === undefined ? {} : { yesBid: state.yesBid }),
    ...(state.yesAsk === undefined ? {} : { yesAsk: state.yesAsk }),
    ...(state.lastPrice === undefined ? {} : { lastPrice: state.lastPrice }),
    volume: state.volume,
    volume24h: state.volume24h,
    openInterest: state.openInterest,
  };
}
