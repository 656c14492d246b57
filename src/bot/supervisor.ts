/**
 * `Supervisor`: the Market Opportunity Bot. One process, one event stream, many concurrent makers.
 *
 *  - Start: read the exchange status, balance and positions; consume `port.events()`; select markets
 *    (`scanMarkets`, or a fixed list); cancel our resting orders left on markets not selected; create,
 *    subscribe and start a `MarketMaker` per market.
 *  - Routing: each event goes to its market's maker (synchronously; the maker's async work is not
 *    awaited, so a slow market never holds up the others). Fills of markets no longer traded still
 *    reach risk, so their inventory keeps counting against portfolio limits.
 *  - Every `marketRefreshIntervalMs`: rescan; a market that drops out is stopped (its orders cancelled
 *    and verified) and unsubscribed; a new one is subscribed and started — on the live stream, no
 *    reconnect.
 *  - Every few seconds: emit a status snapshot; check the kill switch and the daily loss limit (either
 *    shuts the bot down); poll `getExchangeStatus` and pause/resume every maker when trading stops.
 *  - `shutdown(reason)` (signals by the caller, kill switch, loss limit, a broken invariant, a failed
 *    event stream): stop every maker with cancels, then cancel-all and verify with
 *    `getOrders({status:'resting'})`, retrying, before it resolves.
 */
import {
  CASH_SCALE,
  InvariantError,
  type Clock,
  type ExchangePort,
  type Fill,
  type Logger,
  type Order,
  type PortEvent,
  type Price,
} from '../core/index.js';
import { DEFAULT_MARKET_STATE_OPTIONS, MarketDataCache, type MarketStateOptions } from '../marketdata/index.js';
import {
  DEFAULT_RETRY_POLICY,
  describeError,
  isOwnClientOrderId,
  withRetry,
  type ClientOrderIds,
  type ForeignOrderPolicy,
} from '../orders/index.js';
import { RiskManager } from '../risk/index.js';
import { MarketMaker } from './maker.js';
import { createOrderGroupGuard, type OrderGroupGuard, type OrderGroupSettings } from './order-group-guard.js';
import { scanMarkets, type SelectionResult } from './selection.js';
import type { BotParams, BotStatus, ShutdownReport, SupervisorListener, SupervisorState, SupervisorTimings } from './supervisor-types.js';
import { DEFAULT_SUPERVISOR_TIMINGS } from './supervisor-types.js';
import type { MakerTimings } from './types.js';

/** Construction options of a `Supervisor`. */
export interface SupervisorOptions {
  readonly port: ExchangePort;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly params: BotParams;
  readonly ids: ClientOrderIds;
  /** Shared risk; default one built from `params`. */
  readonly risk?: RiskManager;
  readonly marketState?: MarketStateOptions;
  /** Trade exactly these markets instead of selecting (no rescans). */
  readonly tickers?: readonly string[];
  /** Scores of fixed `tickers` chosen by the caller (the local fallback's are 0), shown in the status. */
  readonly scores?: ReadonlyMap<string, number>;
  readonly timings?: Partial<SupervisorTimings>;
  readonly makerTimings?: Partial<MakerTimings>;
  readonly listener?: SupervisorListener;
  /** Default true: shutdown sends cancel-all (every resting order of the account); false cancels only ours. */
  readonly cancelAllOnShutdown?: boolean;
  readonly foreignOrders?: ForeignOrderPolicy;
  /** Kalshi order group of the run (exchange-side circuit breaker, order-group-guard.ts); absent = none. */
  readonly orderGroup?: OrderGroupSettings;
}

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
  private lastError: string | undefined;
  /** The run's order group (exchange-side circuit breaker); undefined when not configured. */
  private readonly orderGroup: OrderGroupGuard | undefined;

  constructor(private readonly options: SupervisorOptions) {
    // The risk manager sizes against the collateral our orders hold, so it reads each maker's orders.
    this.risk = options.risk ?? new RiskManager(options.params, { logger: options.logger, restingOrders: (ticker) => this.makers.get(ticker)?.orders.orders() });
    this.cache = new MarketDataCache(options.marketState ?? DEFAULT_MARKET_STATE_OPTIONS);
    this.timings = { ...DEFAULT_SUPERVISOR_TIMINGS, ...options.timings };
    for (const [ticker, score] of options.scores ?? []) this.scores.set(ticker, score);
    this.stopped = new Promise((resolve) => {
      this.resolveStopped = resolve;
    });
    this.orderGroup = options.orderGroup
      ? createOrderGroupGuard(options.port, options.orderGroup, { clock: options.clock, logger: options.logger, onPausedChange: () => void this.applyPause() })
      : undefined;
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
    const wanted = this.options.tickers ? [...this.options.tickers] : (await this.scan()).selected.map((c) => c.ticker);
    await this.sweepUnselected(new Set(wanted));
    if (this.state !== 'starting') return;
    await this.apply(wanted);
    if (this.state !== 'starting') return;
    this.every('status', this.timings.statusIntervalMs, () => this.tick());
    this.every('exchange-status', this.timings.exchangeStatusIntervalMs, () => this.pollExchangeStatus());
    if (!this.options.tickers) this.every('selection', this.options.params.marketRefreshIntervalMs, () => this.refreshSelection());
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

  /** Rescans the markets and applies the new selection (no-op with fixed tickers or while stopping). */
  async refreshSelection(): Promise<void> {
    if (this.options.tickers || this.state !== 'running') return;
    if (this.selecting) return this.selecting;
    this.selecting = (async () => {
      try {
        const result = await this.scan();
        if (this.state === 'running') await this.apply(result.selected.map((c) => c.ticker));
      } catch (error) {
        this.recordError(error, 'market selection failed; keeping the current markets');
      }
    })().finally(() => {
      this.selecting = undefined;
    });
    return this.selecting;
  }

  /** Returns a snapshot of the whole bot. */
  status(): BotStatus {
    const nowMs = this.options.clock.nowMs();
    const markets = [...this.makers.values()].map((m) => {
      const score = this.scores.get(m.ticker);
      return { ...m.status(), ...(score !== undefined ? { score } : {}) };
    });
    const figures = this.risk.figures();
    const retired = figures.filter((f) => !this.makers.has(f.ticker) && f.position !== 0);
    const kill = this.risk.killSwitch();
    return {
      nowMs,
      state: this.state,
      connected: this.connected,
      tradingActive: this.tradingActive,
      markets,
      retired,
      totals: {
        pnl: figures.reduce((s, f) => s + f.totalPnl, 0),
        dailyPnl: this.risk.dailyPnl(nowMs),
        absPosition: figures.reduce((s, f) => s + Math.abs(f.position), 0),
        fills: markets.reduce((s, m) => s + m.fills, 0),
        restingOrders: markets.reduce((s, m) => s + m.orders.length, 0),
      },
      killSwitch: kill,
      ...(this.selection
        ? {
            selection: {
              atMs: this.selection.atMs,
              scanned: this.selection.scanned,
              candidates: this.selection.candidates.length,
              rejected: this.selection.rejected,
            },
          }
        : {}),
      errors: this.errors,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      ...this.orderGroup?.statusEntry(),
    };
  }

  private async scan(): Promise<SelectionResult> {
    const othersTop = new Map<string, { bid?: Price; ask?: Price }>();
    for (const maker of this.makers.values()) {
      const top = maker.othersTop();
      if (top) othersTop.set(maker.ticker, top);
    }
    const result = await scanMarkets({
      port: this.options.port,
      clock: this.options.clock,
      params: this.options.params,
      current: new Set(this.makers.keys()),
      othersTop,
    });
    this.selection = result;
    for (const c of result.candidates) this.scores.set(c.ticker, c.score);
    this.notify(() => this.options.listener?.onSelection?.(result));
    return result;
  }

  /** Starts makers for new markets and stops the ones that dropped out. */
  private async apply(wanted: readonly string[]): Promise<void> {
    const { port, logger } = this.options;
    const keep = new Set(wanted);
    const removed = [...this.makers.keys()].filter((t) => !keep.has(t));
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
    if (this.makersPaused()) void maker.setPaused(true);
    return maker;
  }

  /** Cancels our resting orders on markets outside the selection (left by an earlier run). */
  private async sweepUnselected(selected: ReadonlySet<string>): Promise<void> {
    const { port, clock } = this.options;
    const resting = await withRetry(() => port.getOrders({ status: 'resting' }), DEFAULT_RETRY_POLICY, clock);
    const stray = resting.filter((o) => isOwnClientOrderId(o.clientOrderId) && !selected.has(o.ticker));
    await this.cancelEach(stray);
    if (stray.length > 0) this.options.logger.info({ cancelled: stray.length }, 'cancelled our orders left on unselected markets');
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
    switch (event.type) {
      case 'book_snapshot':
      case 'book_delta':
      case 'market':
        return this.toMaker(event.ticker, event);
      case 'trade':
        return this.toMaker(event.trade.ticker, event);
      case 'order':
        return this.toMaker(event.order.ticker, event);
      case 'fill':
        this.orderGroup?.onFill(event.fill);
        if (this.makers.has(event.fill.ticker)) return this.toMaker(event.fill.ticker, event);
        return this.onOrphanFill(event.fill);
      case 'position':
        return undefined;
      case 'order_group':
        return this.orderGroup?.onEvent(event);
      case 'stale':
        if (event.ticker !== undefined) return this.toMaker(event.ticker, event);
        return this.toAll(event);
      case 'connection':
        this.connected = event.connected;
        if (event.connected) void this.syncPositions().catch((e: unknown) => this.recordError(e, 'position sync after reconnect failed'));
        if (event.connected) void this.orderGroup?.resync();
        return this.toAll(event);
    }
  }

  private toMaker(ticker: string, event: PortEvent): void {
    const maker = this.makers.get(ticker);
    if (maker) void maker.onEvent(event);
  }

  private toAll(event: PortEvent): void {
    for (const maker of this.makers.values()) void maker.onEvent(event);
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
    else if (this.risk.dailyPnl(nowMs) <= -this.options.params.maxDailyLossDollars * CASH_SCALE)
      void this.shutdown('daily loss limit reached');
    this.emitStatus();
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
    await this.startPromise?.catch(() => undefined);
    await this.selecting;
    const results = await Promise.all(
      [...this.makers.values()].map((m) => m.stop({ cancelOrders: true }).catch(() => ({ restingLeft: -1 }))),
    );
    let restingLeft = -1;
    for (let round = 0; round < this.timings.shutdownRounds; round++) {
      if (this.options.cancelAllOnShutdown ?? true) {
        await withRetry(() => port.cancelAll(), DEFAULT_RETRY_POLICY, clock).catch((e: unknown) =>
          this.recordError(e, 'cancel-all failed'),
        );
      }
      const resting = await withRetry(() => port.getOrders({ status: 'resting' }), DEFAULT_RETRY_POLICY, clock).catch((e: unknown) => {
        this.recordError(e, 'resting-order check failed');
        return undefined;
      });
      if (resting !== undefined) {
        const ours = (this.options.cancelAllOnShutdown ?? true) ? [...resting] : resting.filter((o) => isOwnClientOrderId(o.clientOrderId));
        restingLeft = ours.length;
        if (ours.length === 0) break;
        await this.cancelEach(ours);
      }
      await clock.sleep(this.timings.shutdownRetryDelayMs * 2 ** round);
    }
    // After the cancels: deleting the group also cancels any of its orders still resting.
    await this.orderGroup?.close();
    this.abort.abort();
    this.state = 'stopped';
    const report: ShutdownReport = { reason, restingLeft, markets: results.length, atMs: clock.nowMs() };
    if (restingLeft === 0) logger.info({ ...report }, 'shutdown complete: no resting orders');
    else logger.error({ ...report }, 'shutdown could not verify that no order rests');
    this.emitStatus();
    this.notify(() => this.options.listener?.onShutdown?.(report));
    this.resolveStopped?.(report);
    return report;
  }

  private async cancelEach(orders: readonly Order[]): Promise<void> {
    await Promise.all(
      orders.map((o) =>
        withRetry(() => this.options.port.cancelOrder(o.orderId, o.ticker), DEFAULT_RETRY_POLICY, this.options.clock).catch(
          () => undefined,
        ),
      ),
    );
  }

  // ── order group (exchange-side circuit breaker) ─────────────────────────────────────────────
  /** Makers quote only while the exchange trades and the order group is not triggered. */
  private makersPaused(): boolean {
    return !this.tradingActive || this.orderGroup?.paused === true;
  }

  private async applyPause(): Promise<void> {
    const paused = this.makersPaused();
    await Promise.all([...this.makers.values()].map((m) => m.setPaused(paused)));
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
