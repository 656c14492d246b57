/**
 * The REST-poll recorder (the original design's order-book history, done without losses): every
 * interval, each market's order book becomes an `orderbook_snapshot` line and each trade since the
 * previous poll a `trade` line, both with the WebSocket's field names (recording-format.md "Rules for
 * writers"), so readers need one parser. Trades are read page by page from slightly before the last
 * one seen (the API filters by whole seconds) and written once each, by trade id.
 */
import { silentLogger, type Clock, type Logger } from '../core/index.js';
import type { RecordingSink } from './recorder.js';

/** A REST trade as the exchange sends it (the fields the poller copies). */
export interface PolledTrade {
  readonly trade_id: string;
  readonly ticker: string;
  readonly count_fp: string;
  readonly yes_price_dollars: string;
  readonly no_price_dollars?: string | null | undefined;
  readonly taker_side?: string | null | undefined;
  readonly taker_outcome_side?: string | null | undefined;
  readonly taker_book_side?: string | null | undefined;
  readonly created_time: string;
}

/** What the poller reads (cli/ adapts the Kalshi REST client; each call goes through its limiter). */
export interface PollSource {
  /** The REST `orderbook_fp` of a market. */
  getOrderbook(
    ticker: string,
  ): Promise<{
    readonly yes_dollars?: readonly (readonly [string, string])[] | null | undefined;
    readonly no_dollars?: readonly (readonly [string, string])[] | null | undefined;
  }>;
  /** One page of a market's trades since `minTsS` (Unix seconds). */
  getTrades(
    ticker: string,
    minTsS: number,
    cursor?: string,
  ): Promise<{ readonly trades: readonly PolledTrade[]; readonly cursor?: string | null | undefined }>;
  /** The REST Market object (wire form). */
  fetchMarket(ticker: string): Promise<unknown>;
}

/** Counters for the progress line. */
export interface PollerStats {
  polls: number;
  snapshots: number;
  trades: number;
  duplicatesSkipped: number;
  errors: number;
  lines: number;
}

/** Options of `Poller`. */
export interface PollerOptions {
  readonly source: PollSource;
  readonly sink: RecordingSink;
  readonly clock: Clock;
  readonly tickers: readonly string[];
  readonly logger?: Logger;
  /** Trades before this time are not recorded, ms. Default: the first poll's time. */
  readonly sinceMs?: number;
}

interface MarketCursor {
  /** Latest trade time seen, ms. */
  lastTradeMs: number;
  /** Ids of trades at or after `lastTradeMs − 2 s` (the re-read window). */
  seen: Map<string, number>;
}

const REREAD_MS = 2_000;

/** Returns the WS `trade` message of a REST trade (same field names as the WebSocket). */
export function tradeMessage(t: PolledTrade, tsMs: number): Record<string, unknown> {
  return {
    trade_id: t.trade_id,
    market_ticker: t.ticker,
    yes_price_dollars: t.yes_price_dollars,
    ...(t.no_price_dollars ? { no_price_dollars: t.no_price_dollars } : {}),
    count_fp: t.count_fp,
    ...(t.taker_side ? { taker_side: t.taker_side } : {}),
    ...(t.taker_outcome_side ? { taker_outcome_side: t.taker_outcome_side } : {}),
    ...(t.taker_book_side ? { taker_book_side: t.taker_book_side } : {}),
    ts: Math.floor(tsMs / 1000),
    ts_ms: tsMs,
  };
}

/** The REST-poll recorder (see the file comment). */
export class Poller {
  readonly stats: PollerStats = { polls: 0, snapshots: 0, trades: 0, duplicatesSkipped: 0, errors: 0, lines: 0 };
  private readonly cursors = new Map<string, MarketCursor>();
  private readonly logger: Logger;
  private lastMs = 0;
  private started = false;

  constructor(private readonly options: PollerOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Writes the `market` lines; call once before the first poll. @throws the source's error. */
  async start(): Promise<void> {
    const since = this.options.sinceMs ?? this.options.clock.nowMs();
    for (const ticker of this.options.tickers) {
      this.emit('market', await this.options.source.fetchMarket(ticker));
      this.cursors.set(ticker, { lastTradeMs: since, seen: new Map() });
    }
    this.started = true;
  }

  /** Polls every market once: its book, then its new trades. A failed market is logged and retried next time. */
  async pollOnce(): Promise<void> {
    if (!this.started) await this.start();
    this.stats.polls++;
    for (const ticker of this.options.tickers) {
      try {
        const book = await this.options.source.getOrderbook(ticker);
        this.emit('orderbook_snapshot', {
          market_ticker: ticker,
          yes_dollars_fp: book.yes_dollars ?? [],
          no_dollars_fp: book.no_dollars ?? [],
        });
        this.stats.snapshots++;
        await this.pollTrades(ticker);
      } catch (error) {
        this.stats.errors++;
        this.logger.warn({ ticker, error: error instanceof Error ? error.message : String(error) }, 'poll failed');
      }
    }
  }

  /** Polls every `intervalMs` until `signal` aborts (a slow poll delays the next, never overlaps it). */
  async run(intervalMs: number, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const began = this.options.clock.nowMs();
      await this.pollOnce();
      const wait = Math.max(0, intervalMs - (this.options.clock.nowMs() - began));
      try {
        await this.options.clock.sleep(wait, signal);
      } catch {
        return;
      }
    }
  }

  private async pollTrades(ticker: string): Promise<void> {
    const cursor = this.cursors.get(ticker);
    if (!cursor) return;
    const minTsS = Math.floor((cursor.lastTradeMs - REREAD_MS) / 1000);
    const fresh: { trade: PolledTrade; tsMs: number }[] = [];
    let page: string | undefined;
    do {
      const reply = await this.options.source.getTrades(ticker, minTsS, page);
      for (const trade of reply.trades) {
        const tsMs = Date.parse(trade.created_time);
        if (!Number.isFinite(tsMs) || tsMs < cursor.lastTradeMs - REREAD_MS) continue;
        if (cursor.seen.has(trade.trade_id)) {
          this.stats.duplicatesSkipped++;
          continue;
        }
        cursor.seen.set(trade.trade_id, tsMs);
        fresh.push({ trade, tsMs });
      }
      page = reply.cursor ?? undefined;
    } while (page);
    // The API lists newest first: reversed, a stable sort keeps the exchange's order among equal times.
    fresh.reverse().sort((a, b) => a.tsMs - b.tsMs);
    for (const { trade, tsMs } of fresh) {
      this.emit('trade', tradeMessage(trade, tsMs));
      this.stats.trades++;
      cursor.lastTradeMs = Math.max(cursor.lastTradeMs, tsMs);
    }
    for (const [id, ts] of cursor.seen) if (ts < cursor.lastTradeMs - 2 * REREAD_MS) cursor.seen.delete(id);
  }

  private emit(type: string, msg: unknown): void {
    const recvMs = Math.max(this.lastMs, this.options.clock.nowMs());
    this.lastMs = recvMs;
    this.stats.lines++;
    this.options.sink.write({ recv_ms: recvMs, type, msg });
  }
}
