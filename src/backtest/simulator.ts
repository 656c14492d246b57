/**
 * The backtest's exchange: an `ExchangePort` in process over a replayed market. The recorded book and
 * trades are facts; our orders are not in them, so they are simulated beside the book with a queue
 * model, a latency model and a fee model. Fill rules (docs/backtesting.md has them as a checklist):
 *
 * 1. An order reaches the book `entryMs` after `createOrder`; until then it cannot fill. A post-only
 *    order that would cross the recorded book is rejected at the call as the exchange rejects it
 *    (`invalid_order`, "post only cross"; refusals use the matching engine's `EngineRejection`), or
 *    cancelled on arrival when it has become crossing in flight (Kalshi's post-only cross cancel). A non-post-only order that crosses takes the displayed size.
 *    An IOC never rests: what it cannot take on arrival is canceled. A FOK takes its whole count from
 *    the displayed size on arrival, or nothing (canceled).
 * 1b. Orders only go to markets the recording has mentioned; any other ticker is a 404, as live.
 * 2. On arrival it joins the back of its level: everyone recorded at that price is ahead of it.
 * 3. A trade at our price, by a taker on the other side, consumes the queue ahead first; only the part
 *    beyond it fills us (partial fills included). A trade through our price (a seller printing below
 *    our bid, a buyer above our ask) fills us up to the trade's size at our price.
 * 4. If the recorded book crosses our price (best ask ≤ our bid, best bid ≥ our ask) on a valid book,
 *    the whole remainder fills at our price.
 * 5. Depth decreases at our level that no trade explains are cancellations; the queue model decides how
 *    much of them was ahead of us. The queue ahead never exceeds the recorded level.
 * 6. A cancel takes effect `cancelMs` after the call (never before the order itself arrived); until
 *    then the order can still fill. Decrease keeps priority; an amend to a new price or a larger size
 *    re-queues at the back.
 * 7. Acks return at once (the port's promise does not wait for replay time); fills and order updates
 *    arrive as events, so a fill can follow a cancel's ack, as it can live.
 * 8. A stale book (gap, seq skip) is not used for rule 4 until the next snapshot. Markets that stop
 *    being active cancel our resting orders.
 */
import {
  ApiError,
  cashFromMicros,
  L2Book,
  notionalMicros,
  PRICE_SCALE,
  TickGrid,
  type BookSide,
  type Cash,
  type Count,
  type MarketResult,
  type MarketStatus,
  type PortEvent,
  type Price,
  type PublicTrade,
} from '../core/index.js';
import { reject } from '../exchange/matching/index.js';
import type { FeeModel, LatencyModel, QueueModel } from './models/index.js';
import type { ReplayClock } from './replay-clock.js';
import { MarketMetrics, type MetricsOptions } from './metrics.js';
import type { SimOrder } from './sim-order.js';
import { toOrder } from './sim-order.js';

/** Trades at our level older than this are no longer matched against later depth decreases. */
const TRADE_MATCH_WINDOW_MS = 1_000;
/**
 * Finished orders kept for `getOrder` and client-id idempotency. Older ones are forgotten, or a
 * days-long grid (a re-quote a second, a hundred runs) would hold tens of millions of them.
 */
const KEEP_DONE_ORDERS = 1_000;

/** Options of the simulator core. */
export interface SimulatorOptions {
  readonly clock: ReplayClock;
  readonly queue: QueueModel;
  readonly latency: LatencyModel;
  readonly fees: FeeModel;
  /** Fill the remainder when the recorded book crosses our price (rule 4). Default true. */
  readonly fillOnCross?: boolean;
  readonly metrics?: MetricsOptions;
  /**
   * Books maintained by the caller, by ticker. A grid runs many simulators over one recording; the
   * recorded book is the same for all, so the runner applies each book event once to the shared book
   * (calling `beforeBookEvent` on every simulator first) and the simulators only read it.
   */
  readonly sharedBooks?: Map<string, L2Book>;
}

/** The replayed state of one market. */
export interface SimMarket {
  readonly ticker: string;
  readonly book: L2Book;
  grid: TickGrid;
  status: MarketStatus;
  result: MarketResult;
  closeTimeMs: number | undefined;
  lastTrade: Price | undefined;
  readonly orders: SimOrder[];
  readonly metrics: MarketMetrics;
}

/**
 * The matching side of the simulator: replayed markets and our orders. `BacktestExchange` wraps it in
 * the `ExchangePort` interface.
 */
export class SimulatorCore {
  readonly markets = new Map<string, SimMarket>();
  readonly orders = new Map<string, SimOrder>();
  /** Account events waiting to be delivered to the trading core, in order. */
  readonly outbox: PortEvent[] = [];
  private queueDirty = false;
  private lastMarket: SimMarket | undefined;
  private readonly done: SimOrder[] = [];
  private doneHead = 0;
  /** Called with each order forgotten after it finished (the port drops its client id). */
  onForget: ((order: SimOrder) => void) | undefined;
  /**
   * Called with every recorded market event and every account event, in order, while set. The port
   * sets it only while an `events()` stream is open, so the runner's path pays one check per event.
   */
  tap: ((event: PortEvent) => void) | undefined;

  constructor(readonly options: SimulatorOptions) {}

  /**
   * Returns the replayed market `ticker`, creating it on first sight (whole-cent grid until a market
   * line says otherwise). Only the recording may create markets (the runner, recorded events): calls
   * on behalf of the trading core use `knownMarket`, so asking about a ticker never invents it.
   */
  market(ticker: string): SimMarket {
    // Nearly every call is for the market being replayed: skip the map for it.
    if (this.lastMarket?.ticker === ticker) return this.lastMarket;
    let market = this.markets.get(ticker);
    if (!market) {
      market = {
        ticker,
        book: this.options.sharedBooks?.get(ticker) ?? new L2Book(ticker),
        grid: TickGrid.linearCent(),
        status: 'active',
        result: '',
        closeTimeMs: undefined,
        lastTrade: undefined,
        orders: [],
        metrics: new MarketMetrics(this.options.metrics),
      };
      this.markets.set(ticker, market);
    }
    this.lastMarket = market;
    return market;
  }

  /** Returns the market `ticker` if the recording has mentioned it, else undefined (never creates it). */
  knownMarket(ticker: string): SimMarket | undefined {
    if (this.lastMarket?.ticker === ticker) return this.lastMarket;
    return this.markets.get(ticker);
  }

  /** With shared books: records what a snapshot is about to replace (call before the book changes). */
  beforeBookEvent(event: PortEvent): void {
    if (event.type !== 'book_snapshot') return;
    const market = this.markets.get(event.ticker);
    if (!market || market.orders.length === 0) return;
    this.snapshotBefore = market.orders.map((o) => this.levelSize(market, o));
  }

  private snapshotBefore: number[] = [];

  /** Applies one recorded market-data event (the runner has already advanced the clock to its time). */
  onMarketEvent(event: PortEvent): void {
    const now = this.options.clock.nowMs();
    const shared = this.options.sharedBooks !== undefined;
    // The recorded event first, then the account events it causes, as the runner delivers them.
    if (this.tap !== undefined) this.tap(event);
    switch (event.type) {
      case 'book_snapshot': {
        const market = this.market(event.ticker);
        if (!shared) this.beforeBookEvent(event);
        if (!shared) market.book.applySnapshot(event.yes, event.no);
        if (market.orders.length > 0) market.orders.forEach((o, i) => this.noteDepth(o, this.snapshotBefore[i] ?? 0, this.levelSize(market, o)));
        this.snapshotBefore = [];
        this.afterBookChange(market, now);
        return;
      }
      case 'book_delta': {
        const market = this.market(event.ticker);
        const levelPrice = event.side === 'yes' ? event.price : ((PRICE_SCALE - event.price) as Price);
        const levelSide: BookSide = event.side === 'yes' ? 'bid' : 'ask';
        if (!shared) market.book.applyDelta(event.side, event.price, event.delta);
        if (event.delta < 0) {
          for (const o of market.orders) if (o.state === 'live' && o.side === levelSide && o.price === levelPrice) this.noteDepth(o, 1, 1 + event.delta);
        }
        this.afterBookChange(market, now);
        return;
      }
      case 'trade':
        this.onTrade(this.market(event.trade.ticker), event.trade, now);
        return;
      case 'market':
        this.onMarketUpdate(event, now);
        return;
      case 'stale':
        if (shared) return;
        if (event.ticker === undefined) for (const m of this.markets.values()) m.book.markStale();
        else this.market(event.ticker).book.markStale();
        return;
      default:
        return;
    }
  }

  /**
   * Settles queue positions for everything seen up to now: nets recorded depth decreases against
   * trades at the level, hands the unexplained rest to the queue model, caps the queue ahead at the
   * level size. Called by the runner whenever replay time moves on, so a trade and the book delta it
   * caused within one millisecond are never counted twice.
   */
  settleQueues(): void {
    if (!this.queueDirty) return;
    this.queueDirty = false;
    const now = this.options.clock.nowMs();
    for (const market of this.markets.values()) {
      for (const o of market.orders) {
        if (o.state !== 'live') continue;
        const size = this.levelSize(market, o);
        if (o.pendingDecrease > 0) {
          const credit = now - o.tradeCreditMs <= TRADE_MATCH_WINDOW_MS ? o.tradeCredit : 0;
          const unexplained = o.pendingDecrease - credit;
          o.tradeCredit = Math.max(0, -unexplained);
          if (unexplained > 0) this.options.queue.onDepthDecrease(o.queue, size + o.pendingDecrease, size, unexplained);
          o.pendingDecrease = 0;
        }
        if (o.queue.ahead > size) o.queue.ahead = size;
      }
    }
  }

  /**
   * Sends an order: validates it now, makes it live after the entry latency.
   * @throws ApiError 404 `market_not_found` when the recording has no market `order.ticker`, as the
   *   exchange answers; EngineRejection for the exchange's business refusals.
   */
  submit(order: SimOrder): void {
    const market = this.knownMarket(order.ticker);
    if (!market) throw marketNotFound(order.ticker, 'POST', '/portfolio/orders');
    if (market.status !== 'active') throw reject('market_closed', `market ${order.ticker} status was ${market.status}, expected active`);
    if (!market.grid.isValid(order.price)) {
      throw reject('invalid_price', `price was ${order.price} ($0.0001 units), expected a valid price on ${order.ticker}'s grid`);
    }
    if (!Number.isSafeInteger(order.remaining) || order.remaining <= 0) {
      throw reject('invalid_order_size', `count was ${order.remaining}, expected a positive number of hundredths`);
    }
    if (order.postOnly && this.wouldCross(market, order.side, order.price)) {
      throw reject('invalid_order', `post_only: a ${order.side} at ${order.price} would cross the book of ${order.ticker}`, 'post only cross');
    }
    this.orders.set(order.orderId, order);
    market.orders.push(order);
    const delay = this.options.latency.entryMs();
    order.lastActionMs = this.options.clock.nowMs() + delay;
    this.options.clock.setInternalTimer(delay, () => this.arrive(market, order));
  }

  /**
   * Schedules a cancel (or, with `to` > 0, a decrease to `to` remaining). Returns the remaining count
   * at the call.
   * @throws ApiError 404 when the order is unknown or already gone.
   */
  scheduleReduce(orderId: string, to: number): number {
    const order = this.orders.get(orderId);
    if (!order || order.state === 'done') throw new ApiError(404, 'not_found', `order ${orderId} is not resting`, 'DELETE', `/portfolio/orders/${orderId}`);
    const now = this.options.clock.nowMs();
    const at = Math.max(now + this.options.latency.cancelMs(), order.lastActionMs);
    order.lastActionMs = at;
    this.options.clock.setInternalTimer(at - now, () => this.reduce(order, to));
    return order.remaining;
  }

  /** Schedules an amend: new price and/or new total count, after the entry latency. */
  scheduleAmend(orderId: string, price: Price, totalCount: number, updatedClientOrderId: string | undefined): SimOrder {
    const order = this.orders.get(orderId);
    if (!order || order.state === 'done') throw new ApiError(404, 'not_found', `order ${orderId} is not resting`, 'POST', `/portfolio/orders/${orderId}/amend`);
    const market = this.market(order.ticker);
    if (!market.grid.isValid(price)) throw reject('invalid_price', `price was ${price}, expected a valid price on ${order.ticker}'s grid`);
    if (order.postOnly && this.wouldCross(market, order.side, price)) {
      throw reject('invalid_order', `post_only: a ${order.side} amended to ${price} would cross the book of ${order.ticker}`, 'post only cross');
    }
    const now = this.options.clock.nowMs();
    const at = Math.max(now + this.options.latency.entryMs(), order.lastActionMs);
    order.lastActionMs = at;
    this.options.clock.setInternalTimer(at - now, () => this.amend(market, order, price, totalCount, updatedClientOrderId));
    return order;
  }

  /** Returns the settlement value of a YES contract when the market's result is known, else undefined. */
  settlementPrice(market: SimMarket): Price | undefined {
    if (market.result === 'yes') return PRICE_SCALE as Price;
    if (market.result === 'no') return 0 as Price;
    return undefined;
  }

  private arrive(market: SimMarket, order: SimOrder): void {
    if (order.state !== 'pending') return;
    const now = this.options.clock.nowMs();
    if (market.status !== 'active') return this.finish(market, order, 'canceled', now);
    if (this.wouldCross(market, order.side, order.price)) {
      if (order.postOnly) return this.finish(market, order, 'canceled', now);
      // A FOK that the displayed size cannot fill entirely takes nothing.
      if (order.timeInForce === 'fill_or_kill' && this.reachableSize(market, order) < order.remaining) return this.finish(market, order, 'canceled', now);
      this.takeLiquidity(market, order, now);
      if (order.remaining === 0) return;
    }
    // An IOC or FOK never rests, whether it crossed or not: its unfilled remainder is canceled.
    if (order.timeInForce !== 'good_till_canceled') return this.finish(market, order, 'canceled', now);
    order.state = 'live';
    order.updatedMs = now;
    this.options.queue.onNew(order.queue, this.levelSize(market, order));
    this.emit({ type: 'order', recvMs: now, order: toOrder(order) });
    this.updateQuotes(market);
  }

  private reduce(order: SimOrder, to: number): void {
    if (order.state === 'done') return;
    const market = this.market(order.ticker);
    const now = this.options.clock.nowMs();
    if (to <= 0 || to >= order.remaining) {
      if (to <= 0) this.finish(market, order, 'canceled', now);
      return;
    }
    order.initialCount -= order.remaining - to;
    order.remaining = to;
    order.updatedMs = now;
    this.emit({ type: 'order', recvMs: now, order: toOrder(order) });
  }

  private amend(market: SimMarket, order: SimOrder, price: Price, totalCount: number, updatedClientOrderId: string | undefined): void {
    if (order.state === 'done') return;
    const now = this.options.clock.nowMs();
    const remaining = totalCount - order.filled;
    if (remaining <= 0) return this.finish(market, order, 'canceled', now);
    if (updatedClientOrderId !== undefined) order.clientOrderId = updatedClientOrderId;
    const requeue = price !== order.price || remaining > order.remaining;
    order.initialCount = totalCount;
    order.remaining = remaining;
    order.price = price;
    order.updatedMs = now;
    if (order.state === 'live' && requeue) {
      if (order.postOnly && this.wouldCross(market, order.side, price)) return this.finish(market, order, 'canceled', now);
      this.options.queue.onNew(order.queue, this.levelSize(market, order));
      order.tradeCredit = 0;
      order.pendingDecrease = 0;
    }
    this.emit({ type: 'order', recvMs: now, order: toOrder(order) });
    this.updateQuotes(market);
  }

  private onTrade(market: SimMarket, trade: PublicTrade, now: number): void {
    market.lastTrade = trade.price;
    market.metrics.lastTrade = trade.price;
    // A taker seller (`ask`) hits bids; a taker buyer (`bid`) lifts asks.
    const restingSide: BookSide = trade.takerSide === 'ask' ? 'bid' : 'ask';
    let left: number = trade.count;
    const candidates = market.orders
      .filter((o) => o.state === 'live' && o.side === restingSide && (restingSide === 'bid' ? o.price >= trade.price : o.price <= trade.price))
      .sort((a, b) => (restingSide === 'bid' ? b.price - a.price : a.price - b.price));
    for (const o of candidates) {
      if (left <= 0) break;
      if (o.price !== trade.price) {
        const quantity = Math.min(o.remaining, left);
        left -= quantity;
        this.fill(market, o, quantity, false, now);
        continue;
      }
      o.tradeCredit += trade.count;
      o.tradeCreditMs = now;
      this.queueDirty = true;
      const reach = left - o.queue.ahead;
      o.queue.ahead = Math.max(0, o.queue.ahead - left);
      if (reach > 0) {
        const quantity = Math.min(o.remaining, reach);
        left -= quantity;
        this.fill(market, o, quantity, false, now);
      }
    }
  }

  private onMarketUpdate(event: Extract<PortEvent, { type: 'market' }>, now: number): void {
    const market = this.market(event.ticker);
    if (event.grid) market.grid = event.grid;
    if (event.status) market.status = event.status;
    if (event.result !== undefined && event.result !== '') market.result = event.result;
    if (event.closeTimeMs !== undefined) market.closeTimeMs = event.closeTimeMs;
    if (market.status !== 'active') {
      for (const o of [...market.orders]) if (o.state !== 'done') this.finish(market, o, 'canceled', now);
    }
  }

  private afterBookChange(market: SimMarket, now: number): void {
    market.metrics.onMid(now, market.book.isValid ? market.book.mid() : undefined);
    if (this.options.fillOnCross === false || !market.book.isValid) return;
    if (market.orders.length === 0) return;
    const bestBid = market.book.bestBid();
    const bestAsk = market.book.bestAsk();
    let crossed: SimOrder[] | undefined;
    for (const o of market.orders) {
      if (o.state !== 'live') continue;
      if (o.side === 'bid' ? bestAsk !== undefined && bestAsk <= o.price : bestBid !== undefined && bestBid >= o.price) (crossed ??= []).push(o);
    }
    if (crossed) for (const o of crossed) this.fill(market, o, o.remaining, false, now);
  }

  private takeLiquidity(market: SimMarket, order: SimOrder, now: number): void {
    const levels = order.side === 'bid' ? market.book.asks() : market.book.bids();
    for (const level of levels) {
      if (order.remaining === 0) break;
      const reachable = order.side === 'bid' ? level.price <= order.price : level.price >= order.price;
      if (!reachable) break;
      this.fill(market, order, Math.min(order.remaining, level.count), true, now, level.price);
    }
  }

  /** Returns the displayed size `order` could take at its limit price or better. */
  private reachableSize(market: SimMarket, order: SimOrder): number {
    const levels = order.side === 'bid' ? market.book.asks() : market.book.bids();
    let size = 0;
    for (const level of levels) {
      const reachable = order.side === 'bid' ? level.price <= order.price : level.price >= order.price;
      if (!reachable) break;
      size += level.count;
    }
    return size;
  }

  private fill(market: SimMarket, order: SimOrder, quantity: number, isTaker: boolean, now: number, price: Price = order.price): void {
    if (quantity <= 0) return;
    const count = quantity as Count;
    const fee = this.options.fees.fee(isTaker ? 'taker' : 'maker', count, price);
    // The buyer pays the notional rounded up, the seller receives it rounded down: never in our favour.
    const notional = notionalMicros(price, count);
    const cashChange = (order.side === 'bid' ? -cashFromMicros(notional, 'ceil') : cashFromMicros(notional, 'floor')) as Cash;
    order.filled += quantity;
    order.remaining -= quantity;
    if (isTaker) order.takerFees += fee;
    else order.makerFees += fee;
    order.updatedMs = now;
    market.metrics.onFill(now, { side: order.side, price, count, fee, isTaker }, cashChange);
    const tradeId = `sim-${order.orderId}-${order.filled}`;
    this.emit({
      type: 'fill',
      recvMs: now,
      fill: {
        tradeId,
        orderId: order.orderId,
        ...(order.clientOrderId === undefined ? {} : { clientOrderId: order.clientOrderId }),
        ticker: order.ticker,
        side: order.side,
        price,
        count,
        isTaker,
        fee,
        tsMs: now,
        postPosition: market.metrics.inventory as Count,
      },
    });
    this.emit({ type: 'position', recvMs: now, ticker: order.ticker, position: market.metrics.inventory as Count });
    if (order.remaining === 0) this.finish(market, order, 'executed', now);
    else this.emit({ type: 'order', recvMs: now, order: toOrder(order) });
  }

  private finish(market: SimMarket, order: SimOrder, status: 'canceled' | 'executed', now: number): void {
    order.state = 'done';
    order.status = status;
    if (status === 'canceled') order.remaining = 0;
    order.updatedMs = now;
    const i = market.orders.indexOf(order);
    if (i >= 0) market.orders.splice(i, 1);
    this.remember(order);
    this.emit({ type: 'order', recvMs: now, order: toOrder(order) });
    this.updateQuotes(market);
  }

  /** Queues an account event for the runner and hands it to the tap (an open `events()` stream). */
  private emit(event: PortEvent): void {
    this.outbox.push(event);
    if (this.tap !== undefined) this.tap(event);
  }

  private remember(order: SimOrder): void {
    this.done.push(order);
    if (this.done.length - this.doneHead <= KEEP_DONE_ORDERS) return;
    const old = this.done[this.doneHead++] as SimOrder;
    this.orders.delete(old.orderId);
    this.onForget?.(old);
    if (this.doneHead > 4096) {
      this.done.splice(0, this.doneHead);
      this.doneHead = 0;
    }
  }

  private noteDepth(order: SimOrder, before: number, after: number): void {
    if (order.state !== 'live' || after >= before) return;
    order.pendingDecrease += before - after;
    this.queueDirty = true;
  }

  private levelSize(market: SimMarket, order: SimOrder): number {
    return order.side === 'bid' ? market.book.bidSizeAt(order.price) : market.book.askSizeAt(order.price);
  }

  private wouldCross(market: SimMarket, side: BookSide, price: Price): boolean {
    if (side === 'bid') {
      const ask = market.book.bestAsk();
      return ask !== undefined && price >= ask;
    }
    const bid = market.book.bestBid();
    return bid !== undefined && price <= bid;
  }

  private updateQuotes(market: SimMarket): void {
    let bid: Price | undefined;
    let ask: Price | undefined;
    for (const o of market.orders) {
      if (o.state !== 'live') continue;
      if (o.side === 'bid' && (bid === undefined || o.price > bid)) bid = o.price;
      if (o.side === 'ask' && (ask === undefined || o.price < ask)) ask = o.price;
    }
    market.metrics.advance(this.options.clock.nowMs());
    market.metrics.onQuotes(bid, ask);
  }
}

/** Returns the 404 the exchange answers for a market it does not have (here: one the recording never mentioned). */
export function marketNotFound(ticker: string, method: string, path: string): ApiError {
  return new ApiError(404, 'market_not_found', `market ${ticker} is not in the recording`, method, path);
}
