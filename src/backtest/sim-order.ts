/**
 * The simulator's record of one of our orders and its conversions to the port's types.
 */
import type { BookSide, Cash, Count, FeeRoundingAccumulator, Order, OrderAck, Price, TimeInForce } from '../core/index.js';
import type { QueuePosition } from './models/index.js';

/** Where an order is in its life: sent but not yet at the exchange, resting, or gone. */
export type SimOrderState = 'pending' | 'live' | 'done';

/** One of our orders inside the simulator (mutable; never handed out). */
export interface SimOrder {
  readonly orderId: string;
  clientOrderId: string | undefined;
  readonly ticker: string;
  readonly side: BookSide;
  price: Price;
  initialCount: number;
  filled: number;
  remaining: number;
  state: SimOrderState;
  /** Status reported by the port: resting until filled or cancelled. */
  status: 'resting' | 'canceled' | 'executed';
  readonly postOnly: boolean;
  readonly timeInForce: TimeInForce;
  readonly queue: QueuePosition;
  /** Trade size at our level not yet matched by a recorded depth decrease, and when it was seen. */
  tradeCredit: number;
  tradeCreditMs: number;
  /** Recorded decrease of our level since the last queue settlement. */
  pendingDecrease: number;
  /**
   * Decrease of our level settled as cancellations that a trade at our level may still turn out to
   * have caused (a REST-poll recording writes the book before the trades that shrank it), how far
   * that moved us up, and when it was settled.
   */
  cancelSeen: number;
  cancelAdvance: number;
  cancelSeenMs: number;
  /** Earliest time a cancel or amend sent now may take effect (requests are processed in order). */
  lastActionMs: number;
  readonly createdMs: number;
  updatedMs: number;
  makerFees: number;
  takerFees: number;
  /** The order's fee-rounding accumulator (kalshi-api.md §10.2), as the exchange keeps one per order. */
  readonly accumulator: FeeRoundingAccumulator;
  /**
   * The terms the simulated account holds collateral for (sim-account.ts): the order's own, or while
   * an amend is in flight the worse of the old and new terms.
   */
  lockPrice: Price;
  lockRemaining: number;
  /** Taker fee reserved while a non-post-only order is in flight (it may take on arrival). */
  takerReserve: number;
  /** Amends sent and not yet applied. */
  amendsInFlight: number;
  /**
   * The size of this order the agent's book shows (`own-levels.ts`): its remaining count while live,
   * at `shownPrice`, kept in step by the simulator's `book_delta` events; 0 before arrival and after the end.
   */
  shown: number;
  shownPrice: Price;
}

/** Returns the port's view of an order (pending orders are reported as resting: they were acked). */
export function toOrder(order: SimOrder): Order {
  return {
    orderId: order.orderId,
    ...(order.clientOrderId === undefined ? {} : { clientOrderId: order.clientOrderId }),
    ticker: order.ticker,
    side: order.side,
    price: order.price,
    initialCount: order.initialCount as Count,
    fillCount: order.filled as Count,
    remainingCount: order.remaining as Count,
    status: order.status,
    createdMs: order.createdMs,
    updatedMs: order.updatedMs,
    takerFees: order.takerFees as Cash,
    makerFees: order.makerFees as Cash,
  };
}

/** Returns the ack of an order. */
export function toAck(order: SimOrder, tsMs: number): OrderAck {
  return {
    orderId: order.orderId,
    ...(order.clientOrderId === undefined ? {} : { clientOrderId: order.clientOrderId }),
    fillCount: order.filled as Count,
    remainingCount: order.remaining as Count,
    tsMs,
  };
}
