/**
 * Rejections of the matching engine. `reason` is Kalshi's REST error code (kalshi-api.md §8.2),
 * `status` the HTTP status Kalshi answers with, `details` the optional detail text, so the server can
 * turn a rejection into Kalshi's `{"error": {"code", "message", "details"}}` body without a table.
 */
import { OrderRejectedError } from '../../core/index.js';

/** Kalshi's error codes the engine uses, with the HTTP status of each. */
export const REJECTION_STATUS = {
  invalid_order: 400,
  invalid_price: 400,
  invalid_order_size: 400,
  available_balance_too_low: 400,
  order_side_mismatch: 400,
  order_ticker_mismatch: 400,
  order_already_exists: 409,
  trading_is_paused: 409,
  market_closed: 400,
  market_not_found: 404,
  not_found: 404,
  account_not_found: 404,
  too_many_open_orders: 400,
} as const;

/** One of the codes above. */
export type RejectionCode = keyof typeof REJECTION_STATUS;

/**
 * An order (or order change) the engine refused. Extends core's `OrderRejectedError`, whose
 * `reason` is the Kalshi code.
 */
export class EngineRejection extends OrderRejectedError {
  /** HTTP status Kalshi answers this code with. */
  readonly status: number;
  /** Kalshi's optional `details` text (e.g. "post only cross"). */
  readonly details: string | undefined;

  constructor(reason: RejectionCode, message: string, details?: string) {
    super(reason, details ? `${message} (${details})` : message);
    this.status = REJECTION_STATUS[reason];
    this.details = details;
  }
}

/** Returns a rejection with `reason`; `message` names the field, the value ("was") and the rule. */
export function reject(reason: RejectionCode, message: string, details?: string): EngineRejection {
  return new EngineRejection(reason, message, details);
}
