/**
 * `OrderManager`: our orders in one market. It tracks them from acks and the port's `fill`/`order`
 * events, turns desired quotes into the fewest actions (`planActions`), sends them with retries, and
 * reconciles with the exchange's view on start and after a reconnect.
 *
 * Guarantees:
 *  - Every create carries a client order id chosen before the first send; retries repeat it.
 *  - At most one action is in flight per order, and at most one create per side (plan.ts rule 1).
 *  - A create whose outcome is unknown (retries exhausted) blocks its side until `reconcile()` finds
 *    the order on the exchange (adopt) or not (forget); `sync` runs that reconcile itself.
 *  - Orders are post-only GTC by default: a quote never takes liquidity.
 */
import {
  ApiError,
  type Clock,
  type DesiredQuote,
  type DesiredQuotes,
  type ExchangePort,
  type Fill,
  type Logger,
  type Order,
  type PortEvent,
} from '../core/index.js';
import { isOwnClientOrderId, type ClientOrderIds } from './client-ids.js';
import { planActions } from './plan.js';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry.js';
import { TrackedOrder } from './tracked-order.js';
import { DEFAULT_PLAN_PARAMS, type CancelReason, type LiveOrder, type OrderAction, type PlanParams } from './types.js';
import { describeError, type OrderLogEvent, type OrderLogListener } from './log-events.js';

/** Orders whose fills are held while waiting for their ack (oldest dropped beyond this). */
const EARLY_FILL_ORDERS = 256;

/** What to do with a resting order in our market that kalshi-mm did not place. */
export type ForeignOrderPolicy = 'cancel' | 'leave';

/** Construction options of an `OrderManager`. */
export interface OrderManagerOptions {
  readonly port: ExchangePort;
  readonly ticker: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly ids: ClientOrderIds;
  readonly plan?: PlanParams;
  readonly retry?: RetryPolicy;
  /** Default true: quotes never take. */
  readonly postOnly?: boolean;
  /** Default 'leave': orders placed by hand are not ours to cancel (they still count on the account). */
  readonly foreignOrders?: ForeignOrderPolicy;
  /** Called synchronously before every send and after every answer (the journal writes here). */
  readonly listener?: OrderLogListener;
  /**
   * Kalshi order group (kalshi-api.md §9) every create joins, so the exchange's 15 s matched-contracts
   * limit covers all our quotes; absent = no group.
   */
  readonly orderGroupId?: string;
}

/** What `reconcile` found. */
export interface ReconcileResult {
  readonly adopted: number;
  readonly cancelled: number;
  /** Tracked orders the exchange no longer shows resting (filled or cancelled meanwhile). */
  readonly dropped: number;
}

/** Our orders in one market (see the file comment). */
export class OrderManager {
  readonly ticker: string;
  private readonly tracked = new Map<string, TrackedOrder>();
  private readonly byOrderId = new Map<string, TrackedOrder>();
  /** Fills that arrived before the ack that tells us their order id. */
  private readonly earlyFills = new Map<string, Fill[]>();
  private readonly pending = new Set<Promise<void>>();
  private readonly plan: PlanParams;
  private readonly retry: RetryPolicy;
  private needsReconcile = false;
  /** The last `orders()` result, reused while every tracked order still matches it. */
  private views: readonly LiveOrder[] = [];
  /** Inputs of the last `sync` whose plan was empty: the same inputs plan nothing again (planActions is pure). */
  private settled: { readonly live: readonly LiveOrder[]; readonly desired: DesiredQuotes; readonly plan: PlanParams } | undefined;

  constructor(private readonly options: OrderManagerOptions) {
    this.ticker = options.ticker;
    this.plan = options.plan ?? DEFAULT_PLAN_PARAMS;
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
  }

  /** Returns our live orders (including ones with an action in flight). */
  orders(): readonly LiveOrder[] {
    // Called twice per maker cycle: the views are rebuilt only when an order changed, so an idle
    // market's cycle allocates none (the returned array is never mutated, callers may keep it).
    if (!this.viewsCurrent()) this.views = Array.from(this.tracked.values(), (t) => t.view());
    return this.views;
  }

  private viewsCurrent(): boolean {
    const views = this.views;
    if (views.length !== this.tracked.size) return false;
    let i = 0;
    for (const order of this.tracked.values()) {
      const view = views[i++];
      if (view === undefined || !order.shownBy(view)) return false;
    }
    return true;
  }

  /** True while any request is unanswered. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Resolves when every request sent so far has been answered. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /**
   * Plans the actions toward `desired`, sends them, and resolves when they are answered. Sides with an
   * action in flight are skipped (call again after). `plan` overrides the construction-time planning
   * parameters (the maker derives the requote threshold from the market's tick size). Returns the
   * actions sent.
   */
  async sync(desired: DesiredQuotes, plan: PlanParams = this.plan): Promise<readonly OrderAction[]> {
    return (await this.syncIfNeeded(desired, plan)) ?? NO_ACTIONS;
  }

  /**
   * `sync` for the maker's cycle: returns undefined, synchronously, when nothing needs sending (the
   * orders already match `desired` and no reconcile is due), else the promise `sync` would return.
   * Most cycles send nothing; they then finish without a promise. May throw synchronously.
   */
  syncIfNeeded(desired: DesiredQuotes, plan: PlanParams = this.plan): Promise<readonly OrderAction[]> | undefined {
    if (this.needsReconcile) return this.reconcileThenSend(desired, plan);
    const actions = this.planFor(desired, plan);
    return actions.length === 0 ? undefined : this.send(actions);
  }

  private async reconcileThenSend(desired: DesiredQuotes, plan: PlanParams): Promise<readonly OrderAction[]> {
    await this.idle();
    await this.reconcile();
    const actions = this.planFor(desired, plan);
    return actions.length === 0 ? actions : this.send(actions);
  }

  /** Returns the actions toward `desired`, remembering inputs that planned none (planActions is pure). */
  private planFor(desired: DesiredQuotes, plan: PlanParams): readonly OrderAction[] {
    const live = this.orders();
    const settled = this.settled;
    if (settled !== undefined && settled.live === live && samePlan(settled.plan, plan) && sameQuotes(settled.desired, desired)) return NO_ACTIONS;
    const actions = planActions(live, desired, plan);
    this.settled = actions.length === 0 ? { live, desired, plan } : undefined;
    return actions;
  }

  private async send(actions: readonly OrderAction[]): Promise<readonly OrderAction[]> {
    await Promise.all(actions.map((a) => this.track(this.execute(a))));
    return actions;
  }

  /** Applies a `fill` or `order` event of this market; other events are ignored. */
  onEvent(event: PortEvent): void {
    if (event.type === 'fill' && event.fill.ticker === this.ticker) this.onFill(event.fill);
    else if (event.type === 'order' && event.order.ticker === this.ticker) this.onOrder(event.order);
  }

  /**
   * Cancels every order of this market we track, waiting for in-flight creates first, then checks the
   * exchange (`getOrders` resting) and cancels what is still there, up to `rounds` times.
   * Returns the number of our orders still resting (0 on success).
   */
  async cancelAll(reason: CancelReason, rounds = 3): Promise<number> {
    let left = 0;
    for (let round = 0; round < rounds; round++) {
      await this.idle();
      const cancels = [...this.tracked.values()].filter((t) => t.orderId !== undefined && t.inFlight === undefined);
      await Promise.all(cancels.map((t) => this.track(this.execute({ kind: 'cancel', clientOrderId: t.clientOrderId, orderId: t.orderId ?? '', side: t.side, reason }))));
      await this.idle();
      const result = await this.reconcile({ cancelUnknown: true }).catch((error: unknown) => {
        this.options.logger.warn({ ticker: this.ticker, error: describeError(error) }, 'cancel-all check failed');
        return undefined;
      });
      left = this.tracked.size + (result === undefined ? 1 : result.cancelled);
      if (left === 0) return 0;
    }
    return left;
  }

  /**
   * Compares our records with the exchange's resting orders of this market: records the exchange no
   * longer shows are dropped, unknown creates are adopted or forgotten, our orders from earlier runs
   * are adopted, and foreign orders are cancelled or left per policy (`cancelUnknown` cancels our
   * untracked orders instead of adopting them, for shutdown). Waits for in-flight requests first.
   * @throws the port's error when the orders cannot be read.
   */
  async reconcile(options: { cancelUnknown?: boolean } = {}): Promise<ReconcileResult> {
    await this.idle();
    const resting = await withRetry(() => this.options.port.getOrders({ ticker: this.ticker, status: 'resting' }), this.retry, this.options.clock);
    this.needsReconcile = false;
    const seen = new Set<TrackedOrder>();
    let adopted = 0;
    const toCancel: Order[] = [];
    for (const order of resting) {
      if (order.ticker !== this.ticker) continue;
      const mine = this.byOrderId.get(order.orderId) ?? (order.clientOrderId !== undefined ? this.tracked.get(order.clientOrderId) : undefined);
      if (mine) {
        this.index(mine, order.orderId);
        mine.applyOrder(order);
        seen.add(mine);
      } else if (options.cancelUnknown && isOwnClientOrderId(order.clientOrderId)) {
        toCancel.push(order);
      } else if (isOwnClientOrderId(order.clientOrderId) && order.clientOrderId !== undefined) {
        const adoptedOrder = TrackedOrder.fromOrder(order, order.clientOrderId);
        this.tracked.set(adoptedOrder.clientOrderId, adoptedOrder);
        this.index(adoptedOrder, order.orderId);
        seen.add(adoptedOrder);
        adopted++;
        this.emit({ type: 'adopted', tsMs: this.options.clock.nowMs(), ticker: this.ticker, clientOrderId: adoptedOrder.clientOrderId, orderId: order.orderId });
      } else if (this.options.foreignOrders === 'cancel') {
        toCancel.push(order);
      }
    }
    let dropped = 0;
    for (const t of [...this.tracked.values()]) {
      if (!seen.has(t)) {
        this.forget(t, 'not resting on the exchange');
        dropped++;
      }
    }
    let cancelled = 0;
    for (const order of toCancel) {
      try {
        await withRetry(() => this.options.port.cancelOrder(order.orderId, this.ticker), this.retry, this.options.clock);
        cancelled++;
      } catch (error) {
        if (!isNotFound(error)) this.options.logger.warn({ ticker: this.ticker, orderId: order.orderId, error: describeError(error) }, 'cancel of an unknown order failed');
      }
    }
    return { adopted, cancelled, dropped };
  }

  private track(work: Promise<void>): Promise<void> {
    this.pending.add(work);
    return work.finally(() => this.pending.delete(work));
  }

  private async execute(action: OrderAction): Promise<void> {
    switch (action.kind) {
      case 'create':
        return this.create(action);
      case 'amend':
      case 'decrease':
        return this.modify(action);
      case 'cancel':
        return this.cancel(action);
    }
  }

  private async create(action: Extract<OrderAction, { kind: 'create' }>): Promise<void> {
    const { port, clock, ids } = this.options;
    const clientOrderId = ids.next(this.ticker, action.side);
    const order = new TrackedOrder(clientOrderId, this.ticker, action.side, action.price, action.count);
    order.inFlight = 'create';
    this.tracked.set(clientOrderId, order);
    this.emit({ type: 'intent', tsMs: clock.nowMs(), ticker: this.ticker, clientOrderId, action });
    const request = {
      ticker: this.ticker,
      side: action.side,
      price: action.price,
      count: action.count,
      timeInForce: 'good_till_canceled' as const,
      postOnly: this.options.postOnly ?? true,
      selfTradePrevention: 'maker' as const,
      clientOrderId,
      ...(this.options.orderGroupId !== undefined ? { orderGroupId: this.options.orderGroupId } : {}),
    };
    try {
      const ack = await withRetry(() => port.createOrder(request), this.retry, clock);
      order.inFlight = undefined;
      order.applyAck(ack);
      this.index(order, ack.orderId);
      for (const fill of this.earlyFills.get(ack.orderId) ?? []) order.applyFill(fill.tradeId, fill.count);
      this.earlyFills.delete(ack.orderId);
      this.emit({ type: 'ack', tsMs: clock.nowMs(), ticker: this.ticker, clientOrderId, orderId: ack.orderId, kind: 'create', remaining: order.remaining, filled: order.filled });
    } catch (error) {
      order.inFlight = undefined;
      this.emitFailure(clientOrderId, 'create', error);
      if (isRetryableFailure(error) || isDuplicateId(error)) {
        // The exchange may hold the order: keep the record (it blocks its side) until reconcile knows.
        this.needsReconcile = true;
        return;
      }
      this.forget(order, 'create rejected');
      return;
    }
    this.dropIfDone(order);
  }

  private async modify(action: Extract<OrderAction, { kind: 'amend' | 'decrease' }>): Promise<void> {
    const { port, clock } = this.options;
    const order = this.tracked.get(action.clientOrderId);
    if (!order) return;
    order.inFlight = action.kind;
    this.emit({ type: 'intent', tsMs: clock.nowMs(), ticker: this.ticker, clientOrderId: action.clientOrderId, action });
    try {
      const ack =
        action.kind === 'amend'
          ? await withRetry(() => port.amendOrder({ orderId: action.orderId, ticker: this.ticker, side: action.side, price: action.price, count: action.count }), this.retry, clock)
          : await withRetry(() => port.decreaseOrder({ orderId: action.orderId, ticker: this.ticker, reduceTo: action.reduceTo }), this.retry, clock);
      order.inFlight = undefined;
      if (ack.orderId !== action.orderId) this.byOrderId.delete(action.orderId);
      order.applyAck(ack, action.kind === 'amend' ? action.price : undefined);
      this.index(order, ack.orderId);
      this.emit({ type: 'ack', tsMs: clock.nowMs(), ticker: this.ticker, clientOrderId: action.clientOrderId, orderId: ack.orderId, kind: action.kind, remaining: order.remaining, filled: order.filled });
    } catch (error) {
      order.inFlight = undefined;
      this.emitFailure(action.clientOrderId, action.kind, error);
      await this.refresh(order);
    }
    this.dropIfDone(order);
  }

  private async cancel(action: Extract<OrderAction, { kind: 'cancel' }>): Promise<void> {
    const { port, clock } = this.options;
    const order = this.tracked.get(action.clientOrderId);
    if (!order) return;
    order.inFlight = 'cancel';
    this.emit({ type: 'intent', tsMs: clock.nowMs(), ticker: this.ticker, clientOrderId: action.clientOrderId, action });
    try {
      const ack = await withRetry(() => port.cancelOrder(action.orderId, this.ticker), this.retry, clock);
      order.inFlight = undefined;
      this.emit({ type: 'ack', tsMs: clock.nowMs(), ticker: this.ticker, clientOrderId: action.clientOrderId, orderId: ack.orderId, kind: 'cancel', remaining: 0, filled: order.filled });
      this.forget(order, `cancelled (${action.reason})`);
    } catch (error) {
      order.inFlight = undefined;
      if (isNotFound(error)) {
        this.forget(order, 'already gone');
        return;
      }
      this.emitFailure(action.clientOrderId, 'cancel', error);
      this.needsReconcile = true;
    }
  }

  /** After a failed amend/decrease: reads the order back; drops it when the exchange no longer has it. */
  private async refresh(order: TrackedOrder): Promise<void> {
    if (order.orderId === undefined) return;
    const orderId = order.orderId;
    try {
      order.applyOrder(await withRetry(() => this.options.port.getOrder(orderId), this.retry, this.options.clock));
    } catch (error) {
      if (isNotFound(error)) order.closed = true;
      else this.needsReconcile = true;
    }
  }

  private onFill(fill: Fill): void {
    const order = this.byOrderId.get(fill.orderId) ?? (fill.clientOrderId !== undefined ? this.tracked.get(fill.clientOrderId) : undefined);
    if (!order) {
      // Held for an ack still on its way; bounded, because fills of orders placed by hand land here too.
      const list = this.earlyFills.get(fill.orderId) ?? [];
      if (list.length < 100) list.push(fill);
      this.earlyFills.set(fill.orderId, list);
      if (this.earlyFills.size > EARLY_FILL_ORDERS) {
        const oldest = this.earlyFills.keys().next();
        if (!oldest.done) this.earlyFills.delete(oldest.value);
      }
      return;
    }
    this.index(order, fill.orderId);
    order.applyFill(fill.tradeId, fill.count);
    this.dropIfDone(order);
  }

  private onOrder(update: Order): void {
    const order = this.byOrderId.get(update.orderId) ?? (update.clientOrderId !== undefined ? this.tracked.get(update.clientOrderId) : undefined);
    if (!order) {
      // One of ours we had given up on (or from an earlier run) shows up resting: adopt it so the next
      // plan keeps or cancels it instead of leaving it unknown on the book.
      if (update.status === 'resting' && isOwnClientOrderId(update.clientOrderId) && update.clientOrderId !== undefined) {
        const adopted = TrackedOrder.fromOrder(update, update.clientOrderId);
        this.tracked.set(adopted.clientOrderId, adopted);
        this.index(adopted, update.orderId);
        this.emit({ type: 'adopted', tsMs: this.options.clock.nowMs(), ticker: this.ticker, clientOrderId: adopted.clientOrderId, orderId: update.orderId });
      }
      return;
    }
    this.index(order, update.orderId);
    order.applyOrder(update);
    this.dropIfDone(order);
  }

  private index(order: TrackedOrder, orderId: string): void {
    order.orderId = orderId;
    this.byOrderId.set(orderId, order);
  }

  private dropIfDone(order: TrackedOrder): void {
    if (order.isDone) this.forget(order, order.closed ? 'closed by the exchange' : 'filled');
  }

  private forget(order: TrackedOrder, reason: string): void {
    if (this.tracked.get(order.clientOrderId) !== order) return;
    this.tracked.delete(order.clientOrderId);
    if (order.orderId !== undefined) this.byOrderId.delete(order.orderId);
    this.emit({ type: 'gone', tsMs: this.options.clock.nowMs(), ticker: this.ticker, clientOrderId: order.clientOrderId, ...(order.orderId !== undefined ? { orderId: order.orderId } : {}), reason });
  }

  private emitFailure(clientOrderId: string, kind: OrderAction['kind'], error: unknown): void {
    const retryable = isRetryableFailure(error);
    this.options.logger.warn({ ticker: this.ticker, clientOrderId, kind, error: describeError(error) }, `${kind} failed`);
    this.emit({ type: 'failed', tsMs: this.options.clock.nowMs(), ticker: this.ticker, clientOrderId, kind, error: describeError(error), retryable });
  }

  private emit(event: OrderLogEvent): void {
    const listener = this.options.listener;
    if (!listener) return;
    try {
      listener(event);
    } catch (error) {
      this.options.logger.error({ ticker: this.ticker, error: describeError(error) }, 'order listener failed');
    }
  }
}

const NO_ACTIONS: readonly OrderAction[] = [];

function samePlan(a: PlanParams, b: PlanParams): boolean {
  return a === b || (a.requoteThresholdPrice === b.requoteThresholdPrice && a.sizeTolerance === b.sizeTolerance && a.amend === b.amend);
}

function sameQuote(a: DesiredQuote | undefined, b: DesiredQuote | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.side === b.side && a.price === b.price && a.count === b.count);
}

function sameQuotes(a: DesiredQuotes, b: DesiredQuotes): boolean {
  return a.ticker === b.ticker && sameQuote(a.bid, b.bid) && sameQuote(a.ask, b.ask);
}

function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** 409 `order_already_exists`: an earlier attempt of this create went through (kalshi-api.md §8.2). */
function isDuplicateId(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && error.apiCode === 'order_already_exists';
}

function isRetryableFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'retryable' in error && error.retryable === true;
}
