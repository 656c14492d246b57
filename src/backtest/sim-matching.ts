/**
 * The simulator's queue and fill handling: the replayed markets, our resting orders' queue positions
 * against recorded depth and trades (fill rules 3-5 and 8 of simulator.ts), fills with fees and cash,
 * the end of orders and the account events they cause. `SimulatorCore` adds order arrival,
 * time-in-force, cancels and amends on top.
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
import { CrossDepth, type CrossFillModel, type FeeModel, type LatencyModel, type QueueModel } from './models/index.js';
import type { ReplayClock } from './replay-clock.js';
import { MarketMetrics, type MetricsOptions } from './metrics.js';
import type { SimOrder } from './sim-order.js';
import { toOrder } from './sim-order.js';
import { SimAccount, type AccountSettings } from './sim-account.js';
import { ownDelta } from './own-levels.js';

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
  /** How much fills when the recorded book crosses our price (fill rule 6). Default `displayed`. */
  readonly crossFills?: CrossFillModel;
  readonly metrics?: MetricsOptions;
  /**
   * Books maintained by the caller, by ticker. A grid runs many simulators over one recording; the
   * recorded book is the same for all, so the runner applies each book event once to the shared book
   * (calling `beforeBookEvent` on every simulator first) and the simulators only read it.
   */
  readonly sharedBooks?: Map<string, L2Book>;
  /** Starting cash (collateral enforced when set) and balance precision (default cents). */
  readonly account?: AccountSettings;
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
  /** Recorded crossing size our orders have used (`displayed` cross fills and taking on arrival). */
  readonly crossDepth: CrossDepth;
}

/**
 * The matching side of the simulator: replayed markets, queue positions and fills of our orders.
 * Extended by `SimulatorCore`; not used on its own.
 */
export abstract class SimMatching {
  readonly markets = new Map<string, SimMarket>();
  readonly orders = new Map<string, SimOrder>();
  /**
   * Account events waiting to be delivered to the trading core, in order, and the `book_delta`s of our
   * own orders in the book the agent sees (own-levels.ts; never applied to the recorded book).
   */
  readonly outbox: PortEvent[] = [];
  /**
   * How many outbox entries the agent has been handed, when a runner delivers the outbox (it sets
   * this as it drains; undefined: nobody does, as in a port used on its own). A REST read during a
   * drain shows the book as of those, not with our `book_delta`s still queued for the agent, which
   * would then count twice.
   */
  delivered: number | undefined;
  protected queueDirty = false;
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

  /** Cash, positions, collateral and fees, booked by the matching engine's ledger. */
  readonly account: SimAccount;

  /** The crossed-book fill model (fill rule 6). */
  readonly crossFills: CrossFillModel;

  constructor(readonly options: SimulatorOptions) {
    this.account = new SimAccount(options.account ?? {}, options.fees.schedule);
    this.crossFills = options.crossFills ?? 'displayed';
  }

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
        crossDepth: new CrossDepth(),
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
          const decrease = o.pendingDecrease;
          const unexplained = decrease - credit;
          o.tradeCredit = Math.max(0, -unexplained);
          o.pendingDecrease = 0;
          if (unexplained > 0) {
            const before = o.queue.ahead;
            this.options.queue.onDepthDecrease(o.queue, size + decrease, size, unexplained);
            if (o.queue.ahead > size) o.queue.ahead = size;
            // Remembered so that a trade printed after it can take it back (onTrade).
            if (now - o.cancelSeenMs > TRADE_MATCH_WINDOW_MS) o.cancelSeen = o.cancelAdvance = 0;
            o.cancelSeen += unexplained;
            o.cancelAdvance += before - o.queue.ahead;
            o.cancelSeenMs = now;
          }
        }
        if (o.queue.ahead > size) o.queue.ahead = size;
      }
    }
  }

  /** Returns the settlement value of a YES contract when the market's result is known, else undefined. */
  settlementPrice(market: SimMarket): Price | undefined {
    if (market.result === 'yes') return PRICE_SCALE as Price;
    if (market.result === 'no') return 0 as Price;
    return undefined;
  }

  protected onTrade(market: SimMarket, trade: PublicTrade, now: number): void {
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
      // A decrease of our level recorded before this trade (within the window) and already settled
      // as cancellations may have been this trade: that part moved us up once. Take that move back
      // before the trade consumes the queue, and give the trade no credit for it, so it counts once.
      // A decrease not yet settled (this millisecond's) is netted at settlement instead, as before.
      const credit = now - o.tradeCreditMs <= TRADE_MATCH_WINDOW_MS ? o.tradeCredit : 0;
      const unsettled = Math.min(trade.count, Math.max(0, o.pendingDecrease - credit));
      let matched = 0;
      if (trade.count > unsettled && o.cancelSeen > 0 && now - o.cancelSeenMs <= TRADE_MATCH_WINDOW_MS) {
        matched = Math.min(trade.count - unsettled, o.cancelSeen);
        const undo = Math.round((o.cancelAdvance * matched) / o.cancelSeen);
        o.queue.ahead += undo;
        o.cancelAdvance -= undo;
        o.cancelSeen -= matched;
      }
      o.tradeCredit = credit + trade.count - matched;
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

  protected afterBookChange(market: SimMarket, now: number): void {
    const valid = market.book.isValid;
    market.metrics.onBook(now, valid ? market.book.bestBid() : undefined, valid ? market.book.bestAsk() : undefined);
    const model = this.crossFills;
    if (model === 'off' || !market.book.isValid) return;
    if (model === 'displayed') market.crossDepth.reconcile(market.book);
    if (market.orders.length === 0) return;
    const bestBid = market.book.bestBid();
    const bestAsk = market.book.bestAsk();
    let crossed: SimOrder[] | undefined;
    for (const o of market.orders) {
      if (o.state !== 'live') continue;
      if (o.side === 'bid' ? bestAsk !== undefined && bestAsk <= o.price : bestBid !== undefined && bestBid >= o.price) (crossed ??= []).push(o);
    }
    if (!crossed) return;
    if (model === 'full') {
      for (const o of crossed) this.fill(market, o, o.remaining, false, now);
      return;
    }
    // Better-priced orders first (stable: equal prices in arrival order), as the crossing orders,
    // had they met ours live, would have matched them by price priority.
    crossed.sort((a, b) => (a.side === 'bid' ? b.price - a.price : a.price - b.price));
    for (const o of crossed) this.fill(market, o, this.useCrossing(market, o), false, now);
  }

  /**
   * Returns how much of `order` the unused crossing size of the recorded book fills (best crossing
   * level first), and records that size as used (models/cross.ts).
   */
  private useCrossing(market: SimMarket, order: SimOrder): number {
    const other: BookSide = order.side === 'bid' ? 'ask' : 'bid';
    let quantity = 0;
    for (const level of order.side === 'bid' ? market.book.asks() : market.book.bids()) {
      if (quantity === order.remaining) break;
      if (order.side === 'bid' ? level.price > order.price : level.price < order.price) break;
      const take = Math.min(order.remaining - quantity, market.crossDepth.available(other, level.price, level.count));
      market.crossDepth.use(other, level.price, take);
      quantity += take;
    }
    return quantity;
  }

  protected takeLiquidity(market: SimMarket, order: SimOrder, now: number): void {
    const other: BookSide = order.side === 'bid' ? 'ask' : 'bid';
    const levels = order.side === 'bid' ? market.book.asks() : market.book.bids();
    for (const level of levels) {
      if (order.remaining === 0) break;
      const reachable = order.side === 'bid' ? level.price <= order.price : level.price >= order.price;
      if (!reachable) break;
      const take = Math.min(order.remaining, this.unused(market, other, level));
      // What it takes stays on the recorded book; `displayed` must not fill it to us again.
      if (this.crossFills === 'displayed') market.crossDepth.use(other, level.price, take);
      this.fill(market, order, take, true, now, level.price);
    }
  }

  /** Returns the displayed size `order` could take at its limit price or better. */
  protected reachableSize(market: SimMarket, order: SimOrder): number {
    const other: BookSide = order.side === 'bid' ? 'ask' : 'bid';
    const levels = order.side === 'bid' ? market.book.asks() : market.book.bids();
    let size = 0;
    for (const level of levels) {
      const reachable = order.side === 'bid' ? level.price <= order.price : level.price >= order.price;
      if (!reachable) break;
      size += this.unused(market, other, level);
    }
    return size;
  }

  /**
   * Returns the size of a recorded level our orders may still take: under `displayed` what they have
   * not used yet (models/cross.ts); under `full` and `off` all of it, as before the model existed.
   */
  private unused(market: SimMarket, side: BookSide, level: { price: Price; count: number }): number {
    return this.crossFills !== 'displayed' ? level.count : market.crossDepth.available(side, level.price, level.count);
  }

  private fill(market: SimMarket, order: SimOrder, quantity: number, isTaker: boolean, now: number, price: Price = order.price): void {
    if (quantity <= 0) return;
    const count = quantity as Count;
    // Fee and cash as the exchange books them (per-fill rounding and the order's cent accumulator).
    const fee = this.account.fill(order, price, count, isTaker ? 'taker' : 'maker', now).fee as Cash;
    // YES-leg cash for the metrics: the buyer pays the notional rounded up, the seller receives it
    // rounded down, as the ledger's leg costs do (sim-account.ts on the two conventions).
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
    this.showOwn(market, order, now);
  }

  protected finish(market: SimMarket, order: SimOrder, status: 'canceled' | 'executed', now: number): void {
    order.state = 'done';
    order.status = status;
    if (status === 'canceled') order.remaining = 0;
    this.account.close(order);
    order.updatedMs = now;
    const i = market.orders.indexOf(order);
    if (i >= 0) market.orders.splice(i, 1);
    this.remember(order);
    this.emit({ type: 'order', recvMs: now, order: toOrder(order) });
    this.showOwn(market, order, now);
    this.updateQuotes(market);
  }

  /**
   * Brings the agent's view of `order` in step with the simulator: emits the `book_delta`s that make
   * the book the agent sees show its remaining size at its price while it is live, and nothing before
   * it arrived or after it ended (own-levels.ts). Called after every change of an order's state, size
   * or price; a no-op when nothing the agent sees changed.
   */
  protected showOwn(market: SimMarket, order: SimOrder, now: number): void {
    const want = order.state === 'live' ? order.remaining : 0;
    if (order.shown === want && (want === 0 || order.shownPrice === order.price)) return;
    if (order.shown > 0 && order.shownPrice !== order.price) {
      this.emit(ownDelta(market.ticker, order.side, order.shownPrice, -order.shown, now));
      order.shown = 0;
    }
    if (want !== order.shown) this.emit(ownDelta(market.ticker, order.side, order.price, want - order.shown, now));
    order.shown = want;
    order.shownPrice = order.price;
  }

  /** Queues an account event for the runner and hands it to the tap (an open `events()` stream). */
  protected emit(event: PortEvent): void {
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

  protected noteDepth(order: SimOrder, before: number, after: number): void {
    if (order.state !== 'live' || after >= before) return;
    order.pendingDecrease += before - after;
    this.queueDirty = true;
  }

  protected levelSize(market: SimMarket, order: SimOrder): number {
    return order.side === 'bid' ? market.book.bidSizeAt(order.price) : market.book.askSizeAt(order.price);
  }

  protected wouldCross(market: SimMarket, side: BookSide, price: Price): boolean {
    if (side === 'bid') {
      const ask = market.book.bestAsk();
      return ask !== undefined && price >= ask;
    }
    const bid = market.book.bestBid();
    return bid !== undefined && price <= bid;
  }

  /**
   * True when a post-only order at `price` would take: against the recorded book, or against one of
   * our own live orders on the other side, which the exchange's book holds (a post-only order crossing
   * it is refused there as "post only cross"; only orders that have arrived count). With `atCall`
   * (judging a request when it is sent, not when it lands) our orders with an amend or cancel in
   * flight are left out: they may have moved by the time the request lands, where it is judged again.
   */
  protected postOnlyCrosses(market: SimMarket, side: BookSide, price: Price, atCall: boolean): boolean {
    if (this.wouldCross(market, side, price)) return true;
    const now = this.options.clock.nowMs();
    for (const o of market.orders) {
      if (o.state !== 'live' || o.side === side || (atCall && o.lastActionMs > now)) continue;
      if (side === 'bid' ? o.price <= price : o.price >= price) return true;
    }
    return false;
  }

  protected updateQuotes(market: SimMarket): void {
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
