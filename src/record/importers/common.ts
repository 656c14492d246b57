/**
 * Pieces shared by the importers: a minimal REST `Market` object for the `market` line each market
 * needs before its first book or trade line, cent-to-dollar-string conversion of legacy integer
 * prices, timestamp parsing and a strict CSV splitter. Importers read small third-party files whole
 * (the largest shipped source is ~40 MB); only the recording reader must stream.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_FEE_SCHEDULE, formatCount, formatPrice, TickGrid, WireFormatError, type Count, type Price } from '../../core/index.js';
import { encodeMarket } from '../../kalshi/wire/index.js';

/** What every importer needs to know about a market to write its `market` line. */
export interface ImportedMarket {
  readonly ticker: string;
  /** RFC3339; the importers know no close time unless the source says, so they use the last event's time. */
  readonly closeTime: string;
  readonly openTime: string;
  /** '' when the source does not say how the market settled. */
  readonly result: 'yes' | 'no' | '';
}

/**
 * Returns a REST `Market` object (kalshi-api.md §6.1, written by kalshi/wire's `encodeMarket`) for an
 * imported market. Fields the sources do not carry are set to neutral values and listed in
 * docs/backtesting.md: status `active`, the whole-cent grid (every shipped source quotes whole
 * cents), no top of book, zero volume.
 */
export function marketObject(market: ImportedMarket): Record<string, unknown> {
  return encodeMarket({
    ticker: market.ticker,
    eventTicker: eventTickerOf(market.ticker),
    title: market.ticker,
    status: market.result === '' ? 'active' : 'finalized',
    openTimeMs: parseTimeMs(market.openTime, 'open_time'),
    closeTimeMs: parseTimeMs(market.closeTime, 'close_time'),
    grid: TickGrid.linearCent(),
    fees: DEFAULT_FEE_SCHEDULE,
    result: market.result,
    volume: 0 as Count,
    volume24h: 0 as Count,
    openInterest: 0 as Count,
  });
}

/** Returns the event ticker of a market ticker: everything before the last `-` (KXHIGHNY-25DEC05-B32.5 → KXHIGHNY-25DEC05). */
export function eventTickerOf(ticker: string): string {
  const cut = ticker.lastIndexOf('-');
  return cut > 0 ? ticker.slice(0, cut) : ticker;
}

/**
 * Returns an integer-cents field (legacy Kalshi format) as a 4-decimal dollar string ("14" → "0.1400").
 * @throws WireFormatError when it is not an integer in [0, 100].
 */
export function centsToDollars(text: string, field: string): string {
  if (!/^\d{1,3}$/.test(text)) throw new WireFormatError(field, 'integer cents in [0, 100]', text);
  const cents = Number.parseInt(text, 10);
  if (cents > 100) throw new WireFormatError(field, 'integer cents in [0, 100]', text);
  return formatPrice((cents * 100) as Price);
}

/**
 * Returns a float-cents value ("7.0", 7) as a dollar string, only when it is a whole cent.
 * @throws WireFormatError otherwise.
 */
export function floatCentsToDollars(value: unknown, field: string): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{1,3}(\.0+)?$/.test(text)) throw new WireFormatError(field, 'a whole number of cents', value);
  return centsToDollars(text.split('.')[0] ?? '', field);
}

/** Returns an integer contract count as an `_fp` string ("13" → "13.00"). */
export function contractsToFp(text: string, field: string): string {
  if (!/^\d{1,12}$/.test(text)) throw new WireFormatError(field, 'a non-negative integer count', text);
  return formatCount((Number.parseInt(text, 10) * 100) as Count);
}

/**
 * Returns Unix ms of an ISO-8601 time. With `offsetMinutes` the text must have no zone and is taken
 * as local time at that offset from UTC; otherwise it must carry `Z` or an offset. Sub-millisecond
 * digits are truncated.
 * @throws WireFormatError when it is not such a time.
 */
export function parseTimeMs(text: string, field: string, offsetMinutes?: number): number {
  const zoned = /(Z|[+-]\d\d:\d\d)$/.test(text);
  if (offsetMinutes === undefined && !zoned) throw new WireFormatError(field, 'an ISO-8601 time with Z or an offset', text);
  if (offsetMinutes !== undefined && zoned) throw new WireFormatError(field, 'a local time without zone', text);
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(text);
  if (!match) throw new WireFormatError(field, 'an ISO-8601 time', text);
  const millis = (match[2] ?? '').slice(0, 3).padEnd(3, '0');
  const zone = offsetMinutes === undefined ? (match[3] ?? '') : 'Z';
  const ms = Date.parse(`${match[1] ?? ''}.${millis}${zone}`);
  if (!Number.isFinite(ms)) throw new WireFormatError(field, 'an ISO-8601 time', text);
  return offsetMinutes === undefined ? ms : ms - offsetMinutes * 60_000;
}

/** Returns Unix ms as RFC3339 UTC with milliseconds. */
export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/** A parsed CSV file: header names and rows of fields, with 1-based line numbers. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly { readonly fields: readonly string[]; readonly line: number }[];
}

/**
 * Reads a simple CSV file (no quoted fields: none of the sources use them).
 * @throws WireFormatError naming the file and line when a row has the wrong number of fields or a quote.
 */
export function readCsv(path: string): CsvTable {
  const lines = readFileSync(path, 'utf8').split('\n');
  const header = (lines[0] ?? '').replace(/\r$/, '').split(',');
  const rows: { fields: string[]; line: number }[] = [];
  for (let i = 1; i < lines.length; i++) {
    const text = (lines[i] ?? '').replace(/\r$/, '');
    if (text === '') continue;
    if (text.includes('"')) throw new WireFormatError(`${path}:${i + 1}`, 'a CSV row without quotes', text);
    const fields = text.split(',');
    if (fields.length !== header.length) throw new WireFormatError(`${path}:${i + 1}`, `${header.length} fields`, fields.length);
    rows.push({ fields, line: i + 1 });
  }
  return { header, rows };
}

/** Returns the index of column `name`. @throws WireFormatError when the header lacks it. */
export function column(table: CsvTable, name: string, path: string): number {
  const index = table.header.indexOf(name);
  if (index < 0) throw new WireFormatError(`${path}:1`, `a header with column ${JSON.stringify(name)}`, table.header.join(','));
  return index;
}
