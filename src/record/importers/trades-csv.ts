/**
 * Importer `trades-csv`: the jdkatz21/Prediction_Markets_Public trade prints (Kalshi REST
 * `GET /markets/trades`, legacy integer-cent format; see its PROVENANCE.md). Each print becomes a
 * `trade` line with the WS trade channel's field names (kalshi-api.md §13.3) and each market gets a
 * `market` line before its first print. Conversions (documented in docs/backtesting.md):
 * - `recv_ms` = the print's `created_time` (exchange time; the source has no receive time);
 * - integer cents → 4-decimal dollar strings, integer `count` → `count_fp` with 2 decimals;
 * - legacy `taker_side` yes/no → `taker_outcome_side` and `taker_book_side` (yes ≡ bid, §3.3).
 * Rows are newest first per ticker in the source; they are sorted by time, and prints sharing one
 * `created_time` keep their chronological (reversed file) order.
 */
import { WireFormatError } from '../../core/index.js';
import type { RecordingLineOut } from '../writer.js';
import { centsToDollars, column, contractsToFp, isoOf, marketObject, parseTimeMs, readCsv } from './common.js';

/** The lines of an import, in file order, plus notes for the user. */
export interface ImportResult {
  readonly lines: readonly RecordingLineOut[];
  readonly notes: readonly string[];
}

interface Print {
  readonly ms: number;
  readonly order: number;
  readonly msg: Record<string, unknown>;
}

/**
 * Returns the recording lines of one or more trade CSV files.
 * @throws WireFormatError (file:line and field) on any malformed row.
 */
export function importTradesCsv(paths: readonly string[]): ImportResult {
  const prints: Print[] = [];
  let order = 0;
  for (const path of paths) {
    const table = readCsv(path);
    const idCol = column(table, 'trade_id', path);
    const tickerCol = column(table, 'ticker', path);
    const countCol = column(table, 'count', path);
    const timeCol = column(table, 'created_time', path);
    const yesCol = column(table, 'yes_price', path);
    const noCol = column(table, 'no_price', path);
    const sideCol = column(table, 'taker_side', path);
    // Newest first in the file: a negative order makes equal-time prints chronological.
    for (const row of table.rows) {
      const at = `${path}:${row.line}`;
      const get = (i: number): string => row.fields[i] ?? '';
      const side = get(sideCol);
      if (side !== 'yes' && side !== 'no') throw new WireFormatError(`${at}.taker_side`, 'yes or no', side);
      const ms = parseTimeMs(get(timeCol), `${at}.created_time`);
      prints.push({
        ms,
        order: -order++,
        msg: {
          trade_id: get(idCol),
          market_ticker: get(tickerCol),
          yes_price_dollars: centsToDollars(get(yesCol), `${at}.yes_price`),
          no_price_dollars: centsToDollars(get(noCol), `${at}.no_price`),
          count_fp: contractsToFp(get(countCol), `${at}.count`),
          taker_outcome_side: side,
          taker_book_side: side === 'yes' ? 'bid' : 'ask',
          ts_ms: ms,
        },
      });
    }
  }
  prints.sort((a, b) => a.ms - b.ms || a.order - b.order);
  return { lines: withMarketLines(prints), notes: [`${prints.length} trade prints`] };
}

/** Inserts one `market` line per ticker just before its first print (close_time = its last print). */
function withMarketLines(prints: readonly Print[]): RecordingLineOut[] {
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  for (const p of prints) {
    const ticker = String(p.msg['market_ticker']);
    if (!first.has(ticker)) first.set(ticker, p.ms);
    last.set(ticker, p.ms);
  }
  const lines: RecordingLineOut[] = [];
  const announced = new Set<string>();
  for (const p of prints) {
    const ticker = String(p.msg['market_ticker']);
    if (!announced.has(ticker)) {
      announced.add(ticker);
      const market = marketObject({ ticker, openTime: isoOf(first.get(ticker) ?? p.ms), closeTime: isoOf(last.get(ticker) ?? p.ms), result: '' });
      lines.push({ recv_ms: p.ms, type: 'market', msg: market });
    }
    lines.push({ recv_ms: p.ms, type: 'trade', msg: p.msg });
  }
  return lines;
}
