/**
 * Importer `ws-capture`: raw Kalshi WebSocket messages captured one per line without receive times
 * (the jfreun123/kalshi-market-maker `capture/session.jsonl`; see its PROVENANCE.md). Every message is
 * written as captured (`type`, `sid`, `seq`, `msg` unchanged, command replies included, because their
 * `seq` counts in the subscription's sequence). `recv_ms` is synthesised, documented in
 * docs/backtesting.md: the message's `msg.ts_ms` when it has one, else the previous line's time
 * (lines before the first `ts_ms` take the first `ts_ms` of the file), and never earlier than the
 * previous line so the file stays ordered. A `market` line (whole-cent grid assumed; status active)
 * is added before each market's first message.
 */
import { readFileSync } from 'node:fs';
import { WireFormatError } from '../../core/index.js';
import type { RecordingLineOut } from '../writer.js';
import { isoOf, marketObject } from './common.js';
import type { ImportResult } from './trades-csv.js';

interface Captured {
  readonly type: string;
  readonly sid?: number;
  readonly seq?: number;
  readonly msg: unknown;
  readonly tsMs?: number;
  readonly ticker?: string;
}

/**
 * Returns the recording lines of WebSocket capture files (concatenated in the given order).
 * @throws WireFormatError (file:line) on a line that is not a JSON object with a string `type`, or whose
 *   `sid`, `seq` or `msg.ts_ms` is present but not a non-negative integer.
 */
export function importWsCapture(paths: readonly string[]): ImportResult {
  const captured: Captured[] = [];
  for (const path of paths) {
    readFileSync(path, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        if (text.trim() === '') return;
        captured.push(parseCaptured(text, `${path}:${i + 1}`));
      });
  }
  const firstTs = captured.find((c) => c.tsMs !== undefined)?.tsMs;
  if (firstTs === undefined) throw new WireFormatError(paths.join(','), 'at least one message with msg.ts_ms to anchor receive times', 'none');
  const spans = new Map<string, { first: number; last: number }>();
  let now = firstTs;
  const times = captured.map((c) => {
    now = Math.max(now, c.tsMs ?? now);
    if (c.ticker !== undefined) {
      const span = spans.get(c.ticker);
      if (span) span.last = now;
      else spans.set(c.ticker, { first: now, last: now });
    }
    return now;
  });
  const lines: RecordingLineOut[] = [];
  const announced = new Set<string>();
  captured.forEach((c, i) => {
    const recvMs = times[i] ?? firstTs;
    if (c.ticker !== undefined && !announced.has(c.ticker)) {
      announced.add(c.ticker);
      const span = spans.get(c.ticker);
      lines.push({ recv_ms: recvMs, type: 'market', msg: marketObject({ ticker: c.ticker, openTime: isoOf(span?.first ?? recvMs), closeTime: isoOf(span?.last ?? recvMs), result: '' }) });
    }
    lines.push({ recv_ms: recvMs, type: c.type, ...(c.sid === undefined ? {} : { sid: c.sid }), ...(c.seq === undefined ? {} : { seq: c.seq }), msg: c.msg });
  });
  return { lines, notes: [`${captured.length} captured messages, ${announced.size} markets; recv_ms synthesised from msg.ts_ms`] };
}

function parseCaptured(text: string, at: string): Captured {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new WireFormatError(at, 'a JSON object', text, { cause: error });
  }
  if (typeof value !== 'object' || value === null) throw new WireFormatError(at, 'a JSON object', value);
  const record = value as Record<string, unknown>;
  if (typeof record['type'] !== 'string') throw new WireFormatError(`${at}.type`, 'a string', record['type']);
  const msg = record['msg'];
  const body = typeof msg === 'object' && msg !== null ? (msg as Record<string, unknown>) : {};
  const tsMs = body['ts_ms'];
  const ticker = body['market_ticker'];
  const isMarketData = record['type'] === 'orderbook_snapshot' || record['type'] === 'orderbook_delta' || record['type'] === 'trade';
  // A field that is present but malformed stops the import: dropping it would silently change the
  // line's time (ts_ms) or its place in the subscription's sequence (sid, seq).
  const sid = optionalInteger(record['sid'], `${at}.sid`);
  const seq = optionalInteger(record['seq'], `${at}.seq`);
  if (tsMs !== undefined && !(typeof tsMs === 'number' && Number.isSafeInteger(tsMs) && tsMs >= 0)) throw new WireFormatError(`${at}.msg.ts_ms`, 'integer Unix milliseconds', tsMs);
  return {
    type: record['type'],
    ...(sid === undefined ? {} : { sid }),
    ...(seq === undefined ? {} : { seq }),
    msg,
    ...(typeof tsMs === 'number' ? { tsMs } : {}),
    ...(isMarketData && typeof ticker === 'string' ? { ticker } : {}),
  };
}

/** Returns a non-negative integer field, or undefined when absent. @throws WireFormatError when malformed. */
function optionalInteger(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new WireFormatError(field, 'a non-negative integer', value);
  return value;
}
