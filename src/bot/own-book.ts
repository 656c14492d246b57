/**
 * The market as others quote it. Our own resting orders are on the exchange's book, so a fair price
 * read from the raw book follows our quotes: with an inventory skew, each requote moves the mid our
 * way and the next requote moves further — the quotes walk away by themselves. The maker therefore
 * reads best bid/ask, sizes, mid, spread and micro-price with our orders' remaining sizes taken out.
 * (The market-data volatility estimate still sees the raw mid; its EWMA damps the effect.)
 */
import { PRICE_SCALE, type BookLevel, type Count, type L2Book, type OutcomeSide, type Price } from '../core/index.js';
import { microPrice, type MarketSnapshot } from '../marketdata/index.js';
import type { LiveOrder } from '../orders/index.js';

/** Returns our remaining size on `side` at `price` (a few orders at most: a loop beats a Map here). */
function ownAt(orders: readonly LiveOrder[], side: 'bid' | 'ask', price: number): number {
  let total = 0;
  for (const o of orders) if (o.side === side && o.price === price && o.orderId !== undefined && o.remaining > 0) total += o.remaining;
  return total;
}

/** Returns the best level of `levels` (best first) after removing our `side` sizes per price, if any remains. */
function bestExcluding(levels: readonly BookLevel[], orders: readonly LiveOrder[], side: 'bid' | 'ask'): BookLevel | undefined {
  for (const level of levels) {
    const left = level.count - ownAt(orders, side, level.price);
    if (left > 0) return { price: level.price, count: left as Count };
  }
  return undefined;
}

/**
 * Returns `snapshot` with the top of book recomputed without our `orders` (YES prices), or the
 * snapshot itself when we have nothing resting or the book is invalid. Runs every cycle, so it
 * allocates only the view (no per-price maps).
 */
export function excludeOwnOrders(snapshot: MarketSnapshot, book: L2Book, orders: readonly LiveOrder[]): MarketSnapshot {
  if (orders.length === 0 || !book.isValid || snapshot.stale) return snapshot;
  let bids = 0;
  let asks = 0;
  for (const o of orders) {
    if (o.orderId === undefined || o.remaining <= 0) continue;
    if (o.side === 'bid') bids++;
    else asks++;
  }
  if (bids === 0 && asks === 0) return snapshot;
  // None of ours at either best price (and a book that is not crossed): the view would equal the
  // snapshot field for field, so the snapshot itself is returned.
  const rawBid = snapshot.bestBid;
  const rawAsk = snapshot.bestAsk;
  const bidFree = rawBid === undefined || ownAt(orders, 'bid', rawBid) === 0;
  const askFree = rawAsk === undefined || ownAt(orders, 'ask', rawAsk) === 0;
  if (bidFree && askFree && (rawBid === undefined || rawAsk === undefined || (rawBid < rawAsk && rawAsk <= PRICE_SCALE))) return snapshot;
  // Only the levels down to our deepest order can change the answer: with k of our orders on a side,
  // one of the first k + 1 levels holds none of ours.
  const depth = Math.max(bids, asks) + 1;
  const bid = bestExcluding(book.bids(depth), orders, 'bid');
  const ask = bestExcluding(book.asks(depth), orders, 'ask');
  // A plain clone (fast path), then the top-of-book fields replaced or removed.
  const view: { -readonly [K in keyof MarketSnapshot]: MarketSnapshot[K] } = { ...snapshot };
  view.bestBidSize = bid?.count ?? (0 as Count);
  view.bestAskSize = ask?.count ?? (0 as Count);
  if (bid) view.bestBid = bid.price;
  else delete view.bestBid;
  if (ask) view.bestAsk = ask.price;
  else delete view.bestAsk;
  if (bid && ask && bid.price < ask.price && ask.price <= PRICE_SCALE) {
    view.mid = (bid.price + ask.price) / 2;
    view.spread = ask.price - bid.price;
    view.microPrice = microPrice(bid.price as Price, ask.price as Price, bid.count, ask.count);
  } else {
    delete view.mid;
    delete view.spread;
    delete view.microPrice;
  }
  return view;
}

/**
 * Returns true when orders of ours rest on `book` while others' book (ours taken out) gives no price
 * to quote around: a side empty, or wider than `maxSpreadCents` (a print took the top and only far
 * orders are left). Our quotes then stand alone at the top of a hollow book, so the maker pulls them
 * at once, as for a stale book. Reads only the levels down to our deepest order, as
 * `excludeOwnOrders` does: cheap enough to ask on every book event that moves the top.
 */
export function restingOnHollowBook(book: L2Book, orders: readonly LiveOrder[], maxSpreadCents: number): boolean {
  let depth = 1;
  for (const o of orders) if (o.orderId !== undefined && o.remaining > 0) depth++;
  if (depth === 1) return false;
  if (!book.isValid) return true;
  const bid = bestExcluding(book.bids(depth), orders, 'bid');
  const ask = bestExcluding(book.asks(depth), orders, 'ask');
  return bid === undefined || ask === undefined || ask.price - bid.price > (maxSpreadCents * PRICE_SCALE) / 100;
}

/**
 * Returns true when a book change at `price` of `side`'s bids (a NO bid is a YES ask at 1 − price),
 * already applied to `book`, cannot have moved the top of book as others quote it: it lies below
 * the leg's best level and others rest at that best level. Then best bid and ask, their sizes
 * without ours, the mid and the micro-price are what they were, so the quotes' inputs did not change
 * (only time did, which the heartbeat follows). Conservative: false whenever in doubt (an invalid
 * book, a change at or above the best, a best level that is all ours).
 */
export function belowOthersTop(book: L2Book, orders: readonly LiveOrder[], side: OutcomeSide, price: Price): boolean {
  if (!book.isValid) return false;
  if (side === 'yes') {
    const best = book.bestBid();
    return best !== undefined && price < best && book.bidSizeAt(best) > ownAt(orders, 'bid', best);
  }
  const bestAsk = book.bestAsk();
  return bestAsk !== undefined && price < PRICE_SCALE - bestAsk && book.askSizeAt(bestAsk) > ownAt(orders, 'ask', bestAsk);
}
