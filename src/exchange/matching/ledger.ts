/**
 * Accounts, positions and collateral. Rules (docs/exchange-engine.md):
 *
 * - Positions are netted per market: buying YES while long NO closes NO first, and each closed
 *   YES+NO pair pays back $1 (kalshi-api.md §3.3, §7).
 * - A resting bid side locks what it could cost if every bid filled: Σ price × remaining, minus $1 for
 *   each contract that would close an existing NO position, never below 0; an ask side the same with
 *   NO prices (1 − p) against a YES position. This is the worst case over any partial fill, because a
 *   closing contract returns more ($1) than it costs, and an opening one only costs.
 * - Each resting order also reserves its maker fee on the remaining count plus, for cent-precision
 *   accounts, $0.01 for the fee-rounding accumulator (it never holds more than $0.01 per order).
 * - Leg costs are rounded up to $0.0001 per fill; the buyer's and seller's costs of one trade add up
 *   to $1 per contract plus at most $0.0001, which the exchange keeps as rounding income.
 */
import {
  cashFromMicros,
  orderFeeReserve,
  sideCollateral,
  tradeFee,
  type BalancePrecision,
  type BookSide,
  type Cash,
  type Count,
  type FeeSchedule,
  type Fill,
  type Liquidity,
  type Price,
} from '../../core/index.js';
import { reject } from './errors.js';
import type { OrderRecord } from './order-record.js';
import type { AccountBalance, EnginePosition, EngineSettlement } from './types.js';

/** Cash units paid per hundredth of a contract at settlement or when a YES+NO pair closes ($1 per contract). */
export const PAYOUT_PER_HUNDREDTH = 100;
/** Micros per hundredth of a contract at $1. */
const MICROS_PER_HUNDREDTH = 10_000;

/** Options of a new account. */
export interface AccountOptions {
  /** Balance precision: 100 = cents (ordinary members), 1 = $0.0001 (direct members). */
  readonly precision?: BalancePrecision;
  /** Finished orders (and fills) kept queryable per account; the oldest are dropped in batches once 25 % (at least 64) more pile up. Default: all. */
  readonly historyLimit?: number;
}

/** The engine's mutable position state in one market. */
export interface PositionState {
  readonly ticker: string;
  position: number;
  /** Cost of the contracts held, micros. */
  costMicros: number;
  realizedMicros: number;
  feesPaid: number;
  volume: number;
  tradedMicros: number;
  lastUpdatedMs: number;
}

/** One account inside the engine. */
export class AccountState {
  cash: number;
  locked = 0;
  readonly lockByMarket = new Map<string, number>();
  readonly positions = new Map<string, PositionState>();
  /** Resting orders per market, in the order they (re)entered the book. */
  readonly resting = new Map<string, Set<OrderRecord>>();
  /** Running totals of the resting orders per market, so a lock is computed in O(1). */
  readonly totals = new Map<string, RestingTotals>();
  openOrders = 0;
  readonly clientIds = new Map<string, string>();
  /** The account's orders still queryable, in creation order. */
  readonly orders = new Map<string, OrderRecord>();
  /** Ids of finished orders, oldest first (pruned past `historyLimit`). */
  readonly finished: string[] = [];
  readonly fills: Fill[] = [];
  readonly settlements: EngineSettlement[] = [];
  readonly precision: BalancePrecision;
  readonly historyLimit: number;

  constructor(
    readonly id: string,
    startingBalance: Cash,
    options: AccountOptions = {},
  ) {
    this.cash = startingBalance;
    this.precision = options.precision ?? 100;
    this.historyLimit = options.historyLimit ?? Infinity;
  }

  /** Returns the position state of a market, creating a flat one. */
  position(ticker: string, nowMs: number): PositionState {
    let state = this.positions.get(ticker);
    if (!state) {
      state = { ticker, position: 0, costMicros: 0, realizedMicros: 0, feesPaid: 0, volume: 0, tradedMicros: 0, lastUpdatedMs: nowMs };
      this.positions.set(ticker, state);
    }
    return state;
  }

  /** Returns the resting orders of a market (a live set). */
  restingIn(ticker: string): Set<OrderRecord> {
    let set = this.resting.get(ticker);
    if (!set) {
      set = new Set();
      this.resting.set(ticker, set);
    }
    return set;
  }

  /** Returns the account's balance view. */
  balance(): AccountBalance {
    return { accountId: this.id, cash: this.cash as Cash, locked: this.locked as Cash, available: (this.cash - this.locked) as Cash, precision: this.precision };
  }
}

/** Sums over an account's resting orders in one market. */
export interface RestingTotals {
  /** Σ price × remaining of bids, micros. */
  bidMicros: number;
  bidCount: number;
  /** Σ (1 − price) × remaining of asks, micros. */
  askMicros: number;
  askCount: number;
  /** Σ fee reserves. */
  reserve: number;
  /** Number of resting reduce-only orders. */
  reduceOnly: number;
}

/** What the lock computation needs of a resting (or hypothetical) order. */
export interface LockedOrder {
  readonly side: BookSide;
  readonly price: Price;
  readonly remaining: Count;
  readonly reduceOnly?: boolean;
}

/** Returns the fee reserve of one resting order: its fee on the remaining count, plus the rounding reserve. */
export function feeReserve(fees: FeeSchedule, precision: BalancePrecision, price: Price, remaining: Count, liquidity: Liquidity = 'maker'): number {
  return orderFeeReserve(fees, precision, price, remaining, liquidity);
}

function addTo(totals: RestingTotals, order: LockedOrder, fees: FeeSchedule, precision: BalancePrecision, sign: 1 | -1): void {
  if (order.side === 'bid') {
    totals.bidMicros += sign * order.price * order.remaining;
    totals.bidCount += sign * order.remaining;
  } else {
    totals.askMicros += sign * (10_000 - order.price) * order.remaining;
    totals.askCount += sign * order.remaining;
  }
  totals.reserve += sign * feeReserve(fees, precision, order.price, order.remaining);
  if (order.reduceOnly === true) totals.reduceOnly += sign;
}

/**
 * Adds (`sign` 1) or removes (−1) a resting order's contribution to its market's totals. Call it
 * with −1 before any change of a resting order's price or remaining and with 1 after.
 */
export function trackResting(account: AccountState, ticker: string, order: LockedOrder, fees: FeeSchedule, sign: 1 | -1): void {
  let totals = account.totals.get(ticker);
  if (!totals) {
    totals = { bidMicros: 0, bidCount: 0, askMicros: 0, askCount: 0, reserve: 0, reduceOnly: 0 };
    account.totals.set(ticker, totals);
  }
  addTo(totals, order, fees, account.precision, sign);
}

/**
 * Returns the collateral an account must hold for its resting orders in one market (plus `extra`,
 * without `exclude`, when given), with the rules in the file comment.
 */
export function marketLock(account: AccountState, ticker: string, fees: FeeSchedule, extra?: LockedOrder, exclude?: LockedOrder): number {
  const position = account.positions.get(ticker)?.position ?? 0;
  const totals: RestingTotals = { ...(account.totals.get(ticker) ?? { bidMicros: 0, bidCount: 0, askMicros: 0, askCount: 0, reserve: 0, reduceOnly: 0 }) };
  if (extra) addTo(totals, extra, fees, account.precision, 1);
  if (exclude) addTo(totals, exclude, fees, account.precision, -1);
  // The arithmetic is core's (core/collateral.ts), so the risk manager sizes with the same rule.
  return sideCollateral(totals.bidMicros, totals.bidCount, -position) + sideCollateral(totals.askMicros, totals.askCount, position) + totals.reserve;
}

/** Recomputes and stores an account's lock in one market; returns the new total lock. */
export function refreshLock(account: AccountState, ticker: string, fees: FeeSchedule): number {
  const before = account.lockByMarket.get(ticker) ?? 0;
  const after = marketLock(account, ticker, fees);
  if (after === 0) account.lockByMarket.delete(ticker);
  else account.lockByMarket.set(ticker, after);
  account.locked += after - before;
  return account.locked;
}

/**
 * Checks that an account can afford `extra` resting in market `ticker` (in place of `replacing`, for
 * an amend), plus the taker fee reserve when the order `crosses`: the lock it would add must not
 * exceed the available balance (cash − locked). Used by the engine and by the backtest simulator.
 * @throws EngineRejection `available_balance_too_low`.
 */
export function checkBalance(account: AccountState, ticker: string, fees: FeeSchedule, extra: LockedOrder, replacing?: LockedOrder, crosses = true): void {
  const current = account.lockByMarket.get(ticker) ?? 0;
  const takerReserve = crosses ? feeReserve(fees, account.precision, extra.price, extra.remaining, 'taker') : 0;
  const need = marketLock(account, ticker, fees, extra, replacing) - current + takerReserve;
  const available = account.cash - account.locked;
  if (need > available) {
    throw reject('available_balance_too_low', `balance: available was ${available}, the order needs ${need} ($0.0001 units)`);
  }
}

/** One side of a fill as the ledger books it. */
export interface FillBooking {
  readonly side: BookSide;
  /** YES price of the trade. */
  readonly price: Price;
  readonly count: Count;
  readonly liquidity: Liquidity;
  readonly fees: FeeSchedule;
  readonly nowMs: number;
}

/** What booking a fill did to the account. */
export interface FillOutcome {
  /** Leg cost in Cash (rounded up), paid by this side. */
  readonly legCost: number;
  /** Exact leg cost in micros. */
  readonly legCostMicros: number;
  /** Total fee charged: trade fee + rounding fee − rebate. */
  readonly fee: number;
  readonly balanceChange: number;
  /** Position after the fill. */
  readonly position: number;
}

/**
 * Books one fill: cash (leg cost, $1 back per closed pair, fees through the order's accumulator),
 * position, cost basis, realized PnL, fees paid and volume.
 */
export function bookFill(account: AccountState, order: Pick<OrderRecord, 'ticker' | 'accumulator'>, booking: FillBooking): FillOutcome {
  const { side, price, count, nowMs } = booking;
  const state = account.position(order.ticker, nowMs);
  const legPrice = side === 'bid' ? price : 10_000 - price;
  const legCostMicros = legPrice * count;
  const legCost = cashFromMicros(legCostMicros, 'ceil');
  const held = side === 'bid' ? Math.max(0, -state.position) : Math.max(0, state.position);
  const closed = Math.min(count, held);
  const opened = count - closed;
  const revenue = -legCost + PAYOUT_PER_HUNDREDTH * closed;
  const flow = order.accumulator.apply(revenue as Cash, tradeFee(booking.fees, booking.liquidity, count, price));
  account.cash += flow.balanceChange;

  if (closed > 0) {
    const released = closed === held ? state.costMicros : Math.round((state.costMicros * closed) / held);
    state.realizedMicros += MICROS_PER_HUNDREDTH * closed - legPrice * closed - released;
    state.costMicros -= released;
  }
  state.costMicros += legPrice * opened;
  state.position += side === 'bid' ? count : -count;
  state.feesPaid += flow.fee;
  state.volume += count;
  state.tradedMicros += price * count;
  state.lastUpdatedMs = nowMs;
  return { legCost, legCostMicros, fee: flow.fee, balanceChange: flow.balanceChange, position: state.position };
}

/** Returns a position's reported view. */
export function positionView(state: PositionState): EnginePosition {
  return {
    ticker: state.ticker,
    position: state.position as Count,
    exposure: cashFromMicros(state.costMicros, 'ceil'),
    realizedPnl: cashFromMicros(state.realizedMicros, 'half-even'),
    feesPaid: state.feesPaid as Cash,
    volume: state.volume as Count,
    totalTraded: cashFromMicros(state.tradedMicros, 'ceil'),
    lastUpdatedMs: state.lastUpdatedMs,
  };
}
