/**
 * The default mode, made for Kalshi's binary contracts (docs/strategy.md §3): A-S with
 *
 *  - T − t the real time to the market's close, capped at `riskHorizonSec` (the time we expect to
 *    hold inventory before unwinding; without a cap a month-long market makes σ²·(T − t) huge);
 *  - the variance term bounded: a fair probability p that resolves to 0 or 1 is a martingale with
 *    E[(p_T − p_t)²] = p·(1 − p), so V = min(σ_p²·τ, p·(1 − p)) (quoting-models.md §3), in cents²
 *    (p·(1 − p)·10⁴);
 *  - skew and spread applied in log-odds, so quotes stay inside (0, 100) and compress toward the
 *    bound near 0 and 1 (Shaw & Dalen 2025, arXiv:2510.15205): the price-space skew q·γ·V and
 *    half-spread δ/2 are turned into log-odds distances by dividing by dp/dx = 100·p·(1 − p), then
 *      x_r = logit(p) − q·γ·V / (100·p(1 − p)),   r = 100·σ(x_r)
 *      bid = 100·σ(x_r − h),  ask = 100·σ(x_r + h),  h = (δ/2) / (100·p(1 − p))
 *    i.e. the log-odds model run with the local slope at the fair price, so the log-odds spread does
 *    not depend on the skew; for small distances the quotes equal r ∓ δ/2 to first order;
 *  - δ = γ·V + (2/γ)·ln(1 + γ/κ), floored at `minSpreadCents`, widened linearly toward close by up to
 *    `closeWideningFactor`× over the last `widenBeforeCloseMs` (jump risk at resolution grows while
 *    the time left to unwind shrinks);
 *  - q in lots (position ÷ quote size), so γ keeps the same meaning whatever the quote size.
 * Fee-awareness and the minimum edge are applied by `placeOnGrid` for every mode.
 */
import { logit, sigmoid } from '../marketdata/index.js';
import { asFromVariance } from './avellaneda-stoikov.js';
import type { ModelQuotes } from './types.js';

/** Inputs of the binary model (cents, seconds, per cent). */
export interface BinaryModelInput {
  /** Fair price s, cents (0 < s < 100). */
  readonly fairCents: number;
  /** Inventory q, lots. */
  readonly inventory: number;
  readonly gamma: number;
  readonly kappa: number;
  /** σ of the price, cents per √second. */
  readonly sigmaCentsPerSqrtSec: number;
  /** Time to close, seconds (≥ 0). */
  readonly timeToCloseSec: number;
  readonly riskHorizonSec: number;
  readonly minSpreadCents: number;
  readonly widenBeforeCloseSec: number;
  readonly closeWideningFactor: number;
}

/** Returns the bounded variance term V = min(σ²·τ, p(1 − p)·10⁴) in cents², with τ = min(T − t, cap). */
export function boundedVarianceCents2(fairCents: number, sigmaCentsPerSqrtSec: number, timeToCloseSec: number, riskHorizonSec: number): number {
  const tau = Math.max(0, Math.min(timeToCloseSec, riskHorizonSec));
  const p = fairCents / 100;
  return Math.min(sigmaCentsPerSqrtSec * sigmaCentsPerSqrtSec * tau, p * (1 - p) * 10_000);
}

/** Returns the spread multiplier near close: 1 before the window, rising linearly to 1 + factor at close. */
export function closeWidening(timeToCloseSec: number, widenBeforeCloseSec: number, factor: number): number {
  if (widenBeforeCloseSec <= 0 || timeToCloseSec >= widenBeforeCloseSec) return 1;
  return 1 + factor * (1 - Math.max(0, timeToCloseSec) / widenBeforeCloseSec);
}

/** Returns the binary-mode model quotes in cents (see the file comment). */
export function binaryQuotes(input: BinaryModelInput): ModelQuotes & { readonly varianceCents2: number; readonly horizonSec: number } {
  const { fairCents, inventory, gamma, kappa } = input;
  const horizonSec = Math.max(0, Math.min(input.timeToCloseSec, input.riskHorizonSec));
  const variance = boundedVarianceCents2(fairCents, input.sigmaCentsPerSqrtSec, input.timeToCloseSec, input.riskHorizonSec);
  const as = asFromVariance(fairCents, inventory, gamma, kappa, variance);
  const widening = closeWidening(input.timeToCloseSec, input.widenBeforeCloseSec, input.closeWideningFactor);
  const spread = Math.max(input.minSpreadCents, as.spread * widening);
  const p = fairCents / 100;
  const reservationX = logit(p) - (inventory * gamma * variance) / (100 * p * (1 - p));
  const halfX = spread / 2 / (100 * p * (1 - p));
  return {
    reservationCents: 100 * sigmoid(reservationX),
    spreadCents: spread,
    bidCents: 100 * sigmoid(reservationX - halfX),
    askCents: 100 * sigmoid(reservationX + halfX),
    varianceCents2: variance,
    horizonSec,
  };
}
