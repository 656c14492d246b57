/**
 * The live recorder (WebSocket mode of `kalshi-mm record`). It is fed verbatim frames by `cli/` (the
 * Kalshi WS client's `raw()` stream) and writes, in the recording format (recording-format.md):
 *  - a `market` line (the REST Market object) for each market before its first book line, again after
 *    every lifecycle message of that market (status, result, settlement);
 *  - every `orderbook_snapshot`, `orderbook_delta`, `trade` and `market_lifecycle_v2` message of the
 *    recorded markets as it arrived (`type`, `sid`, `seq`, `msg` unchanged, plus `recv_ms`);
 *  - a `gap` line per market when continuity is lost — a `seq` that skips, a disconnect, a dropped
 *    buffer, a file rotation — after which the next snapshot (the WS client resubscribes or asks for
 *    one) restores the book. Nothing is silently missing.
 * `RotatingRecording` splits the output by time and size; every new file starts with the `market` lines
 * and a `gap` line per market, so each file replays on its own.
 */
import { RecordingWriter, type RecordingLineOut } from './writer.js';
import { silentLogger, type Clock, type Logger } from '../core/index.js';

/** A frame as the WS client's raw stream delivers it. */
export type RecorderFrame =
  | { readonly type: 'frame'; readonly recvMs: number; readonly text: string }
  | { readonly type: 'connection'; readonly recvMs: number; readonly connected: boolean }
  | { readonly type: 'overflow'; readonly recvMs: number; readonly dropped: number };

/** What the recorder needs from the exchange connection (cli/ adapts the Kalshi clients). */
export interface RecorderFeed {
  readonly frames: AsyncIterable<RecorderFrame>;
  /** Subscribes `orderbook_delta` and `trade` for these markets (a snapshot follows). */
  subscribe(tickers: readonly string[]): Promise<void>;
  unsubscribe(tickers: readonly string[]): Promise<void>;
  /** Asks for fresh snapshots of these markets. */
  requestSnapshots(tickers: readonly string[]): Promise<void>;
  /** Returns the REST Market object (wire form) of a market. */
  fetchMarket(ticker: string): Promise<unknown>;
}

/** Where lines go: synchronous, buffered; `flush` pushes them to the OS. */
export interface RecordingSink {
  write(line: RecordingLineOut): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Counters for the progress line. */
export interface RecorderStats {
  messages: number;
  gaps: number;
  markets: number;
  lines: number;
}

const RECORDED_TYPES = new Set(['orderbook_snapshot', 'orderbook_delta', 'trade', 'market_lifecycle_v2']);

interface Envelope {
  type?: unknown;
  sid?: unknown;
  seq?: unknown;
  msg?: unknown;
}

function tickerOf(msg: unknown): string | undefined {
  if (typeof msg !== 'object' || msg === null) return undefined;
  const t = (msg as Record<string, unknown>)['market_ticker'];
  return typeof t === 'string' ? t : undefined;
}

/** Options of `WsRecorder`. */
export interface WsRecorderOptions {
  readonly feed: RecorderFeed;
  readonly sink: RecordingSink;
  readonly clock: Clock;
  readonly logger?: Logger;
}

/** The WebSocket recorder (see the file comment). */
export class WsRecorder {
  readonly stats: RecorderStats = { messages: 0, gaps: 0, markets: 0, lines: 0 };
  private readonly markets = new Map<string, unknown>();
  private readonly lastSeq = new Map<number, number>();
  private readonly sidMarkets = new Map<number, Set<string>>();
  private lastMs = 0;
  private readonly logger: Logger;

  constructor(private readonly options: WsRecorderOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** The markets being recorded. */
  get tickers(): string[] {
    return [...this.markets.keys()];
  }

  /**
   * Records exactly `tickers` from now on: new markets get their `market` line and a subscription;
   * markets no longer wanted are unsubscribed.
   * @throws the feed's error when a market cannot be read or subscribed.
   */
  async setMarkets(tickers: readonly string[]): Promise<void> {
    const wanted = new Set(tickers);
    const removed = this.tickers.filter((t) => !wanted.has(t));
    const added = tickers.filter((t) => !this.markets.has(t));
    if (removed.length > 0) {
      await this.options.feed.unsubscribe(removed);
      for (const t of removed) this.markets.delete(t);
    }
    for (const ticker of added) {
      const market = await this.options.feed.fetchMarket(ticker);
      this.markets.set(ticker, market);
      this.emit({ recv_ms: this.options.clock.nowMs(), type: 'market', msg: market });
    }
    this.stats.markets = this.markets.size;
    if (added.length > 0) await this.options.feed.subscribe(added);
    if (added.length + removed.length > 0) this.logger.info({ added, removed }, 'recorded markets changed');
  }

  /** Consumes the feed's frames until it ends or `signal` aborts. */
  async run(signal?: AbortSignal): Promise<void> {
    const iterator = this.options.feed.frames[Symbol.asyncIterator]();
    const onAbort = (): void => void iterator.return?.();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        if (signal?.aborted) return;
        const next = await iterator.next();
        if (next.done) return;
        this.onFrame(next.value);
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Writes the start of a new file: every market line and a gap per market; asks for snapshots. */
  onRotate(write: (line: RecordingLineOut) => void, atMs: number): void {
    // Stamped with the time of the line that triggered the rotation, which is written right after.
    const now = atMs;
    for (const market of this.markets.values()) write({ recv_ms: now, type: 'market', msg: market });
    for (const ticker of this.markets.keys())
      write({ recv_ms: now, type: 'gap', msg: { market_ticker: ticker, reason: 'file rotated; book resumes at the next snapshot' } });
    this.options.feed
      .requestSnapshots(this.tickers)
      .catch((e: unknown) =>
        this.logger.warn({ error: e instanceof Error ? e.message : String(e) }, 'snapshot request after rotation failed'),
      );
  }

  private onFrame(frame: RecorderFrame): void {
    if (frame.type === 'connection') {
      if (!frame.connected) {
        this.gapAll(frame.recvMs, 'disconnected');
        this.lastSeq.clear();
        this.sidMarkets.clear();
      }
      return;
    }
    if (frame.type === 'overflow') {
      this.gapAll(frame.recvMs, `recorder fell behind; ${frame.dropped} frames dropped`);
      this.lastSeq.clear();
      void this.options.feed.requestSnapshots(this.tickers).catch(() => undefined);
      return;
    }
    let envelope: Envelope;
    try {
      envelope = JSON.parse(frame.text) as Envelope;
    } catch {
      this.logger.warn({ length: frame.text.length }, 'unparsable frame skipped');
      return;
    }
    const type = envelope.type;
    if (typeof type !== 'string' || !RECORDED_TYPES.has(type)) return;
    const ticker = tickerOf(envelope.msg);
    const sid = typeof envelope.sid === 'number' ? envelope.sid : undefined;
    const seq = typeof envelope.seq === 'number' ? envelope.seq : undefined;
    if (sid !== undefined && seq !== undefined) this.checkSeq(sid, seq, frame.recvMs, type);
    if (ticker === undefined || !this.markets.has(ticker)) return;
    if (sid !== undefined && type !== 'market_lifecycle_v2') {
      const set = this.sidMarkets.get(sid) ?? new Set<string>();
      set.add(ticker);
      this.sidMarkets.set(sid, set);
    }
    this.stats.messages++;
    this.emit({
      recv_ms: frame.recvMs,
      type,
      ...(sid !== undefined ? { sid } : {}),
      ...(seq !== undefined ? { seq } : {}),
      msg: envelope.msg,
    });
    if (type === 'market_lifecycle_v2') void this.refreshMarket(ticker);
  }

  /** A skipped seq on a subscription loses continuity of every market on it. */
  private checkSeq(sid: number, seq: number, recvMs: number, type: string): void {
    const last = this.lastSeq.get(sid);
    this.lastSeq.set(sid, seq);
    if (last === undefined || seq === last + 1) return;
    const reason = `seq gap on sid ${sid} (${type}): expected ${last + 1}, was ${seq}`;
    const affected = this.sidMarkets.get(sid) ?? new Set(this.markets.keys());
    for (const ticker of affected) this.gap(recvMs, ticker, reason);
    this.logger.warn({ sid, expected: last + 1, seq }, 'seq gap');
  }

  private async refreshMarket(ticker: string): Promise<void> {
    try {
      const market = await this.options.feed.fetchMarket(ticker);
      if (!this.markets.has(ticker)) return;
      this.markets.set(ticker, market);
      this.emit({ recv_ms: this.options.clock.nowMs(), type: 'market', msg: market });
    } catch (error) {
      this.logger.warn({ ticker, error: error instanceof Error ? error.message : String(error) }, 'market refresh after lifecycle failed');
    }
  }

  private gapAll(recvMs: number, reason: string): void {
    for (const ticker of this.markets.keys()) this.gap(recvMs, ticker, reason);
  }

  private gap(recvMs: number, ticker: string, reason: string): void {
    this.stats.gaps++;
    this.emit({ recv_ms: recvMs, type: 'gap', msg: { market_ticker: ticker, reason } });
  }

  /** Writes one line, never earlier than the previous one (REST lines are stamped when written). */
  private emit(line: RecordingLineOut): void {
    const recvMs = Math.max(this.lastMs, line.recv_ms);
    this.lastMs = recvMs;
    this.stats.lines++;
    this.options.sink.write(recvMs === line.recv_ms ? line : { ...line, recv_ms: recvMs });
  }
}

/** Options of `RotatingRecording.open`. */
export interface RotatingRecordingOptions {
  /** `out.jsonl` or `out.jsonl.gz`; with rotation, files are `out-<UTC time>.jsonl[.gz]`. */
  readonly path: string;
  readonly source: 'ws' | 'rest-poll';
  readonly clock: Clock;
  readonly gzip?: boolean;
  /** Start a new file after this long, ms. */
  readonly rotateMs?: number;
  /** Start a new file after this many bytes of JSON (before compression). */
  readonly rotateBytes?: number;
  /** Writes the opening lines of each new file after the first (see `WsRecorder.onRotate`). */
  readonly onRotate?: (write: (line: RecordingLineOut) => void, atMs: number) => void;
}

/** A recording split into files by time and size (see the file comment). */
export class RotatingRecording implements RecordingSink {
  readonly files: string[] = [];
  /** JSON bytes written over all files. */
  bytes = 0;
  private writer: RecordingWriter;
  private openedMs: number;
  private fileBytes = 0;
  private closing: Promise<void>[] = [];

  private constructor(private readonly options: RotatingRecordingOptions) {
    this.openedMs = options.clock.nowMs();
    this.writer = this.openFile(this.openedMs);
  }

  /** Opens the first file. @throws the file system's error. */
  static open(options: RotatingRecordingOptions): RotatingRecording {
    return new RotatingRecording(options);
  }

  write(line: RecordingLineOut): void {
    const rotate =
      (this.options.rotateMs !== undefined && line.recv_ms - this.openedMs >= this.options.rotateMs) ||
      (this.options.rotateBytes !== undefined && this.fileBytes >= this.options.rotateBytes);
    if (rotate) this.rotate(line.recv_ms);
    this.put(line);
  }

  async flush(): Promise<void> {
    await this.writer.flush();
  }

  async close(): Promise<void> {
    await this.writer.close();
    await Promise.all(this.closing);
  }

  private put(line: RecordingLineOut): void {
    this.writer.writeSync(line);
    // An estimate of the JSON length: msg dominates and is serialised again by the writer.
    const size = JSON.stringify(line.msg).length + 48;
    this.fileBytes += size;
    this.bytes += size;
  }

  private rotate(nowMs: number): void {
    const old = this.writer;
    this.closing.push(old.close());
    this.openedMs = nowMs;
    this.fileBytes = 0;
    this.writer = this.openFile(nowMs);
    this.options.onRotate?.((line) => this.put(line), nowMs);
  }

  private openFile(nowMs: number): RecordingWriter {
    const rotating = this.options.rotateMs !== undefined || this.options.rotateBytes !== undefined;
    const gz = this.options.gzip ?? this.options.path.endsWith('.gz');
    let path = this.options.path;
    if (gz && !path.endsWith('.gz')) path = `${path}.gz`;
    if (rotating) {
      const stamp = new Date(nowMs)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
      const ext = gz ? '.jsonl.gz' : '.jsonl';
      const stem = path.replace(/\.jsonl(\.gz)?$|\.gz$/, '');
      path = `${stem}-${stamp}-${this.files.length}${ext}`;
    }
    this.files.push(path);
    return RecordingWriter.open(path, { source: this.options.source, created: new Date(nowMs).toISOString(), headerMs: nowMs, gzip: gz });
  }
}
