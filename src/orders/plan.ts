/**
 * `planActions`: desired quotes vs our live orders → the fewest exchange actions. Pure, so every rule
 * below is a unit test (plan.test.ts).
 *
 * Rules, per book side:
 *  1. A side with an unanswered create, amend or decrease, or an order whose create outcome is unknown,
 *     is left alone: never two in-flight actions on one order, never a second create for one quote.
 *     Orders with a cancel in flight count as gone.
 *  2. No desired quote (or a zero count) → cancel every order on the side.
 *  3. Otherwise keep the order closest in price to the desired one and cancel the others (duplicates
 *     appear after a reconnect or an adopted order from an earlier run).
 *  4. Price within `requoteThresholdPrice`: a larger-than-wanted order is always DECREASED, because
 *     risk may have cut the size to keep a fill inside a limit (and Kalshi keeps queue priority on a
 *     size decrease, kalshi-api.md §5.2); a smaller one is amended up only when it falls short by more
 *     than `sizeTolerance` (an amend up loses priority, so partly filled quotes may rest); else nothing.
 *  5. Price moved beyond the threshold: amend (price change goes to the back of the queue either way,
 *     and one request is cheaper than two) or, with `amend: false`, cancel and create.
 * Amend counts are totals: already filled + desired remaining (trap 8). When our fill count is behind
 * the exchange's, the amended order rests with fewer contracts than wanted, never more.
 */
import type { BookSide, Count, DesiredQuote, DesiredQuotes } from '../core/index.js';
import type { LiveOrder, OrderAction, PlanParams } from './types.js';

const SIDES: readonly BookSide[] = ['bid', 'ask'];

/**
 * Returns the actions that turn `live` into `desired`. Orders of other tickers are ignored.
 * The result lists cancels first, so a caller that sends them in order frees collateral before creating.
 */
export function planActions(live: readonly LiveOrder[], desired: DesiredQuotes, params: PlanParams): OrderAction[] {
  const cancels: OrderAction[] = [];
  const others: OrderAction[] = [];
  for (const side of SIDES) {
    const orders = live.filter((o) => o.ticker === desired.ticker && o.side === side && o.inFlight !== 'cancel');
    if (orders.some((o) => o.inFlight !== undefined || o.orderId === undefined)) continue;
    const want = side === 'bid' ? desired.bid : desired.ask;
    planSide(side, orders, want, params, cancels, others);
  }
  return [...cancels, ...others];
}

function planSide(
  side: BookSide,
  orders: readonly LiveOrder[],
  want: DesiredQuote | undefined,
  params: PlanParams,
  cancels: OrderAction[],
  others: OrderAction[],
): void {
  if (want === undefined || want.count <= 0) {
    for (const o of orders) cancels.push(cancelOf(o, 'unwanted'));
    return;
  }
  const keeper = closest(orders, want);
  for (const o of orders) if (o !== keeper) cancels.push(cancelOf(o, 'duplicate'));
  if (keeper === undefined || keeper.orderId === undefined) {
    others.push({ kind: 'create', side, price: want.price, count: want.count });
    return;
  }
  const orderId = keeper.orderId;
  const priceOk = Math.abs(keeper.price - want.price) <= params.requoteThresholdPrice;
  if (priceOk) {
    if (keeper.remaining > want.count) {
      others.push({ kind: 'decrease', clientOrderId: keeper.clientOrderId, orderId, side, reduceTo: want.count });
    } else if (keeper.remaining < want.count - params.sizeTolerance) {
      others.push(amendOf(keeper, orderId, want, params));
    }
    return;
  }
  if (params.amend) {
    others.push(amendOf(keeper, orderId, want, params));
  } else {
    cancels.push(cancelOf(keeper, 'replace'));
    others.push({ kind: 'create', side, price: want.price, count: want.count });
  }
}

function amendOf(keeper: LiveOrder, orderId: string, want: DesiredQuote, params: PlanParams): OrderAction {
  if (!params.amend) {
    // Without amends a size increase is a cancel-and-create; callers pass amend:false only when the
    // venue cannot amend, so the create below is planned by the next cycle after the cancel lands.
    return cancelOf(keeper, 'replace');
  }
  return { kind: 'amend', clientOrderId: keeper.clientOrderId, orderId, side: keeper.side, price: want.price, count: (keeper.filled + want.count) as Count };
}

function cancelOf(order: LiveOrder, reason: 'unwanted' | 'duplicate' | 'replace'): OrderAction {
  return { kind: 'cancel', clientOrderId: order.clientOrderId, orderId: order.orderId ?? '', side: order.side, reason };
}

function closest(orders: readonly LiveOrder[], want: DesiredQuote): LiveOrder | undefined {
  let best: LiveOrder | undefined;
  for (const o of orders) {
    if (best === undefined) {
      best = o;
      continue;
    }
    const d = Math.abs(o.price - want.price);
    const bestD = Math.abs(best.price - want.price);
    if (d < bestD || (d === bestD && o.remaining > best.remaining)) best = o;
  }
  return best;
}
