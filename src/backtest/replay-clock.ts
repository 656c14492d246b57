/**
 * The backtest's clock: time is replay time, moved only by the runner. It is core's ManualClock
 * (binary-heap timers, due order, ties in creation order) with one distinction: timers set through
 * the Clock interface belong to the trading core, and the runner awaits the work they start, while
 * the simulator's own latency timers (`setInternalTimer`) are ordered with them but not counted.
 */
import { DONE, ManualClock, type TimerHandle } from '../core/index.js';

/** A Clock driven by replay time. */
export class ReplayClock extends ManualClock {
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
    super(startMs);
  }

  /** Schedules a trading-core timer: counted when it fires, and the promise it returns is collected. */
  override setTimer(delayMs: number, callback: () => void | Promise<unknown>): TimerHandle {
    return super.setTimer(delayMs, () => {
      this.externalFired++;
      const work = callback();
      if (work === DONE) return;
      if (work instanceof Promise) this.pending.push(work);
      else this.externalUnawaited++;
    });
  }

  /** Schedules a simulator timer (latency): ordered with the trading core's, but not counted as its. */
  setInternalTimer(delayMs: number, callback: () => void): TimerHandle {
    return super.setTimer(delayMs, callback);
  }
}
