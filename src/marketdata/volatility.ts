/**
 * Two volatility estimators (quoting-models.md §4).
 *
 * (a) `RollingTradeStdDev`, the classic one, kept exactly: the sample standard deviation (n − 1, like
 *     Python's `statistics.stdev`) of trade prices whose receive time lies in the rolling window
 *     (nowMs − windowMs, nowMs], in cents. With fewer than two trades in the window the sample
 *     deviation is undefined; the estimator then returns the last value it computed (cached), or
 *     `undefined` when it never had two trades — the strategy then uses its prior.
 *
 * (b) `LogOddsEwmaVolatility`, made for bounded prices: an exponentially weighted realised variance of
 *     mid changes in log-odds per second. Each mid change adds Δx² and the sum decays with a half-life
 *     H, so the estimate is v ≈ Σ Δx² · (ln 2 / H) over roughly the last H seconds. Time without a mid
 *     change decays it (a quiet market is a calm one) down to a floor; it starts at a prior. Because
 *     the contribution of one change is Δx²·ln2/H whatever the time since the last one, a burst of
 *     updates within milliseconds cannot blow it up, and minutes without a trade cannot make it zero.
 */
import { logit } from './log-odds.js';

/** Returns the sample standard deviation (n − 1) of `values`, or undefined with fewer than two. */
export function sampleStdDev(values: readonly number[]): number | undefined {
  const n = values.length;
  if (n < 2) return undefined;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let sumSquares = 0;
  for (const v of values) sumSquares += (v - mean) * (v - mean);
  return Math.sqrt(sumSquares / (n - 1));
}

/** The classic 60 s trade-price standard deviation (see the file comment), in cents. */
export class RollingTradeStdDev {
  private readonly times: number[] = [];
  private readonly prices: number[] = [];
  private head = 0;
  private cached: number | undefined;

  /** @param windowMs length of the rolling window (the classic value is 60 000). */
  constructor(readonly windowMs: number) {}

  /** Records a trade at `priceCents` received at `tMs` (a late, older trade is still windowed correctly). */
  add(tMs: number, priceCents: number): void {
    this.times.push(tMs);
    this.prices.push(priceCents);
  }

  /** Returns how many trades lie in the window ending at `nowMs`. */
  count(nowMs: number): number {
    return this.window(nowMs).length;
  }

  /**
   * Returns the earliest time after `nowMs` at which the window's trades change by time alone (a
   * trade leaves it, or a trade stamped later than `nowMs` enters it); Infinity when none will.
   */
  nextChangeMs(nowMs: number): number {
    const cutoff = nowMs - this.windowMs;
    let next = Infinity;
    for (let i = this.head; i < this.times.length; i++) {
      const t = this.times[i] as number;
      const change = t > nowMs ? t : t > cutoff ? t + this.windowMs : Infinity;
      if (change < next) next = change;
    }
    return next;
  }

  /**
   * Returns the sample standard deviation of trade prices in (nowMs − windowMs, nowMs] in cents; with
   * fewer than two trades, the last value computed (or undefined when there never was one).
   */
  value(nowMs: number): number | undefined {
    const sd = sampleStdDev(this.window(nowMs));
    if (sd !== undefined) this.cached = sd;
    return this.cached;
  }

  /** Prices with time in (nowMs − windowMs, nowMs]; both bounds checked, as a REST refresh may add older trades late. */
  private window(nowMs: number): number[] {
    this.prune(nowMs);
    const cutoff = nowMs - this.windowMs;
    const live: number[] = [];
    for (let i = this.head; i < this.times.length; i++) {
      const t = this.times[i] as number;
      if (t > cutoff && t <= nowMs) live.push(this.prices[i] as number);
    }
    return live;
  }

  private prune(nowMs: number): void {
    const cutoff = nowMs - this.windowMs;
    while (this.head < this.times.length && (this.times[this.head] as number) <= cutoff) this.head++;
    // Compact occasionally so memory stays proportional to the window, not to history.
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.prices.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** Parameters of the log-odds EWMA estimator. */
export interface LogOddsEwmaOptions {
  /** Half-life of the exponential weights, seconds. */
  readonly halfLifeSec: number;
  /** Starting σ before any observation, log-odds per √second. */
  readonly priorPerSqrtSec: number;
  /** Lowest σ ever returned, log-odds per √second. */
  readonly floorPerSqrtSec: number;
}

/** EWMA realised variance of mid changes in log-odds (see the file comment). */
export class LogOddsEwmaVolatility {
  private variancePerSec: number;
  private lastX: number | undefined;
  private lastMs: number | undefined;
  private readonly decayPerMs: number;

  constructor(private readonly options: LogOddsEwmaOptions) {
    this.variancePerSec = options.priorPerSqrtSec * options.priorPerSqrtSec;
    this.decayPerMs = Math.LN2 / (options.halfLifeSec * 1000);
  }

  /** Records the mid probability `p` (0 < p < 1) observed at `tMs`. */
  observe(tMs: number, p: number): void {
    const x = logit(p);
    if (this.lastX === undefined || this.lastMs === undefined) {
      // First mid, or the first after a gap: it anchors the next change; time still decays the sum.
      this.variancePerSec = this.decayed(tMs);
      this.lastX = x;
      this.lastMs = this.lastMs === undefined ? tMs : Math.max(this.lastMs, tMs);
      return;
    }
    const dx = x - this.lastX;
    this.variancePerSec = this.decayed(tMs) + (dx * dx * Math.LN2) / this.options.halfLifeSec;
    this.lastX = x;
    this.lastMs = Math.max(this.lastMs, tMs);
  }

  /** Forgets the last mid (after a gap, so the jump across the gap is not counted as one move). */
  resetAnchor(): void {
    this.lastX = undefined;
  }

  /** Returns σ in log-odds per √second at `nowMs`, never below the floor. */
  value(nowMs: number): number {
    const floor = this.options.floorPerSqrtSec;
    return Math.max(floor, Math.sqrt(this.decayed(nowMs)));
  }

  private decayed(nowMs: number): number {
    if (this.lastMs === undefined) return this.variancePerSec;
    const dt = Math.max(0, nowMs - this.lastMs);
    return this.variancePerSec * Math.exp(-dt * this.decayPerMs);
  }
}
