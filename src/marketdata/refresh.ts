/**
 * REST fallback for market data: when the WebSocket cache is stale or missing (a gap, a reconnect,
 * a market never subscribed), load the book with `port.getOrderBook` (and, optionally, the market's
 * metadata and its recent trades) and apply it as a snapshot. Retryable errors (`error.retryable`:
 * 5xx, 429, transport) are retried with exponential backoff on the injected clock, so concurrent
 * refreshes spread out instead of hammering the venue; other errors are thrown at once.
 */
import { KalshiMmError, type Clock, type ExchangePort, type Logger, silentLogger } from '../core/index.js';
import type { MarketDataCache } from './cache.js';
import type { MarketState } from './market-state.js';

/** Options of a refresh. */
export interface RefreshOptions {
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Attempts in all (≥ 1). Default 3. */
  readonly maxAttempts?: number;
  /** Delay before the second attempt, doubled each time, ms. Default 250. */
  readonly baseDelayMs?: number;
  /** Also load trades received within this many ms before now (0 = none). Default 0. */
  readonly tradesLookbackMs?: number;
  /** Also reload the market's metadata (grid, fees, close time). Default: when the state has none. */
  readonly loadMarket?: boolean;
  /** Book depth to request; default the full book. */
  readonly depth?: number;
  readonly signal?: AbortSignal;
}

/** What a refresh did. */
export interface RefreshResult {
  readonly ticker: string;
  readonly attempts: number;
  readonly tradesApplied: number;
}

/**
 * Refreshes `ticker` in `cache` from REST and returns what was done.
 * @throws the last error when every attempt failed, or a non-retryable error at once.
 */
export async function refreshMarket(cache: MarketDataCache, ticker: string, port: ExchangePort, options: RefreshOptions): Promise<RefreshResult> {
  const state = cache.ensure(ticker);
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const baseDelayMs = options.baseDelayMs ?? 250;
  const logger = options.logger ?? silentLogger;
  for (let attempt = 1; ; attempt++) {
    try {
      const tradesApplied = await loadOnce(state, ticker, port, options);
      return { ticker, attempts: attempt, tradesApplied };
    } catch (error) {
      const retryable = error instanceof KalshiMmError && error.retryable;
      if (!retryable || attempt >= maxAttempts || options.signal?.aborted) throw error;
      const retryAfter = 'retryAfterMs' in error && typeof error.retryAfterMs === 'number' ? error.retryAfterMs : 0;
      const delayMs = Math.max(retryAfter, baseDelayMs * 2 ** (attempt - 1));
      logger.warn({ ticker, attempt, delayMs, error: error.toJSON() }, 'market refresh failed; retrying');
      await options.clock.sleep(delayMs, options.signal);
    }
  }
}

async function loadOnce(state: MarketState, ticker: string, port: ExchangePort, options: RefreshOptions): Promise<number> {
  if (options.loadMarket ?? !state.hasMarketMetadata) state.setMarket(await port.getMarket(ticker));
  const book = await port.getOrderBook(ticker, options.depth);
  const nowMs = options.clock.nowMs();
  state.applySnapshot(book.yes, book.no, nowMs);
  const lookback = options.tradesLookbackMs ?? 0;
  if (lookback <= 0) return 0;
  const trades = [];
  for await (const trade of port.listTrades({ ticker, minTsMs: nowMs - lookback })) trades.push(trade);
  // The venue pages newest first; apply oldest first so the rolling windows see time order.
  trades.sort((a, b) => a.tsMs - b.tsMs);
  let applied = 0;
  for (const trade of trades) if (state.applyTrade(trade, Math.min(trade.tsMs, nowMs))) applied++;
  return applied;
}
