/**
 * The crossed-book fill model (fill rule 6, docs/backtesting.md): how much of our resting order fills
 * when the recorded book crosses its price. The recorded orders that cross ours rest there only
 * because we were not in that market; live they would have traded with us, for at most their size.
 */
import type { BookSide, L2Book, Price } from '../../core/index.js';

/** Names accepted by `--cross-fills`. */
export const CROSS_FILL_MODELS = ['displayed', 'full', 'off'] as const;
/**
 * `displayed` (default): at most the crossing size displayed, each contract of it used once;
 * `full`: the whole remainder (hftbacktest's rule, overfills thin books); `off`: none.
 */
export type CrossFillModel = (typeof CROSS_FILL_MODELS)[number];

/**
 * The displayed crossing size our orders have used, per price of the side they took it from (YES
 * price). A contract used once stays used while the level shows it: the recorded book keeps showing
 * the orders that, live, would have traded with us and be gone. Only size beyond what was used (a
 * level growing, a new crossing level, a snapshot showing more) can fill us again.
 *
 * A level that shrinks below what was used brings the used amount down to what it shows (the orders
 * that left may be the ones we used or others; assuming ours keeps fills low, the side the defaults
 * err on), and an emptied level forgets it. So the used amount never exceeds the displayed size.
 */
export class CrossDepth {
  /** Used size of the recorded asks (taken by our bids), by YES price. */
  private readonly asks = new Map<Price, number>();
  /** Used size of the recorded bids (taken by our asks), by YES price. */
  private readonly bids = new Map<Price, number>();

  /** Brings every used amount down to what the book displays at its price (after any book change). */
  reconcile(book: L2Book): void {
    if (this.asks.size > 0) clampTo(this.asks, (p) => book.askSizeAt(p));
    if (this.bids.size > 0) clampTo(this.bids, (p) => book.bidSizeAt(p));
  }

  /** Returns the size at `price` of the recorded `side` not used yet, given `displayed` there. */
  available(side: BookSide, price: Price, displayed: number): number {
    return Math.max(0, displayed - ((side === 'ask' ? this.asks : this.bids).get(price) ?? 0));
  }

  /** Records that `count` of the recorded `side` at `price` was used by our orders. */
  use(side: BookSide, price: Price, count: number): void {
    if (count <= 0) return;
    const used = side === 'ask' ? this.asks : this.bids;
    used.set(price, (used.get(price) ?? 0) + count);
  }
}

function clampTo(used: Map<Price, number>, displayed: (price: Price) => number): void {
  for (const [price, count] of used) {
    const shown = displayed(price);
    if (shown <= 0) used.delete(price);
    else if (count > shown) used.set(price, shown);
  }
}
