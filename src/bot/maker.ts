/**
 * `MarketMaker`: one market, driven by events — not a sleep loop. Every book, trade, fill, lifecycle
 * or timer event updates state synchronously and asks for a cycle; cycles run at most once per
 * `minRequoteIntervalMs` (safety events — stale book, lost connection, pause, a book gone hollow
 * under our orders — skip the wait), never two at once (a request during a cycle runs one more cycle
 * after it). One cycle:
 *
 *   check risk → read market data (without our own orders, own-book.ts) → compute quotes → size
 *   them → send the diff (OrderManager)
 *
 * A stale book, a lost connection, a pause, a risk halt or near-close all lead to the same thing: the
 * desired quotes are empty, so the diff cancels our orders, and nothing is quoted until the market is
 * fresh again (a new snapshot from the stream, or a REST refresh while connected). So does a hollow
 * book — others' book one-sided or wider than `maxMarketSpreadCents` (the strategy's gate) — until
 * it is tight again.
 *
 * Errors in a cycle are caught, logged, counted and reported to the listener; the maker then pulls
 * its quotes and keeps running — one market's failure never stops the others.
 *
 * The same class runs live (under the `Supervisor`) and in the backtest (driven by the simulator's
 * port and clock): `onEvent` returns a promise that settles when the work the event caused is done.
 */
import { DONE, InvariantError, type DesiredQuotes, type PortEvent, type Price } from '../core/index.js';
import { DEFAULT_MARKET_STATE_OPTIONS, MarketDataCache, refreshMarket, type MarketSnapshot } from '../marketdata/index.js';
import { ClientOrderIds, OrderManager, describeError, type PlanParams } from '../orders/index.js';
import { RiskManager } from '../risk/index.js';
import { computeQuotes, quoteCount, type QuoteDiagnostics } from '../strategy/index.js';
import { MakerHeartbeat, sameDesired } from './heartbeat.js';
import { belowOthersTop, excludeOwnOrders, restingOnHollowBook } from './own-book.js';
import { reduceOnlyQuotes } from './unwind.js';
import { DEFAULT_MAKER_TIMINGS, type MakerState, type MakerStatus, type MakerTimings, type MarketMakerOptions, type PauseReason, type StopResult } from './types.js';

const NO_REASONS: readonly string[] = [];
const ignore = (): void => undefined;

/** One market's maker (see the file comment). */
export class MarketMaker {
  readonly ticker: string;
  readonly orders: OrderManager;
  readonly risk: RiskManager;
  readonly cache: MarketDataCache;
  private readonly timings: MakerTimings;
  private state: MakerState = 'new';
  private startPromise: Promise<void> | undefined;
  private cycle: Promise<void> | undefined;
  private again = false;
  private urgent = false;
  private lastCycleMs = -Infinity;
  private wakeTimer: { cancel(): void } | undefined;
  private readonly heartbeat: MakerHeartbeat;
  private connected = true;
  /** Why quoting is paused (empty: not paused). */
  private pausedBy: readonly PauseReason[] = [];
  private needsResync = false;
  private refreshing = false;
  private lastRefreshMs = -Infinity;
  private desired: DesiredQuotes;
  private diagnostics: QuoteDiagnostics | undefined;
  private reasons: readonly string[] = [];
  private cycles = 0;
  private fills = 0;
  private filledCount = 0;
  private errors = 0;
  private lastError: string | undefined;
  private plan: PlanParams | undefined;
  private readonly noQuotes: DesiredQuotes;
  private planStep = NaN;
  /** Unwind mode (supervisor, `dropPolicy: unwind`): only the side reducing the position is quoted. */
  private reduceOnly = false;

  constructor(private readonly options: MarketMakerOptions) {
    this.ticker = options.ticker;
    this.timings = { ...DEFAULT_MAKER_TIMINGS, ...options.timings };
    // A private risk manager sizes against this maker's own orders (the supervisor's does the same for all).
    this.risk = options.risk ?? new RiskManager(options.params, { logger: options.logger, restingOrders: (ticker) => (ticker === this.ticker ? this.orders.orders() : undefined) });
    this.cache = options.cache ?? new MarketDataCache(options.marketState ?? DEFAULT_MARKET_STATE_OPTIONS);
    this.cache.ensure(this.ticker);
    this.desired = { ticker: this.ticker };
    this.noQuotes = { ticker: this.ticker };
    const beat = this.timings.heartbeatMs;
    this.heartbeat = new MakerHeartbeat({
      clock: options.clock,
      baseMs: beat,
      maxMs: options.params.quietHeartbeatMaxMs ?? beat,
      close: options.params,
      market: () => this.cache.ensure(this.ticker),
      running: () => this.state === 'running',
      beat: () => this.request(false),
    });
    this.orders = new OrderManager({
      port: options.port,
      ticker: options.ticker,
      clock: options.clock,
      logger: options.logger,
      ids: options.ids ?? new ClientOrderIds('run'),
      postOnly: options.params.postOnly,
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.foreignOrders ? { foreignOrders: options.foreignOrders } : {}),
      ...(options.orderGroupId !== undefined ? { orderGroupId: options.orderGroupId } : {}),
      listener: (event) => options.listener?.onOrderEvent?.(event),
    });
  }

  /**
   * Loads the market (metadata and book over REST), reconciles its orders and position, starts the
   * heartbeat and runs the first cycle. Idempotent. A failed REST load is logged; the market stays
   * stale (not quoted) and the heartbeat retries.
   */
  start(): Promise<void> {
    this.startPromise ??= this.doStart();
    return this.startPromise;
  }

  /** Applies one event (any ticker: others are ignored) and runs the cycle it calls for. Never rejects. */
  onEvent(event: PortEvent): Promise<void> {
    if (this.state === 'new') void this.start();
    switch (event.type) {
      case 'book_delta': {
        if (event.ticker !== this.ticker) return DONE;
        const state = this.cache.ensure(this.ticker);
        // A delta to a market stale by age makes it fresh: that changes what the quotes read.
        const wasStale = state.isStale(this.options.clock.nowMs());
        state.apply(event);
        // Most deltas are below the top of book: they change nothing a quote reads, so they ask for
        // no cycle (the heartbeat follows the time that passed).
        if (!wasStale && belowOthersTop(state.book, this.orders.orders(), event.side, event.price)) return DONE;
        this.heartbeat.noteActivity();
        return this.request(this.hollowUnderUs());
      }
      case 'book_snapshot':
        if (event.ticker !== this.ticker) return DONE;
        this.cache.ensure(this.ticker).apply(event);
        this.heartbeat.noteActivity();
        return this.request(this.hollowUnderUs());
      case 'market':
        if (event.ticker !== this.ticker) return DONE;
        this.cache.ensure(this.ticker).apply(event);
        this.heartbeat.noteActivity();
        return this.request(false);
      case 'trade':
        if (event.trade.ticker !== this.ticker) return DONE;
        this.cache.ensure(this.ticker).apply(event);
        this.heartbeat.noteActivity();
        return this.request(false);
      case 'stale':
        if (event.ticker !== undefined && event.ticker !== this.ticker) return DONE;
        this.cache.ensure(this.ticker).apply(event);
        this.heartbeat.noteActivity();
        return this.request(true);
      case 'connection':
        this.cache.ensure(this.ticker).apply(event);
        this.heartbeat.noteActivity();
        this.connected = event.connected;
        if (event.connected) this.needsResync = true;
        return this.request(true);
      case 'fill':
        if (event.fill.ticker !== this.ticker) return DONE;
        this.risk.onFill(event.fill);
        this.orders.onEvent(event);
        this.fills += 1;
        this.filledCount += event.fill.count;
        this.heartbeat.noteActivity();
        this.notify(() => this.options.listener?.onFill?.(event.fill));
        return this.request(false);
      case 'order':
        if (event.order.ticker !== this.ticker) return DONE;
        this.orders.onEvent(event);
        this.heartbeat.noteActivity();
        return DONE;
      case 'position':
      case 'order_group':
        return DONE;
    }
  }

  /** Runs a cycle now if the minimum requote interval allows, else at the end of it. */
  onTimer(): Promise<void> {
    return this.request(false);
  }

  /**
   * Stops quoting while any of `reasons` holds (an exchange pause, a triggered order group), resumes
   * with none; pausing pulls our quotes. The reasons show in the status.
   */
  setPaused(reasons: readonly PauseReason[]): Promise<void> {
    if (reasons.length === this.pausedBy.length && reasons.every((r, i) => r === this.pausedBy[i])) return DONE;
    this.pausedBy = [...reasons];
    return this.request(true);
  }

  private get paused(): boolean {
    return this.pausedBy.length > 0;
  }

  /**
   * Switches unwind mode: while on, each cycle quotes only the side that reduces the position, at most
   * its size (`reduceOnlyQuotes`), at the price the strategy gives that side. Off = normal quoting.
   */
  setReduceOnly(on: boolean): Promise<void> {
    if (this.reduceOnly === on) return Promise.resolve();
    this.reduceOnly = on;
    return this.request(true);
  }

  /**
   * Stops the maker: no more cycles; with `cancelOrders` (default true) cancels this market's orders
   * and verifies with the exchange. Resolves when done.
   */
  async stop(options: { cancelOrders?: boolean } = {}): Promise<StopResult> {
    if (this.state === 'stopped') return { restingLeft: this.orders.orders().length };
    this.state = 'stopping';
    this.wakeTimer?.cancel();
    this.heartbeat.stop();
    await this.cycle;
    let restingLeft = this.orders.orders().length;
    if (options.cancelOrders ?? true) restingLeft = await this.orders.cancelAll('shutdown');
    this.risk.releaseQuotes(this.ticker);
    this.desired = { ticker: this.ticker };
    this.state = 'stopped';
    this.options.logger.info({ ticker: this.ticker, restingLeft }, 'maker stopped');
    return { restingLeft };
  }

  /** Finishes a backtest run: stops and cancels (the backtest agent's `finish`). */
  async finish(): Promise<void> {
    await this.stop({ cancelOrders: true });
  }

  /** Returns the best bid and ask of others (our own orders taken out), or undefined while the book is stale. */
  othersTop(): { bid?: Price; ask?: Price } | undefined {
    const state = this.cache.ensure(this.ticker);
    const raw = state.snapshot(this.options.clock.nowMs());
    if (raw.stale) return undefined;
    const view = excludeOwnOrders(raw, state.book, this.orders.orders());
    return { ...(view.bestBid !== undefined ? { bid: view.bestBid } : {}), ...(view.bestAsk !== undefined ? { ask: view.bestAsk } : {}) };
  }

  /** Our orders rest on a book gone hollow (own-book.ts): pulling them skips the requote interval. */
  private hollowUnderUs(): boolean {
    return restingOnHollowBook(this.cache.ensure(this.ticker).book, this.orders.orders(), this.options.params.maxMarketSpreadCents);
  }

  /** Returns a snapshot for the status table and dashboard. */
  status(): MakerStatus {
    const nowMs = this.options.clock.nowMs();
    const snap = this.cache.snapshot(this.ticker, nowMs);
    const figures = this.risk.figures().find((f) => f.ticker === this.ticker);
    return {
      ticker: this.ticker,
      state: this.state,
      nowMs,
      ...(snap?.bestBid !== undefined ? { bestBid: snap.bestBid } : {}),
      ...(snap?.bestAsk !== undefined ? { bestAsk: snap.bestAsk } : {}),
      ...(snap?.mid !== undefined ? { mid: snap.mid } : {}),
      ...(this.desired.bid ? { desiredBid: this.desired.bid } : {}),
      ...(this.desired.ask ? { desiredAsk: this.desired.ask } : {}),
      orders: this.orders.orders(),
      position: this.risk.position(this.ticker),
      ...(figures ? { risk: figures } : {}),
      fills: this.fills,
      filledCount: this.filledCount,
      reasons: this.reasons,
      ...(this.diagnostics ? { diagnostics: this.diagnostics } : {}),
      ...(Number.isFinite(this.lastCycleMs) ? { lastQuoteMs: this.lastCycleMs } : {}),
      cycles: this.cycles,
      health: {
        connected: this.connected,
        paused: this.paused,
        ...(this.paused ? { pausedBy: this.pausedBy } : {}),
        stale: snap?.stale ?? true,
        ...(snap?.staleReason !== undefined ? { staleReason: snap.staleReason } : {}),
        ...(snap?.lastUpdateMs !== undefined ? { lastUpdateMs: snap.lastUpdateMs, ageMs: nowMs - snap.lastUpdateMs } : {}),
        errors: this.errors,
        ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      },
    };
  }

  private async doStart(): Promise<void> {
    this.state = 'starting';
    const { clock, logger } = this.options;
    await this.refresh();
    try {
      if (this.options.reconcileOnStart ?? true) {
        const result = await this.orders.reconcile();
        if (result.adopted + result.cancelled > 0) logger.info({ ticker: this.ticker, ...result }, 'reconciled resting orders');
      }
      if (this.options.syncPosition ?? true) await this.syncPosition();
    } catch (error) {
      this.recordError(error);
    }
    if (this.state !== 'starting') return;
    this.state = 'running';
    this.lastRefreshMs = clock.nowMs();
    this.heartbeat.start();
    await this.request(true);
  }

  /**
   * Asks for a cycle; `urgent` skips the minimum requote interval (safety events). Returns the
   * promise of the work it caused, or DONE when there is none left: a cycle that sends nothing
   * completes synchronously (most cycles: the quotes still stand).
   */
  private request(urgent: boolean): Promise<void> {
    if (this.state !== 'running') return DONE;
    if (urgent) this.urgent = true;
    if (this.cycle) {
      this.again = true;
      return this.cycle;
    }
    if (this.deferIfTooSoon()) return DONE;
    const pending = this.runCycles();
    if (pending === undefined) return DONE;
    // `moreCycles` clears `this.cycle` in the same step as its last look at `again`: a request landing
    // between that look and a later callback would otherwise be answered with a finished cycle and
    // lost (no cycle until the next event or heartbeat). The catch and finally are a safety net only.
    const cycle: Promise<void> = pending
      .catch((error: unknown) => this.recordError(error))
      .finally(() => {
        if (this.cycle === cycle) this.cycle = undefined;
      });
    this.cycle = cycle;
    return cycle;
  }

  /** Sets the wake-up timer and returns true when the minimum requote interval has not passed. */
  private deferIfTooSoon(): boolean {
    const wait = this.lastCycleMs + this.options.params.minRequoteIntervalMs - this.options.clock.nowMs();
    if (this.urgent || wait <= 0) return false;
    this.wakeTimer ??= this.options.clock.setTimer(wait, () => {
      this.wakeTimer = undefined;
      return this.request(false);
    });
    return true;
  }

  /**
   * Runs cycles until none is asked for; returns a promise only when a cycle had to wait for the
   * exchange (then the cycles asked for meanwhile run after it).
   */
  private runCycles(): Promise<void> | undefined {
    for (;;) {
      this.again = false;
      this.urgent = false;
      const pending = this.runCycle();
      if (pending !== undefined) return pending.then(() => this.moreCycles());
      if (!this.again || this.state !== 'running' || this.deferIfTooSoon()) return undefined;
    }
  }

  /** After a cycle that waited: runs the cycles asked for meanwhile; clears `this.cycle` when none is left. */
  private moreCycles(): Promise<void> | undefined {
    const next = !this.again || this.state !== 'running' || this.deferIfTooSoon() ? undefined : this.runCycles();
    if (next === undefined) this.cycle = undefined;
    return next;
  }

  /** One cycle (see the file comment); returns a promise only when it sent something or resynced. */
  private runCycle(): Promise<void> | undefined {
    const nowMs = this.options.clock.nowMs();
    this.lastCycleMs = nowMs;
    this.cycles += 1;
    try {
      const onError = (error: unknown): Promise<void> => this.pullAfterError(error);
      if (this.needsResync && this.connected) return this.resync().then(() => this.quote(nowMs)).then(ignore, onError);
      return this.quote(nowMs)?.then(ignore, onError);
    } catch (error) {
      return this.pullAfterError(error);
    }
  }

  /** Reads the market, decides and sends the diff; returns a promise only when something was sent. */
  private quote(nowMs: number): Promise<unknown> | undefined {
    const state = this.cache.ensure(this.ticker);
    const raw = state.snapshot(nowMs);
    // A stale book, or metadata (grid, fees, close time) that never loaded, is fetched over REST.
    if ((raw.stale || !state.hasMarketMetadata) && this.connected) this.maybeRefresh(nowMs);
    const snapshot = excludeOwnOrders(raw, state.book, this.orders.orders());
    const desired = this.reduceOnly ? this.decideReduceOnly(snapshot) : this.decide(snapshot);
    if (!sameDesired(desired, this.desired)) this.heartbeat.noteActivity();
    this.desired = desired;
    return this.orders.syncIfNeeded(desired, this.planFor(snapshot));
  }

  /** A cycle failed: count it, then pull this market's quotes. */
  private pullAfterError(error: unknown): Promise<void> {
    this.recordError(error);
    this.desired = { ticker: this.ticker };
    return this.orders.sync(this.desired).then(
      () => undefined,
      (e: unknown) => this.recordError(e),
    );
  }

  /** Risk gate, strategy, sizing: the desired quotes of this instant (empty when anything says stop). */
  private decide(snapshot: MarketSnapshot): DesiredQuotes {
    const verdict = this.risk.check(this.ticker, snapshot.nowMs, snapshot);
    if (!this.connected || this.paused || verdict.reasons.length > 0) {
      const reasons: string[] = [];
      if (!this.connected) reasons.push('disconnected');
      reasons.push(...this.pausedBy);
      reasons.push(...verdict.reasons);
      this.reasons = reasons;
      this.risk.releaseQuotes(this.ticker);
      return this.noQuotes;
    }
    const decision = computeQuotes({ snapshot, position: this.risk.position(this.ticker) }, this.options.params);
    this.diagnostics = decision.diagnostics;
    const sized = this.risk.sizeQuotes(decision.quotes, snapshot);
    const d = decision.diagnostics;
    // Most cycles quote both sides in full: they share one empty list instead of allocating one.
    if (!d.bidWithheld && !d.askWithheld && !sized.bidCut && !sized.askCut) {
      this.reasons = NO_REASONS;
      return sized.quotes;
    }
    const reasons: string[] = [];
    if (d.bidWithheld) reasons.push(`bid: ${d.bidWithheld}`);
    if (d.askWithheld) reasons.push(`ask: ${d.askWithheld}`);
    if (sized.bidCut) reasons.push(`bid: ${sized.bidCut}`);
    if (sized.askCut) reasons.push(`ask: ${sized.askCut}`);
    this.reasons = reasons;
    return sized.quotes;
  }

  /** Unwind mode: `decide`, then only the side that reduces the position (unwind.ts). */
  private decideReduceOnly(snapshot: MarketSnapshot): DesiredQuotes {
    const quotes = reduceOnlyQuotes(this.decide(snapshot), this.risk.position(this.ticker));
    // A quote no larger than the position it reduces can raise no limit's use: its commitment is 0,
    // not the one `decide` recorded for both sides.
    this.risk.releaseQuotes(this.ticker);
    this.reasons = ['reduce_only', ...this.reasons];
    return quotes;
  }

  /**
   * The planner's parameters for this market: the threshold in ticks of its grid near the mid. The
   * object is reused while the tick size stays the same (it is built every cycle otherwise).
   */
  private planFor(snapshot: MarketSnapshot): PlanParams {
    const step = snapshot.grid.stepBelow(snapshot.mid ?? 5_000);
    if (this.plan !== undefined && this.planStep === step) return this.plan;
    const size = quoteCount(this.options.params);
    this.planStep = step;
    this.plan = {
      requoteThresholdPrice: this.options.params.requoteThresholdTicks * step,
      // A partly filled quote keeps its queue place until less than half of it is left.
      sizeTolerance: Math.floor(size / 2) as PlanParams['sizeTolerance'],
      amend: true,
    };
    return this.plan;
  }

  /** After a reconnect: our orders and position may have changed while events were lost. */
  private async resync(): Promise<void> {
    this.needsResync = false;
    const result = await this.orders.reconcile();
    if (this.options.syncPosition ?? true) await this.syncPosition();
    this.options.logger.info({ ticker: this.ticker, ...result }, 'resynced after reconnect');
  }

  private async syncPosition(): Promise<void> {
    const positions = await this.options.port.getPositions();
    const mine = positions.find((p) => p.ticker === this.ticker);
    if (mine) this.risk.syncPosition(mine);
  }

  /** Starts a REST refresh of a stale market, at most once per `refreshBackoffMs`. */
  private maybeRefresh(nowMs: number): void {
    if (this.refreshing || nowMs - this.lastRefreshMs < this.timings.refreshBackoffMs) return;
    this.lastRefreshMs = nowMs;
    void this.refresh().then(() => this.request(false));
  }

  private async refresh(): Promise<void> {
    this.refreshing = true;
    try {
      await refreshMarket(this.cache, this.ticker, this.options.port, { clock: this.options.clock, logger: this.options.logger, loadMarket: !this.cache.ensure(this.ticker).hasMarketMetadata });
    } catch (error) {
      this.options.logger.warn({ ticker: this.ticker, error: describeError(error) }, 'market refresh failed; not quoting it');
    } finally {
      this.refreshing = false;
    }
  }

  private recordError(error: unknown): void {
    this.errors += 1;
    this.lastError = describeError(error);
    this.options.logger.error({ ticker: this.ticker, error: this.lastError, invariant: error instanceof InvariantError }, 'maker cycle failed');
    this.notify(() => this.options.listener?.onError?.(this.ticker, error));
  }

  private notify(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.options.logger.error({ ticker: this.ticker, error: describeError(error) }, 'maker listener failed');
    }
  }
}
