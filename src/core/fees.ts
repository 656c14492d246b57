/**
 * Kalshi trading fees (kalshi-api.md §10), exact in integers.
 *
 * Per fill of C contracts at YES price P (dollars):
 *   taker fee = 0.07   × m × C × P × (1 − P)
 *   maker fee = 0.0175 × m × C × P × (1 − P)  on `quadratic_with_maker_fees` series,
 *               0.035  × m × C × P × (1 − P)  on `quadratic_with_combo_maker_fees`, 0 otherwise.
 * m is the series' (or event override's) fee multiplier. The trade fee of a fill is rounded UP to
 * $0.0001 (§10.2 "exchange mechanics"). Accounts whose balance has cent precision also pay a rounding
 * fee (balance change floored to the cent), with a per-order accumulator that rebates $0.01 whenever
 * the accumulated overpayment exceeds $0.01: `FeeRoundingAccumulator` below.
 */
import type { Cash, Count, Price } from './money.js';

/** The series fee types the API names (`Series.fee_type`). */
export type FeeType = 'quadratic' | 'quadratic_with_maker_fees' | 'quadratic_with_combo_maker_fees' | 'flat';

/** Fee multipliers are exact integers scaled by this (1.0 → 10_000; 0.5 → 5_000). */
export const FEE_MULTIPLIER_SCALE = 10_000;

/** The fee schedule of one market. */
export interface FeeSchedule {
  readonly feeType: FeeType;
  /** Multiplier × 10_000 (integer). */
  readonly multiplier: number;
}

/** The default schedule of most series: taker fees only, multiplier 1. */
export const DEFAULT_FEE_SCHEDULE: FeeSchedule = { feeType: 'quadratic', multiplier: FEE_MULTIPLIER_SCALE };

/** Whether a fill took liquidity or rested. */
export type Liquidity = 'taker' | 'maker';

/** Coefficients × 10_000 (0.07 → 700). */
const TAKER_COEFFICIENT = 700n;
const MAKER_COEFFICIENT = 175n;
const COMBO_MAKER_COEFFICIENT = 350n;
/** 1e4 (coefficient) × 1e4 (multiplier) × 1e2 (count) × 1e4 (P) × 1e4 (1−P) ÷ 1e4 (Cash scale). */
const DIVISOR = 10n ** 14n;

function coefficient(schedule: FeeSchedule, liquidity: Liquidity): bigint {
  if (liquidity === 'taker') return TAKER_COEFFICIENT;
  switch (schedule.feeType) {
    case 'quadratic_with_maker_fees':
      return MAKER_COEFFICIENT;
    case 'quadratic_with_combo_maker_fees':
      return COMBO_MAKER_COEFFICIENT;
    case 'quadratic':
    case 'flat':
      return 0n;
  }
}

/**
 * Returns the trade fee of one fill in Cash ($0.0001), rounded up (§10.2).
 * `flat` series use the quadratic taker formula: their fee table is not published (§10.1 ⚠).
 */
export function tradeFee(schedule: FeeSchedule, liquidity: Liquidity, count: Count, price: Price): Cash {
  const numerator =
    coefficient(schedule, liquidity) * BigInt(schedule.multiplier) * BigInt(count) * BigInt(price) * BigInt(10_000 - price);
  if (numerator === 0n) return 0 as Cash;
  return Number((numerator + DIVISOR - 1n) / DIVISOR) as Cash;
}

/** Returns the un-rounded fee per contract in dollars, for quoting models only (never for money). */
export function feePerContractDollars(schedule: FeeSchedule, liquidity: Liquidity, priceDollars: number): number {
  const c = Number(coefficient(schedule, liquidity)) / 10_000;
  return c * (schedule.multiplier / FEE_MULTIPLIER_SCALE) * priceDollars * (1 - priceDollars);
}

/** Balance precision of an account in Cash units: 100 = cents (ordinary members), 1 = $0.0001 (direct). */
export type BalancePrecision = 1 | 100;

/** The cash effect of one fill on an account. */
export interface FillCashFlow {
  /** Signed change of the balance (revenue − fees, floored to the account's precision). */
  readonly balanceChange: Cash;
  /** Total fee charged for this fill: trade fee + rounding fee − rebate. */
  readonly fee: Cash;
}

/**
 * The per-order rounding accumulator of §10.2: when the balance has cent precision, each fill's
 * balance change is floored to the cent; the overpayment accumulates per order, and each time it
 * exceeds $0.01 a $0.01 rebate is paid back.
 */
export class FeeRoundingAccumulator {
  private overpaid = 0;

  constructor(private readonly precision: BalancePrecision) {}

  /** Returns the balance change and fee of a fill with signed `revenue` (negative for the buyer). */
  apply(revenue: Cash, fee: Cash): FillCashFlow {
    const raw = revenue - fee;
    const floored = Math.floor(raw / this.precision) * this.precision;
    const roundingFee = raw - floored;
    this.overpaid += roundingFee;
    let rebate = 0;
    while (this.overpaid > 100) {
      this.overpaid -= 100;
      rebate += 100;
    }
    return { balanceChange: (floored + rebate) as Cash, fee: (fee + roundingFee - rebate) as Cash };
  }
}
