/**
 * The `events()` streams of `BacktestExchange`. The replay runner hands events to its agent directly,
 * so a stream exists only for other consumers (a dashboard, a test, a trading core reading the port);
 * the simulator feeds it only while one is open, so a backtest without a stream buffers nothing.
 *
 * Each consumer has its own bounded queue. A consumer that falls `limit` events behind has lost
 * continuity: its queue is dropped, market data for it stops being queued, and at its next read it
 * gets a `stale` event followed by fresh snapshots of every subscribed market (account events queued
 * after the overflow still follow). The streams never change what the simulator does, so a backtest
 * stays deterministic whether or not anyone reads them.
 */
import type { PortEvent } from '../core/index.js';

/** Events queued per consumer before it is resynchronised. Default of `PortStreams`. */
export const DEFAULT_STREAM_LIMIT = 100_000;

/** One reader of `events()`. */
interface Consumer {
  queue: PortEvent[];
  head: number;
  /** Resolves the read that is waiting for an event, if any. */
  wake: (() => void) | undefined;
  /** Snapshots are owed at the next read: at the start of the stream, or after an overflow. */
  resync: 'start' | 'overflow' | undefined;
}

/** Options of `PortStreams`. */
export interface PortStreamsOptions {
  /** Events queued per consumer before it is resynchronised (see the file comment). */
  readonly limit?: number;
  /** Called with true when the first consumer opens and false when the last one leaves. */
  readonly onActive: (active: boolean) => void;
  /** Returns the snapshots a consumer needs now (book snapshots of the subscribed markets). */
  readonly snapshots: () => PortEvent[];
  /** Returns the current replay time (for the `stale` event of an overflow). */
  readonly nowMs: () => number;
}

/** The fan-out of port events to the open `events()` streams. */
export class PortStreams {
  private readonly consumers = new Set<Consumer>();
  private readonly limit: number;
  private closed = false;

  constructor(private readonly options: PortStreamsOptions) {
    this.limit = options.limit ?? DEFAULT_STREAM_LIMIT;
  }

  /** True while at least one stream is open. */
  get active(): boolean {
    return this.consumers.size > 0;
  }

  /** Queues `event` for every open stream (market data is skipped for a stream awaiting resync). */
  publish(event: PortEvent): void {
    const account = event.type === 'fill' || event.type === 'order' || event.type === 'position' || event.type === 'connection';
    for (const c of this.consumers) {
      // Snapshots taken at the resync will include whatever market data is skipped here.
      if (c.resync !== undefined && !account) continue;
      if (c.queue.length - c.head >= this.limit) {
        c.queue = [];
        c.head = 0;
        c.resync = 'overflow';
        if (!account) continue;
      }
      c.queue.push(event);
      c.wake?.();
    }
  }

  /**
   * Returns a stream starting with the snapshots due at its first read, then every published event;
   * it ends on `close()` or when `signal` aborts (at once, even while the consumer is not reading).
   */
  async *stream(signal?: AbortSignal): AsyncGenerator<PortEvent> {
    // A function, so the checks inside the loop are not narrowed by the one before it.
    const ended = (): boolean => this.closed || signal?.aborted === true;
    if (ended()) return;
    const c: Consumer = { queue: [], head: 0, wake: undefined, resync: 'start' };
    const leave = (): void => {
      if (this.consumers.delete(c) && this.consumers.size === 0) this.options.onActive(false);
      c.wake?.();
    };
    this.consumers.add(c);
    if (this.consumers.size === 1) this.options.onActive(true);
    signal?.addEventListener('abort', leave, { once: true });
    try {
      for (;;) {
        if (ended()) return;
        if (c.resync !== undefined) {
          const owed = this.options.snapshots();
          if (c.resync === 'overflow') owed.unshift({ type: 'stale', recvMs: this.options.nowMs(), reason: 'event buffer overflow' });
          c.resync = undefined;
          c.queue.splice(c.head, 0, ...owed);
        }
        if (c.head < c.queue.length) {
          const event = c.queue[c.head++] as PortEvent;
          if (c.head >= 1_024 && c.head * 2 >= c.queue.length) {
            c.queue = c.queue.slice(c.head);
            c.head = 0;
          }
          yield event;
          continue;
        }
        await new Promise<void>((resolve) => {
          c.wake = resolve;
        });
        c.wake = undefined;
      }
    } finally {
      signal?.removeEventListener('abort', leave);
      leave();
    }
  }

  /** Ends every stream; streams opened afterwards end at once. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const open = [...this.consumers];
    this.consumers.clear();
    if (open.length > 0) this.options.onActive(false);
    for (const c of open) c.wake?.();
  }
}
