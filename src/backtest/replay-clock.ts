/**
 * The backtest's clock: time is replay time, moved only by the runner; timers (the trading core's
 * and the simulator's latency events) live in a binary heap, fire in due order, ties in creation
 * order — the same contract as core's ManualClock, at O(log n) per timer and O(1) per idle advance,
 * which matters when a grid advances a hundred clocks per recorded event.
 */
import type { Clock, TimerHandle } from '../core/index.js';

interface Timer {
  readonly dueMs: number;
  readonly seq: number;
  readonly callback: () => void | Promise<unknown>;
  /** Set by the trading core (through the Clock interface), not by the simulator. */
  readonly external: boolean;
  cancelled: boolean;
}

/** A Clock driven by replay time. */
export class ReplayClock implements Clock {
  private now: number;
  private seq = 0;
  private readonly heap: Timer[] = [];
  /** How many timers of the trading core have fired. */
  externalFired = 0;
  /**
   * How many of those returned no promise: their async work (if any) is unknown, so the runner must
   * let every pending task settle rather than await `pending`.
   */
  externalUnawaited = 0;
  /** Promises returned by fired trading-core timers, for the runner to await; it empties the array. */
  readonly pending: Promise<unknown>[] = [];

  constructor(startMs: number) {
    this.now = startMs;
  }

  nowMs(): number {
    return this.now;
  }

  setTimer(delayMs: number, callback: () => void | Promise<unknown>): TimerHandle {
    return this.schedule(delayMs, callback, true);
  }

  /** Schedules a simulator timer (latency): ordered with the trading core's, but not counted as its. */
  setInternalTimer(delayMs: number, callback: () => void): TimerHandle {
    return this.schedule(delayMs, callback, false);
  }

  private schedule(delayMs: number, callback: () => void | Promise<unknown>, external: boolean): TimerHandle {
    const timer: Timer = { dueMs: this.now + Math.max(0, delayMs), seq: this.seq++, callback, external, cancelled: false };
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
    while (this.heap.length > 0 && (this.heap[0] as Timer).cancelled) this.pop();
    return this.heap[0]?.dueMs;
  }

  /**
   * Moves time to `targetMs`, firing every timer due on the way, in order. Promises returned by the
   * trading core's timers are collected in `pending` (not awaited here: time does not wait).
   */
  advanceTo(targetMs: number): void {
    for (;;) {
      const next = this.heap[0];
      if (next === undefined || next.dueMs > targetMs) break;
      this.pop();
      if (next.cancelled) continue;
      if (next.dueMs > this.now) this.now = next.dueMs;
      if (!next.external) {
        void next.callback();
        continue;
      }
      this.externalFired++;
      const work = next.callback();
      if (work instanceof Promise) this.pending.push(work);
      else this.externalUnawaited++;
    }
    if (targetMs > this.now) this.now = targetMs;
  }

  private before(a: Timer, b: Timer): boolean {
    return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.seq < b.seq);
  }

  private push(timer: Timer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i] as Timer, heap[parent] as Timer)) break;
      [heap[i], heap[parent]] = [heap[parent] as Timer, heap[i] as Timer];
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
      if (left < heap.length && this.before(heap[left] as Timer, heap[best] as Timer)) best = left;
      if (right < heap.length && this.before(heap[right] as Timer, heap[best] as Timer)) best = right;
      if (best === i) break;
      [heap[i], heap[best]] = [heap[best] as Timer, heap[i] as Timer];
      i = best;
    }
  }
}
