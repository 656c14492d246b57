/**
 * Retry of one exchange request. Only errors the port marks `retryable` (transport failures, 5xx,
 * 429) are retried; a business refusal (post-only cross, insufficient balance) is final. Retrying a
 * create is safe because the request repeats its `clientOrderId` (see client-ids.ts).
 */
import { RateLimitError, isRetryable, type Clock } from '../core/index.js';

/** How often and how patiently a request is retried. */
export interface RetryPolicy {
  /** Total attempts, ≥ 1. */
  readonly attempts: number;
  /** Delay before the second attempt, ms; doubles each time (a 429 waits its `retryAfterMs` instead). */
  readonly baseDelayMs: number;
}

/** Three attempts, 100 ms then 200 ms apart. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 100 };

/**
 * Returns the result of `call`, retrying retryable failures per `policy` on `clock`.
 * @throws the last error when every attempt failed, or the first non-retryable error.
 */
export async function withRetry<T>(call: () => Promise<T>, policy: RetryPolicy, clock: Clock): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isRetryable(error) || attempt >= policy.attempts) throw error;
      const delay = error instanceof RateLimitError ? Math.max(error.retryAfterMs, 1) : policy.baseDelayMs * 2 ** (attempt - 1);
      await clock.sleep(delay);
    }
  }
}
