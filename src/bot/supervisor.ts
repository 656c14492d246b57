/**
 * `Supervisor`: the Market Opportunity Bot. One process, one event stream, many concurrent makers.
 *
 *  - Start: read the exchange status, balance and positions; consume `port.events()`; select markets
 *    (`scanMarkets`, or a fixed list); cancel our resting orders left on markets not selected; create,
 *    subscribe and start a `MarketMaker` per market; positions in markets not selected per `dropPolicy` (inherit.ts).
 *  - Routing (supervisor-route.ts): each event goes to its market's maker (synchronously; the maker's async work is not
 *    awaited, so a slow market never holds up the others). Fills of markets no longer traded still
 *    reach risk, so their inventory keeps counting against portfolio limits.
 *  - Every `marketRefreshIntervalMs` (sooner while under-filled, `RescanBackoff`): rescan; a new market
 *    is subscribed and started on the live stream. A dropped market is stopped (orders cancelled and
 *    verified) and unsubscribed, or, holding a position, unwound per `dropPolicy` (unwind.ts).
 *  - Every `positionReconcileIntervalMs`: adopt confirmed position mismatches (position-reconcile.ts), then
 *    handle positions that appeared in markets not traded (inherit.ts).
 *  - Every few seconds: emit a status snapshot; check the kill switch and the daily loss limit (either
 *    shuts the bot down); poll `getExchangeStatus` and pause/resume every maker when trading stops.
 *  - `shutdown(reason)` (signals by the caller, kill switch, loss limit, a broken invariant, a failed
 *    event stream): stop every maker with cancels, then cancel-all and verify with
 *    `getOrders({status:'resting'})`, retrying, before it resolves (supervisor-shutdown.ts).
 *  - `kill(reason)`: the operator's kill switch (kill file, dashboard): trips risk's and shuts down at once.
 */
import { CASH_SCALE, InvariantError, type Fill, type PortEvent } from '../core/index.js';
import { DEFAULT_MARKET_STATE_OPTIONS, MarketDataCache } from '../marketdata/index.js';
import { DEFAULT_RETRY_POLICY, describeError, withRetry } from '../orders/index.js';
import { RiskManager } from '../risk/index.js';
import { cancelOursOutside } from './cancel-verify.js';
import type { Inheritance } from './inherit.js';
import { MarketMaker } from './maker.js';
import { createOrderGroupGuard, type OrderGroupGuard } from './order-group-guard.js';
import { PositionReconciler } from './position-reconcile.js';
import { RescanBackoff, scanMarkets, type SelectionResult } from './selection.js';
import { botScanOptions } from './supervisor-scan.js';
import { routeEvent, type RouteHost } from './supervisor-route.js';
import { stopAll } from './supervisor-shutdown.js';
import { botStatus, marketEntries } from './supervisor-status.js';
import { DAILY_LOSS_STOP_REASON, DEFAULT_SUPERVISOR_TIMINGS } from './supervisor-types.js';
import { pauseReasons, type PauseReason } from './types.js';
import type { BotStatus, ShutdownReport, SupervisorOptions, SupervisorState, SupervisorTimings } from './supervisor-types.js';
import type { Unwinder } from './unwind.js';
import { createUnwinds } from './supervisor-unwinds.js';

/** The multi-market bot (see the file comment). */
export class Supervisor {
  readonly risk: RiskManager;
  private readonly cache: MarketDataCache;
  private readonly makers = new Map<string, MarketMaker>();
  private readonly scores = new Map<string, number>();
  private readonly timings: SupervisorTimings;
  private readonly abort = new AbortController();
  private readonly timers = new Map<string, { cancel(): void }>();
  private state: SupervisorState = 'new';
  private connected = true;
  private tradingActive = true;
  private selection: SelectionResult | undefined;
  private selecting: Promise<void> | undefined;
  private loop: Promise<void> | undefined;
  private startPromise: Promise<void> | undefined;
  private shutdownPromise: Promise<ShutdownReport> | undefined;
  private resolveStopped: ((report: ShutdownReport) => void) | undefined;
  private readonly stopped: Promise<ShutdownReport>;
  private errors = 0;
  /** The pause reasons last applied to the makers (logged when they change). */
  private pausedBy: readonly PauseReason[] = [];
  private lastError: string | undefined;
  /** The run's order group (exchange-side circuit breaker); undefined when not configured. */
  private readonly orderGroup: OrderGroupGuard | undefined;
  /** Dropped markets whose maker still runs (`dropPolicy`). */
  private readonly unwinds: Unwinder;
  private readonly rescans: RescanBackoff;
  private readonly positions: PositionReconciler;
  /** Positions found in markets not selected (inherit.ts); `inheriting` while a scan of them runs. */
  private readonly inheritance: Inheritance;
  private inheriting: Promise<void> | undefined;
  /** Event routing's view of the bot (supervisor-route.ts). */
  private readonly routing: RouteHost;

  constructor(private readonly options: SupervisorOptions) {
    // The risk manager sizes against the collateral our orders hold, so it reads each maker's orders.
    this.risk =
      options.risk ??
      new RiskManager(options.params, { logger: options.logger, restingOrders: (ticker) => this.makers.get(ticker)?.orders.orders() });
    if (options.earlierDailyPnl) this.risk.carryDailyPnl(options.earlierDailyPnl.atMs, options.earlierDailyPnl.pnl);
    this.cache = new MarketDataCache(options.marketState ?? DEFAULT_MARKET_STATE_OPTIONS);
    this.timings = { ...DEFAULT_SUPERVISOR_TIMINGS, ...options.timings };
    this.rescans = new RescanBackoff(options.params);
    this.positions = new PositionReconciler({ risk: this.risk, logger: options.logger });
    ({ unwinds: this.unwinds, inheritance: this.inheritance } = createUnwinds({
      ...options,
      risk: this.risk,
      makers: this.makers,
      closeTimeMs: (ticker, nowMs) => this.cache.snapshot(ticker, nowMs)?.closeTimeMs,
      createMaker: (ticker) => this.createMaker(ticker),
      retire: (ticker) => this.retire(ticker),
      stopping: () => this.state === 'stopping' || this.state === 'stopped',
      recordError: (e, message) => this.recordError(e, message),
    }));
    for (const [ticker, score] of options.scores ?? []) this.scores.set(ticker, score);
    this.stopped = new Promise((resolve) => {
      this.resolveStopped = resolve;
    });
    this.orderGroup = options.orderGroup
      ? createOrderGroupGuard(options.port, options.orderGroup, {
          clock: options.clock,
          logger: options.logger,
          onPausedChange: () => void this.applyPause(),
        })
      : undefined;
    // Built once: routing runs for every event of the stream.
    this.routing = {
      risk: this.risk,
      makers: this.makers,
      orderGroup: this.orderGroup,
      positions: this.positions,
      onOrphanFill: (fill) => this.onOrphanFill(fill),
      onConnection: (connected) => {
        this.connected = connected;
        if (!connected) return;
        void this.syncPositions().catch((e: unknown) => this.recordError(e, 'position sync after reconnect failed'));
        void this.orderGroup?.resync();
      },
    };
  }

  /**
   * Starts the bot and resolves once every selected maker has started.
   * @throws the port's error when the exchange status, balance, positions or markets cannot be read
   *   (nothing has been ordered yet at that point).
   */
  start(): Promise<void> {
    this.startPromise ??= this.doStart();
    return this.startPromise;
  }

  private async doStart(): Promise<void> {
    // A shutdown came first (Ctrl-C or the kill switch during connection): nothing may be ordered.
    if (this.state !== 'new') return;
    this.state = 'starting';
    const { port, clock, logger } = this.options;
    const retry = (call: () => Promise<unknown>) => withRetry(call, DEFAULT_RETRY_POLICY, clock);
    const status = await withRetry(() => port.getExchangeStatus(), DEFAULT_RETRY_POLICY, clock);
    this.tradingActive = status.tradingActive && status.exchangeActive;
    const balance = await withRetry(() => port.getBalance(), DEFAULT_RETRY_POLICY, clock);
    this.risk.setBalance(balance.balance);
    await retry(() => this.syncPositions());
    // Before any maker exists, so that every create of the run carries the group's id.
    await this.orderGroup?.start();
    this.loop = this.consume();
    const first = this.options.tickers ? undefined : await this.scan();
    const wanted = this.options.tickers ? [...this.options.tickers] : (first?.selected ?? []).map((c) => c.ticker);
    const stray = await cancelOursOutside(port, clock, new Set(wanted));
    if (stray > 0) logger.info({ cancelled: stray }, 'cancelled our orders left on unselected markets');
    if (this.state !== 'starting') return;
    await this.apply(wanted);
    await this.inheritPositions();
    if (this.state !== 'starting') return;
    this.every('status', this.timings.statusIntervalMs, () => this.tick());
    this.every('exchange-status', this.timings.exchangeStatusIntervalMs, () => this.pollExchangeStatus());
    this.every('positions', this.options.params.positionReconcileIntervalMs, () => this.reconcilePositions());
    if (!this.options.tickers) this.scheduleSelection(first);
    if (this.state === 'starting') this.state = 'running';
    logger.info({ markets: wanted, tradingActive: this.tradingActive }, 'bot started');
    this.emitStatus();
  }

  /** Resolves when the bot has stopped (after `shutdown`, whoever called it). */
  whenStopped(): Promise<ShutdownReport> {
    return this.stopped;
  }

  /**
   * Stops every maker, cancels all our orders and verifies none rests. Idempotent: later calls return
   * the first call's promise. Never rejects; `restingLeft > 0` means the verification kept failing.
   */
  shutdown(reason: string): Promise<ShutdownReport> {
    this.shutdownPromise ??= this.doShutdown(reason);
    return this.shutdownPromise;
  }

  /**
   * The operator's kill switch: trips risk's (a maker cycle still running cancels instead of quoting)
   * and shuts down now rather than at the next status tick. The report's reason is `kill switch: …`.
   */
  kill(reason: string): Promise<ShutdownReport> {
    this.risk.tripKillSwitch(reason, this.options.clock.nowMs());
    return this.shutdown(`kill switch: ${reason}`);
  }

  /** Rescans the markets and applies the new selection (no-op with fixed tickers or while stopping). */
  async refreshSelection(): Promise<void> {
    if (this.options.tickers || this.state !== 'running') return;
    if (this.selecting) return this.selecting;
    this.selecting = (async () => {
      let result: SelectionResult | undefined;
      try {
        await this.unwinds.idle();
        await this.inheriting;
        result = await this.scan();
        if (this.state === 'running') await this.apply(result.selected.map((c) => c.ticker));
      } catch (error) {
        this.recordError(error, 'market selection failed; keeping the current markets');
      }
      this.scheduleSelection(result);
    })().finally(() => {
      this.selecting = undefined;
    });
    return this.selecting;
  }

  /** Returns a snapshot of the whole bot. */
  status(): BotStatus {
    const nowMs = this.options.clock.nowMs();
    return {
      ...botStatus({
        nowMs,
        state: this.state,
        connected: this.connected,
        tradingActive: this.tradingActive,
        markets: marketEntries(this.makers.values(), this.scores, this.unwinds),
        risk: this.risk,
        positionChecks: this.positions.status(),
        selection: this.selection,
        errors: this.errors,
        lastError: this.lastError,
      }),
      ...this.orderGroup?.statusEntry(),
      ...this.inheritance.statusEntry(),
    };
  }

  private async scan(): Promise<SelectionResult> {
    const { port, clock, params } = this.options;
    const result = await scanMarkets(botScanOptions({ port, clock, params, makers: this.makers, unwinding: (t) => this.unwinds.has(t) }));
    this.selection = result;
    for (const c of result.candidates) this.scores.set(c.ticker, c.score);
    this.notify(() => this.options.listener?.onSelection?.(result));
    return result;
  }

  /**
   * Starts makers for new markets, returns re-selected unwinding ones to normal quoting, and stops
   * the ones that dropped out — or, holding a position, unwinds them (`dropPolicy`).
   */
  private async apply(wanted: readonly string[]): Promise<void> {
    const { port, logger } = this.options;
    const keep = new Set(wanted);
    for (const ticker of wanted) {
      this.inheritance.noteTraded(ticker);
      await this.unwinds.resume(ticker);
    }
    const removed: string[] = [];
    for (const ticker of [...this.makers.keys()]) {
      if (keep.has(ticker) || this.unwinds.has(ticker)) continue;
      if (!(await this.unwinds.drop(ticker))) removed.push(ticker);
    }
    const added = wanted.filter((t) => !this.makers.has(t));
    await Promise.all(removed.map((t) => this.retire(t)));
    if (removed.length > 0) await port.unsubscribeMarkets(removed).catch((e: unknown) => this.recordError(e, 'unsubscribe failed'));
    if (added.length === 0) return;
    for (const ticker of added) this.makers.set(ticker, this.createMaker(ticker));
    try {
      await withRetry(() => port.subscribeMarkets(added), DEFAULT_RETRY_POLICY, this.options.clock);
    } catch (error) {
      // Without a live book a market must not be quoted at all: drop the new makers (an early event
      // may have started one already, so each is stopped with its orders cancelled).
      this.recordError(error, 'subscribe failed; dropping the new markets');
      await Promise.all(added.map((t) => this.retire(t)));
      return;
    }
    // A shutdown may have begun while subscribing: a maker started now would quote after the cancels.
    if (this.state === 'stopping' || this.state === 'stopped') return;
    await Promise.all(added.map((t) => this.makers.get(t)?.start()));
    logger.info({ added, removed }, 'selection applied');
  }

  /** Handles new positions in markets not traded (inherit.ts); never during a selection: one changes the makers at a time. */
  private async inheritPositions(): Promise<void> {
    if (this.selecting || this.inheriting) return;
    this.inheriting = this.inheritance.scan().finally(() => {
      this.inheriting = undefined;
    });
    await this.inheriting;
  }

  private async retire(ticker: string): Promise<void> {
    const maker = this.makers.get(ticker);
    if (!maker) return;
    const result = await maker.stop({ cancelOrders: true });
    this.makers.delete(ticker);
    this.cache.delete(ticker);
    this.options.logger.info({ ticker, ...result, position: this.risk.position(ticker) }, 'market dropped from the selection');
  }

  private createMaker(ticker: string): MarketMaker {
    const { port, clock, logger, params, ids, listener } = this.options;
    const maker = new MarketMaker({
      port,
      clock,
      logger: logger.child({ ticker }),
      ticker,
      params,
      ids,
      risk: this.risk,
      cache: this.cache,
      syncPosition: false,
      ...(this.options.makerTimings ? { timings: this.options.makerTimings } : {}),
      ...(this.options.foreignOrders ? { foreignOrders: this.options.foreignOrders } : {}),
      ...(this.orderGroup?.orderGroupId !== undefined ? { orderGroupId: this.orderGroup.orderGroupId } : {}),
      listener: {
        onFill: (fill) => listener?.onFill?.(fill),
        onOrderEvent: (event) => listener?.onOrderEvent?.(event),
        onError: (t, error) => this.onMakerError(t, error),
      },
    });
    const paused = this.pauseReasons();
    if (paused.length > 0) void maker.setPaused(paused);
    return maker;
  }

  private async consume(): Promise<void> {
    try {
      for await (const event of this.options.port.events(this.abort.signal)) {
        try {
          this.route(event);
        } catch (error) {
          // One bad event must not stop the stream for every market; a broken invariant stops the bot.
          this.recordError(error, `routing a ${event.type} event failed`);
          if (error instanceof InvariantError) void this.shutdown(`invariant broken: ${error.message}`);
        }
        if (this.abort.signal.aborted) break;
      }
      // The stream ended without our asking: no more book or fill events, so no quote may stay up.
      if (!this.abort.signal.aborted) void this.shutdown('event stream ended');
    } catch (error) {
      if (this.abort.signal.aborted) return;
      this.recordError(error, 'event stream failed');
      void this.shutdown(`event stream failed: ${describeError(error)}`);
    }
  }

  private route(event: PortEvent): void {
    routeEvent(this.routing, event);
  }

  /** A fill of a market we no longer trade: risk must still count it. */
  private onOrphanFill(fill: Fill): void {
    this.risk.onFill(fill);
    this.notify(() => this.options.listener?.onFill?.(fill));
  }

  private async syncPositions(): Promise<void> {
    for (const position of await this.options.port.getPositions()) this.risk.syncPosition(position);
  }

  private tick(): void {
    if (this.state !== 'running') return;
    const nowMs = this.options.clock.nowMs();
    const kill = this.risk.killSwitch();
    if (kill.tripped) void this.shutdown(`kill switch: ${kill.reason ?? 'tripped'}`);
    else if (this.risk.dailyPnl(nowMs) <= -this.options.params.maxDailyLossDollars * CASH_SCALE) void this.shutdown(DAILY_LOSS_STOP_REASON);
    else if (!this.selecting) this.unwinds.check();
    this.emitStatus();
  }

  /** Schedules the next rescan (`RescanBackoff`: sooner while the selection is under-filled). */
  private scheduleSelection(result: SelectionResult | undefined): void {
    if (this.options.tickers || this.state === 'stopping' || this.state === 'stopped') return;
    this.timers.get('selection')?.cancel();
    const handle = this.options.clock.setTimer(this.rescans.next(result), () => {
      if (this.state === 'running') void this.refreshSelection();
    });
    this.timers.set('selection', handle);
  }

  /** Compares the exchange's positions with risk's (position-reconcile.ts); a first mismatch is re-read soon. */
  private async reconcilePositions(): Promise<void> {
    if (this.state !== 'running' || !this.connected) return;
    try {
      const outcome = await this.positions.check(this.options.port, this.options.clock);
      if (outcome.adopted.length > 0) this.emitStatus();
      await this.inheritPositions();
      if (outcome.pending > 0 && !this.timers.has('positions-confirm')) {
        const handle = this.options.clock.setTimer(this.timings.positionConfirmDelayMs, () => {
          this.timers.delete('positions-confirm');
          return this.reconcilePositions();
        });
        this.timers.set('positions-confirm', handle);
      }
    } catch (error) {
      this.recordError(error, 'position check failed');
    }
  }

  private async pollExchangeStatus(): Promise<void> {
    try {
      const balance = await this.options.port.getBalance();
      this.risk.setBalance(balance.balance);
      const status = await this.options.port.getExchangeStatus();
      const active = status.tradingActive && status.exchangeActive;
      if (active === this.tradingActive || this.state !== 'running') return;
      this.tradingActive = active;
      this.options.logger.warn({ tradingActive: active }, active ? 'exchange trading resumed' : 'exchange paused trading: waiting');
      await this.applyPause();
    } catch (error) {
      this.recordError(error, 'exchange status check failed');
    }
  }

  private onMakerError(ticker: string, error: unknown): void {
    this.errors += 1;
    this.lastError = `${ticker}: ${describeError(error)}`;
    this.notify(() => this.options.listener?.onError?.(ticker, error));
    if (error instanceof InvariantError) void this.shutdown(`invariant broken in ${ticker}: ${error.message}`);
  }

  private async doShutdown(reason: string): Promise<ShutdownReport> {
    const { port, clock, logger } = this.options;
    this.state = 'stopping';
    for (const timer of this.timers.values()) timer.cancel();
    logger.warn({ reason }, 'shutting down: cancelling all orders');
    this.notify(() => this.options.listener?.onStopping?.(reason));
    await this.startPromise?.catch(() => undefined);
    await this.selecting;
    await this.inheriting;
    await this.unwinds.idle();
    const { markets, restingLeft } = await stopAll({
      port,
      clock,
      makers: this.makers.values(),
      orderGroup: this.orderGroup,
      timings: this.timings,
      cancelAll: this.options.cancelAllOnShutdown ?? true,
      onError: (e, message) => this.recordError(e, message),
    });
    this.abort.abort();
    this.state = 'stopped';
    const report: ShutdownReport = { reason, restingLeft, markets, atMs: clock.nowMs() };
    if (restingLeft === 0) logger.info({ ...report }, 'shutdown complete: no resting orders');
    else logger.error({ ...report }, 'shutdown could not verify that no order rests');
    this.emitStatus();
    this.notify(() => this.options.listener?.onShutdown?.(report));
    this.resolveStopped?.(report);
    return report;
  }

  // ── order group (exchange-side circuit breaker) ─────────────────────────────────────────────
  /** Makers quote only while the exchange trades and the order group is not triggered (or lost). */
  private pauseReasons(): PauseReason[] {
    return pauseReasons(this.tradingActive, this.orderGroup?.pauseReason);
  }

  private async applyPause(): Promise<void> {
    const reasons = this.pauseReasons();
    if (reasons.join() !== this.pausedBy.join()) {
      this.pausedBy = reasons;
      if (reasons.length > 0) this.options.logger.warn({ reasons }, 'makers paused');
      else this.options.logger.info({}, 'makers resumed');
    }
    await Promise.all([...this.makers.values()].map((m) => m.setPaused(reasons)));
    this.emitStatus();
  }

  private every(name: string, intervalMs: number, run: () => void | Promise<void>): void {
    const schedule = (): void => {
      const handle = this.options.clock.setTimer(intervalMs, () => {
        if (this.state === 'stopping' || this.state === 'stopped') return;
        schedule();
        void run();
      });
      this.timers.set(name, handle);
    };
    schedule();
  }

  private emitStatus(): void {
    const listener = this.options.listener?.onStatus;
    if (listener) this.notify(() => listener(this.status()));
  }

  private recordError(error: unknown, message: string): void {
    this.errors += 1;
    this.lastError = `${message}: ${describeError(error)}`;
    this.options.logger.error({ error: describeError(error) }, message);
  }

  private notify(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.options.logger.error({ error: describeError(error) }, 'bot listener failed');
    }
  }
}
