/**
 * The backtest's exchange: an `ExchangePort` in process over a replayed market. The recorded book and
 * trades are facts; our orders are not in them, so they are simulated beside the book with a queue
 * model, a latency model and a fee model. The book the agent sees has them added, as live
 * (own-levels.ts); fills are decided against the recorded book alone. Fill rules (docs/backtesting.md
 * has them as a checklist):
 *
 * 1. An order reaches the book `entryMs` after `createOrder`; until then it cannot fill. A post-only
 *    order that would cross the recorded book (or our own live order on the other side) is rejected at the call as the exchange rejects it
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
 *    we fill at our price as the cross-fill model says (models/cross.ts): by default up to the
 *    crossing size displayed, each contract once; `full` the whole remainder; `off` nothing.
 * 5. Depth decreases at our level that no trade explains are cancellations; the queue model decides how
 *    much of them was ahead of us. A trade printed within 1 s after such a decrease may have caused
 *    it (a REST-poll recording writes the book first): it takes back the move first. The queue ahead
 *    never exceeds the recorded level.
 * 6. A cancel takes effect `cancelMs` after the call (never before the order itself arrived); until
 *    then the order can still fill. Decrease keeps priority; an amend to a new price or a larger size
 *    re-queues at the back.
 * 7. Acks return at once (the port's promise does not wait for replay time); fills and order updates
 *    arrive as events, so a fill can follow a cancel's ack, as it can live.
 * 8. A stale book (gap, seq skip) is not used for rule 4 until the next snapshot. Markets that stop
 *    being active cancel our resting orders.
 */
import { ApiError, PRICE_SCALE, type BookSide, type PortEvent, type Price } from '../core/index.js';
import { reject } from '../exchange/matching/index.js';
import { marketNotFound, SimMatching, type SimMarket } from './sim-matching.js';
import type { SimOrder } from './sim-order.js';
import { toOrder } from './sim-order.js';
import { hasShown, snapshotWithOwn } from './own-levels.js';

export { marketNotFound, type SimMarket, type SimulatorOptions } from './sim-matching.js';

/**
 * The simulator `BacktestExchange` wraps in the `ExchangePort` interface: recorded events in, our
 * orders' arrival after latency, time-in-force, cancels and amends (fill rules 1, 1b, 2, 6, 7); the
 * queue and fill handling it inherits from `SimMatching`.
 */
export class SimulatorCore extends SimMatching {
  /** With shared books: records what a snapshot is about to replace (call before the book changes). */
  beforeBookEvent(event: PortEvent): void {
    if (event.type !== 'book_snapshot') return;
    const market = this.markets.get(event.ticker);
    if (!market || market.orders.length === 0) return;
    this.snapshotBefore = market.orders.map((o) => this.levelSize(market, o));
  }

  private snapshotBefore: number[] = [];

  /**
   * Applies one recorded market-data event (the runner has already advanced the clock to its time).
   * Returns the event as this simulator's agent sees it: the event itself, except a book snapshot
   * while our orders rest in that market, which comes back as a copy with their sizes added (as a
   * live book includes them; own-levels.ts). The copy is taken before the snapshot can fill them, so
   * the `book_delta`s those fills queue apply to it.
   */
  onMarketEvent(event: PortEvent): PortEvent {
    const seen = event.type === 'book_snapshot' ? this.agentSnapshot(event) : event;
    // The recorded event first, then the account events it causes, as the runner delivers them.
    if (this.tap !== undefined) this.tap(seen);
    this.applyMarketEvent(event);
    return seen;
  }

  private agentSnapshot(event: Extract<PortEvent, { type: 'book_snapshot' }>): PortEvent {
    const market = this.knownMarket(event.ticker);
    if (market === undefined || market.orders.length === 0 || !hasShown(market.orders)) return event;
    return snapshotWithOwn(event, market.orders);
  }

  private applyMarketEvent(event: PortEvent): void {
    const now = this.options.clock.nowMs();
    const shared = this.options.sharedBooks !== undefined;
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
        // On a stale book the delta was not applied (L2Book refuses it until the next snapshot), and
        // that snapshot's change of the level is noted: counting the delta too would count it twice.
        if (event.delta < 0 && market.book.isValid) {
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
    if (order.postOnly && this.postOnlyCrosses(market, order.side, order.price, true)) {
      throw reject('invalid_order', `post_only: a ${order.side} at ${order.price} would cross the book of ${order.ticker}`, 'post only cross');
    }
    this.account.open(order);
    this.orders.set(order.orderId, order);
    market.orders.push(order);
    const delay = this.options.latency.entryMs();
    order.lastActionMs = this.options.clock.nowMs() + delay;
    this.options.clock.setInternalTimer(delay, () => this.arrive(market, order));
  }

  /**
   * Schedules a cancel (or, with `to` > 0, a decrease to `to` remaining; with `by`, a decrease by `by`
   * of what remains when it lands, as the exchange applies `reduce_by`). Returns the remaining count
   * at the call.
   * @throws ApiError 404 when the order is unknown or already gone.
   */
  scheduleReduce(orderId: string, to: number, by?: number): number {
    const order = this.orders.get(orderId);
    if (!order || order.state === 'done') throw new ApiError(404, 'not_found', `order ${orderId} is not resting`, 'DELETE', `/portfolio/orders/${orderId}`);
    const now = this.options.clock.nowMs();
    const at = Math.max(now + this.options.latency.cancelMs(), order.lastActionMs);
    order.lastActionMs = at;
    this.options.clock.setInternalTimer(at - now, () => this.reduce(order, by === undefined ? to : order.remaining - by));
    return order.remaining;
  }

  /** Schedules an amend: new price and/or new total count, after the entry latency. */
  scheduleAmend(orderId: string, price: Price, totalCount: number, updatedClientOrderId: string | undefined): SimOrder {
    const order = this.orders.get(orderId);
    if (!order || order.state === 'done') throw new ApiError(404, 'not_found', `order ${orderId} is not resting`, 'POST', `/portfolio/orders/${orderId}/amend`);
    const market = this.market(order.ticker);
    if (!market.grid.isValid(price)) throw reject('invalid_price', `price was ${price}, expected a valid price on ${order.ticker}'s grid`);
    if (order.postOnly && this.postOnlyCrosses(market, order.side, price, true)) {
      throw reject('invalid_order', `post_only: a ${order.side} amended to ${price} would cross the book of ${order.ticker}`, 'post only cross');
    }
    this.account.amendSent(order, price, Math.max(0, totalCount - order.filled), this.wouldCross(market, order.side, price));
    const now = this.options.clock.nowMs();
    const at = Math.max(now + this.options.latency.entryMs(), order.lastActionMs);
    order.lastActionMs = at;
    this.options.clock.setInternalTimer(at - now, () => {
      this.amend(market, order, price, totalCount, updatedClientOrderId);
      this.account.amendApplied(order);
    });
    return order;
  }

  private arrive(market: SimMarket, order: SimOrder): void {
    if (order.state !== 'pending') return;
    const now = this.options.clock.nowMs();
    if (market.status !== 'active') return this.finish(market, order, 'canceled', now);
    if (order.postOnly && this.postOnlyCrosses(market, order.side, order.price, false)) return this.finish(market, order, 'canceled', now);
    if (this.wouldCross(market, order.side, order.price)) {
      // A FOK that the displayed size cannot fill entirely takes nothing.
      if (order.timeInForce === 'fill_or_kill' && this.reachableSize(market, order) < order.remaining) return this.finish(market, order, 'canceled', now);
      this.takeLiquidity(market, order, now);
      if (order.remaining === 0) return;
    }
    this.account.arrived(order);
    // An IOC or FOK never rests, whether it crossed or not: its unfilled remainder is canceled.
    if (order.timeInForce !== 'good_till_canceled') return this.finish(market, order, 'canceled', now);
    order.state = 'live';
    order.updatedMs = now;
    this.options.queue.onNew(order.queue, this.levelSize(market, order));
    this.emit({ type: 'order', recvMs: now, order: toOrder(order) });
    this.showOwn(market, order, now);
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
    this.account.decreased(order, order.remaining - to);
    order.initialCount -= order.remaining - to;
    order.remaining = to;
    order.updatedMs = now;
    this.emit({ type: 'order', recvMs: now, order: toOrder(order) });
    this.showOwn(market, order, now);
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
      if (order.postOnly && this.postOnlyCrosses(market, order.side, price, false)) return this.finish(market, order, 'canceled', now);
      this.options.queue.onNew(order.queue, this.levelSize(market, order));
      order.tradeCredit = 0;
      order.pendingDecrease = 0;
      order.cancelSeen = 0;
      order.cancelAdvance = 0;
    }
    this.emit({ type: 'order', recvMs: now, order: toOrder(order) });
    this.showOwn(market, order, now);
    this.updateQuotes(market);
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
}
