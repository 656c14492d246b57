/**
 * The simulated account of a backtest: cash, positions, collateral and fees, booked with the matching
 * engine's own ledger (exchange/matching: `AccountState`, `bookFill`, `trackResting`, `refreshLock`,
 * `checkBalance`), so a backtest's cash and fees are what the exchange would debit, to $0.0001.
 *
 * - Fees: each fill's trade fee is rounded up to $0.0001; on a cent-precision account (the default,
 *   ordinary members) the balance change is floored to the cent and the order's rounding accumulator
 *   rebates $0.01 each time its overpayment exceeds $0.01 (kalshi-api.md §10.2, core/fees.ts).
 * - Collateral, only when a starting cash is set: an order (or amend) is refused with the engine's
 *   `available_balance_too_low` when the lock it adds exceeds cash − locked. The lock is the engine's
 *   (price × remaining per side, netted against the opposite position, plus the maker fee and $0.01
 *   rounding reserve per order). Two differences, both because our orders take effect after the
 *   latency model's delay while the check happens at the call: a non-post-only order holds its taker
 *   fee reserve until it arrives, and an amend in flight holds the worse of its old and new terms.
 *
 * The ledger keeps the exchange's cash convention: selling YES without holding it buys NO at 1 − p.
 * `MarketMetrics` keeps YES-leg cash (the sale brings p): the two differ by $1 per NO contract held,
 * and the fee of every fill is the same in both (the difference is whole cents, so the cent flooring
 * does not see it).
 */
import { CASH_SCALE, type BalancePrecision, type Cash, type Count, type FeeSchedule, type Liquidity, type Price } from '../core/index.js';
import { AccountState, bookFill, checkBalance, EngineRejection, feeReserve, refreshLock, trackResting, type FillOutcome } from '../exchange/matching/index.js';
import type { SimOrder } from './sim-order.js';

/** Starting balance reported when collateral is not enforced ($1,000,000, the backtest's old fixed balance). */
export const UNLIMITED_STARTING_CASH = (1_000_000 * CASH_SCALE) as Cash;

/** Account settings of a backtest. */
export interface AccountSettings {
  /** Starting cash. Undefined: collateral is not enforced (no order is refused for balance; the balance starts at $1,000,000). */
  readonly startingCash?: Cash;
  /** Balance precision: 100 = cents (ordinary members, default), 1 = $0.0001 (direct members). */
  readonly precision?: BalancePrecision;
}

/** The simulated account of one run. */
export class SimAccount {
  readonly state: AccountState;
  /** Whether orders the account cannot afford are refused. */
  readonly enforced: boolean;
  /** Order-entry requests (creates and amends) refused for balance. */
  balanceRejections = 0;

  constructor(
    settings: AccountSettings,
    private readonly fees: FeeSchedule,
  ) {
    this.enforced = settings.startingCash !== undefined;
    this.state = new AccountState('backtest', settings.startingCash ?? UNLIMITED_STARTING_CASH, { precision: settings.precision ?? 100 });
  }

  /**
   * Checks a new order against the balance (when enforced) and locks its collateral.
   * @throws EngineRejection `available_balance_too_low`.
   */
  open(order: SimOrder): void {
    if (this.enforced) this.check(order.ticker, { side: order.side, price: order.price, remaining: order.remaining as Count }, undefined, !order.postOnly);
    order.lockPrice = order.price;
    order.lockRemaining = order.remaining;
    trackResting(this.state, order.ticker, { side: order.side, price: order.price, remaining: order.remaining as Count }, this.fees, 1);
    if (!order.postOnly) {
      order.takerReserve = feeReserve(this.fees, this.state.precision, order.price, order.remaining as Count, 'taker');
      this.state.locked += order.takerReserve;
    }
    refreshLock(this.state, order.ticker, this.fees);
  }

  /** Releases the taker fee reserve of an order that has arrived (taken what it could) or ended. */
  arrived(order: SimOrder): void {
    if (order.takerReserve === 0) return;
    this.state.locked -= order.takerReserve;
    order.takerReserve = 0;
  }

  /**
   * Checks an amend to `price` and `remaining` (when enforced) and, while it is in flight, locks the
   * worse of the old and new terms, so a fill at either is covered.
   * @throws EngineRejection `available_balance_too_low`.
   */
  amendSent(order: SimOrder, price: Price, remaining: number, crosses: boolean): void {
    const worstPrice = (order.side === 'bid' ? Math.max(order.lockPrice, price) : Math.min(order.lockPrice, price)) as Price;
    const worstRemaining = Math.max(order.lockRemaining, remaining);
    if (this.enforced) {
      const current = { side: order.side, price: order.lockPrice, remaining: order.lockRemaining as Count };
      this.check(order.ticker, { side: order.side, price: worstPrice, remaining: worstRemaining as Count }, current, crosses);
    }
    order.amendsInFlight++;
    this.relock(order, worstPrice, worstRemaining);
  }

  /** After an amend took effect: locks the order's own terms unless another amend is still in flight. */
  amendApplied(order: SimOrder): void {
    order.amendsInFlight--;
    if (order.state === 'done') return;
    if (order.amendsInFlight > 0) this.relock(order, order.side === 'bid' ? (Math.max(order.lockPrice, order.price) as Price) : (Math.min(order.lockPrice, order.price) as Price), Math.max(order.lockRemaining, order.remaining));
    else this.relock(order, order.price, order.remaining);
  }

  /** After a decrease by `by` took effect. */
  decreased(order: SimOrder, by: number): void {
    this.relock(order, order.lockPrice, Math.max(0, order.lockRemaining - by));
  }

  /** Books a fill of `count` at YES price `price`: the order's lock shrinks, cash and fees as the exchange books them. */
  fill(order: SimOrder, price: Price, count: Count, liquidity: Liquidity, nowMs: number): FillOutcome {
    if (order.lockRemaining > 0) trackResting(this.state, order.ticker, { side: order.side, price: order.lockPrice, remaining: order.lockRemaining as Count }, this.fees, -1);
    order.lockRemaining = Math.max(0, order.lockRemaining - count);
    if (order.lockRemaining > 0) trackResting(this.state, order.ticker, { side: order.side, price: order.lockPrice, remaining: order.lockRemaining as Count }, this.fees, 1);
    const out = bookFill(this.state, order, { side: order.side, price, count, liquidity, fees: this.fees, nowMs });
    refreshLock(this.state, order.ticker, this.fees);
    return out;
  }

  /** Releases everything an ended order held. */
  close(order: SimOrder): void {
    this.arrived(order);
    this.relock(order, order.lockPrice, 0);
  }

  /** Cash − locked: what new orders can use (Kalshi's `balance`). */
  available(): Cash {
    return (this.state.cash - this.state.locked) as Cash;
  }

  private relock(order: SimOrder, price: Price, remaining: number): void {
    if (price === order.lockPrice && remaining === order.lockRemaining) return;
    if (order.lockRemaining > 0) trackResting(this.state, order.ticker, { side: order.side, price: order.lockPrice, remaining: order.lockRemaining as Count }, this.fees, -1);
    order.lockPrice = price;
    order.lockRemaining = remaining;
    if (remaining > 0) trackResting(this.state, order.ticker, { side: order.side, price, remaining: remaining as Count }, this.fees, 1);
    refreshLock(this.state, order.ticker, this.fees);
  }

  private check(ticker: string, extra: { side: SimOrder['side']; price: Price; remaining: Count }, replacing: { side: SimOrder['side']; price: Price; remaining: Count } | undefined, crosses: boolean): void {
    try {
      checkBalance(this.state, ticker, this.fees, extra, replacing, crosses);
    } catch (error) {
      if (error instanceof EngineRejection) this.balanceRejections++;
      throw error;
    }
  }
}
