/**
 * The recording format v1 (reference: recording-format.md): one JSON object per line, the first a
 * header, every other line a Kalshi WebSocket envelope (or a kalshi-mm `market`/`gap` line) plus the
 * local receive time `recv_ms`. The zod schemas are the source of truth for the header and envelope;
 * `msg` payloads are kept as the exchange sent them and decoded by the consumer.
 */
import { z } from 'zod';

/** The only version this code reads and writes. */
export const RECORDING_VERSION = 1;
/** The `format` field of every header. */
export const RECORDING_FORMAT = 'kalshi-mm.recording';

/** Header payload: what wrote the file and when. */
export const recordingHeaderSchema = z.object({
  format: z.literal(RECORDING_FORMAT),
  version: z.literal(RECORDING_VERSION),
  source: z.string().regex(/^(ws|rest-poll|synthetic|import:[A-Za-z0-9._-]+)$/, 'ws, rest-poll, synthetic or import:<name>'),
  created: z.string().min(1),
});
export type RecordingHeader = z.infer<typeof recordingHeaderSchema>;

/** Every line: `recv_ms` (integer Unix ms), `type`, optional `sid`/`seq`, and `msg`. Unknown extra fields are tolerated. */
export const recordingLineSchema = z.object({
  recv_ms: z.number().int().nonnegative(),
  type: z.string().min(1),
  sid: z.number().int().optional(),
  seq: z.number().int().optional(),
  msg: z.unknown(),
});
export type RecordingLineJson = z.infer<typeof recordingLineSchema>;

/** A line as the reader yields it: the parsed envelope plus where it came from. */
export interface RecordingLine {
  readonly recvMs: number;
  readonly type: string;
  readonly sid: number | undefined;
  readonly seq: number | undefined;
  /** The exchange's payload, unchanged (unknown until decoded by the consumer). */
  readonly msg: unknown;
  /** 1-based line number in the file (the header is line 1). */
  readonly line: number;
}

/** Line types that carry a market's book: they sort before trades at equal `recv_ms`. */
export const BOOK_LINE_TYPES: ReadonlySet<string> = new Set(['orderbook_snapshot', 'orderbook_delta']);

/** kalshi-mm's own line types (not sent by Kalshi). */
export type KalshiMmLineType = 'header' | 'market' | 'gap';
