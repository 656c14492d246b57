/**
 * One market's price-time priority book on the YES price. `bid` entries buy YES; `ask` entries sell
 * YES (= buy NO at 1 − price). Each side is an ascending price array plus a map of FIFO levels, so the
 * best price is O(1), inserting a new level is a binary search, and a level keeps arrival order.
 * Generic over the entry type so the backtester can keep its own order records in it.
 */
import { InvariantError, PRICE_SCALE, insertionPoint, type BookLevel, type BookSide, type Count, type Price } from '../../core/index.js';

/** What the book needs to know about a resting entry. `remaining` is updated by its owner. */
export interface BookEntry {
  readonly side: BookSide;
  readonly price: Price;
  remaining: Count;
}

/** One price level: entries in time priority and their total remaining size. */
export interface PriceLevel<T extends BookEntry> {
  readonly price: Price;
  readonly entries: T[];
  total: number;
}

class Ladder<T extends BookEntry> {
  /** Prices ascending. */
  readonly prices: number[] = [];
  readonly levels = new Map<number, PriceLevel<T>>();

  level(price: number): PriceLevel<T> | undefined {
    return this.levels.get(price);
  }

  getOrCreate(price: Price): PriceLevel<T> {
    let level = this.levels.get(price);
    if (!level) {
      level = { price, entries: [], total: 0 };
      this.levels.set(price, level);
      this.prices.splice(this.insertionPoint(price), 0, price);
    }
    return level;
  }

  drop(level: PriceLevel<T>): void {
    this.levels.delete(level.price);
    const i = this.insertionPoint(level.price);
    if (this.prices[i] !== level.price) throw new InvariantError(`book level ${level.price} missing from the price index`);
    this.prices.splice(i, 1);
  }

  private insertionPoint(price: number): number {
    return insertionPoint(this.prices, price);
  }
}

/** A price-time priority book of resting entries. */
export class OrderBook<T extends BookEntry> {
  private readonly bids = new Ladder<T>();
  private readonly asks = new Ladder<T>();

  /** Returns the best (highest) bid price, or undefined. */
  bestBid(): Price | undefined {
    return this.bids.prices[this.bids.prices.length - 1] as Price | undefined;
  }

  /** Returns the best (lowest) ask price, or undefined. */
  bestAsk(): Price | undefined {
    return this.asks.prices[0] as Price | undefined;
  }

  /** Returns the best price of `side`, or undefined. */
  best(side: BookSide): Price | undefined {
    return side === 'bid' ? this.bestBid() : this.bestAsk();
  }

  /** Returns the level at a YES price on one side, or undefined. */
  level(side: BookSide, price: number): PriceLevel<T> | undefined {
    return this.ladder(side).level(price);
  }

  /** Returns the total resting size at a YES price on one side. */
  sizeAt(side: BookSide, price: number): Count {
    return (this.ladder(side).level(price)?.total ?? 0) as Count;
  }

  /** Appends `entry` at the back of its price level. */
  add(entry: T): void {
    const level = this.ladder(entry.side).getOrCreate(entry.price);
    level.entries.push(entry);
    level.total += entry.remaining;
  }

  /**
   * Removes `entry` from its level (its `remaining` is what it still had in the book).
   * @throws InvariantError when the entry is not in the book.
   */
  remove(entry: T): void {
    const ladder = this.ladder(entry.side);
    const level = ladder.level(entry.price);
    const index = level ? level.entries.indexOf(entry) : -1;
    if (!level || index < 0) throw new InvariantError(`order at ${entry.price} ${entry.side} is not in the book`);
    level.entries.splice(index, 1);
    level.total -= entry.remaining;
    if (level.entries.length === 0) ladder.drop(level);
  }

  /** Records that a resting entry shrank by `by` (its owner has already lowered `remaining`). */
  shrink(entry: T, by: number): void {
    const level = this.ladder(entry.side).level(entry.price);
    if (!level) throw new InvariantError(`order at ${entry.price} ${entry.side} is not in the book`);
    level.total -= by;
    if (level.total < 0) throw new InvariantError(`level ${entry.price} ${entry.side} total went negative: was ${level.total}`);
  }

  /** Returns the contracts resting ahead of `entry` at its level, or undefined when it is not in the book. */
  queueAhead(entry: T): Count | undefined {
    const level = this.ladder(entry.side).level(entry.price);
    if (!level) return undefined;
    let ahead = 0;
    for (const other of level.entries) {
      if (other === entry) return ahead as Count;
      ahead += other.remaining;
    }
    return undefined;
  }

  /**
   * Returns the best level an incoming order on `takerSide` at `limit` can trade with, or undefined.
   * A bid trades with asks at or below its limit; an ask with bids at or above it.
   */
  bestCrossing(takerSide: BookSide, limit: number): PriceLevel<T> | undefined {
    if (takerSide === 'bid') {
      const ask = this.bestAsk();
      return ask !== undefined && ask <= limit ? this.asks.level(ask) : undefined;
    }
    const bid = this.bestBid();
    return bid !== undefined && bid >= limit ? this.bids.level(bid) : undefined;
  }

  /** Returns the levels an incoming order on `takerSide` at `limit` could trade with, best first. */
  *crossingLevels(takerSide: BookSide, limit: number): Generator<PriceLevel<T>> {
    if (takerSide === 'bid') {
      for (const price of this.asks.prices) {
        if (price > limit) return;
        const level = this.asks.level(price);
        if (level) yield level;
      }
    } else {
      for (let i = this.bids.prices.length - 1; i >= 0; i--) {
        const price = this.bids.prices[i] as number;
        if (price < limit) return;
        const level = this.bids.level(price);
        if (level) yield level;
      }
    }
  }

  /**
   * Returns the book in Kalshi's bids-only form (kalshi-api.md §3.4): `yes` = YES bids at YES prices,
   * `no` = NO bids at NO prices (each ask at p is a NO bid at 1 − p), each ascending (best last),
   * limited to the best `depth` levels per side.
   */
  toKalshiLevels(depth = Infinity): { yes: BookLevel[]; no: BookLevel[] } {
    const yes: BookLevel[] = [];
    for (let i = this.bids.prices.length - 1; i >= 0 && yes.length < depth; i--) {
      const price = this.bids.prices[i] as number;
      yes.push({ price: price as Price, count: (this.bids.level(price)?.total ?? 0) as Count });
    }
    const no: BookLevel[] = [];
    for (let i = 0; i < this.asks.prices.length && no.length < depth; i++) {
      const price = this.asks.prices[i] as number;
      no.push({ price: (PRICE_SCALE - price) as Price, count: (this.asks.level(price)?.total ?? 0) as Count });
    }
    return { yes: yes.reverse(), no: no.reverse() };
  }

  /** Returns every resting entry, bids then asks, each in price-time order (best first). */
  entries(): T[] {
    const out: T[] = [];
    for (let i = this.bids.prices.length - 1; i >= 0; i--) out.push(...(this.bids.level(this.bids.prices[i] as number)?.entries ?? []));
    for (const price of this.asks.prices) out.push(...(this.asks.level(price)?.entries ?? []));
    return out;
  }

  /** Returns true when the best bid is at or above the best ask (never true at rest). */
  isCrossed(): boolean {
    const bid = this.bestBid();
    const ask = this.bestAsk();
    return bid !== undefined && ask !== undefined && bid >= ask;
  }

  private ladder(side: BookSide): Ladder<T> {
    return side === 'bid' ? this.bids : this.asks;
  }
}
