/**
 * The figures `kalshi-mm scan` shows for one market, from the market object and its recent public
 * trades: spread and mid of the market's best YES bid/ask, 1 h volume, trade count, average trade size
 * and high/low, 24 h volume (the exchange's own figure), time to close, and the opportunity score the
 * bot's selection uses (`bot/scoreMarket`, 1 h aggressor split and trade-price σ). Pure.
 */
import { COUNT_SCALE, type Market, type PublicTrade } from '../core/index.js';
import { scoreMarket, tradeStats, type SelectionParams } from '../bot/index.js';

/** One market's scan figures. Prices in cents, counts in contracts. */
export interface ScanRow {
  readonly ticker: string;
  readonly title: string;
  readonly status: string;
  readonly bestBidCents?: number;
  readonly bestAskCents?: number;
  readonly spreadCents?: number;
  readonly midCents?: number;
  readonly volume1h: number;
  readonly trades1h: number;
  readonly avgTradeSize1h?: number;
  readonly high1hCents?: number;
  readonly low1hCents?: number;
  readonly volume24h: number;
  readonly timeToCloseMs: number;
  /** Opportunity score; 0 for a one-sided market (nothing to make). */
  readonly score: number;
}

const HOUR_MS = 3_600_000;

/**
 * Returns the scan figures of `market` at `nowMs` from `trades` (any trades may be passed; only those
 * of the last hour, `nowMs − 1 h < tsMs ≤ nowMs`, count).
 */
export function scanRow(market: Market, trades: readonly PublicTrade[], nowMs: number, params: SelectionParams): ScanRow {
  const recent = trades.filter((t) => t.ticker === market.ticker && t.tsMs > nowMs - HOUR_MS && t.tsMs <= nowMs);
  const volume = recent.reduce((s, t) => s + t.count, 0) / COUNT_SCALE;
  const prices = recent.map((t) => t.price);
  const bid = market.yesBid;
  const ask = market.yesAsk;
  const twoSided = bid !== undefined && ask !== undefined;
  const score = twoSided ? scoreMarket(market, recent.length > 0 ? tradeStats(recent) : undefined, params).score : 0;
  return {
    ticker: market.ticker,
    title: market.title,
    status: market.status,
    ...(bid !== undefined ? { bestBidCents: bid / 100 } : {}),
    ...(ask !== undefined ? { bestAskCents: ask / 100 } : {}),
    ...(twoSided ? { spreadCents: (ask - bid) / 100, midCents: (ask + bid) / 200 } : {}),
    volume1h: volume,
    trades1h: recent.length,
    ...(recent.length > 0
      ? { avgTradeSize1h: volume / recent.length, high1hCents: Math.max(...prices) / 100, low1hCents: Math.min(...prices) / 100 }
      : {}),
    volume24h: market.volume24h / COUNT_SCALE,
    timeToCloseMs: market.closeTimeMs - nowMs,
    score,
  };
}

/** How rows are ordered. */
export type ScanSort = 'score' | 'spread' | 'volume';

/** Returns `rows` ordered best first: score and 1 h volume descending, spread ascending (none last). */
export function sortScanRows(rows: readonly ScanRow[], sort: ScanSort): ScanRow[] {
  const key = (r: ScanRow): number => (sort === 'score' ? -r.score : sort === 'volume' ? -r.volume1h : (r.spreadCents ?? Infinity));
  return [...rows].sort((a, b) => key(a) - key(b) || (a.ticker < b.ticker ? -1 : a.ticker > b.ticker ? 1 : 0));
}
