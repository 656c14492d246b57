/**
 * The wall clock for the live local exchange: Date.now and setTimeout behind core's `Clock`
 * interface, so the engine and server code stay testable with a ManualClock.
 */
import type { Clock, TimerHandle } from '../../core/index.js';

/** A Clock backed by the system time. Timers are unref'd so they never keep the process alive. */
export class SystemClock implements Clock {
  nowMs(): number {
    return Date.now();
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const timer = setTimeout(callback, Math.max(0, delayMs));
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, delayMs));
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
