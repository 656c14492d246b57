/**
 * Collateral of our own orders on one side of a market, as the exchange will see it when the maker's
 * next request on that side arrives. The exchange checks each request alone: a create or an amend is
 * accepted when the market's lock after it minus the lock before it fits the available balance
 * (cash − everything locked; core/collateral.ts). So what a new quote may use depends on what already
 * rests on the same side:
 *
 * - orders whose cancel is in flight, and duplicates the maker is about to cancel, still lock;
 * - the order the planner keeps (the one closest in price, orders/plan.ts) is amended into the new
 *   quote. The backtest simulator holds an amend in flight at the worse of the old and new terms
 *   (higher bid price or lower ask price, larger count: backtest/sim-account.ts), stricter than the
 *   live rule (new lock − current lock), so the sizing uses the simulator's terms and fits both;
 * - an amend already in flight shows its old terms in the order manager's view: its new terms are the
 *   quote sized the cycle before, so the keeper counts at the worse of the two.
 *
 * A side's lock is computed on the side's totals (the netting credit against the opposite position
 * applies once per side, not once per order), plus each order's fee and rounding reserves.
 */
import { PRICE_SCALE, orderFeeReserve, sideCollateral, type BookSide, type Count, type FeeSchedule, type Price } from '../core/index.js';
import type { RestingOrder } from './types.js';

/**
 * Balance precision assumed for the rounding reserve: cents. A direct member's account ($0.0001
 * precision) reserves $0.01 less per order, so assuming cents errs on the safe side.
 */
const CENT_PRECISION = 100;

/** One order's terms as the collateral rule sees them (count in hundredths). */
export interface QuoteTerms {
  readonly side: BookSide;
  readonly price: Price;
  readonly count: Count;
}

/** What besides its terms decides an order's collateral. */
export interface CollateralContext {
  /** Signed position in the market (hundredths): a bid nets against NO held, an ask against YES held. */
  readonly position: number;
  readonly fees: FeeSchedule;
  /** True when orders are not post-only: the exchange then also holds a taker fee reserve per order. */
  readonly takerReserve: boolean;
}

/** Our orders on one side of a market, split as the next request on that side will meet them. */
export interface SideOrders {
  readonly side: BookSide;
  /** Orders that keep their lock whatever the maker sends next (cancelling ones, duplicates). */
  readonly others: readonly QuoteTerms[];
  /** The order a new quote amends (absent: a new quote is a create). */
  readonly keeper?: QuoteTerms;
}

/** Returns the collateral the exchange locks for `orders`, all on `side` of one market, Cash. */
export function sideLock(side: BookSide, orders: readonly QuoteTerms[], context: CollateralContext): number {
  let legMicros = 0;
  let count = 0;
  let reserve = 0;
  for (const o of orders) {
    legMicros += (side === 'bid' ? o.price : PRICE_SCALE - o.price) * o.count;
    count += o.count;
    reserve += orderFeeReserve(context.fees, CENT_PRECISION, o.price, o.count);
    if (context.takerReserve) reserve += orderFeeReserve(context.fees, CENT_PRECISION, o.price, o.count, 'taker');
  }
  return sideCollateral(legMicros, count, side === 'bid' ? -context.position : context.position) + reserve;
}

/**
 * Returns the collateral the exchange locks for `quote` resting alone on its side, Cash: the leg cost
 * netted against the opposite position, the maker fee on the whole count and the $0.01 rounding
 * reserve, plus the taker fee reserve when orders may cross.
 */
export function quoteCollateral(quote: QuoteTerms, context: CollateralContext): number {
  return sideLock(quote.side, [quote], context);
}

/** Returns the side's lock now: every order at its current terms. */
export function lockNow(orders: SideOrders, context: CollateralContext): number {
  return sideLock(orders.side, orders.keeper ? [...orders.others, orders.keeper] : orders.others, context);
}

/** Returns the side's lock once `quote` is sent (a create, or an amend of the keeper at its worse terms). */
export function lockAfter(orders: SideOrders, quote: QuoteTerms, context: CollateralContext): number {
  const placed = orders.keeper ? worseTerms(orders.keeper, quote) : quote;
  return sideLock(orders.side, [...orders.others, placed], context);
}

/** Returns the worse of two terms of one order: the higher bid or lower ask price, the larger count. */
export function worseTerms(a: QuoteTerms, b: QuoteTerms): QuoteTerms {
  const price = (a.side === 'bid' ? Math.max(a.price, b.price) : Math.min(a.price, b.price)) as Price;
  return { side: a.side, price, count: Math.max(a.count, b.count) as Count };
}

/**
 * Returns our orders on `side` split for the next request toward `wanted` (the desired price): the
 * keeper is the order the planner keeps (closest in price, then the larger), the rest stay locked.
 * `sized` is the quote sized the cycle before (the terms of an amend or create that may be in flight);
 * without `resting` (the caller does not know its orders) it stands in for the keeper.
 */
export function splitSide(side: BookSide, wanted: Price, resting: readonly RestingOrder[] | undefined, sized: QuoteTerms | undefined): SideOrders {
  if (resting === undefined) return sized ? { side, others: [], keeper: sized } : { side, others: [] };
  const others: QuoteTerms[] = [];
  let keeper: RestingOrder | undefined;
  for (const o of resting) {
    if (o.side !== side || o.remaining <= 0) continue;
    if (o.inFlight === 'cancel') {
      others.push(terms(o));
    } else if (keeper === undefined || closer(o, keeper, wanted)) {
      if (keeper) others.push(terms(keeper));
      keeper = o;
    } else {
      others.push(terms(o));
    }
  }
  if (keeper === undefined) return { side, others };
  // An amend in flight still shows its old terms; the new ones are the quote sized before.
  const kept = keeper.inFlight === 'amend' && sized ? worseTerms(terms(keeper), sized) : terms(keeper);
  return { side, others, keeper: kept };
}

function terms(o: RestingOrder): QuoteTerms {
  return { side: o.side, price: o.price, count: o.remaining };
}

function closer(a: RestingOrder, b: RestingOrder, wanted: Price): boolean {
  const da = Math.abs(a.price - wanted);
  const db = Math.abs(b.price - wanted);
  return da < db || (da === db && a.remaining > b.remaining);
}
