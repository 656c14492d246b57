/**
 * The maker's heartbeat pace. A heartbeat re-runs the cycle so that quotes follow time alone (σ and κ
 * estimates decaying, time to close shrinking) and time-based safety conditions (staleness by age,
 * stop before close, the UTC day's loss limit) are acted on without waiting for an event.
 *
 * In an active market it beats every `baseMs`. In a quiet one — no event of the market and no change
 * of the desired quotes since the previous heartbeat — its interval doubles up to `maxMs`: the drift
 * a quiet market's quotes see is slow (the σ estimate's half-life is minutes, the variance horizon
 * many minutes), and re-planning an idle market every second is most of the cost of a long backtest
 * grid (and of nothing live). The discrete time events are kept: a backed-off heartbeat is cut short
 * at the next deadline (no sooner than `baseMs`, the precision the 1 s heartbeat always had), and the
 * pace drops back to `baseMs` inside the close-widening window and on any activity.
 * `maxMs` = `baseMs` turns the back-off off.
 */
import type { DesiredQuote, DesiredQuotes } from '../core/index.js';

const DAY_MS = 86_400_000;

/** The interval of the next heartbeat, from what the last ones found. */
export class HeartbeatPace {
  private delayMs: number;

  constructor(
    readonly baseMs: number,
    readonly maxMs: number,
  ) {
    this.delayMs = baseMs;
  }

  /**
   * Returns the delay to the next heartbeat: doubled after a `calm` one (up to `maxMs`), `baseMs`
   * otherwise; a doubled delay ends at `deadlineMs` if that comes first, but never before `baseMs`.
   */
  next(calm: boolean, nowMs: number, deadlineMs: number): number {
    this.delayMs = calm ? Math.min(this.delayMs * 2, this.maxMs) : this.baseMs;
    if (this.delayMs <= this.baseMs) return this.baseMs;
    return Math.max(this.baseMs, Math.min(this.delayMs, deadlineMs - nowMs));
  }

  /** Back to `baseMs`; returns true when the pace was backed off (so the pending heartbeat may be late). */
  reset(): boolean {
    const was = this.delayMs > this.baseMs;
    this.delayMs = this.baseMs;
    return was;
  }
}

/** The close-related settings the deadlines depend on. */
export interface CloseTimings {
  readonly stopBeforeCloseMs: number;
  readonly widenBeforeCloseMs: number;
}

/**
 * Returns the earliest time after `nowMs` at which a quiet market's quotes can change by a discrete
 * step of time: the close-widening window opens, quoting stops before close, the market closes, the
 * UTC day rolls (daily loss limit), or `marketChangeMs` (the market state's own: staleness by age, a
 * trade leaving the volatility window). Infinity when there is none.
 */
export function nextDeadlineMs(nowMs: number, closeTimeMs: number | undefined, timings: CloseTimings, marketChangeMs: number): number {
  let next = Math.min(marketChangeMs, (Math.floor(nowMs / DAY_MS) + 1) * DAY_MS);
  if (closeTimeMs !== undefined) {
    for (const t of [closeTimeMs - timings.widenBeforeCloseMs, closeTimeMs - timings.stopBeforeCloseMs, closeTimeMs]) if (t > nowMs && t < next) next = t;
  }
  return next;
}

/** Returns true when `a` and `b` ask for the same prices and sizes. */
export function sameDesired(a: DesiredQuotes, b: DesiredQuotes): boolean {
  return sameSide(a.bid, b.bid) && sameSide(a.ask, b.ask);
}

function sameSide(a: DesiredQuote | undefined, b: DesiredQuote | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.price === b.price && a.count === b.count;
}
