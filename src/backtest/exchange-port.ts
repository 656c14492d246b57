/**
 * `BacktestExchange`: the core `ExchangePort` implemented over `SimulatorCore`, so the trading core
 * runs unchanged in a backtest. Order entry validates at once and takes effect after the latency
 * model's delay; account events (fills, order updates, positions) and the book deltas of our own
 * resting orders (own-levels.ts) are queued in the simulator's outbox and delivered by the runner in
 * replay-time order; book reads include our resting orders, as a live port's do; `events()` streams
 * the same events to any other consumer.
 */
import {
  ApiError,
  contracts,

  type AmendRequest,
  type Balance,
  type BatchCreateResult,
  type BookLevel,
  type BookSnapshot,
  type CancelAck,
  type Cash,
  type Count,
  type DecreaseRequest,
  type ExchangePort,
  type ExchangeStatus,
  type Fill,
  type FillQuery,
  type Market,
  type MarketFilter,
  type Order,
  type OrderAck,
  type OrderQuery,
  type OrderRequest,
  type PortEvent,
  type Position,
  type PublicTrade,
  type Settlement,
  type TradeQuery,
} from '../core/index.js';
import { FeeRoundingAccumulator, KalshiMmError, PRICE_SCALE } from '../core/index.js';
import { positionView } from '../exchange/matching/index.js';
import { marketNotFound, type SimulatorCore, type SimMarket } from './simulator.js';
import { toAck, toOrder, type SimOrder } from './sim-order.js';
import { PortStreams } from './port-stream.js';
import { withOwnLevels, withoutPending } from './own-levels.js';

/** Options of `BacktestExchange`. */
export interface BacktestExchangeOptions {
  /** Events queued per `events()` stream before it is resynchronised (stale, then snapshots). Default 100,000. */
  readonly streamLimit?: number;
}

/** The backtest's in-process exchange port. */
export class BacktestExchange implements ExchangePort {
  readonly subscribed = new Set<string>();
  /** Order-entry calls so far; the runner lets the caller's async work settle after any. */
  actions = 0;
  /**
   * REST-style reads so far (market, book, balance, positions, orders, fills, trades): a read means
   * async work beside the promise the agent returned (a market refresh), which the runner lets
   * settle before the replay moves on, so it completes at the replay time it started.
   */
  reads = 0;
  private nextId = 1;
  private readonly byClientId = new Map<string, SimOrder>();
  private readonly fills: Fill[] = [];
  private closed = false;
  private readonly streams: PortStreams;

  constructor(
    readonly sim: SimulatorCore,
    options: BacktestExchangeOptions = {},
  ) {
    this.streams = new PortStreams({
      ...(options.streamLimit === undefined ? {} : { limit: options.streamLimit }),
      onActive: (active) => {
        sim.tap = active ? (event) => this.forward(event) : undefined;
      },
      snapshots: () => [...this.subscribed].flatMap((ticker) => this.snapshotOf(ticker)),
      nowMs: () => this.now(),
    });
    sim.onForget = (order) => {
      if (order.clientOrderId !== undefined && this.byClientId.get(order.clientOrderId) === order) this.byClientId.delete(order.clientOrderId);
    };
  }

  /** Records a delivered fill for `listFills` (called by the runner). */
  recordFill(fill: Fill): void {
    this.fills.push(fill);
  }

  getExchangeStatus(): Promise<ExchangeStatus> {
    this.reads++;
    return Promise.resolve({ exchangeActive: true, tradingActive: true });
  }

  getMarket(ticker: string): Promise<Market> {
    this.reads++;
    const market = this.sim.markets.get(ticker);
    if (!market) return Promise.reject(marketNotFound(ticker, 'GET', `/markets/${ticker}`));
    return Promise.resolve(marketOf(market, this.sim.options.fees.schedule));
  }

  async *listMarkets(filter?: MarketFilter): AsyncIterable<Market> {
    this.reads++;
    for (const market of this.sim.markets.values()) {
      if (filter?.tickers && !filter.tickers.includes(market.ticker)) continue;
      yield marketOf(market, this.sim.options.fees.schedule);
    }
  }

  getOrderBook(ticker: string, depth = Infinity): Promise<BookSnapshot> {
    this.reads++;
    const market = this.sim.knownMarket(ticker);
    if (!market) return Promise.reject(marketNotFound(ticker, 'GET', `/markets/${ticker}/orderbook`));
    // As of the events the agent has been handed: our book changes still queued for it are left out.
    const { yes, no } = this.bookOf(market);
    const from = this.sim.delivered;
    const pending = from === undefined || from >= this.sim.outbox.length ? [] : this.sim.outbox.slice(from);
    return Promise.resolve({ ticker, yes: withoutPending(yes, pending, ticker, 'yes').slice(-depth), no: withoutPending(no, pending, ticker, 'no').slice(-depth) });
  }

  listTrades(_query: TradeQuery): AsyncIterable<PublicTrade> {
    this.reads++;
    return nothing();
    // The replay delivers trades as events; history before the replay start does not exist.
  }

  /**
   * Subscribes market data for `tickers`; each open `events()` stream gets a snapshot of each known
   * one now. A ticker the replay has not reached yet is subscribed without a snapshot: its recorded
   * events (a recording starts each market with a snapshot) reach the streams when it appears.
   */
  subscribeMarkets(tickers: readonly string[]): Promise<void> {
    for (const t of tickers) {
      this.subscribed.add(t);
      if (this.streams.active) for (const event of this.snapshotOf(t)) this.streams.publish(event);
    }
    return Promise.resolve();
  }

  unsubscribeMarkets(tickers: readonly string[]): Promise<void> {
    for (const t of tickers) this.subscribed.delete(t);
    return Promise.resolve();
  }

  /**
   * Returns a stream of the replay's events as a live port would deliver them: first a snapshot of each
   * subscribed market, then recorded market data of subscribed markets and our fills, orders and
   * positions, in replay order. The runner still hands events to its agent directly; the stream is for
   * other consumers, and is fed only while one is open (events before it opened are not kept). It ends
   * on `close()` or when `signal` aborts. A stream `streamLimit` events behind gets `stale` and fresh
   * snapshots (see port-stream.ts).
   */
  events(signal?: AbortSignal): AsyncIterable<PortEvent> {
    return this.streams.stream(signal);
  }

  createOrder(request: OrderRequest): Promise<OrderAck> {
    this.actions++;
    try {
      return Promise.resolve(this.create(request));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  createOrders(requests: readonly OrderRequest[]): Promise<readonly BatchCreateResult[]> {
    this.actions++;
    return Promise.resolve(
      requests.map((request): BatchCreateResult => {
        try {
          return { ok: true, ack: this.create(request) };
        } catch (error) {
          return { ok: false, clientOrderId: request.clientOrderId, ...errorFields(error) };
        }
      }),
    );
  }

  amendOrder(request: AmendRequest): Promise<OrderAck> {
    this.actions++;
    try {
      const order = this.sim.scheduleAmend(request.orderId, request.price, request.count, request.updatedClientOrderId);
      return Promise.resolve({ ...toAck(order, this.now()), remainingCount: (request.count - order.filled) as Count });
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  decreaseOrder(request: DecreaseRequest): Promise<OrderAck> {
    this.actions++;
    try {
      const order = this.sim.orders.get(request.orderId);
      const remaining = order?.remaining ?? 0;
      const to = 'reduceTo' in request ? request.reduceTo : remaining - request.reduceBy;
      this.sim.scheduleReduce(request.orderId, Math.max(0, to), 'reduceBy' in request ? request.reduceBy : undefined);
      return Promise.resolve({ orderId: request.orderId, fillCount: (order?.filled ?? 0) as Count, remainingCount: Math.max(0, to) as Count, tsMs: this.now() });
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  cancelOrder(orderId: string, _ticker: string): Promise<CancelAck> {
    this.actions++;
    try {
      return Promise.resolve(this.cancel(orderId));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  cancelOrders(orders: readonly { orderId: string; ticker: string }[]): Promise<readonly (CancelAck | { orderId: string; errorCode: string; message: string })[]> {
    this.actions++;
    return Promise.resolve(
      orders.map((o) => {
        try {
          return this.cancel(o.orderId);
        } catch (error) {
          return { orderId: o.orderId, ...errorFields(error) };
        }
      }),
    );
  }

  cancelAll(): Promise<void> {
    this.actions++;
    for (const order of this.sim.orders.values()) if (order.state !== 'done') this.sim.scheduleReduce(order.orderId, 0);
    return Promise.resolve();
  }

  /**
   * Returns the simulated account's balance: `balance` is cash − collateral locked by our orders (as
   * Kalshi reports it), `portfolioValue` adds the positions valued at each market's mid (YES at mid,
   * NO at 1 − mid). Cash follows the exchange's convention (sim-account.ts).
   */
  getBalance(): Promise<Balance> {
    this.reads++;
    const state = this.sim.account.state;
    let value = 0;
    for (const position of state.positions.values()) {
      const mid = this.sim.knownMarket(position.ticker)?.book.mid();
      if (mid === undefined || position.position === 0) continue;
      const price = position.position > 0 ? mid : PRICE_SCALE - mid;
      value += Math.floor((Math.abs(position.position) * price) / 100);
    }
    return Promise.resolve({ balance: this.sim.account.available(), portfolioValue: (state.cash + value) as Cash });
  }

  /** Returns positions, exposure, realized PnL and fees of every market we traded, from the simulated account. */
  getPositions(): Promise<readonly Position[]> {
    this.reads++;
    const positions: Position[] = [];
    for (const state of this.sim.account.state.positions.values()) {
      const p = positionView(state);
      positions.push({ ticker: p.ticker, position: p.position, exposure: p.exposure, realizedPnl: p.realizedPnl, feesPaid: p.feesPaid });
    }
    return Promise.resolve(positions);
  }

  getOrders(query?: OrderQuery): Promise<readonly Order[]> {
    this.reads++;
    const out: Order[] = [];
    for (const order of this.sim.orders.values()) {
      if (query?.ticker !== undefined && order.ticker !== query.ticker) continue;
      const view = toOrder(order);
      if (query?.status !== undefined && view.status !== query.status) continue;
      out.push(view);
    }
    return Promise.resolve(out);
  }

  getOrder(orderId: string): Promise<Order> {
    this.reads++;
    const order = this.sim.orders.get(orderId);
    if (!order) return Promise.reject(new ApiError(404, 'not_found', `order ${orderId} not found`, 'GET', `/portfolio/orders/${orderId}`));
    return Promise.resolve(toOrder(order));
  }

  async *listFills(query?: FillQuery): AsyncIterable<Fill> {
    this.reads++;
    for (const fill of this.fills) {
      if (query?.ticker !== undefined && fill.ticker !== query.ticker) continue;
      if (query?.orderId !== undefined && fill.orderId !== query.orderId) continue;
      if (query?.minTsMs !== undefined && fill.tsMs < query.minTsMs) continue;
      yield fill;
    }
  }

  listSettlements(): AsyncIterable<Settlement> {
    this.reads++;
    return nothing();
    // Settlement is applied by the runner at the end of the replay and reported in the result.
  }

  close(): Promise<void> {
    this.closed = true;
    this.streams.close();
    return Promise.resolve();
  }

  /** True after `close()`. */
  get isClosed(): boolean {
    return this.closed;
  }

  private create(request: OrderRequest): OrderAck {
    const existing = this.byClientId.get(request.clientOrderId);
    if (existing) return toAck(existing, this.now());
    const now = this.now();
    const order: SimOrder = {
      orderId: `bt-${this.nextId++}`,
      clientOrderId: request.clientOrderId,
      ticker: request.ticker,
      side: request.side,
      price: request.price,
      initialCount: request.count,
      filled: 0,
      remaining: request.count,
      state: 'pending',
      status: 'resting',
      postOnly: request.postOnly,
      timeInForce: request.timeInForce,
      queue: { ahead: 0 },
      tradeCredit: 0,
      tradeCreditMs: 0,
      pendingDecrease: 0,
      cancelSeen: 0,
      cancelAdvance: 0,
      cancelSeenMs: 0,
      lastActionMs: now,
      createdMs: now,
      updatedMs: now,
      makerFees: 0,
      takerFees: 0,
      accumulator: new FeeRoundingAccumulator(this.sim.account.state.precision),
      lockPrice: request.price,
      lockRemaining: 0,
      takerReserve: 0,
      amendsInFlight: 0,
      shown: 0,
      shownPrice: request.price,
    };
    this.sim.submit(order);
    this.byClientId.set(request.clientOrderId, order);
    return toAck(order, now);
  }

  private cancel(orderId: string): CancelAck {
    const order = this.sim.orders.get(orderId);
    const reducedBy = this.sim.scheduleReduce(orderId, 0);
    return { orderId, ...(order?.clientOrderId === undefined ? {} : { clientOrderId: order.clientOrderId }), reducedBy: reducedBy as Count, tsMs: this.now() };
  }

  private now(): number {
    return this.sim.options.clock.nowMs();
  }

  /** Passes a simulator event to the streams: market data only for subscribed markets. */
  private forward(event: PortEvent): void {
    const ticker = marketDataTicker(event);
    if (ticker !== undefined && !this.subscribed.has(ticker)) return;
    this.streams.publish(event);
  }

  /** Returns `market`'s book as a live port shows it: the recorded levels plus our resting orders (own-levels.ts). */
  private bookOf(market: SimMarket): { yes: readonly BookLevel[]; no: readonly BookLevel[] } {
    const { yes, no } = market.book.toSnapshot();
    return { yes: withOwnLevels(yes, market.orders, 'yes'), no: withOwnLevels(no, market.orders, 'no') };
  }

  /** Returns a snapshot event of `ticker`'s book, followed by `stale` when the book is not valid; none for an unknown market. */
  private snapshotOf(ticker: string): PortEvent[] {
    const market = this.sim.knownMarket(ticker);
    if (!market) return [];
    const recvMs = this.now();
    const { yes, no } = this.bookOf(market);
    const snapshot: PortEvent = { type: 'book_snapshot', recvMs, ticker, yes, no };
    return market.book.isValid ? [snapshot] : [snapshot, { type: 'stale', recvMs, ticker, reason: 'recorded book is stale' }];
  }
}

/** Returns the market a market-data event is about; undefined for account events and market-wide ones. */
function marketDataTicker(event: PortEvent): string | undefined {
  switch (event.type) {
    case 'book_snapshot':
    case 'book_delta':
    case 'market':
      return event.ticker;
    case 'stale':
      return event.ticker;
    case 'trade':
      return event.trade.ticker;
    default:
      return undefined;
  }
}

function errorFields(error: unknown): { errorCode: string; message: string } {
  if (error instanceof ApiError) return { errorCode: error.apiCode, message: error.message };
  if (error instanceof KalshiMmError) return { errorCode: 'reason' in error && typeof error.reason === 'string' ? error.reason : error.code, message: error.message };
  return { errorCode: 'internal', message: error instanceof Error ? error.message : String(error) };
}

function marketOf(market: SimMarket, fees: Market['fees']): Market {
  const bid = market.book.bestBid();
  const ask = market.book.bestAsk();
  return {
    ticker: market.ticker,
    eventTicker: market.ticker.slice(0, Math.max(0, market.ticker.lastIndexOf('-'))) || market.ticker,
    title: market.ticker,
    status: market.status,
    openTimeMs: 0,
    closeTimeMs: market.closeTimeMs ?? Number.MAX_SAFE_INTEGER,
    grid: market.grid,
    fees,
    result: market.result,
    ...(bid === undefined ? {} : { yesBid: bid }),
    ...(ask === undefined ? {} : { yesAsk: ask }),
    ...(market.lastTrade === undefined ? {} : { lastPrice: market.lastTrade }),
    volume: contracts(0),
    volume24h: contracts(0),
    openInterest: contracts(0),
  };
}

/** An empty async iterable (history the replay does not have). */
async function* nothing<T>(): AsyncIterable<T> {
  // Nothing to yield.
}
