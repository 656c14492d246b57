/**
 * Turns a market snapshot into the model's σ and κ (docs/strategy.md §4).
 *
 * σ, in cents per √second, from (in order): the fixed value when configured; otherwise the estimator
 * chosen (`auto` = trade std dev for textbook, log-odds EWMA for binary and GLFT):
 *  - trade std dev: the classic σ_w over the window W (cents) becomes a rate σ_w / √(W in s), so that
 *    with the textbook horizon equal to W the variance term σ²·(T − t) is exactly σ_w² as in the
 *    original design. Two trades make a very noisy σ_w (0 when they print at one price, huge when they
 *    straddle the book), so it is shrunk toward the log-odds σ₀ below with w pseudo degrees of freedom
 *    (`tradeSigmaPriorWeight`): σ² = ((n − 1)·σ_w² + w·σ₀²·W) / ((n − 1 + w)·W), n the trades in the
 *    window; w = 0 keeps the classic σ exactly. With fewer than two trades ever seen, σ₀ alone is used
 *    (a market without trades still gets a finite σ);
 *  - log-odds EWMA: σ_p = 100·p·(1 − p)·σ_x (delta method, dp = p(1 − p)·dx), p the fair probability.
 * κ: the fixed κ, or the market's prior-shrunk online estimate when `estimateKappa`; likewise A for GLFT.
 */
import type { MarketSnapshot } from '../marketdata/index.js';
import type { StrategyParams } from './types.js';

/** σ, κ and A for one computation. */
export interface ModelInputs {
  readonly sigmaCentsPerSqrtSec: number;
  readonly kappaPerCent: number;
  readonly arrivalPerSec: number;
}

/** Returns σ in cents per √second for `snapshot` with fair probability `p` (see the file comment). */
export function sigmaCentsPerSqrtSec(snapshot: MarketSnapshot, p: number, params: StrategyParams): number {
  if (params.fixedSigmaCentsPerSqrtSec !== undefined) return params.fixedSigmaCentsPerSqrtSec;
  const estimator = params.sigmaEstimator === 'auto' ? (params.mode === 'textbook' ? 'trade_stdev' : 'log_odds_ewma') : params.sigmaEstimator;
  const fromLogOdds = 100 * p * (1 - p) * snapshot.sigmaLogOddsPerSqrtSec;
  if (estimator === 'log_odds_ewma' || snapshot.tradeStdDevCents === undefined) return fromLogOdds;
  const classic = snapshot.tradeStdDevCents / Math.sqrt(params.volWindowMs / 1000);
  const w = params.tradeSigmaPriorWeight;
  if (w <= 0) return classic;
  const df = Math.max(0, snapshot.tradesInVolWindow - 1);
  return Math.sqrt((df * classic * classic + w * fromLogOdds * fromLogOdds) / (df + w));
}

/** Returns σ, κ and A for `snapshot` (see the file comment). */
export function modelInputs(snapshot: MarketSnapshot, p: number, params: StrategyParams): ModelInputs {
  return {
    sigmaCentsPerSqrtSec: sigmaCentsPerSqrtSec(snapshot, p, params),
    kappaPerCent: params.estimateKappa ? snapshot.kappaPerCent : params.kappa,
    arrivalPerSec: params.estimateKappa ? snapshot.arrivalPerSec : params.glftArrivalRatePerSec,
  };
}
