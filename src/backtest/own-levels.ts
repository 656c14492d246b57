/**
 * Our resting orders in the book the agent sees. Live, Kalshi's book (the REST snapshot and the
 * `orderbook_delta` stream) includes our own resting orders, and the MarketMaker takes them out again
 * to read the market as others quote it (bot/own-book.ts). The recording has none of our orders, so
 * the backtest adds them to what the agent sees: the simulator emits a `book_delta` into the run's
 * outbox whenever an order's live size changes (`SimMatching.showOwn`), and every snapshot the agent
 * gets (a recorded one, `getOrderBook`, a stream resync) carries our shown sizes. The recorded book the
 * simulator fills against, shared by every run of a grid, never sees them.
 *
 * A YES bid of ours is a 'yes' leg bid at its price; an ask of ours is a 'no' leg bid at 1 − price
 * (kalshi-api.md §3.4).
 */
import { PRICE_SCALE, type BookLevel, type BookSide, type Count, type OutcomeSide, type PortEvent, type Price } from '../core/index.js';
import type { SimOrder } from './sim-order.js';

/** Returns the leg on which an order of ours on `side` rests in Kalshi's bids-only book. */
function legOf(side: BookSide): OutcomeSide {
  return side === 'bid' ? 'yes' : 'no';
}

/** Returns the leg price of our `side` order at the YES price `price`. */
function legPrice(side: BookSide, price: Price): Price {
  return side === 'bid' ? price : ((PRICE_SCALE - price) as Price);
}

/** Returns the `book_delta` of a change of `delta` hundredths in our `side` size at the YES price `price`. */
export function ownDelta(ticker: string, side: BookSide, price: Price, delta: number, recvMs: number): PortEvent {
  return { type: 'book_delta', recvMs, ticker, side: legOf(side), price: legPrice(side, price), delta: delta as Count };
}

/** True when any of `orders` is shown in the agent's book. */
export function hasShown(orders: readonly SimOrder[]): boolean {
  for (const o of orders) if (o.shown > 0) return true;
  return false;
}

/** Adds `count` (may be negative) at `price` to the ascending leg levels `out`, in place: a level left empty goes. */
function addAt(out: BookLevel[], price: Price, count: number): void {
  const same = out.findIndex((l) => l.price === price);
  const level = out[same];
  if (level !== undefined) {
    const left = level.count + count;
    if (left > 0) out[same] = { price, count: left as Count };
    else out.splice(same, 1);
    return;
  }
  if (count <= 0) return;
  const after = out.findIndex((l) => l.price > price);
  out.splice(after < 0 ? out.length : after, 0, { price, count: count as Count });
}

/**
 * Returns the leg `leg`'s bids (leg prices, ascending, as Kalshi sends them) with the shown sizes of
 * our `orders` on that leg added; `levels` itself when none of ours is on it. A level of ours absent
 * from `levels` is inserted in price order.
 */
export function withOwnLevels(levels: readonly BookLevel[], orders: readonly SimOrder[], leg: OutcomeSide): readonly BookLevel[] {
  let out: BookLevel[] | undefined;
  for (const o of orders) {
    if (o.shown <= 0 || legOf(o.side) !== leg) continue;
    out ??= levels.slice();
    addAt(out, legPrice(o.side, o.shownPrice), o.shown);
  }
  return out ?? levels;
}

/**
 * Returns `levels` of leg `leg` without the `book_delta`s of `pending` (our own, queued for the agent
 * but not yet handed to it): the book as the agent's own book has it at this point of the replay.
 */
export function withoutPending(
  levels: readonly BookLevel[],
  pending: readonly PortEvent[],
  ticker: string,
  leg: OutcomeSide,
): readonly BookLevel[] {
  let out: BookLevel[] | undefined;
  for (const e of pending) {
    if (e.type !== 'book_delta' || e.ticker !== ticker || e.side !== leg) continue;
    out ??= levels.slice();
    addAt(out, e.price, -e.delta);
  }
  return out ?? levels;
}

/** Returns `event` as the agent of a simulator whose `orders` rest in its market sees it: with our shown sizes added. */
export function snapshotWithOwn(event: Extract<PortEvent, { type: 'book_snapshot' }>, orders: readonly SimOrder[]): PortEvent {
  return { ...event, yes: withOwnLevels(event.yes, orders, 'yes'), no: withOwnLevels(event.no, orders, 'no') };
}
