/**
 * Local order books of the subscribed markets, built from WS snapshots and signed deltas with core's
 * `L2Book` (bids-only YES/NO lists → YES bid/ask ladder, kalshi-api.md §3.4). A book is never used
 * across a gap: a delta that would drive a level negative, a seq gap or a reconnect marks it stale,
 * and it stays stale until its next snapshot.
 */
import { L2Book, type BookLevel, type Count, type OutcomeSide, type Price } from '../core/index.js';

/** What happened to a delta. */
export type DeltaOutcome =
  /** Applied; the book is valid. */
  | 'applied'
  /** The book was already stale (or never had a snapshot): the delta was ignored. */
  | 'ignored'
  /** The delta would drive a level negative: the book is now stale and needs a snapshot. */
  | 'invalidated';

/** The books of many markets. */
export class OrderBooks {
  private readonly books = new Map<string, L2Book>();

  /** Returns the book of `ticker`, or undefined when it never had a snapshot. */
  get(ticker: string): L2Book | undefined {
    return this.books.get(ticker);
  }

  /** Tickers with a book (valid or stale). */
  tickers(): string[] {
    return [...this.books.keys()];
  }

  /** Replaces a market's book with a snapshot (leg prices, either order). */
  applySnapshot(ticker: string, yes: readonly BookLevel[], no: readonly BookLevel[]): L2Book {
    let book = this.books.get(ticker);
    if (!book) {
      book = new L2Book(ticker);
      this.books.set(ticker, book);
    }
    book.applySnapshot(yes, no);
    return book;
  }

  /** Applies a signed delta at a leg price; see DeltaOutcome. */
  applyDelta(ticker: string, side: OutcomeSide, price: Price, delta: Count): DeltaOutcome {
    const book = this.books.get(ticker);
    if (!book || !book.isValid) return 'ignored';
    return book.applyDelta(side, price, delta) ? 'applied' : 'invalidated';
  }

  /**
   * Marks the books of `tickers` stale (every book when undefined). Returns the tickers whose book
   * was valid before, i.e. the ones whose consumers must be told.
   */
  markStale(tickers?: readonly string[]): string[] {
    const changed: string[] = [];
    for (const ticker of tickers ?? this.books.keys()) {
      const book = this.books.get(ticker);
      if (book?.isValid) {
        book.markStale();
        changed.push(ticker);
      }
    }
    return changed;
  }

  /** Forgets a market's book (after unsubscribing). */
  delete(ticker: string): void {
    this.books.delete(ticker);
  }
}
