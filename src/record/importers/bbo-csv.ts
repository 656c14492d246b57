/**
 * Importer `bbo-csv`: the Jetpackjules/Kalshi-Trader top-of-book change log (see its PROVENANCE.md).
 * Each row becomes an `orderbook_snapshot` line holding only the best YES bid and best NO bid, each
 * with a nominal size (the source has no sizes), and each market gets a `market` line first.
 * Assumptions (documented in docs/backtesting.md):
 * - timestamps have no zone; they are taken as local time at `offsetMinutes` from UTC, default −480
 *   (US/Pacific standard time, PROVENANCE's inference for December logging);
 * - a bid of 0 cents means that side is empty (its key is left out, as Kalshi does);
 * - the nominal size (default 100 contracts) makes queue position meaningful only relatively: a
 *   backtest on this source tells whether a quote was inside the spread, not how deep it queued.
 * Optional trade prints (`backlog/data/raw/<TICKER>.jsonl`: ts, last_price, no size or side) become
 * `trade` lines for markets the BBO log covers, at the time the BBO log covers them: size = one
 * contract, taker side inferred from the book at that time (at or below the bid → a seller hit it,
 * else a buyer). Prints outside the BBO log's coverage are counted and reported, not written.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { complement, formatPrice, parsePrice, WireFormatError } from '../../core/index.js';
import type { RecordingLineOut } from '../writer.js';
import { centsToDollars, column, floatCentsToDollars, isoOf, marketObject, parseTimeMs, readCsv } from './common.js';
import type { ImportResult } from './trades-csv.js';

/** Options of `importBboCsv`. */
export interface BboImportOptions {
  /** Offset of the logger's local time from UTC in minutes (−480 = UTC−8). */
  readonly offsetMinutes: number;
  /** Nominal resting size of each best level, in whole contracts. */
  readonly nominalContracts: number;
  /** Trade-print files (`<TICKER>.jsonl`) to merge where the BBO log covers them. */
  readonly tradeFiles: readonly string[];
}

interface Row {
  readonly ms: number;
  readonly order: number;
  readonly ticker: string;
  readonly yesBid: string;
  readonly noBid: string;
  readonly trade?: Record<string, unknown>;
}

/**
 * Returns the recording lines of BBO CSV files, with optional trade prints merged in.
 * @throws WireFormatError (file:line, field) on a malformed row.
 */
export function importBboCsv(paths: readonly string[], options: BboImportOptions): ImportResult {
  const rows: Row[] = [];
  let order = 0;
  for (const path of paths) {
    const table = readCsv(path);
    const timeCol = column(table, 'timestamp', path);
    const tickerCol = column(table, 'market_ticker', path);
    const yesCol = column(table, 'best_yes_bid', path);
    const noCol = column(table, 'best_no_bid', path);
    for (const row of table.rows) {
      const at = `${path}:${row.line}`;
      const get = (i: number): string => row.fields[i] ?? '';
      rows.push({
        ms: parseTimeMs(get(timeCol), `${at}.timestamp`, options.offsetMinutes),
        order: order++,
        ticker: get(tickerCol),
        yesBid: get(yesCol) === '0' ? '' : centsToDollars(get(yesCol), `${at}.best_yes_bid`),
        noBid: get(noCol) === '0' ? '' : centsToDollars(get(noCol), `${at}.best_no_bid`),
      });
    }
  }
  rows.sort((a, b) => a.ms - b.ms || a.order - b.order);
  const notes = [`${rows.length} top-of-book rows`];
  const merged = mergeTrades(rows, options.tradeFiles, notes, order);
  return { lines: toLines(merged, options.nominalContracts), notes };
}

/** Span of the BBO log per ticker. */
function coverage(rows: readonly Row[]): Map<string, { first: number; last: number }> {
  const spans = new Map<string, { first: number; last: number }>();
  for (const r of rows) {
    const span = spans.get(r.ticker);
    if (span) span.last = r.ms;
    else spans.set(r.ticker, { first: r.ms, last: r.ms });
  }
  return spans;
}

function mergeTrades(rows: Row[], tradeFiles: readonly string[], notes: string[], startOrder: number): Row[] {
  if (tradeFiles.length === 0) return rows;
  const spans = coverage(rows);
  let order = startOrder;
  let kept = 0;
  let outside = 0;
  const trades: Row[] = [];
  for (const path of tradeFiles) {
    const ticker = basename(path).replace(/\.jsonl$/, '');
    const span = spans.get(ticker);
    const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
    lines.forEach((text, i) => {
      const at = `${path}:${i + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new WireFormatError(at, 'a JSON object', text, { cause: error });
      }
      const record = value as { ts?: unknown; last_price?: unknown };
      if (typeof record.ts !== 'string') throw new WireFormatError(`${at}.ts`, 'an ISO-8601 string', record.ts);
      const ms = parseTimeMs(record.ts, `${at}.ts`);
      const price = floatCentsToDollars(record.last_price, `${at}.last_price`);
      if (!span || ms < span.first || ms > span.last) {
        outside++;
        return;
      }
      kept++;
      trades.push({ ms, order: order++, ticker, yesBid: '', noBid: '', trade: { market_ticker: ticker, yes_price_dollars: price, ts_ms: ms, index: lines.length - i } });
    });
  }
  notes.push(`${kept} trade prints inside the BBO log's coverage; ${outside} outside it were not written`);
  // Trades after book rows at equal ms (the tie rule); older prints first (the files are newest first).
  trades.sort((a, b) => a.ms - b.ms || Number(b.trade?.['index']) - Number(a.trade?.['index']));
  return [...rows, ...trades].sort((a, b) => a.ms - b.ms || (a.trade ? 1 : 0) - (b.trade ? 1 : 0) || a.order - b.order);
}

function toLines(rows: readonly Row[], nominalContracts: number): RecordingLineOut[] {
  const size = `${nominalContracts}.00`;
  const spans = coverage(rows.filter((r) => !r.trade));
  const announced = new Set<string>();
  const lastBook = new Map<string, Row>();
  const lines: RecordingLineOut[] = [];
  let tradeSeq = 0;
  for (const r of rows) {
    if (r.trade) {
      const book = lastBook.get(r.ticker);
      if (!book) continue;
      const yesPrice = String(r.trade['yes_price_dollars']);
      // A print at or below the best YES bid hit the bid (a seller took liquidity); otherwise a buyer.
      const price = parsePrice(yesPrice, 'yes_price_dollars');
      const takerBookSide = book.yesBid !== '' && price <= parsePrice(book.yesBid, 'best_yes_bid') ? 'ask' : 'bid';
      const noPrice = formatPrice(complement(price));
      lines.push({
        recv_ms: r.ms,
        type: 'trade',
        msg: {
          trade_id: `import-${r.ticker}-${tradeSeq++}`,
          market_ticker: r.ticker,
          yes_price_dollars: yesPrice,
          no_price_dollars: noPrice,
          count_fp: '1.00',
          taker_outcome_side: takerBookSide === 'bid' ? 'yes' : 'no',
          taker_book_side: takerBookSide,
          ts_ms: r.ms,
        },
      });
      continue;
    }
    if (!announced.has(r.ticker)) {
      announced.add(r.ticker);
      const span = spans.get(r.ticker);
      lines.push({ recv_ms: r.ms, type: 'market', msg: marketObject({ ticker: r.ticker, openTime: isoOf(span?.first ?? r.ms), closeTime: isoOf(span?.last ?? r.ms), result: '' }) });
    }
    lastBook.set(r.ticker, r);
    lines.push({
      recv_ms: r.ms,
      type: 'orderbook_snapshot',
      msg: {
        market_ticker: r.ticker,
        ...(r.yesBid === '' ? {} : { yes_dollars_fp: [[r.yesBid, size]] }),
        ...(r.noBid === '' ? {} : { no_dollars_fp: [[r.noBid, size]] }),
      },
    });
  }
  return lines;
}
