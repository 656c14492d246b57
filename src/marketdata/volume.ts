/**
 * Rolling trade volume and price range in one-minute buckets: 24 h and 1 h volume (split by the
 * aggressor's side, for the opportunity score's one-sided-flow discount) and the 1 h high/low.
 * Resolution is one bucket: a window of W ms counts the buckets whose start lies in (now − W, now],
 * plus the bucket holding now − W when it started earlier (so a window never undercounts).
 */
import type { Count, Price } from '../core/index.js';

/** Bucket length. */
export const VOLUME_BUCKET_MS = 60_000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

interface Bucket {
  startMs: number;
  buyCount: number;
  sellCount: number;
  high: number;
  low: number;
}

/** The last result of one window length and what it depended on (numbers: no key string per call). */
interface WindowMemo {
  readonly version: number;
  readonly firstStart: number;
  readonly lastStart: number;
  readonly figures: VolumeFigures;
}

/** Volume figures over one window. */
export interface VolumeFigures {
  /** Contracts (hundredths) traded. */
  readonly volume: Count;
  /** Of which the aggressor bought YES (taker side bid). */
  readonly buyVolume: Count;
  /** Of which the aggressor sold YES (taker side ask). */
  readonly sellVolume: Count;
  /** Highest and lowest trade price, undefined without trades. */
  readonly high?: Price;
  readonly low?: Price;
}

/** Keeps 24 h of one-minute buckets (at most 1 441). */
export class RollingVolume {
  private readonly buckets: Bucket[] = [];
  /** Bumped by every trade; with the window's first bucket it keys the memo below. */
  private version = 0;
  /** Last result per window length: a snapshot per book event must not rescan 24 h of buckets. */
  private readonly memo = new Map<number, WindowMemo>();

  /** Records a trade of `count` at `price` at `tMs`; `takerSide` bid = the aggressor bought YES. */
  add(tMs: number, price: Price, count: Count, takerSide: 'bid' | 'ask'): void {
    const startMs = Math.floor(tMs / VOLUME_BUCKET_MS) * VOLUME_BUCKET_MS;
    let bucket = this.buckets[this.buckets.length - 1];
    if (!bucket || bucket.startMs < startMs) {
      bucket = { startMs, buyCount: 0, sellCount: 0, high: price, low: price };
      this.buckets.push(bucket);
    } else if (bucket.startMs > startMs) {
      // A late trade: find its bucket (rare; linear from the end).
      const found = [...this.buckets].reverse().find((b) => b.startMs === startMs);
      if (!found) return;
      bucket = found;
    }
    this.version++;
    if (takerSide === 'bid') bucket.buyCount += count;
    else bucket.sellCount += count;
    bucket.high = Math.max(bucket.high, price);
    bucket.low = Math.min(bucket.low, price);
    this.prune(tMs);
  }

  /** Returns the figures of the window of `windowMs` ending at `nowMs`. */
  window(nowMs: number, windowMs: number): VolumeFigures {
    const firstStart = Math.floor((nowMs - windowMs) / VOLUME_BUCKET_MS) * VOLUME_BUCKET_MS;
    const lastStart = Math.floor(nowMs / VOLUME_BUCKET_MS) * VOLUME_BUCKET_MS;
    const memo = this.memo.get(windowMs);
    if (memo !== undefined && memo.version === this.version && memo.firstStart === firstStart && memo.lastStart === lastStart) return memo.figures;
    const figures = this.scan(nowMs, firstStart);
    this.memo.set(windowMs, { version: this.version, firstStart, lastStart, figures });
    return figures;
  }

  private scan(nowMs: number, firstStart: number): VolumeFigures {
    let buy = 0;
    let sell = 0;
    let high: number | undefined;
    let low: number | undefined;
    for (let i = this.buckets.length - 1; i >= 0; i--) {
      const b = this.buckets[i] as Bucket;
      if (b.startMs > nowMs) continue;
      if (b.startMs < firstStart) break;
      buy += b.buyCount;
      sell += b.sellCount;
      high = high === undefined ? b.high : Math.max(high, b.high);
      low = low === undefined ? b.low : Math.min(low, b.low);
    }
    return {
      volume: (buy + sell) as Count,
      buyVolume: buy as Count,
      sellVolume: sell as Count,
      ...(high === undefined ? {} : { high: high as Price }),
      ...(low === undefined ? {} : { low: low as Price }),
    };
  }

  /** Returns the 24 h figures. */
  day(nowMs: number): VolumeFigures {
    return this.window(nowMs, DAY_MS);
  }

  /** Returns the 1 h figures. */
  hour(nowMs: number): VolumeFigures {
    return this.window(nowMs, HOUR_MS);
  }

  private prune(nowMs: number): void {
    const cutoff = nowMs - DAY_MS - VOLUME_BUCKET_MS;
    let drop = 0;
    while (drop < this.buckets.length && (this.buckets[drop] as Bucket).startMs < cutoff) drop++;
    if (drop > 0) this.buckets.splice(0, drop);
  }
}
