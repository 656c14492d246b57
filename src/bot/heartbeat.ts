/**
 * The maker's heartbeat: its timer (`MakerHeartbeat`) and pace (`HeartbeatPace`). A heartbeat re-runs
 * the cycle so that quotes follow time alone (σ and κ estimates decaying, time to close shrinking) and
 * time-based safety conditions (staleness by age, stop before close, the UTC day's loss limit) are
 * acted on without waiting for an event.
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
import { DONE, type Clock, type DesiredQuote, type DesiredQuotes, type TimerHandle } from '../core/index.js';

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

/** What a maker's heartbeat reads of its market (the market state, marketdata/). */
export interface HeartbeatMarket {
  readonly closeTime: number | undefined;
  /** The next time the market state's snapshot changes with time alone (`nextDeadlineMs`). */
  nextTimeChangeMs(nowMs: number): number;
}

/** Construction options of a `MakerHeartbeat`. */
export interface MakerHeartbeatOptions {
  readonly clock: Clock;
  /** Interval of an active market, ms; 0 = no heartbeat. */
  readonly baseMs: number;
  /** Longest interval of a quiet market, ms; below `baseMs` = `baseMs` (no back-off). */
  readonly maxMs: number;
  readonly close: CloseTimings;
  /** The market's state, read when a heartbeat fires. */
  market(): HeartbeatMarket;
  /** True while the maker runs: a heartbeat of a maker not running does nothing and sets no next one. */
  running(): boolean;
  /** Asks for a cycle; returns the promise of the work it caused (DONE when none). */
  beat(): Promise<void>;
}

/**
 * One maker's heartbeat timer: the pace (`HeartbeatPace`), the pending timer and whether anything
 * happened since the last beat.
 */
export class MakerHeartbeat {
  private timer: TimerHandle | undefined;
  private dueMs = Infinity;
  private readonly pace: HeartbeatPace;
  /** Something happened in the market since the last heartbeat (an event, or new desired quotes). */
  private activity = false;

  constructor(private readonly options: MakerHeartbeatOptions) {
    this.pace = new HeartbeatPace(options.baseMs, Math.max(options.baseMs, options.maxMs));
  }

  /** Sets the first heartbeat, `baseMs` from now (none when `baseMs` is 0). */
  start(): void {
    if (this.options.baseMs > 0) this.schedule(this.options.baseMs);
  }

  /** Cancels the pending heartbeat. */
  stop(): void {
    this.timer?.cancel();
  }

  /** Records activity; a heartbeat set for a quiet market is brought back to the base pace. */
  noteActivity(): void {
    this.activity = true;
    if (!this.pace.reset() || !this.options.running()) return;
    const soonMs = this.options.clock.nowMs() + this.options.baseMs;
    if (this.dueMs <= soonMs) return;
    this.timer?.cancel();
    this.schedule(this.options.baseMs);
  }

  private schedule(delayMs: number): void {
    const clock = this.options.clock;
    this.dueMs = clock.nowMs() + delayMs;
    // The callback returns its work's promise (DONE when the cycle finished at once): a clock that
    // awaits timer callbacks (the backtest's replay) then waits for exactly that work. The next
    // heartbeat is set before the cycle is asked for: timers due at the same time fire in the order
    // they were set, which a backtest's output depends on.
    this.timer = clock.setTimer(delayMs, () => {
      if (!this.options.running()) return DONE;
      const nowMs = clock.nowMs();
      // Quiet since the last heartbeat: the next one may come later.
      const calm = this.pace.maxMs > this.pace.baseMs && !this.activity && !this.closing(nowMs);
      this.activity = false;
      this.schedule(this.pace.next(calm, nowMs, calm ? this.deadlineMs(nowMs) : Infinity));
      return this.options.beat();
    });
  }

  /** True inside the close-widening window, where quotes move with time every second. */
  private closing(nowMs: number): boolean {
    const close = this.options.market().closeTime;
    return close !== undefined && nowMs >= close - this.options.close.widenBeforeCloseMs;
  }

  private deadlineMs(nowMs: number): number {
    const market = this.options.market();
    return nextDeadlineMs(nowMs, market.closeTime, this.options.close, market.nextTimeChangeMs(nowMs));
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
