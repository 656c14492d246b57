/**
 * Fee models: what each simulated fill costs. Kalshi's formula and its rounding (each fill's trade
 * fee rounded up to $0.0001, kalshi-api.md §10.2) live in core/fees.ts; this wraps it with the
 * schedule the replay assumes, because recordings carry markets, not series, and the fee type is a
 * series field.
 */
import { DEFAULT_FEE_SCHEDULE, FEE_MULTIPLIER_SCALE, tradeFee, type Cash, type Count, type FeeSchedule, type FeeType, type Liquidity, type Price } from '../../core/index.js';

/** Returns the fee of one fill. */
export interface FeeModel {
  readonly schedule: FeeSchedule;
  fee(liquidity: Liquidity, count: Count, price: Price): Cash;
}

/** Kalshi's quadratic fees (core/fees.ts `tradeFee`) under a fixed schedule. */
export class KalshiFeeModel implements FeeModel {
  constructor(readonly schedule: FeeSchedule) {}

  fee(liquidity: Liquidity, count: Count, price: Price): Cash {
    return tradeFee(this.schedule, liquidity, count, price);
  }
}

/**
 * The backtest's default schedule: `quadratic_with_maker_fees`, multiplier 1 — makers pay
 * 0.0175·C·P·(1−P). Many series charge makers nothing, but a backtest that assumes the fee and is
 * still profitable stays profitable on those; the reverse is not true. `--fee-type quadratic` drops it.
 */
export const BACKTEST_FEE_SCHEDULE: FeeSchedule = { feeType: 'quadratic_with_maker_fees', multiplier: FEE_MULTIPLIER_SCALE };

/** Returns a fee model for a fee type and a multiplier (1.0 = ×1). */
export function feeModelFor(feeType: FeeType = BACKTEST_FEE_SCHEDULE.feeType, multiplier = 1): FeeModel {
  return new KalshiFeeModel({ ...DEFAULT_FEE_SCHEDULE, feeType, multiplier: Math.round(multiplier * FEE_MULTIPLIER_SCALE) });
}
