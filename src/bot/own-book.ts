/**
 * The market as others quote it. Our own resting orders are on the exchange's book, so a fair price
 * read from the raw book follows our quotes: with an inventory skew, each requote moves the mid our
 * way and the next requote moves further — the quotes walk away by themselves. The maker therefore
 * reads best bid/ask, sizes, mid, spread and micro-price with our orders' remaining sizes taken out.
 * (The market-data volatility estimate still sees the raw mid; its EWMA damps the effect.)
 */
import { PRICE_SCALE, type BookLevel, type Count, type L2Book, type Price } from '../core/index.js';
import { microPrice, type MarketSnapshot } from '../marketdata/index.js';
import type { LiveOrder } from '../orders/index.js';

/** Returns the best level of `levels` (best first) after removing `own` sizes per price, if any remains. */
function bestExcluding(levels: readonly BookLevel[], own: ReadonlyMap<number, number>): BookLevel | undefined {
  for (const level of levels) {
    const left = level.count - (own.get(level.price) ?? 0);
    if (left > 0) return { price: level.price, count: left as Count };
  }
  return undefined;
}

/**
 * Returns `snapshot` with the top of book recomputed without our `orders` (YES prices), or the
 * snapshot itself when we have nothing resting or the book is invalid.
 */
export function excludeOwnOrders(snapshot: MarketSnapshot, book: L2Book, orders: readonly LiveOrder[]): MarketSnapshot {
  if (orders.length === 0 || !book.isValid || snapshot.stale) return snapshot;
  const ownBids = new Map<number, number>();
  const ownAsks = new Map<number, number>();
  for (const o of orders) {
    if (o.orderId === undefined || o.remaining <= 0) continue;
    const map = o.side === 'bid' ? ownBids : ownAsks;
    map.set(o.price, (map.get(o.price) ?? 0) + o.remaining);
  }
  if (ownBids.size === 0 && ownAsks.size === 0) return snapshot;
  // Only the levels down to our deepest order can change the answer.
  const depth = Math.max(ownBids.size, ownAsks.size) + 1;
  const bid = bestExcluding(book.bids(depth), ownBids);
  const ask = bestExcluding(book.asks(depth), ownAsks);
  const { bestBid: _b, bestAsk: _a, mid: _m, spread: _s, microPrice: _p, ...rest } = snapshot;
  const view: { -readonly [K in keyof MarketSnapshot]: MarketSnapshot[K] } = {
    ...rest,
    bestBidSize: bid?.count ?? (0 as Count),
    bestAskSize: ask?.count ?? (0 as Count),
  };
  if (bid) view.bestBid = bid.price;
  if (ask) view.bestAsk = ask.price;
  if (bid && ask && bid.price < ask.price && ask.price <= PRICE_SCALE) {
    view.mid = (bid.price + ask.price) / 2;
    view.spread = ask.price - bid.price;
    view.microPrice = microPrice(bid.price as Price, ask.price as Price, bid.count, ask.count);
  }
  return view;
}
