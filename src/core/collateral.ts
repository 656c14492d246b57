/**
 * The exchange's collateral rule as pure arithmetic, shared by the matching engine (which enforces it,
 * exchange/matching/ledger.ts) and the risk manager (which sizes quotes so that the engine never has
 * to refuse one). Rules (kalshi-api.md §7 collateral model, §10.2 rounding; docs/exchange-engine.md):
 *
 * - One book side of a market's resting orders locks what it could cost if every order filled:
 *   Σ leg price × remaining, rounded up to $0.0001, minus $1 per contract that would close an opposite
 *   position (a bid against NO held, an ask against YES held), never below 0. This is the worst case
 *   over any partial fill, because a closing contract returns more ($1) than it costs.
 * - The two sides add up (each can fill on its own), and every resting order also reserves its fee on
 *   the remaining count plus, on cent-precision accounts, $0.01 for its fee-rounding accumulator.
 * - A new order or an amend is accepted when the market's lock after it, minus the lock before it,
 *   is at most the available balance (cash − everything locked).
 */
import { tradeFee, type BalancePrecision, type FeeSchedule, type Liquidity } from './fees.js';
import { cashFromMicros, type Count, type Price } from './money.js';

/** Cash returned per hundredth of a contract when a YES+NO pair closes ($1 per contract). */
const PAYOUT_PER_HUNDREDTH = 100;

/** Cash a cent-precision account reserves per resting order for its fee-rounding accumulator ($0.01). */
export const ORDER_ROUNDING_RESERVE = 100;

/**
 * Returns the collateral one book side of a market's resting orders needs, Cash: the side's leg cost
 * (`legCostMicros` = Σ leg price × remaining, micros) rounded up, minus $1 for each of its `count`
 * hundredths that would close one of the `offsetting` hundredths of the opposite position, never below 0.
 */
export function sideCollateral(legCostMicros: number, count: number, offsetting: number): number {
  return Math.max(0, cashFromMicros(legCostMicros, 'ceil') - PAYOUT_PER_HUNDREDTH * Math.min(count, Math.max(0, offsetting)));
}

/**
 * Returns the fee reserve of one resting order, Cash: its `liquidity` fee on the remaining count
 * (rounded up once, as the exchange charges a fill), plus $0.01 on a cent-precision account.
 */
export function orderFeeReserve(fees: FeeSchedule, precision: BalancePrecision, price: Price, remaining: Count, liquidity: Liquidity = 'maker'): number {
  return tradeFee(fees, liquidity, remaining, price) + (precision === 100 ? ORDER_ROUNDING_RESERVE : 0);
}
