/**
 * The supervisor's shutdown once nothing else runs (start-up, selection, inheritance and unwinds have
 * settled): stop every maker with its orders cancelled, then cancel-all (or ours) and verify with the
 * exchange (cancel-verify.ts), then delete the order group and, if orders were left, count again.
 */
import type { Clock, ExchangePort } from '../core/index.js';
import { DEFAULT_RETRY_POLICY, isOwnClientOrderId, withRetry } from '../orders/index.js';
import { cancelUntilVerified } from './cancel-verify.js';
import type { MarketMaker } from './maker.js';
import type { OrderGroupGuard } from './order-group-guard.js';
import type { SupervisorTimings } from './supervisor-types.js';

/** What the shutdown needs from the supervisor. */
export interface StopAllOptions {
  readonly port: ExchangePort;
  readonly clock: Clock;
  readonly makers: Iterable<MarketMaker>;
  readonly orderGroup: OrderGroupGuard | undefined;
  readonly timings: Pick<SupervisorTimings, 'shutdownRounds' | 'shutdownRetryDelayMs'>;
  /** True: every resting order of the account is cancelled and counted; false: only ours. */
  readonly cancelAll: boolean;
  readonly onError: (error: unknown, message: string) => void;
}

/** Returns the makers stopped and the resting orders left (0 = verified clean, −1 = never read). Never rejects. */
export async function stopAll(options: StopAllOptions): Promise<{ markets: number; restingLeft: number }> {
  const { port, clock } = options;
  const results = await Promise.all([...options.makers].map((m) => m.stop({ cancelOrders: true }).catch(() => ({ restingLeft: -1 }))));
  let restingLeft = await cancelUntilVerified({
    port,
    clock,
    rounds: options.timings.shutdownRounds,
    retryDelayMs: options.timings.shutdownRetryDelayMs,
    cancelAll: options.cancelAll,
    onError: options.onError,
  });
  // After the cancels: deleting the group also cancels any of its orders still resting, so a count
  // left by refused cancels is read again rather than reported (and exited 1 on) out of date.
  if (options.orderGroup) {
    await options.orderGroup.close();
    if (restingLeft !== 0) restingLeft = await countResting(options, restingLeft);
  }
  return { markets: results.length, restingLeft };
}

/** Returns the resting orders the shutdown counts (all, or ours), or `fallback` when they cannot be read. */
async function countResting(options: StopAllOptions, fallback: number): Promise<number> {
  try {
    const resting = await withRetry(() => options.port.getOrders({ status: 'resting' }), DEFAULT_RETRY_POLICY, options.clock);
    return options.cancelAll ? resting.length : resting.filter((o) => isOwnClientOrderId(o.clientOrderId)).length;
  } catch (error) {
    options.onError(error, 'resting-order check failed');
    return fallback;
  }
}
