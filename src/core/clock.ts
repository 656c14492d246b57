/**
 * Time, injected. Outside `cli/` and tests nothing reads the wall clock: the live bot gets a
 * `Clock` backed by Date.now and setTimeout (built in `cli/`), the backtest one that advances with
 * event time, and tests a `ManualClock`.
 */

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
 * creation order. Used by tests and by the backtest, where time is event time.
 */
export class ManualClock implements Clock {
  private now: number;
  private seq = 0;
  private timers: PendingTimer[] = [];

  constructor(startMs = 0) {
    this.now = startMs;
  }

  nowMs(): number {
    return this.now;
  }

  setTimer(delayMs: number, callback: () => void | Promise<unknown>): TimerHandle {
    const timer: PendingTimer = { dueMs: this.now + Math.max(0, delayMs), seq: this.seq++, callback, cancelled: false };
    this.timers.push(timer);
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
    let best: number | undefined;
    for (const t of this.timers) if (!t.cancelled && (best === undefined || t.dueMs < best)) best = t.dueMs;
    return best;
  }

  /** Moves time to `targetMs`, firing every timer due on the way, in order. */
  advanceTo(targetMs: number): void {
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      let next: PendingTimer | undefined;
      for (const t of this.timers) {
        if (t.dueMs <= targetMs && (!next || t.dueMs < next.dueMs || (t.dueMs === next.dueMs && t.seq < next.seq))) next = t;
      }
      if (!next) break;
      next.cancelled = true;
      this.now = Math.max(this.now, next.dueMs);
      next.callback();
    }
    this.now = Math.max(this.now, targetMs);
  }

  /** Moves time forward by `deltaMs`. */
  advanceBy(deltaMs: number): void {
    this.advanceTo(this.now + deltaMs);
  }
}
