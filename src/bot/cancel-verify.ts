/**
 * The shutdown's last line of defence, apart from the supervisor's state: cancel-all (or only our
 * orders), then read the resting orders back, cancel what is left, and retry with backoff until the
 * exchange shows none. Every request is retried on retryable errors; failures are reported, never
 * thrown, so a shutdown always completes.
 */
import type { Clock, ExchangePort, Order } from '../core/index.js';
import { DEFAULT_RETRY_POLICY, isOwnClientOrderId, withRetry } from '../orders/index.js';

/** Options of `cancelUntilVerified`. */
export interface CancelVerifyOptions {
  readonly port: ExchangePort;
  readonly clock: Clock;
  /** Rounds of cancel + verify. */
  readonly rounds: number;
  /** Delay after the first failed round, doubled each round, ms. */
  readonly retryDelayMs: number;
  /** True: cancel-all (every resting order of the account); false: only ours (client id prefix). */
  readonly cancelAll: boolean;
  readonly onError: (error: unknown, message: string) => void;
}

/** Returns the resting orders left at the last successful verification (0 = clean), −1 when none succeeded. */
export async function cancelUntilVerified(options: CancelVerifyOptions): Promise<number> {
  const { port, clock } = options;
  let restingLeft = -1;
  for (let round = 0; round < options.rounds; round++) {
    if (options.cancelAll) {
      await withRetry(() => port.cancelAll(), DEFAULT_RETRY_POLICY, clock).catch((e: unknown) => options.onError(e, 'cancel-all failed'));
    }
    const resting = await withRetry(() => port.getOrders({ status: 'resting' }), DEFAULT_RETRY_POLICY, clock).catch((e: unknown) => {
      options.onError(e, 'resting-order check failed');
      return undefined;
    });
    if (resting !== undefined) {
      const ours = options.cancelAll ? [...resting] : resting.filter((o) => isOwnClientOrderId(o.clientOrderId));
      restingLeft = ours.length;
      if (ours.length === 0) break;
      await cancelEach(port, clock, ours);
    }
    await clock.sleep(options.retryDelayMs * 2 ** round);
  }
  return restingLeft;
}

/** Cancels each order (retried; failures ignored: the caller verifies). */
export async function cancelEach(port: ExchangePort, clock: Clock, orders: readonly Order[]): Promise<void> {
  await Promise.all(
    orders.map((o) => withRetry(() => port.cancelOrder(o.orderId, o.ticker), DEFAULT_RETRY_POLICY, clock).catch(() => undefined)),
  );
}

/**
 * Cancels our resting orders (client id prefix) on markets outside `selected`, left by an earlier run;
 * returns how many.
 * @throws the port's error when the resting orders cannot be read.
 */
export async function cancelOursOutside(port: ExchangePort, clock: Clock, selected: ReadonlySet<string>): Promise<number> {
  const resting = await withRetry(() => port.getOrders({ status: 'resting' }), DEFAULT_RETRY_POLICY, clock);
  const stray = resting.filter((o) => isOwnClientOrderId(o.clientOrderId) && !selected.has(o.ticker));
  await cancelEach(port, clock, stray);
  return stray.length;
}

/**
 * Cancels our resting orders (client id prefix) in `ticker`; returns how many.
 * @throws the port's error when the resting orders cannot be read.
 */
export async function cancelOursIn(port: ExchangePort, clock: Clock, ticker: string): Promise<number> {
  const resting = await withRetry(() => port.getOrders({ ticker, status: 'resting' }), DEFAULT_RETRY_POLICY, clock);
  const ours = resting.filter((o) => o.ticker === ticker && isOwnClientOrderId(o.clientOrderId));
  await cancelEach(port, clock, ours);
  return ours.length;
}
