/**
 * Online estimate of the A-S order-arrival intensity λ(δ) = A·e^(−κ·δ) (quoting-models.md §4) with
 * priors, made for thin markets that go minutes without a trade.
 *
 * Model: a market order that trades at distance δ (cents) from the mid "reached" δ; under λ(δ) the
 * reached distances are exponential with rate κ and arrive at total rate A per second. The conjugate
 * Gamma priors give closed-form posterior means that shrink toward the prior when data are few:
 *
 *   κ̂ = (w + Σ dᵢ⁰) / (w/κ₀ + Σ dᵢ⁰·δᵢ)       (Gamma(w, w/κ₀) prior on κ, exponential likelihood)
 *   Â = (w + Σ dᵢ⁰) / (w/A₀ + T_eff)          (Gamma(w, w/A₀) prior on A, Poisson likelihood)
 *
 * where w is the prior weight in pseudo-trades, dᵢ⁰ = 2^(−age/H) discounts old trades with half-life
 * H, and T_eff is the equally discounted observation time. With no trades κ̂ = κ₀ and Â drifts toward
 * A₀ as data age; one odd trade moves κ̂ by at most 1/(w + 1) of the way, so the estimate never
 * explodes or collapses. A trade exactly at the mid (δ = 0) is counted at a floor of 0.01 ¢.
 */

/** Parameters of the intensity estimator. */
export interface IntensityOptions {
  /** Prior κ₀, per cent of distance. */
  readonly kappaPriorPerCent: number;
  /** Prior A₀, trades per second. */
  readonly arrivalPriorPerSec: number;
  /** Prior weight w, in pseudo-trades. */
  readonly priorWeight: number;
  /** Half-life H of the discount, seconds. */
  readonly halfLifeSec: number;
}

const MIN_DISTANCE_CENTS = 0.01;

/** The estimator's current values. */
export interface IntensityEstimate {
  /** κ̂, per cent. */
  readonly kappaPerCent: number;
  /** Â, trades per second reaching distance 0. */
  readonly arrivalPerSec: number;
  /** Discounted number of trades behind the estimate. */
  readonly effectiveTrades: number;
}

/** Online κ and A with Gamma priors and exponential forgetting (see the file comment). */
export class IntensityEstimator {
  private weightedCount = 0;
  private weightedDistance = 0;
  private observedSec = 0;
  private lastMs: number | undefined;
  private readonly decayPerMs: number;

  constructor(private readonly options: IntensityOptions) {
    this.decayPerMs = Math.LN2 / (options.halfLifeSec * 1000);
  }

  /** Records a trade at `distanceCents` from the mid at `tMs`. */
  addTrade(tMs: number, distanceCents: number): void {
    this.advance(tMs);
    this.weightedCount += 1;
    this.weightedDistance += Math.max(MIN_DISTANCE_CENTS, Math.abs(distanceCents));
  }

  /** Returns κ̂ and Â at `nowMs`. */
  estimate(nowMs: number): IntensityEstimate {
    const { kappaPriorPerCent, arrivalPriorPerSec, priorWeight } = this.options;
    const decay = this.lastMs === undefined ? 1 : Math.exp(-Math.max(0, nowMs - this.lastMs) * this.decayPerMs);
    const count = this.weightedCount * decay;
    const distance = this.weightedDistance * decay;
    const observed = this.observedSec * decay + this.elapsedDiscountedSec(nowMs);
    return {
      kappaPerCent: (priorWeight + count) / (priorWeight / kappaPriorPerCent + distance),
      arrivalPerSec: (priorWeight + count) / (priorWeight / arrivalPriorPerSec + observed),
      effectiveTrades: count,
    };
  }

  /** Starts the observation clock (the time a market has been watched counts as exposure for Â). */
  start(tMs: number): void {
    if (this.lastMs === undefined) this.lastMs = tMs;
  }

  private advance(tMs: number): void {
    if (this.lastMs === undefined) {
      this.lastMs = tMs;
      return;
    }
    if (tMs <= this.lastMs) return;
    const decay = Math.exp(-(tMs - this.lastMs) * this.decayPerMs);
    this.observedSec = this.observedSec * decay + this.elapsedDiscountedSec(tMs);
    this.weightedCount *= decay;
    this.weightedDistance *= decay;
    this.lastMs = tMs;
  }

  /** ∫ e^(−λ(t − s)) ds over the time since the last update, in seconds. */
  private elapsedDiscountedSec(nowMs: number): number {
    if (this.lastMs === undefined) return 0;
    const dtMs = Math.max(0, nowMs - this.lastMs);
    return (1 - Math.exp(-dtMs * this.decayPerMs)) / this.decayPerMs / 1000;
  }
}
