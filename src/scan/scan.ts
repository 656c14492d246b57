/**
 * `scanAll`: every open market through the port (paginated), its last hour of trades (a few markets
 * at a time, each request through the port's own rate limiter), and the scan figures of each.
 */
import type { Clock, ExchangePort, Market, MarketFilter, PublicTrade } from '../core/index.js';
import type { SelectionParams } from '../bot/index.js';
import { scanRow, type ScanRow } from './stats.js';

/** Options of `scanAll`. */
export interface ScanAllOptions {
  readonly port: ExchangePort;
  readonly clock: Clock;
  readonly params: SelectionParams;
  readonly filter?: MarketFilter;
  /** Markets whose trades are read at once. Default 4. */
  readonly concurrency?: number;
  /** Called after each market. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/**
 * Returns the scan rows of every open market, in listing order.
 * @throws the port's error when markets or trades cannot be read.
 */
export async function scanAll(options: ScanAllOptions): Promise<ScanRow[]> {
  const { port, clock, params } = options;
  const markets: Market[] = [];
  for await (const m of port.listMarkets({ status: 'open', ...options.filter })) markets.push(m);
  const nowMs = clock.nowMs();
  const rows: (ScanRow | undefined)[] = new Array<ScanRow | undefined>(markets.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      options.signal?.throwIfAborted();
      const i = next++;
      const market = markets[i];
      if (market === undefined) return;
      const trades: PublicTrade[] = [];
      for await (const t of port.listTrades({ ticker: market.ticker, minTsMs: nowMs - 3_600_000 })) trades.push(t);
      rows[i] = scanRow(market, trades, nowMs, params);
      options.onProgress?.(++done, markets.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, () => worker()));
  return rows.filter((r): r is ScanRow => r !== undefined);
}
