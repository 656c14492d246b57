/**
 * Streaming reader of recording files (`.jsonl` and `.jsonl.gz`). The file is read in chunks and
 * split into lines as it arrives, so a multi-GB recording never sits in memory. Every line is checked
 * (JSON, `recv_ms`, `type`, time order, header version) and a bad one throws `RecordingFormatError`
 * with the file, the 1-based line number and the reason: a line is never silently skipped.
 * A `seq` that skips within a `sid` (recording-format.md "Rules for readers") is reported as a
 * synthetic `gap` line without `market_ticker` (every book of the file is stale until its next
 * snapshot), so consumers need no sequence tracking of their own and filtering cannot hide a gap.
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { RecordingFormatError } from '../core/index.js';
import { recordingHeaderSchema, type RecordingHeader, type RecordingLine } from './schema.js';

/** Options of `readRecording`. */
export interface ReadRecordingOptions {
  /** Stops reading when aborted (the iterator ends with the signal's reason). */
  readonly signal?: AbortSignal;
  /**
   * A cheap pre-filter on the raw text of each non-header line. When it returns false the line's
   * `recv_ms` and `type` are still checked, but its payload is not parsed and it is not yielded.
   * Used to skip other markets' lines without a full JSON.parse (see `lineMentions`).
   */
  readonly keepLine?: (text: string) => boolean;
}

/** Returns true when `path` names a gzip-compressed recording. */
export function isGzipPath(path: string): boolean {
  return path.endsWith('.gz');
}

/** Returns a reader of the file's text chunks, gunzipping `.gz` files. */
function openText(path: string): Readable {
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  if (!isGzipPath(path)) return raw;
  const gunzip = createGunzip({ chunkSize: 1 << 18 });
  raw.on('error', (error) => gunzip.destroy(error));
  return raw.pipe(gunzip);
}

/**
 * Returns the number of lines of a recording (gunzipped when `.gz`) by counting newline bytes — no
 * decoding or parsing, so it is a small fraction of a replay's time. Used for progress and ETA.
 */
export async function countLines(path: string, signal?: AbortSignal): Promise<number> {
  let lines = 0;
  let last = 10;
  try {
    for await (const chunk of openText(path) as AsyncIterable<Buffer>) {
      if (signal?.aborted) throw signal.reason;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      if (chunk.length > 0) last = chunk[chunk.length - 1] as number;
    }
  } catch (error) {
    throw gzipError(path, lines + 1, error);
  }
  // A last line without a trailing newline is a line too.
  return last === 10 ? lines : lines + 1;
}

/** A batch of consecutive lines of a text file; `first` is the 1-based number of `lines[0]`. */
export interface TextBatch {
  readonly lines: string[];
  readonly first: number;
}

/**
 * Yields the lines of a text file in batches (one per chunk read, ~1 MB), streaming. Batches keep the
 * per-line cost of async iteration off the hot path: consumers loop over each batch synchronously.
 */
export async function* readTextBatches(path: string, signal?: AbortSignal): AsyncGenerator<TextBatch> {
  const stream = openText(path);
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let next = 1;
  try {
    for await (const chunk of stream) {
      if (signal?.aborted) throw signal.reason;
      const text = carry + decoder.write(chunk as Buffer);
      const lines = text.split('\n');
      carry = lines.pop() ?? '';
      if (lines.length === 0) continue;
      yield { lines, first: next };
      next += lines.length;
    }
    carry += decoder.end();
    if (carry.length > 0) yield { lines: [carry], first: next };
  } catch (error) {
    throw gzipError(path, next, error);
  } finally {
    stream.destroy();
  }
}

/**
 * Returns a zlib error (a truncated or corrupt .gz: a recorder that never wrote the gzip trailer, a
 * copy cut short) as a RecordingFormatError naming the file and the line being read; other errors
 * unchanged. Without this the message was zlib's alone ("unexpected end of file"), naming nothing.
 */
function gzipError(path: string, line: number, error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('Z_')) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new RecordingFormatError(path, line, `gzip data unreadable (${reason}): the file is truncated or corrupt`, { cause: error });
}

/** Yields the lines of a text file with their 1-based numbers, streaming. */
export async function* readTextLines(path: string, signal?: AbortSignal): AsyncGenerator<{ text: string; line: number }> {
  for await (const batch of readTextBatches(path, signal)) {
    for (let i = 0; i < batch.lines.length; i++) yield { text: batch.lines[i] as string, line: batch.first + i };
  }
}

/** The fields kalshi-mm writers put first; lets filtered lines skip JSON.parse. */
const PREFIX = /^\{"recv_ms":(\d{1,16}),"type":"([a-z_0-9]+)"(?:,"sid":(\d{1,15}))?(?:,"seq":(\d{1,15}))?[,}]/;

/**
 * Yields the lines of a recording after the header, in file order, in batches (see
 * `readTextBatches`), with every line checked.
 * @throws RecordingFormatError (file, line, reason) for: a line that is not a JSON object, a missing
 * or non-integer `recv_ms`, a missing `type`, `recv_ms` lower than the previous line's, a first line
 * that is not a v1 header, a second header, or an empty file.
 */
export async function* readRecordingBatches(path: string, options: ReadRecordingOptions = {}): AsyncGenerator<RecordingLine[]> {
  let header: RecordingHeader | undefined;
  let lastMs = -Infinity;
  const keep = options.keepLine;
  const lastSeq = new Map<number, number>();
  // Returns a `gap` line when `seq` skips on `sid` (every line is seen here, filtered or not).
  const seqGap = (sid: unknown, seq: unknown, recvMs: number, line: number): RecordingLine | undefined => {
    if (typeof sid !== 'number' || typeof seq !== 'number') return undefined;
    const last = lastSeq.get(sid);
    lastSeq.set(sid, seq);
    if (last === undefined || seq === last + 1) return undefined;
    return { recvMs, type: 'gap', sid: undefined, seq: undefined, msg: { reason: `seq gap on sid ${sid}: ${last} then ${seq}` }, line };
  };
  for await (const batch of readTextBatches(path, options.signal)) {
    const out: RecordingLine[] = [];
    for (let i = 0; i < batch.lines.length; i++) {
      const text = batch.lines[i] as string;
      const line = batch.first + i;
      if (text.length === 0) throw new RecordingFormatError(path, line, 'empty line; every line must be one JSON object');
      if (header !== undefined && keep !== undefined && !keep(text)) {
        const match = PREFIX.exec(text);
        if (match) {
          const recvMs = Number(match[1]);
          if (recvMs < lastMs) throw backwards(path, line, recvMs, lastMs);
          lastMs = recvMs;
          if (match[4] !== undefined) {
            const gap = seqGap(Number(match[3]), Number(match[4]), recvMs, line);
            if (gap) out.push(gap);
          }
          continue;
        }
      }
      const value = parseJson(path, line, text);
      const recvMs = value['recv_ms'];
      const type = value['type'];
      if (typeof recvMs !== 'number' || !Number.isSafeInteger(recvMs) || recvMs < 0) {
        throw new RecordingFormatError(path, line, `recv_ms: expected a non-negative integer of Unix ms, was ${describe(recvMs)}`);
      }
      if (typeof type !== 'string' || type.length === 0) {
        throw new RecordingFormatError(path, line, `type: expected a non-empty string, was ${describe(type)}`);
      }
      if (recvMs < lastMs) throw backwards(path, line, recvMs, lastMs);
      lastMs = recvMs;
      if (header === undefined) {
        header = parseHeader(path, line, type, value['msg']);
        continue;
      }
      if (type === 'header') throw new RecordingFormatError(path, line, 'type: a second header line; only line 1 may be a header');
      const sid = value['sid'];
      const seq = value['seq'];
      const gap = seqGap(sid, seq, recvMs, line);
      if (gap) out.push(gap);
      if (keep !== undefined && !keep(text)) continue;
      out.push({ recvMs, type, sid: typeof sid === 'number' ? sid : undefined, seq: typeof seq === 'number' ? seq : undefined, msg: value['msg'], line });
    }
    if (out.length > 0) yield out;
  }
  if (header === undefined) throw new RecordingFormatError(path, 1, 'empty file; expected a header line');
}

/**
 * Yields every line of a recording after the header, in file order, with the header checked (one at
 * a time; `readRecordingBatches` is the faster form).
 * @throws RecordingFormatError as `readRecordingBatches`.
 */
export async function* readRecording(path: string, options: ReadRecordingOptions = {}): AsyncGenerator<RecordingLine> {
  for await (const batch of readRecordingBatches(path, options)) yield* batch;
}

/**
 * Returns the header of a recording (reads only its first line).
 * @throws RecordingFormatError when the first line is not a v1 header.
 */
export async function readRecordingHeader(path: string): Promise<RecordingHeader> {
  for await (const { text, line } of readTextLines(path)) {
    const value = parseJson(path, line, text);
    return parseHeader(path, line, String(value['type']), value['msg']);
  }
  throw new RecordingFormatError(path, 1, 'empty file; expected a header line');
}

/** Returns a `keepLine` filter that keeps lines whose text mentions one of `tickers` (as a JSON string). */
export function lineMentions(tickers: Iterable<string>): (text: string) => boolean {
  const needles = [...tickers].map((t) => JSON.stringify(t));
  if (needles.length === 1) {
    const needle = needles[0] as string;
    return (text) => text.includes(needle);
  }
  return (text) => needles.some((n) => text.includes(n));
}

function parseJson(path: string, line: number, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RecordingFormatError(path, line, `not valid JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RecordingFormatError(path, line, `expected a JSON object, was ${Array.isArray(value) ? 'an array' : describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function parseHeader(path: string, line: number, type: string, msg: unknown): RecordingHeader {
  if (type !== 'header') throw new RecordingFormatError(path, line, `type: expected "header" on line 1, was ${JSON.stringify(type)}`);
  const parsed = recordingHeaderSchema.safeParse(msg);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `msg.${i.path.join('.')}: ${i.message}`).join('; ');
    throw new RecordingFormatError(path, line, `bad header (expected format "kalshi-mm.recording" version 1): ${issues}`);
  }
  return parsed.data;
}

function backwards(path: string, line: number, recvMs: number, lastMs: number): RecordingFormatError {
  return new RecordingFormatError(path, line, `recv_ms: time goes backwards, was ${recvMs}, expected ≥ ${lastMs} (the previous line's)`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return typeof value;
}
