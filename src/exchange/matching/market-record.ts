/**
 * The engine's mutable state of one market: definition, status, book and statistics.
 */
import type { Count, MarketResult, MarketStatus, Price, PublicTrade, TickGrid } from '../../core/index.js';
import { OrderBook } from './order-book.js';
import type { OrderRecord } from './order-record.js';
import type { MarketDefinition, MarketState } from './types.js';

const DAY_MS = 86_400_000;

/** One market inside the engine. */
export class MarketRecord {
  status: MarketStatus;
  result: MarketResult = '';
  grid: TickGrid;
  openTimeMs: number;
  closeTimeMs: number;
  settledMs: number | undefined;
  readonly book = new OrderBook<OrderRecord>();
  lastPrice: Price | undefined;
  /** Public trades of this market, oldest first. */
  readonly trades: PublicTrade[] = [];
  volume = 0;
  openInterest = 0;
  /** Trades of the last 24 h (time, count), oldest first, for `volume24h`. */
  private readonly recent: { tsMs: number; count: number }[] = [];
  private recentHead = 0;
  private recentTotal = 0;

  constructor(readonly definition: MarketDefinition) {
    this.status = definition.status;
    this.grid = definition.grid;
    this.openTimeMs = definition.openTimeMs;
    this.closeTimeMs = definition.closeTimeMs;
  }

  get ticker(): string {
    return this.definition.ticker;
  }

  /** Records a trade in the statistics. */
  recordTrade(price: Price, count: number, tsMs: number): void {
    this.lastPrice = price;
    this.volume += count;
    this.recent.push({ tsMs, count });
    this.recentTotal += count;
  }

  /** Returns the traded count of the 24 h before `nowMs`. */
  volume24h(nowMs: number): number {
    while (this.recentHead < this.recent.length) {
      const oldest = this.recent[this.recentHead];
      if (!oldest || oldest.tsMs > nowMs - DAY_MS) break;
      this.recentTotal -= oldest.count;
      this.recentHead++;
    }
    if (this.recentHead > 1024 && this.recentHead * 2 > this.recent.length) {
      this.recent.splice(0, this.recentHead);
      this.recentHead = 0;
    }
    return this.recentTotal;
  }

  /** Returns the reported state. */
  view(nowMs: number): MarketState {
    const yesBid = this.book.bestBid();
    const yesAsk = this.book.bestAsk();
    return {
      definition: this.definition,
      grid: this.grid,
      status: this.status,
      result: this.result,
      openTimeMs: this.openTimeMs,
      closeTimeMs: this.closeTimeMs,
      ...(yesBid === undefined ? {} : { yesBid }),
      yesBidSize: yesBid === undefined ? (0 as Count) : this.book.sizeAt('bid', yesBid),
      ...(yesAsk === undefined ? {} : { yesAsk }),
      yesAskSize: yesAsk === undefined ? (0 as Count) : this.book.sizeAt('ask', yesAsk),
      ...(this.lastPrice === undefined ? {} : { lastPrice: this.lastPrice }),
      volume: this.volume as Count,
      volume24h: this.volume24h(nowMs) as Count,
      openInterest: this.openInterest as Count,
      ...(this.settledMs === undefined ? {} : { settledMs: this.settledMs }),
    };
  }
}
