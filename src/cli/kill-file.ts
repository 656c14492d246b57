/**
 * The operator's kill file of `kalshi-mm run`: a file whose existence means "stop trading now". Checked
 * once at start (present: the bot refuses to trade) and then polled with one `stat` per interval, which
 * works on every filesystem and costs nothing, unlike a watcher. Its text, if any, is the operator's
 * reason: read as bytes, at most `KILL_FILE_READ_BYTES`, reduced to one trimmed line of printable text
 * of at most `KILL_REASON_MAX_CHARS` characters; it is only ever logged and printed, never interpreted.
 */
import { open, stat } from 'node:fs/promises';
import type { Clock, TimerHandle } from '../core/index.js';

/** The kill file when `--kill-file` is not given, relative to the working directory. */
export const DEFAULT_KILL_FILE = '.kalshi-mm/KILL';
/** How often the kill file is checked while the bot runs, ms: a second is as fast as a person reacts. */
export const KILL_FILE_POLL_MS = 1_000;
export const KILL_FILE_READ_BYTES = 4_096;
export const KILL_REASON_MAX_CHARS = 200;

/** What a check of the kill file found. */
export type KillFileState =
  | { readonly present: false }
  | { readonly present: true; readonly reason: string }
  /** The file could not be checked (permissions, I/O): neither present nor absent. */
  | { readonly present: 'unknown'; readonly error: string };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** Returns `text` as one line of printable text, trimmed and capped at `KILL_REASON_MAX_CHARS`. */
export function killReason(text: string): string {
  // Control characters (newlines, escapes that could restyle a terminal) and line separators become spaces.
  const line = text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  return line.length > KILL_REASON_MAX_CHARS ? `${line.slice(0, KILL_REASON_MAX_CHARS - 1)}…` : line;
}

/** Checks the kill file once; its reason is '' when it is empty, not a regular file or unreadable. */
export async function readKillFile(path: string): Promise<KillFileState> {
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { present: false };
    return { present: 'unknown', error: error instanceof Error ? error.message : String(error) };
  }
  if (!isFile) return { present: true, reason: '' };
  try {
    const file = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(KILL_FILE_READ_BYTES);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
      return { present: true, reason: killReason(buffer.subarray(0, bytesRead).toString('utf8')) };
    } finally {
      await file.close();
    }
  } catch {
    // Removed or unreadable between stat and open: it existed, which is what counts.
    return { present: true, reason: '' };
  }
}

/** Options of `watchKillFile`. */
export interface KillFileWatchOptions {
  readonly path: string;
  readonly clock: Clock;
  /** Default `KILL_FILE_POLL_MS`. */
  readonly intervalMs?: number;
  /** Called once, when the file is first seen; polling ends. */
  readonly onKill: (reason: string) => void;
  /** Called when a check fails, once per distinct error (a lasting EACCES must not flood the log). */
  readonly onError?: (error: string) => void;
}

/** A running `watchKillFile`. */
export interface KillFileWatch {
  /** Ends the polling (a check in flight still completes but reports nothing). */
  stop(): void;
  /** Resolves when the check in flight, if any, has ended (the poll's I/O runs outside any clock). */
  idle(): Promise<void>;
}

/**
 * Polls the kill file every interval (the first check one interval after the call: the caller checks
 * at start) until it appears or `stop()`. Checks never overlap: the next is scheduled after one ends.
 */
export function watchKillFile(options: KillFileWatchOptions): KillFileWatch {
  const intervalMs = options.intervalMs ?? KILL_FILE_POLL_MS;
  let timer: TimerHandle | undefined;
  let stopped = false;
  let lastError: string | undefined;
  let checking: Promise<void> = Promise.resolve();
  const check = async (): Promise<void> => {
    const state = await readKillFile(options.path);
    if (stopped) return;
    if (state.present === true) {
      stopped = true;
      options.onKill(state.reason);
      return;
    }
    if (state.present === 'unknown' && state.error !== lastError) options.onError?.(state.error);
    lastError = state.present === 'unknown' ? state.error : undefined;
    schedule();
  };
  const schedule = (): void => {
    timer = options.clock.setTimer(intervalMs, () => (checking = check()));
  };
  schedule();
  return {
    stop: () => {
      stopped = true;
      timer?.cancel();
    },
    idle: () => checking,
  };
}
