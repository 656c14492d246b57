/** Types of the order manager: our live orders as we track them, the planning parameters and actions. */
import type { BookSide, Count, Price } from '../core/index.js';

/** What is in flight on one of our orders; at most one action at a time. */
export type InFlight = 'create' | 'amend' | 'decrease' | 'cancel';

/**
 * One of our orders as the order manager tracks it. `orderId` is absent while the create is in flight
 * (or its outcome is unknown); `clientOrderId` is always set, because we chose it.
 */
export interface LiveOrder {
  readonly clientOrderId: string;
  readonly orderId?: string;
  readonly ticker: string;
  readonly side: BookSide;
  readonly price: Price;
  /** Contracts still resting (hundredths). */
  readonly remaining: Count;
  /** Contracts filled so far (hundredths), our best knowledge. */
  readonly filled: Count;
  /** The action on this order that has not been answered yet, if any. */
  readonly inFlight?: InFlight;
}

/** How eager the planner is to touch a resting order. */
export interface PlanParams {
  /**
   * A resting order whose price is within this many Price units ($0.0001) of the desired price is left
   * alone (0 = requote on any price change). Requoting costs queue priority and rate-limit tokens.
   */
  readonly requoteThresholdPrice: number;
  /**
   * A resting order smaller than desired by at most this much is left alone (hundredths of a contract;
   * 0 = exact sizes). A larger-than-desired order is always decreased: risk may have cut the size.
   */
  readonly sizeTolerance: Count;
  /** True to amend price changes in place (one request); false to cancel and create instead. */
  readonly amend: boolean;
}

/** Default planning parameters: any price change requotes, exact sizes, amend in place. */
export const DEFAULT_PLAN_PARAMS: PlanParams = { requoteThresholdPrice: 0, sizeTolerance: 0 as Count, amend: true };

/** Why an order is cancelled (for logs and the journal). */
export type CancelReason = 'unwanted' | 'duplicate' | 'replace' | 'shutdown' | 'stale' | 'foreign';

/**
 * One step toward the desired quotes. `amend.count` is the TOTAL (already filled + desired remaining),
 * as the exchange expects (kalshi-api.md §5.2, trap 8).
 */
export type OrderAction =
  | { readonly kind: 'create'; readonly side: BookSide; readonly price: Price; readonly count: Count }
  | {
      readonly kind: 'amend';
      readonly clientOrderId: string;
      readonly orderId: string;
      readonly side: BookSide;
      readonly price: Price;
      /** Total count: filled + desired remaining. */
      readonly count: Count;
    }
  | { readonly kind: 'decrease'; readonly clientOrderId: string; readonly orderId: string; readonly side: BookSide; readonly reduceTo: Count }
  | { readonly kind: 'cancel'; readonly clientOrderId: string; readonly orderId: string; readonly side: BookSide; readonly reason: CancelReason };
