/**
 * The mutable record behind a `LiveOrder`. Fill counts come from two sources that can arrive in any
 * order — acks/order updates (absolute figures) and fill events (increments) — so both are kept and
 * the larger wins: a fill seen both ways is never counted twice.
 */
import type { BookSide, Count, Order, OrderAck, Price } from '../core/index.js';
import type { InFlight, LiveOrder } from './types.js';

/** One order we placed or adopted. */
export class TrackedOrder {
  orderId: string | undefined;
  price: Price;
  /** Filled + remaining as of the last absolute report. */
  private total: number;
  private filledReported = 0;
  private filledByFills = 0;
  private readonly trades = new Set<string>();
  inFlight: InFlight | undefined;
  /** The exchange reported the order no longer resting. */
  closed = false;

  constructor(
    readonly clientOrderId: string,
    readonly ticker: string,
    readonly side: BookSide,
    price: Price,
    count: Count,
  ) {
    this.price = price;
    this.total = count;
  }

  /** Returns an order adopted from the exchange's view. */
  static fromOrder(order: Order, clientOrderId: string): TrackedOrder {
    const tracked = new TrackedOrder(clientOrderId, order.ticker, order.side, order.price, (order.fillCount + order.remainingCount) as Count);
    tracked.orderId = order.orderId;
    tracked.applyOrder(order);
    return tracked;
  }

  get filled(): Count {
    return Math.max(this.filledReported, this.filledByFills) as Count;
  }

  get remaining(): Count {
    return Math.max(0, this.total - this.filled) as Count;
  }

  /** True when nothing rests and nothing is in flight: the record can be dropped. */
  get isDone(): boolean {
    return this.inFlight === undefined && (this.closed || (this.orderId !== undefined && this.remaining === 0));
  }

  /**
   * Applies a create/amend/decrease answer. Without a fill count (Kalshi's decrease answer) what still
   * rests comes on top of what we know filled: taking 0 would make a partly filled order look done,
   * and it would rest on with nothing managing it.
   */
  applyAck(ack: OrderAck, price?: Price): void {
    this.orderId = ack.orderId;
    if (ack.fillCount === undefined) {
      this.total = this.filled + ack.remainingCount;
    } else {
      this.filledReported = Math.max(this.filledReported, ack.fillCount);
      this.total = ack.fillCount + ack.remainingCount;
    }
    if (price !== undefined) this.price = price;
  }

  /** Applies the exchange's view of the order (an `order` event or a REST read). */
  applyOrder(order: Order): void {
    this.orderId = order.orderId;
    this.price = order.price;
    this.filledReported = Math.max(this.filledReported, order.fillCount);
    this.total = order.fillCount + order.remainingCount;
    if (order.status !== 'resting') this.closed = true;
  }

  /** Applies one of our fills; returns false when this trade was already counted. */
  applyFill(tradeId: string, count: Count): boolean {
    if (this.trades.has(tradeId)) return false;
    this.trades.add(tradeId);
    this.filledByFills += count;
    return true;
  }

  /** Returns true when `view` (an earlier `view()` of some order) still shows this order as it is now. */
  shownBy(view: LiveOrder): boolean {
    return (
      view.clientOrderId === this.clientOrderId &&
      view.orderId === this.orderId &&
      view.price === this.price &&
      view.remaining === this.remaining &&
      view.filled === this.filled &&
      view.inFlight === this.inFlight
    );
  }

  /** Returns the read-only view the planner and the status see. */
  view(): LiveOrder {
    return {
      clientOrderId: this.clientOrderId,
      ...(this.orderId !== undefined ? { orderId: this.orderId } : {}),
      ticker: this.ticker,
      side: this.side,
      price: this.price,
      remaining: this.remaining,
      filled: this.filled,
      ...(this.inFlight !== undefined ? { inFlight: this.inFlight } : {}),
    };
  }
}
