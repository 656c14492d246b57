/**
 * A light first pass over a recording that finds each market's time span (first and last `recv_ms`)
 * without parsing payloads, for the holdout split. It relies on kalshi-mm writers putting `recv_ms`
 * first; lines written otherwise fall back to JSON.parse.
 */
import { readTextLines } from '../record/index.js';

/** First and last receive time of a market's lines. */
export interface MarketSpan {
  readonly firstMs: number;
  lastMs: number;
}

const RECV = /^\{"recv_ms":(\d+)/;
const TICKER = /"(?:market_ticker|ticker)":"([^"]+)"/;

/** Returns each market's time span in `file`. */
export async function scanSpans(file: string, signal?: AbortSignal): Promise<Map<string, MarketSpan>> {
  const spans = new Map<string, MarketSpan>();
  for await (const { text, line } of readTextLines(file, signal)) {
    if (line === 1) continue;
    const ticker = TICKER.exec(text)?.[1];
    if (ticker === undefined) continue;
    const recv = RECV.exec(text)?.[1];
    const ms = recv === undefined ? Number((JSON.parse(text) as { recv_ms?: unknown }).recv_ms) : Number(recv);
    if (!Number.isFinite(ms)) continue;
    const span = spans.get(ticker);
    if (span) span.lastMs = ms;
    else spans.set(ticker, { firstMs: ms, lastMs: ms });
  }
  return spans;
}
