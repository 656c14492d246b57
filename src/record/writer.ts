/**
 * Writes recording files (plain `.jsonl` or gzip `.jsonl.gz`, chosen by the file name or `gzip`).
 * Used by the live recorder, `kalshi-mm synth` and the importers. Lines are buffered and written in
 * large chunks; `flush()` pushes everything written so far to the OS (and ends a gzip block so a
 * reader sees it), `close()` finishes the file and resolves only once it is complete on disk.
 * The writer enforces the format's ordering rule: a line earlier than the previous one is refused.
 */
import { closeSync, createWriteStream, openSync, writeSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip, gzipSync, constants as zlibConstants, type Gzip } from 'node:zlib';
import { InvariantError } from '../core/index.js';
import { RECORDING_FORMAT, RECORDING_VERSION, type RecordingHeader } from './schema.js';
import { isGzipPath } from './reader.js';

/** One line to write; `msg` is serialised as given (keep the exchange's strings unchanged). */
export interface RecordingLineOut {
  readonly recv_ms: number;
  readonly type: string;
  readonly sid?: number;
  readonly seq?: number;
  readonly msg: unknown;
}

/** Options of `RecordingWriter.open`. */
export interface RecordingWriterOptions {
  /** `ws`, `rest-poll`, `synthetic` or `import:<name>`. */
  readonly source: RecordingHeader['source'];
  /** RFC3339 creation time (injected: the writer reads no clock). */
  readonly created: string;
  /** `recv_ms` of the header line. */
  readonly headerMs: number;
  /** Compress with gzip; default: when the path ends in `.gz`. */
  readonly gzip?: boolean;
}

const CHUNK_CHARS = 1 << 16;
const SYNC_CHUNK_CHARS = 1 << 22;

/** A recording file being written. */
export class RecordingWriter {
  private buffer: string[] = [];
  private bufferedChars = 0;
  private lastMs: number;
  private closed = false;
  private linesWritten = 0;

  private constructor(
    private readonly file: WriteStream | undefined,
    private readonly gzip: Gzip | undefined,
    private readonly syncTarget: { fd: number; gzip: boolean } | undefined,
    headerMs: number,
  ) {
    this.lastMs = headerMs;
  }

  /** Opens `path` for writing (truncating it) and writes the header line. */
  static open(path: string, options: RecordingWriterOptions): RecordingWriter {
    const file = createWriteStream(path);
    const useGzip = options.gzip ?? isGzipPath(path);
    const gzip = useGzip ? createGzip() : undefined;
    if (gzip) gzip.pipe(file);
    return new RecordingWriter(file, gzip, undefined, options.headerMs).writeHeader(options);
  }

  /**
   * Opens `path` for synchronous writing: `writeSync` writes to the file itself every few MB, so a
   * producer that never yields to the event loop (the offline market generator) needs no memory for
   * the whole file. Gzip output is a sequence of gzip members, which every gunzip reads as one stream.
   */
  static openSync(path: string, options: RecordingWriterOptions): RecordingWriter {
    const fd = openSync(path, 'w');
    return new RecordingWriter(undefined, undefined, { fd, gzip: options.gzip ?? isGzipPath(path) }, options.headerMs).writeHeader(options);
  }

  private writeHeader(options: RecordingWriterOptions): this {
    const header: RecordingHeader = { format: RECORDING_FORMAT, version: RECORDING_VERSION, source: options.source, created: options.created };
    this.push(JSON.stringify({ recv_ms: options.headerMs, type: 'header', msg: header }));
    return this;
  }

  /** Lines written so far, header included. */
  get lineCount(): number {
    return this.linesWritten;
  }

  /**
   * Appends one line. Resolves at once unless the buffer is full, then after the OS accepted it
   * (backpressure).
   * @throws InvariantError when `recv_ms` is below the previous line's or the writer is closed.
   */
  async write(line: RecordingLineOut): Promise<void> {
    this.writeSync(line);
    if (this.bufferedChars >= CHUNK_CHARS) await this.drainBuffer();
  }

  /**
   * Appends one line without waiting; call `flush()` or `write()` regularly so the buffer drains.
   * @throws InvariantError when `recv_ms` is below the previous line's or the writer is closed.
   */
  writeSync(line: RecordingLineOut): void {
    if (this.closed) throw new InvariantError('RecordingWriter.write after close');
    if (!Number.isSafeInteger(line.recv_ms) || line.recv_ms < this.lastMs) {
      throw new InvariantError(`recording line recv_ms was ${line.recv_ms}, expected an integer ≥ ${this.lastMs} (lines must not go back in time)`);
    }
    this.lastMs = line.recv_ms;
    // Key order is fixed (recv_ms, type first) so readers can pre-filter lines cheaply.
    const sid = line.sid === undefined ? '' : `,"sid":${line.sid}`;
    const seq = line.seq === undefined ? '' : `,"seq":${line.seq}`;
    this.push(`{"recv_ms":${line.recv_ms},"type":${JSON.stringify(line.type)}${sid}${seq},"msg":${JSON.stringify(line.msg)}}`);
    if (this.syncTarget && this.bufferedChars >= SYNC_CHUNK_CHARS) this.drainSync();
  }

  /** Writes everything buffered and, for gzip, ends the current block so readers can see it. */
  async flush(): Promise<void> {
    if (this.syncTarget) return this.drainSync();
    await this.drainBuffer();
    if (this.gzip) {
      const gzip = this.gzip;
      await new Promise<void>((resolve) => gzip.flush(zlibConstants.Z_SYNC_FLUSH, () => resolve()));
    }
  }

  /** Writes what is left, finishes the file (gzip trailer included) and closes it. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.syncTarget) {
      this.drainSync();
      this.closed = true;
      closeSync(this.syncTarget.fd);
      return;
    }
    await this.drainBuffer();
    this.closed = true;
    if (!this.file) return;
    const finished = once(this.file, 'close');
    (this.gzip ?? this.file).end();
    await finished;
  }

  private drainSync(): void {
    const target = this.syncTarget;
    if (!target || this.buffer.length === 0) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.bufferedChars = 0;
    if (target.gzip) writeSync(target.fd, gzipSync(chunk));
    else writeSync(target.fd, chunk);
  }

  private push(text: string): void {
    this.buffer.push(text, '\n');
    this.bufferedChars += text.length + 1;
    this.linesWritten++;
  }

  private async drainBuffer(): Promise<void> {
    if (this.syncTarget) return this.drainSync();
    const target = this.gzip ?? this.file;
    if (this.buffer.length === 0 || !target) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.bufferedChars = 0;
    if (!target.write(chunk)) await once(target, 'drain');
  }
}
