/**
 * A market's hidden fair YES probability: a random walk in logit space with Poisson jumps,
 * reflected inside ±`LOGIT_BOUND` (p ≈ 0.5 % … 99.5 %). Uncertainty resolves toward close: the
 * diffusion grows as sqrt(1 h / time-to-close), up to 4× in the last minutes, so prices drift
 * toward 0 or 1 before the result is drawn with the fair probability at close (a martingale, so the
 * drawn result is consistent with the path).
 */
import type { Rng } from '../../core/index.js';

const HOUR_MS = 3_600_000;
/** Logit bound: p within about [0.005, 0.995]. */
const LOGIT_BOUND = 5.3;
/** Longest single step of the walk, model time, so the close-time scaling stays accurate. */
const MAX_STEP_HOURS = 5 / 60;

/** Parameters of the walk, in model time (speed 1). */
export interface FairValueParams {
  readonly initialProbability: number;
  readonly volatilityPerSqrtHour: number;
  readonly jumpsPerHour: number;
  readonly jumpStdDev: number;
  /** Engine time the walk starts at. */
  readonly startMs: number;
  /** Engine time of the market's close. */
  readonly closeMs: number;
  /** Model time runs `speed` times faster than engine time. */
  readonly speed: number;
}

/** Returns log(p / (1 − p)). */
export function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/** Returns 1 / (1 + e^−x). */
export function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** The hidden fair value of one market. Time must not go backwards. */
export class FairValue {
  private x: number;
  private lastMs: number;

  constructor(
    private readonly params: FairValueParams,
    private readonly rng: Rng,
  ) {
    this.x = clampLogit(logit(params.initialProbability));
    this.lastMs = params.startMs;
  }

  /** Returns the fair probability at engine time `nowMs` (advancing the walk; earlier times return the last value). */
  at(nowMs: number): number {
    const target = Math.min(nowMs, this.params.closeMs);
    while (this.lastMs < target) {
      const stepMs = Math.min(target - this.lastMs, (MAX_STEP_HOURS * HOUR_MS) / this.params.speed);
      this.step(stepMs);
      this.lastMs += stepMs;
    }
    return logistic(this.x);
  }

  /** Moves the fair value to `probability` (admin "move fair value"). */
  set(probability: number): void {
    this.x = clampLogit(logit(Math.min(0.999, Math.max(0.001, probability))));
  }

  /** Returns the result drawn with the fair probability at close. */
  resolve(): 'yes' | 'no' {
    return this.rng.chance(this.at(this.params.closeMs)) ? 'yes' : 'no';
  }

  private step(stepMs: number): void {
    const { volatilityPerSqrtHour, jumpsPerHour, jumpStdDev, closeMs, speed } = this.params;
    const dtHours = (stepMs * speed) / HOUR_MS;
    const toCloseHours = Math.max(1e-6, ((closeMs - this.lastMs) * speed) / HOUR_MS);
    const boost = Math.min(4, Math.max(1, Math.sqrt(1 / toCloseHours)));
    let next = this.x + volatilityPerSqrtHour * boost * Math.sqrt(dtHours) * this.rng.normal();
    if (this.rng.chance(1 - Math.exp(-jumpsPerHour * dtHours))) next += jumpStdDev * this.rng.normal();
    this.x = reflect(next);
  }
}

function clampLogit(x: number): number {
  return Math.min(LOGIT_BOUND, Math.max(-LOGIT_BOUND, x));
}

function reflect(x: number): number {
  let y = x;
  for (let i = 0; i < 4 && Math.abs(y) > LOGIT_BOUND; i++) y = Math.sign(y) * 2 * LOGIT_BOUND - y;
  return clampLogit(y);
}
