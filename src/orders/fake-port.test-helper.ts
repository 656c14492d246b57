/**
 * An in-memory `ExchangePort` for the orders and bot tests: resting orders by id, idempotent creates
 * by client order id, post-only crossing against a settable top of book, scripted failures, a call
 * log, and an event stream tests push into. No matching: tests fill orders with `fill()`.
 */
import {
  ApiError,
  OrderRejectedError,
  TickGrid,
  DEFAULT_FEE_SCHEDULE,
  type AmendRequest,
  type Balance,
  type BatchCreateResult,
  type BookLevel,
  type BookSnapshot,
  type CancelAck,
  type Cash,
  type Clock,
  type Count,
  type DecreaseRequest,
  type ExchangePort,
  type ExchangeStatus,
  type Fill,
  type Market,
  type MarketFilter,
  type Order,
  type OrderAck,
  type OrderQuery,
  type OrderRequest,
  type PortEvent,
  type Position,
  type Price,
  type PublicTrade,
  type Settlement,
  type TradeQuery,
} from '../core/index.js';

/** One recorded port call. */
export interface FakeCall {
  readonly method: string;
  readonly args: unknown;
}

type Failable = 'createOrder' | 'amendOrder' | 'decreaseOrder' | 'cancelOrder' | 'getOrders' | 'cancelAll' | 'listMarkets' | 'getMarket';

/** Returns a market with sensible defaults for tests. */
export function fakeMarket(ticker: string, overrides: Partial<Market> = {}): Market {
  return {
    ticker,
    eventTicker: `EV-${ticker}`,
    title: ticker,
    status: 'active',
    openTimeMs: 0,
    closeTimeMs: 10 * 24 * 3_600_000,
    grid: TickGrid.linearCent(),
    fees: DEFAULT_FEE_SCHEDULE,
    result: '',
    yesBid: 4_800 as Price,
    yesAsk: 5_200 as Price,
    volume: 1_000_000 as Count,
    volume24h: 500_000 as Count,
    openInterest: 100_000 as Count,
    ...overrides,
  };
}

/** The fake port (see the file comment). */
export class FakePort implements ExchangePort {
  readonly calls: FakeCall[] = [];
  readonly orders = new Map<string, Order>();
  readonly markets = new Map<string, Market>();
  readonly positions = new Map<string, number>();
  readonly subscribed = new Set<string>();
  /** Books served by `getOrderBook` and pushed as a snapshot on subscribe. */
  readonly books = new Map<string, { yes: BookLevel[]; no: BookLevel[] }>();
  /** Public trades served by `listTrades`. */
  readonly trades = new Map<string, PublicTrade[]>();
  status: ExchangeStatus = { exchangeActive: true, tradingActive: true };
  /** Top of book used for the post-only cross check, per ticker. */
  readonly top = new Map<string, { bid?: Price; ask?: Price }>();
  private readonly failures = new Map<Failable, Error[]>();
  /** When set, a create succeeds on the exchange but the call throws this (a lost answer). */
  loseNextCreateAnswer: Error | undefined;
  private nextId = 1;
  private tradeSeq = 1;
  private queue: PortEvent[] = [];
  private wake: (() => void) | undefined;
  private closed = false;

  /** `clock` stamps events and acks; without one, time is 0. */
  constructor(private readonly clock?: Clock) {}

  get nowMs(): number {
    return this.clock?.nowMs() ?? 0;
  }

  /** Makes the next calls of `method` throw `errors` in turn. */
  failNext(method: Failable, ...errors: Error[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...errors]);
  }

  /** Pushes an event to `events()` readers. */
  push(event: PortEvent): void {
    this.queue.push(event);
    this.wake?.();
  }

  /** Returns resting orders. */
  resting(ticker?: string): Order[] {
    return [...this.orders.values()].filter((o) => o.status === 'resting' && (ticker === undefined || o.ticker === ticker));
  }

  /** Fills `count` of a resting order, updates the position and emits `fill` and `order` events. */
  fill(orderId: string, count: number): Fill {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`no order ${orderId}`);
    const remaining = order.remainingCount - count;
    const updated: Order = { ...order, fillCount: (order.fillCount + count) as Count, remainingCount: remaining as Count, status: remaining === 0 ? 'executed' : 'resting' };
    this.orders.set(orderId, updated);
    const signed = order.side === 'bid' ? count : -count;
    const position = (this.positions.get(order.ticker) ?? 0) + signed;
    this.positions.set(order.ticker, position);
    const fill: Fill = {
      tradeId: `t${this.tradeSeq++}`,
      orderId,
      ...(order.clientOrderId !== undefined ? { clientOrderId: order.clientOrderId } : {}),
      ticker: order.ticker,
      side: order.side,
      price: order.price,
      count: count as Count,
      isTaker: false,
      fee: 0 as Cash,
      tsMs: this.nowMs,
      postPosition: position as Count,
    };
    this.push({ type: 'fill', recvMs: this.nowMs, fill });
    this.push({ type: 'order', recvMs: this.nowMs, order: updated });
    this.push({ type: 'position', recvMs: this.nowMs, ticker: order.ticker, position: position as Count });
    return fill;
  }

  private record(method: string, args: unknown): void {
    this.calls.push({ method, args });
    const errors = this.failures.get(method as Failable);
    const error = errors?.shift();
    if (error) throw error;
  }

  /** Returns the recorded calls of `method`. */
  callsOf(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async getExchangeStatus(): Promise<ExchangeStatus> {
    this.calls.push({ method: 'getExchangeStatus', args: undefined });
    return this.status;
  }

  async getMarket(ticker: string): Promise<Market> {
    this.record('getMarket', ticker);
    const market = this.markets.get(ticker);
    if (!market) throw new ApiError(404, 'not_found', 'market not found', 'GET', `/markets/${ticker}`);
    return market;
  }

  async *listMarkets(filter: MarketFilter = {}): AsyncIterable<Market> {
    this.record('listMarkets', filter);
    for (const market of this.markets.values()) {
      if (filter.status === 'open' && market.status !== 'active') continue;
      yield market;
    }
  }

  async getOrderBook(ticker: string): Promise<BookSnapshot> {
    this.calls.push({ method: 'getOrderBook', args: ticker });
    const book = this.books.get(ticker);
    return { ticker, yes: book?.yes ?? [], no: book?.no ?? [] };
  }

  async *listTrades(query: TradeQuery): AsyncIterable<PublicTrade> {
    for (const trade of this.trades.get(query.ticker ?? '') ?? []) yield trade;
  }

  /** Sets a market's book (YES bids and NO bids, each leg's price) and the top used for post-only checks. */
  setBook(ticker: string, yes: BookLevel[], no: BookLevel[]): void {
    this.books.set(ticker, { yes, no });
    const bestYes = yes.reduce<number | undefined>((m, l) => (m === undefined || l.price > m ? l.price : m), undefined);
    const bestNo = no.reduce<number | undefined>((m, l) => (m === undefined || l.price > m ? l.price : m), undefined);
    this.top.set(ticker, { ...(bestYes !== undefined ? { bid: bestYes as Price } : {}), ...(bestNo !== undefined ? { ask: (10_000 - bestNo) as Price } : {}) });
  }

  async subscribeMarkets(tickers: readonly string[]): Promise<void> {
    this.calls.push({ method: 'subscribeMarkets', args: [...tickers] });
    for (const t of tickers) {
      this.subscribed.add(t);
      const book = this.books.get(t);
      if (book) this.push({ type: 'book_snapshot', recvMs: this.nowMs, ticker: t, yes: book.yes, no: book.no });
    }
  }

  async unsubscribeMarkets(tickers: readonly string[]): Promise<void> {
    this.calls.push({ method: 'unsubscribeMarkets', args: [...tickers] });
    for (const t of tickers) this.subscribed.delete(t);
  }

  async *events(signal?: AbortSignal): AsyncIterable<PortEvent> {
    while (!this.closed && !signal?.aborted) {
      const next = this.queue.shift();
      if (next) {
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
      this.wake = undefined;
    }
  }

  async createOrder(request: OrderRequest): Promise<OrderAck> {
    this.record('createOrder', request);
    const existing = [...this.orders.values()].find((o) => o.clientOrderId === request.clientOrderId);
    if (existing) return ackOf(existing, this.nowMs);
    const top = this.top.get(request.ticker);
    if (request.postOnly && top && ((request.side === 'bid' && top.ask !== undefined && request.price >= top.ask) || (request.side === 'ask' && top.bid !== undefined && request.price <= top.bid))) {
      throw new OrderRejectedError('post_only_cross', 'post only cross');
    }
    const order: Order = {
      orderId: `o${this.nextId++}`,
      clientOrderId: request.clientOrderId,
      ticker: request.ticker,
      side: request.side,
      price: request.price,
      initialCount: request.count,
      fillCount: 0 as Count,
      remainingCount: request.count,
      status: 'resting',
      takerFees: 0 as Cash,
      makerFees: 0 as Cash,
    };
    this.orders.set(order.orderId, order);
    if (this.loseNextCreateAnswer) {
      const error = this.loseNextCreateAnswer;
      this.loseNextCreateAnswer = undefined;
      throw error;
    }
    return ackOf(order, this.nowMs);
  }

  async createOrders(requests: readonly OrderRequest[]): Promise<readonly BatchCreateResult[]> {
    const out: BatchCreateResult[] = [];
    for (const r of requests) out.push({ ok: true, ack: await this.createOrder(r) });
    return out;
  }

  async amendOrder(request: AmendRequest): Promise<OrderAck> {
    this.record('amendOrder', request);
    const order = this.live(request.orderId, 'amend');
    const remaining = request.count - order.fillCount;
    const updated: Order = { ...order, price: request.price, remainingCount: Math.max(0, remaining) as Count, status: remaining <= 0 ? 'canceled' : 'resting' };
    this.orders.set(order.orderId, updated);
    return ackOf(updated, this.nowMs);
  }

  async decreaseOrder(request: DecreaseRequest): Promise<OrderAck> {
    this.record('decreaseOrder', request);
    const order = this.live(request.orderId, 'decrease');
    const remaining = 'reduceTo' in request ? request.reduceTo : Math.max(0, order.remainingCount - request.reduceBy);
    const updated: Order = { ...order, remainingCount: remaining as Count, status: remaining === 0 ? 'canceled' : 'resting' };
    this.orders.set(order.orderId, updated);
    return ackOf(updated, this.nowMs);
  }

  async cancelOrder(orderId: string): Promise<CancelAck> {
    this.record('cancelOrder', orderId);
    const order = this.live(orderId, 'cancel');
    this.orders.set(orderId, { ...order, remainingCount: 0 as Count, status: 'canceled' });
    return { orderId, ...(order.clientOrderId !== undefined ? { clientOrderId: order.clientOrderId } : {}), reducedBy: order.remainingCount, tsMs: this.nowMs };
  }

  async cancelOrders(orders: readonly { orderId: string; ticker: string }[]): Promise<readonly (CancelAck | { orderId: string; errorCode: string; message: string })[]> {
    const out: (CancelAck | { orderId: string; errorCode: string; message: string })[] = [];
    for (const o of orders) out.push(await this.cancelOrder(o.orderId));
    return out;
  }

  async cancelAll(): Promise<void> {
    this.record('cancelAll', undefined);
    for (const order of this.resting()) this.orders.set(order.orderId, { ...order, remainingCount: 0 as Count, status: 'canceled' });
  }

  async getBalance(): Promise<Balance> {
    return { balance: 100_000_000 as Cash, portfolioValue: 0 as Cash };
  }

  async getPositions(): Promise<readonly Position[]> {
    this.calls.push({ method: 'getPositions', args: undefined });
    return [...this.positions.entries()].map(([ticker, position]) => ({ ticker, position: position as Count, exposure: 0 as Cash, realizedPnl: 0 as Cash, feesPaid: 0 as Cash }));
  }

  async getOrders(query: OrderQuery = {}): Promise<readonly Order[]> {
    this.record('getOrders', query);
    return [...this.orders.values()].filter((o) => (query.ticker === undefined || o.ticker === query.ticker) && (query.status === undefined || o.status === query.status));
  }

  async getOrder(orderId: string): Promise<Order> {
    const order = this.orders.get(orderId);
    if (!order) throw new ApiError(404, 'not_found', 'order not found', 'GET', `/portfolio/orders/${orderId}`);
    return order;
  }

  async *listFills(): AsyncIterable<Fill> {
    // Fills are pushed as events only.
  }

  async *listSettlements(): AsyncIterable<Settlement> {
    // None.
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
  }

  private live(orderId: string, what: string): Order {
    const order = this.orders.get(orderId);
    if (!order || order.status !== 'resting') throw new ApiError(404, 'not_found', `${what}: order not found`, 'POST', `/portfolio/events/orders/${orderId}`);
    return order;
  }
}

function ackOf(order: Order, tsMs: number): OrderAck {
  return {
    orderId: order.orderId,
    ...(order.clientOrderId !== undefined ? { clientOrderId: order.clientOrderId } : {}),
    fillCount: order.fillCount,
    remainingCount: order.remainingCount,
    tsMs,
  };
}
