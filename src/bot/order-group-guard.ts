/**
 * `OrderGroupGuard`: the bot's side of Kalshi's exchange-side circuit breaker (kalshi-api.md §9).
 *
 *  - `start()` creates one order group per run; every maker's creates carry its id, so the exchange
 *    itself cancels all our resting quotes once they match more than `contractsLimit` contracts in any
 *    rolling 15 s, and refuses new ones. That works even when this process is slow, stuck or cut off.
 *  - A `triggered` update (from the event stream) pauses quoting through the supervisor's pause path
 *    and logs a warning with the figures. After `resetAfterMs` the guard resets the group and quoting
 *    resumes; with `resetAfterMs` 0 it waits for a reset from outside (the operator), which arrives as
 *    a `reset` update.
 *  - A group deleted by someone else cannot be used again: quoting stays paused until a restart.
 *  - `close()` deletes the group (which also cancels any of its orders still resting).
 * I/O-free: time and timers come from the injected Clock.
 */
import { ApiError, ConfigError, hasOrderGroups, type Clock, type Count, type Fill, type Logger, type OrderGroupMethods, type PortEvent, type TimerHandle } from '../core/index.js';
import { DEFAULT_RETRY_POLICY, describeError, withRetry } from '../orders/index.js';
import type { PauseReason } from './types.js';

/** The exchange's rolling window (kalshi-api.md §9). */
const WINDOW_MS = 15_000;

/** Options of an `OrderGroupGuard`. */
export interface OrderGroupGuardOptions {
  /** The port's order-group methods. */
  readonly api: OrderGroupMethods;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Contracts (hundredths) our orders may match in any rolling 15 s. */
  readonly contractsLimit: Count;
  /** Cool-down before the guard resets a triggered group, ms; 0 = wait for a reset from outside. */
  readonly resetAfterMs: number;
  /** Called whenever `paused` changes; the supervisor pauses or resumes its makers. */
  readonly onPausedChange: (paused: boolean) => void;
}

/** The order group as the status table and dashboard show it. */
export interface OrderGroupStatus {
  readonly orderGroupId: string;
  /** Hundredths of a contract. */
  readonly contractsLimit: number;
  /** `active`: quoting allowed; `triggered`: the exchange cancelled our quotes, waiting for the reset; `lost`: deleted by someone else. */
  readonly state: 'active' | 'triggered' | 'lost';
  /** Times the group triggered in this run. */
  readonly triggers: number;
  readonly triggeredAtMs?: number;
  /** When the guard will reset the group (absent: it waits for the operator). */
  readonly resetDueMs?: number;
}

/** The order-group circuit breaker of one run (see the file comment). */
export class OrderGroupGuard {
  private groupId: string | undefined;
  private limit: number;
  private state: OrderGroupStatus['state'] = 'active';
  private triggers = 0;
  private triggeredAtMs: number | undefined;
  private resetDueMs: number | undefined;
  private resetTimer: TimerHandle | undefined;
  private closed = false;
  /** Our fills inside the last 15 s (exchange time), for the warning's figures. */
  private readonly recent: { tsMs: number; count: number }[] = [];

  constructor(private readonly options: OrderGroupGuardOptions) {
    this.limit = options.contractsLimit;
  }

  /** The group's id once `start()` has created it. */
  get orderGroupId(): string | undefined {
    return this.groupId;
  }

  /** True while the group blocks our orders (triggered and not yet reset, or lost). */
  get paused(): boolean {
    return this.state !== 'active';
  }

  /** Why the group blocks our orders, as the makers' status shows it; undefined while active. */
  get pauseReason(): PauseReason | undefined {
    return this.state === 'triggered' ? 'order_group_triggered' : this.state === 'lost' ? 'order_group_lost' : undefined;
  }

  /**
   * Creates the run's order group and returns its id.
   * @throws the port's error (e.g. OrderRejectedError for a limit Kalshi refuses) — nothing is quoted yet.
   */
  async start(): Promise<string> {
    // Not retried: a create whose answer was lost would leave a second group; start-up fails instead.
    const group = await this.options.api.createOrderGroup(this.options.contractsLimit);
    this.groupId = group.orderGroupId;
    this.options.logger.info({ orderGroupId: group.orderGroupId, contractsLimit: this.limit / 100, windowMs: WINDOW_MS }, 'order group created: the exchange cancels our quotes past this many contracts matched in 15 s');
    return group.orderGroupId;
  }

  /** Records one of our fills (for the figures of the trigger warning). */
  onFill(fill: Fill): void {
    this.recent.push({ tsMs: fill.tsMs, count: fill.count });
    this.prune(fill.tsMs);
  }

  /** Applies an `order_group` event; events of other groups are ignored. */
  onEvent(event: Extract<PortEvent, { type: 'order_group' }>): void {
    if (event.orderGroupId !== this.groupId || this.closed) return;
    if (event.contractsLimit !== undefined) this.limit = event.contractsLimit;
    switch (event.kind) {
      case 'triggered':
        return this.onTriggered(event.tsMs ?? event.recvMs);
      case 'reset':
        return this.resume('reset');
      case 'deleted':
        this.cancelReset();
        this.setState('lost');
        this.options.logger.error({ orderGroupId: this.groupId }, 'order group deleted outside the bot: quoting stays paused until a restart');
        return;
      case 'limit_updated':
        this.options.logger.info({ orderGroupId: this.groupId, contractsLimit: this.limit / 100 }, 'order group limit changed');
        return;
      case 'created':
        return;
    }
  }

  /**
   * Re-reads the group after a reconnect, because updates sent while the stream was down are lost
   * (Kalshi does not say whether this channel is sequenced). A group reported with
   * `is_auto_cancel_enabled` true is taken as triggered — what the local exchange means by it; Kalshi
   * does not define the field, so at worst a reconnect costs one cool-down of quoting (the safe side).
   * A group that is gone (404) is lost. Never rejects.
   */
  async resync(): Promise<void> {
    const id = this.groupId;
    if (id === undefined || this.closed || this.state !== 'active') return;
    try {
      const group = await withRetry(() => this.options.api.getOrderGroup(id), DEFAULT_RETRY_POLICY, this.options.clock);
      if (group.autoCancelEnabled && this.state === 'active') {
        this.options.logger.warn({ orderGroupId: id }, 'order group reports auto-cancel after a reconnect: taken as triggered');
        this.onTriggered(this.options.clock.nowMs());
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        this.onEvent({ type: 'order_group', recvMs: this.options.clock.nowMs(), orderGroupId: id, kind: 'deleted' });
        return;
      }
      this.options.logger.error({ orderGroupId: id, error: describeError(error) }, 'order group could not be read after a reconnect');
    }
  }

  /** Returns the status snapshot, or undefined before `start()`. */
  status(): OrderGroupStatus | undefined {
    if (this.groupId === undefined) return undefined;
    return {
      orderGroupId: this.groupId,
      contractsLimit: this.limit,
      state: this.state,
      triggers: this.triggers,
      ...(this.triggeredAtMs !== undefined ? { triggeredAtMs: this.triggeredAtMs } : {}),
      ...(this.resetDueMs !== undefined ? { resetDueMs: this.resetDueMs } : {}),
    };
  }

  /** Returns `{ orderGroup: status }` to spread into the bot's status, or `{}` before `start()`. */
  statusEntry(): { readonly orderGroup?: OrderGroupStatus } {
    const status = this.status();
    return status ? { orderGroup: status } : {};
  }

  /** Cancels the reset timer and deletes the group (its orders with it). Idempotent; never rejects. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelReset();
    const id = this.groupId;
    if (id === undefined) return;
    try {
      await withRetry(() => this.options.api.deleteOrderGroup(id), DEFAULT_RETRY_POLICY, this.options.clock);
      this.options.logger.info({ orderGroupId: id }, 'order group deleted');
    } catch (error) {
      // 404: already gone (deleted by hand, or an earlier attempt landed); nothing is left to do.
      if (error instanceof ApiError && error.status === 404) return;
      this.options.logger.error({ orderGroupId: id, error: describeError(error) }, 'order group could not be deleted');
    }
  }

  private onTriggered(atMs: number): void {
    if (this.state !== 'active') return;
    const nowMs = this.options.clock.nowMs();
    this.triggers += 1;
    this.triggeredAtMs = atMs;
    this.prune(atMs);
    const matched = this.recent.reduce((sum, f) => sum + f.count, 0);
    const resetAfterMs = this.options.resetAfterMs;
    this.resetDueMs = resetAfterMs > 0 ? nowMs + resetAfterMs : undefined;
    this.setState('triggered');
    this.options.logger.warn(
      {
        orderGroupId: this.groupId,
        contractsLimit: this.limit / 100,
        windowMs: WINDOW_MS,
        ourFilledContractsInWindow: matched / 100,
        triggers: this.triggers,
        resetAfterMs,
        noticedAfterMs: nowMs - atMs,
      },
      resetAfterMs > 0
        ? 'order group triggered: the exchange cancelled our quotes; quoting paused until the cool-down ends'
        : 'order group triggered: the exchange cancelled our quotes; quoting paused until the operator resets the group',
    );
    if (resetAfterMs > 0) this.scheduleReset(resetAfterMs);
  }

  private scheduleReset(delayMs: number): void {
    this.cancelReset();
    this.resetTimer = this.options.clock.setTimer(delayMs, () => this.reset());
  }

  private async reset(): Promise<void> {
    this.resetTimer = undefined;
    const id = this.groupId;
    if (id === undefined || this.closed || this.state !== 'triggered') return;
    try {
      await withRetry(() => this.options.api.resetOrderGroup(id), DEFAULT_RETRY_POLICY, this.options.clock);
    } catch (error) {
      // Still blocked: try again after another cool-down rather than quoting into a refusing group.
      this.options.logger.error({ orderGroupId: id, error: describeError(error), retryInMs: this.options.resetAfterMs }, 'order group reset failed');
      this.scheduleReset(this.options.resetAfterMs);
      return;
    }
    this.resume('cool-down over');
  }

  private resume(why: string): void {
    if (this.state !== 'triggered' || this.closed) return;
    this.cancelReset();
    this.recent.length = 0;
    this.setState('active');
    this.options.logger.warn({ orderGroupId: this.groupId, why }, 'order group reset: quoting resumes');
  }

  private setState(state: OrderGroupStatus['state']): void {
    const wasPaused = this.paused;
    this.state = state;
    if (state !== 'triggered') this.resetDueMs = undefined;
    if (this.paused !== wasPaused) this.options.onPausedChange(this.paused);
  }

  private cancelReset(): void {
    this.resetTimer?.cancel();
    this.resetTimer = undefined;
  }

  private prune(nowMs: number): void {
    const since = nowMs - WINDOW_MS;
    while (this.recent.length > 0 && (this.recent[0]?.tsMs ?? Infinity) <= since) this.recent.shift();
  }
}

/** The order-group settings of a run (`orderGroupContractsLimit`, `orderGroupResetAfterMs` of the config). */
export interface OrderGroupSettings {
  /** Hundredths of a contract; must be positive (0 in the config means: no settings at all). */
  readonly contractsLimit: Count;
  readonly resetAfterMs: number;
  /** The order-group methods to use; default the port's own. */
  readonly api?: OrderGroupMethods;
}

/**
 * Returns the guard of a run, using `settings.api` or else the port's order-group methods.
 * @throws ConfigError when neither has them (the port cannot place orders in a group).
 */
export function createOrderGroupGuard(
  port: Partial<OrderGroupMethods>,
  settings: OrderGroupSettings,
  deps: Pick<OrderGroupGuardOptions, 'clock' | 'logger' | 'onPausedChange'>,
): OrderGroupGuard {
  const api = settings.api ?? (hasOrderGroups(port) ? port : undefined);
  if (!api) throw new ConfigError([{ path: 'orderGroupContractsLimit', message: 'this exchange port has no order groups; set it to 0' }]);
  return new OrderGroupGuard({ api, contractsLimit: settings.contractsLimit, resetAfterMs: settings.resetAfterMs, ...deps });
}
