/**
 * Deterministic `client_order_id`s. An id is chosen once per intended order, before the first send, and
 * every retry of that create repeats it, so the exchange answers a retry with the existing order
 * instead of making a second one (kalshi-api.md §5.1: duplicate id → 409 `order_already_exists`).
 *
 * Shape: `<prefix>-<run>-<market hash>-<b|a>-<sequence>`, at most 64 characters of `[A-Za-z0-9-]`
 * (the FIX limit, §17; tickers may hold characters outside that set, so the ticker is hashed).
 * `run` comes from the caller (the CLI derives it from the start time and its Rng; tests pass a fixed
 * value), so ids of different runs never collide, and the same run replayed gives the same ids.
 */
import { UsageError, type BookSide } from '../core/index.js';

/** The prefix of every id kalshi-mm sends; reconciliation adopts resting orders that carry it. */
export const CLIENT_ORDER_ID_PREFIX = 'kmm';

const RUN_ID_PATTERN = /^[A-Za-z0-9]{1,24}$/;

/** Returns a short, stable hash of a ticker (FNV-1a, base 36). */
export function tickerHash(ticker: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < ticker.length; i++) {
    h ^= ticker.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/** Returns true when `clientOrderId` was made by kalshi-mm (any run). */
export function isOwnClientOrderId(clientOrderId: string | undefined): boolean {
  return clientOrderId !== undefined && clientOrderId.startsWith(`${CLIENT_ORDER_ID_PREFIX}-`);
}

/** Issues client order ids for one run; shared by every market of the run. */
export class ClientOrderIds {
  private sequence = 0;

  /**
   * @param runId 1–24 letters or digits, unique per run.
   * @throws UsageError when `runId` has another shape.
   */
  constructor(readonly runId: string) {
    if (!RUN_ID_PATTERN.test(runId)) throw new UsageError(`runId: expected 1–24 letters or digits, was ${JSON.stringify(runId)}`);
  }

  /** Returns the next id for a new order on `ticker`'s `side`. */
  next(ticker: string, side: BookSide): string {
    this.sequence += 1;
    return `${CLIENT_ORDER_ID_PREFIX}-${this.runId}-${tickerHash(ticker)}-${side === 'bid' ? 'b' : 'a'}-${this.sequence.toString(36)}`;
  }

  /** Number of ids issued so far. */
  get issued(): number {
    return this.sequence;
  }
}
