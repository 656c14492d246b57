/**
 * Per-market metrics of one backtest run. Money is exact (Cash in $0.0001, Count in hundredths);
 * drawdown, markouts and time quoted are derived figures. Equity = cash + inventory valued at the mark
 * (YES price), computed in micros and floored to Cash.
 *
 * The mark is the mid of the recorded book, as the risk manager marks positions (`markableSpread`): a
 * hollow book — one-sided, invalid, or wider than `maxMarketSpreadCents` (a book swept to its 1¢ / 99¢
 * backstops reads 50¢) — is no price, so equity holds the last markable mid while it lasts and a
 * markout due then takes the first markable mid after. Otherwise one hollow moment would be a drawdown
 * spike (10 short marked from 10¢ to 50¢: −$4) and a markout of noise.
 */
import { cashFromMicros, type BookSide, type Cash, type Count, type Price } from '../core/index.js';
import { DEFAULT_RISK_LIMITS, markableSpread } from '../risk/index.js';

/** Horizons of the markouts, ms after each fill. */
export const MARKOUT_HORIZONS_MS = [1_000, 10_000, 60_000] as const;

/** One point of the time series a report draws. */
export interface SeriesPoint {
  readonly tMs: number;
  /** The recorded book's mid in YES price units ($0.0001), hollow or not; null without a two-sided book. */
  readonly mid: number | null;
  readonly bid: number | null;
  readonly ask: number | null;
  readonly inventory: number;
  /** Cash + inventory at the last markable mid (cash alone before there was one). */
  readonly equity: number;
}

/** One of our fills, as reports list it. */
export interface FillRecord {
  readonly tMs: number;
  readonly side: BookSide;
  readonly price: Price;
  readonly count: Count;
  readonly fee: Cash;
}

interface PendingMarkout {
  readonly dueMs: number;
  readonly price: number;
  readonly sign: number;
  readonly count: number;
}

/** Options of `MarketMetrics`. */
export interface MetricsOptions {
  /** Keep a time series for charts (one point per `sampleEveryMs` at most, plus one per fill). */
  readonly series?: boolean;
  readonly sampleEveryMs?: number;
  /** The widest book whose mid marks, cents: the run's trading config's (default the risk default, 30). */
  readonly maxMarketSpreadCents?: number;
}

/** Accumulates one market's metrics as the replay runs. */
export class MarketMetrics {
  cash = 0;
  inventory = 0;
  fees = 0;
  fills = 0;
  makerVolume = 0;
  takerVolume = 0;
  maxInventory = 0;
  minInventory = 0;
  maxEquity = 0;
  maxDrawdown = 0;
  quotedMs = 0;
  twoSidedMs = 0;
  /** The recorded book's mid, hollow or not (undefined when one-sided or invalid). */
  mid: number | undefined;
  /** The book's mid while it is markable; undefined while the book is hollow. */
  mark: number | undefined;
  /** The last markable mid seen: the mark of equity, and of the end inventory when the book ends hollow. */
  lastMark: number | undefined;
  lastTrade: Price | undefined;
  readonly fillLog: FillRecord[] = [];
  readonly series: SeriesPoint[] = [];
  private readonly markoutSum = MARKOUT_HORIZONS_MS.map(() => 0);
  private readonly markoutCount = MARKOUT_HORIZONS_MS.map(() => 0);
  private readonly pending: PendingMarkout[][] = MARKOUT_HORIZONS_MS.map(() => []);
  private readonly pendingHead = MARKOUT_HORIZONS_MS.map(() => 0);
  private lastMs: number | undefined;
  private firstMs: number | undefined;
  private hasBid = false;
  private hasAsk = false;
  private quoteBid: number | null = null;
  private quoteAsk: number | null = null;
  private lastSampleMs = -Infinity;

  private readonly maxSpreadCents: number;

  constructor(private readonly options: MetricsOptions = {}) {
    this.maxSpreadCents = options.maxMarketSpreadCents ?? DEFAULT_RISK_LIMITS.maxMarketSpreadCents;
  }

  /** Advances time to `tMs`, integrating time quoted and resolving due markouts. */
  advance(tMs: number): void {
    if (this.lastMs !== undefined && tMs > this.lastMs) {
      const dt = tMs - this.lastMs;
      if (this.hasBid || this.hasAsk) this.quotedMs += dt;
      if (this.hasBid && this.hasAsk) this.twoSidedMs += dt;
    }
    this.lastMs = tMs;
    this.firstMs ??= tMs;
    if (this.fillLog.length === 0) return;
    for (let h = 0; h < MARKOUT_HORIZONS_MS.length; h++) this.resolveMarkouts(h, tMs);
  }

  /**
   * Records the recorded book's best prices (YES price units; both undefined when the book is invalid).
   * Call `advance(tMs)` first: markouts due before this change are resolved at the book before it.
   */
  onBook(tMs: number, bestBid: number | undefined, bestAsk: number | undefined): void {
    this.mid = bestBid === undefined || bestAsk === undefined ? undefined : (bestBid + bestAsk) / 2;
    const wasHollow = this.mark === undefined;
    this.mark = this.mid !== undefined && markableSpread(bestBid, bestAsk, this.maxSpreadCents) ? this.mid : undefined;
    if (this.mark !== undefined) {
      this.lastMark = this.mark;
      // Markouts that fell due while the book was hollow wait for this, the first markable mid after.
      if (wasHollow && this.fillLog.length > 0) for (let h = 0; h < MARKOUT_HORIZONS_MS.length; h++) this.resolveMarkouts(h, tMs);
    }
    this.updateEquity();
    this.sample(tMs, false);
  }

  /** Records which of our quotes are live and at what prices. */
  onQuotes(bid: Price | undefined, ask: Price | undefined): void {
    this.hasBid = bid !== undefined;
    this.hasAsk = ask !== undefined;
    this.quoteBid = bid ?? null;
    this.quoteAsk = ask ?? null;
  }

  /** Records one of our fills; `cashChange` is signed and excludes the fee. */
  onFill(tMs: number, fill: { side: BookSide; price: Price; count: Count; fee: Cash; isTaker: boolean }, cashChange: Cash): void {
    const sign = fill.side === 'bid' ? 1 : -1;
    this.cash += cashChange - fill.fee;
    this.fees += fill.fee;
    this.inventory += sign * fill.count;
    this.fills++;
    if (fill.isTaker) this.takerVolume += fill.count;
    else this.makerVolume += fill.count;
    this.maxInventory = Math.max(this.maxInventory, this.inventory);
    this.minInventory = Math.min(this.minInventory, this.inventory);
    this.fillLog.push({ tMs, side: fill.side, price: fill.price, count: fill.count, fee: fill.fee });
    for (let h = 0; h < MARKOUT_HORIZONS_MS.length; h++) {
      this.pending[h]?.push({ dueMs: tMs + (MARKOUT_HORIZONS_MS[h] ?? 0), price: fill.price, sign, count: fill.count });
    }
    this.updateEquity();
    this.sample(tMs, true);
  }

  /** Returns the replay time this market spanned, ms. */
  durationMs(): number {
    return this.lastMs === undefined || this.firstMs === undefined ? 0 : this.lastMs - this.firstMs;
  }

  /** Returns equity (Cash) with inventory valued at `markPrice` (YES price units). */
  equityAt(markPrice: number): Cash {
    return (this.cash + cashFromMicros(Math.round(this.inventory * markPrice), 'floor')) as Cash;
  }

  /**
   * Returns the mean markout per contract at each horizon, in $0.0001 (positive = the mid moved in our
   * favour after the fill), or null when no fill's horizon was followed by a markable mid.
   */
  markouts(): (number | null)[] {
    return MARKOUT_HORIZONS_MS.map((_, h) => {
      const count = this.markoutCount[h] ?? 0;
      return count === 0 ? null : (this.markoutSum[h] ?? 0) / count;
    });
  }

  private resolveMarkouts(h: number, tMs: number): void {
    const queue = this.pending[h];
    if (!queue) return;
    let head = this.pendingHead[h] ?? 0;
    while (head < queue.length) {
      const item = queue[head] as PendingMarkout;
      // While the book is hollow the due markouts wait (in order) for the next markable mid (onBook).
      if (item.dueMs > tMs || this.mark === undefined) break;
      head++;
      this.markoutSum[h] = (this.markoutSum[h] ?? 0) + item.sign * (this.mark - item.price) * item.count;
      this.markoutCount[h] = (this.markoutCount[h] ?? 0) + item.count;
    }
    if (head > 4096 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
    this.pendingHead[h] = head;
  }

  private updateEquity(): void {
    if (this.lastMark === undefined) return;
    const equity = this.equityAt(this.lastMark);
    if (equity > this.maxEquity) this.maxEquity = equity;
    const drawdown = this.maxEquity - equity;
    if (drawdown > this.maxDrawdown) this.maxDrawdown = drawdown;
  }

  private sample(tMs: number, force: boolean): void {
    if (!this.options.series) return;
    const every = this.options.sampleEveryMs ?? 5_000;
    if (!force && tMs - this.lastSampleMs < every) return;
    this.lastSampleMs = tMs;
    this.series.push({
      tMs,
      mid: this.mid ?? null,
      bid: this.quoteBid,
      ask: this.quoteAsk,
      inventory: this.inventory,
      equity: this.lastMark === undefined ? this.cash : this.equityAt(this.lastMark),
    });
  }
}
