/**
 * A local order book built from Kalshi's bids-only snapshots and signed deltas (kalshi-api.md §3.4,
 * §16 traps 1, 2, 7). YES bids are kept at YES prices, NO bids at NO prices; the YES ask is
 * 1 − best NO bid. Each side is a sorted price array plus a size map, so the best level is O(1) and an
 * update is a binary search.
 */
import { InvariantError } from './errors.js';
import { PRICE_SCALE, type Count, type Price } from './money.js';
import type { BookLevel, OutcomeSide } from './types.js';

/**
 * Returns the index at which `price` sits, or would be inserted, in the ascending array `prices`
 * (binary search; the first index whose price is ≥ `price`). Shared by every sorted price ladder.
 */
export function insertionPoint(prices: readonly number[], price: number): number {
  let lo = 0;
  let hi = prices.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((prices[mid] as number) < price) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class BidLadder {
  /** Prices ascending; the best bid is the last element. */
  private readonly prices: number[] = [];
  private readonly sizes = new Map<number, number>();

  clear(): void {
    this.prices.length = 0;
    this.sizes.clear();
  }

  set(levels: readonly BookLevel[]): void {
    this.clear();
    for (const level of levels) {
      if (level.count <= 0) continue;
      this.sizes.set(level.price, (this.sizes.get(level.price) ?? 0) + level.count);
    }
    this.prices.push(...[...this.sizes.keys()].sort((a, b) => a - b));
  }

  /** Applies a signed change; returns false when it would make the level negative (the book is then untrustworthy). */
  apply(price: number, delta: number): boolean {
    const current = this.sizes.get(price) ?? 0;
    const next = current + delta;
    if (next < 0) return false;
    if (next === 0) {
      if (current !== 0) {
        this.sizes.delete(price);
        this.prices.splice(this.indexOf(price), 1);
      }
      return true;
    }
    if (current === 0) this.prices.splice(this.insertionPoint(price), 0, price);
    this.sizes.set(price, next);
    return true;
  }

  best(): number | undefined {
    return this.prices[this.prices.length - 1];
  }

  size(price: number): number {
    return this.sizes.get(price) ?? 0;
  }

  /** Levels best first. */
  levels(depth: number): BookLevel[] {
    const out: BookLevel[] = [];
    for (let i = this.prices.length - 1; i >= 0 && out.length < depth; i--) {
      const price = this.prices[i] as number;
      out.push({ price: price as Price, count: (this.sizes.get(price) ?? 0) as Count });
    }
    return out;
  }

  get depth(): number {
    return this.prices.length;
  }

  private insertionPoint(price: number): number {
    return insertionPoint(this.prices, price);
  }

  private indexOf(price: number): number {
    const i = this.insertionPoint(price);
    if (this.prices[i] !== price) throw new InvariantError(`book level ${price} missing from the price index`);
    return i;
  }
}

/** The book of one market. */
export class L2Book {
  private readonly yesBids = new BidLadder();
  private readonly noBids = new BidLadder();
  /** False until the first snapshot, and after a failed delta or `markStale`. */
  private valid = false;

  constructor(readonly ticker: string) {}

  /** Replaces the book with a snapshot (levels in each leg's own price). */
  applySnapshot(yes: readonly BookLevel[], no: readonly BookLevel[]): void {
    this.yesBids.set(yes);
    this.noBids.set(no);
    this.valid = true;
  }

  /**
   * Applies a signed delta at a leg price. Returns false (and marks the book stale) when the book was
   * not valid or the delta would drive a level negative: the caller must resync, never clamp.
   */
  applyDelta(side: OutcomeSide, price: Price, delta: Count): boolean {
    if (!this.valid) return false;
    const ok = (side === 'yes' ? this.yesBids : this.noBids).apply(price, delta);
    if (!ok) this.valid = false;
    return ok;
  }

  /** Marks the book untrustworthy until the next snapshot. */
  markStale(): void {
    this.valid = false;
  }

  get isValid(): boolean {
    return this.valid;
  }

  /** Best YES bid (YES price), or undefined when there is no YES bid. */
  bestBid(): Price | undefined {
    return this.yesBids.best() as Price | undefined;
  }

  /** Best YES ask (YES price) = 1 − best NO bid, or undefined when there is no NO bid. */
  bestAsk(): Price | undefined {
    const noBid = this.noBids.best();
    return noBid === undefined ? undefined : ((PRICE_SCALE - noBid) as Price);
  }

  bestBidSize(): Count {
    const p = this.yesBids.best();
    return (p === undefined ? 0 : this.yesBids.size(p)) as Count;
  }

  bestAskSize(): Count {
    const p = this.noBids.best();
    return (p === undefined ? 0 : this.noBids.size(p)) as Count;
  }

  /** Resting size of YES bids at a YES price. */
  bidSizeAt(price: Price): Count {
    return this.yesBids.size(price) as Count;
  }

  /** Resting size of YES asks at a YES price (NO bids at 1 − price). */
  askSizeAt(price: Price): Count {
    return this.noBids.size(PRICE_SCALE - price) as Count;
  }

  /** Mid in YES price units (may be fractional), or undefined when a side is empty. */
  mid(): number | undefined {
    const bid = this.bestBid();
    const ask = this.bestAsk();
    return bid === undefined || ask === undefined ? undefined : (bid + ask) / 2;
  }

  /** YES bids best first, YES prices. */
  bids(depth = Infinity): BookLevel[] {
    return this.yesBids.levels(depth);
  }

  /** YES asks best first, converted to YES prices. */
  asks(depth = Infinity): BookLevel[] {
    return this.noBids.levels(depth).map((l) => ({ price: (PRICE_SCALE - l.price) as Price, count: l.count }));
  }

  /** The book as Kalshi would send it: each leg's bids ascending, leg prices. */
  toSnapshot(): { yes: BookLevel[]; no: BookLevel[] } {
    return { yes: this.yesBids.levels(Infinity).reverse(), no: this.noBids.levels(Infinity).reverse() };
  }
}
