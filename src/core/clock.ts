/**
 * Time, injected. Outside `cli/` and tests nothing reads the wall clock: the live bot gets a
 * `Clock` backed by Date.now and setTimeout (built in `cli/`), the backtest one that advances with
 * event time, and tests a `ManualClock`.
 */

/**
 * The promise of work that already finished: a timer callback or event handler that started nothing
 * asynchronous returns this one shared, resolved promise. Callers that must await every callback's
 * work (the backtest's replay, once per parameter set per timer) recognise it and skip the await,
 * which is most of a heartbeat's cost in a grid.
 */
export const DONE: Promise<void> = Promise.resolve();

/** A cancellable timer. */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Current time in Unix milliseconds. */
  nowMs(): number;
  /**
   * Runs `callback` once after `delayMs` of this clock's time. A callback may return the promise of
   * the work it starts; a clock that awaits timer work (the backtest's replay) waits for exactly that.
   */
  setTimer(delayMs: number, callback: () => void | Promise<unknown>): TimerHandle;
  /** Resolves after `delayMs`; rejects with the signal's reason when aborted. */
  sleep(delayMs: number, signal?: AbortSignal): Promise<void>;
}

interface PendingTimer {
  readonly dueMs: number;
  readonly seq: number;
  readonly callback: () => void | Promise<unknown>;
  cancelled: boolean;
}

/**
 * A clock that moves only when told (`advanceTo`, `advanceBy`); timers fire in due order, ties in
 * creation order. Used by tests and, extended, by the backtest, where time is event time. Timers live
 * in a binary heap (cancelled ones are dropped when they reach the top): O(log n) per timer and O(1)
 * per idle advance, which matters when a backtest grid advances a hundred clocks per recorded event.
 */
export class ManualClock implements Clock {
  private now: number;
  private seq = 0;
  private readonly heap: PendingTimer[] = [];

  constructor(startMs = 0) {
    this.now = startMs;
  }

  nowMs(): number {
    return this.now;
  }

  setTimer(delayMs: number, callback: () => void | Promise<unknown>): TimerHandle {
    const timer: PendingTimer = { dueMs: this.now + Math.max(0, delayMs), seq: this.seq++, callback, cancelled: false };
    this.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const handle = this.setTimer(delayMs, () => resolve());
      signal?.addEventListener(
        'abort',
        () => {
          handle.cancel();
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /** Returns the due time of the earliest pending timer, or undefined. */
  nextTimerMs(): number | undefined {
    while (this.heap.length > 0 && (this.heap[0] as PendingTimer).cancelled) this.pop();
    return this.heap[0]?.dueMs;
  }

  /**
   * Moves time to `targetMs`, firing every timer due on the way, in order (timers set by a callback
   * fire within the same advance when due). A promise a callback returns is not awaited: time does
   * not wait.
   */
  advanceTo(targetMs: number): void {
    for (;;) {
      const next = this.heap[0];
      if (next === undefined || next.dueMs > targetMs) break;
      this.pop();
      if (next.cancelled) continue;
      if (next.dueMs > this.now) this.now = next.dueMs;
      void next.callback();
    }
    if (targetMs > this.now) this.now = targetMs;
  }

  /** Moves time forward by `deltaMs`. */
  advanceBy(deltaMs: number): void {
    this.advanceTo(this.now + deltaMs);
  }

  private before(a: PendingTimer, b: PendingTimer): boolean {
    return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.seq < b.seq);
  }

  private push(timer: PendingTimer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i] as PendingTimer, heap[parent] as PendingTimer)) break;
      [heap[i], heap[parent]] = [heap[parent] as PendingTimer, heap[i] as PendingTimer];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < heap.length && this.before(heap[left] as PendingTimer, heap[best] as PendingTimer)) best = left;
      if (right < heap.length && this.before(heap[right] as PendingTimer, heap[best] as PendingTimer)) best = right;
      if (best === i) break;
      [heap[i], heap[best]] = [heap[best] as PendingTimer, heap[i] as PendingTimer];
      i = best;
    }
  }
}
