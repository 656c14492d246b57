/**
 * The engine's state and the internal steps every public call is made of: matching an incoming
 * order, executing one trade, cancelling or shrinking a resting order, trimming reduce-only orders,
 * and emitting events. `MatchingEngine` (engine.ts) adds validation and the public API on top.
 */
import { InvariantError, type Clock, type Count, type Fill, type OutcomeSide, type Price, type PublicTrade } from '../../core/index.js';
import { reject } from './errors.js';
import type { AccountState} from './ledger.js';
import { bookFill, positionView, refreshLock, trackResting, PAYOUT_PER_HUNDREDTH } from './ledger.js';
import type { MarketRecord } from './market-record.js';
import { orderView, sequentialId, type OrderRecord } from './order-record.js';
import type { EngineEvent, EngineListener, OrderUpdateReason } from './types.js';

/** Why matching of an incoming order stopped before it was filled or its price was reached. */
export type MatchStop = 'filled' | 'no_liquidity' | 'self_cross' | 'halted';

/** The state shared by the engine's steps. */
export class EngineCore {
  protected readonly markets = new Map<string, MarketRecord>();
  protected readonly accounts = new Map<string, AccountState>();
  protected readonly orders = new Map<string, OrderRecord>();
  protected readonly trades: PublicTrade[] = [];
  protected readonly expiring = new Set<OrderRecord>();
  private listeners: EngineListener[] = [];
  private emitting = 0;
  protected orderSeq = 0;
  private tradeSeq = 0;
  /** Fees and leg-cost rounding the exchange kept, Cash. */
  protected exchangeIncome = 0;
  /** Cash put into accounts, Cash. */
  protected deposits = 0;

  constructor(protected readonly clock: Clock) {}

  /**
   * Registers a listener of engine events; returns a function that removes it. Listeners run
   * synchronously inside engine calls; they may query the engine (books, markets, orders) but must
   * not change it (no orders, no lifecycle calls).
   */
  subscribe(listener: EngineListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  protected emit(event: EngineEvent): void {
    this.emitting++;
    try {
      for (const listener of this.listeners) listener(event);
    } finally {
      this.emitting--;
    }
  }

  /** True while listeners run: time processing is deferred so a listener's query never changes state. */
  protected get isEmitting(): boolean {
    return this.emitting > 0;
  }

  protected get hasListeners(): boolean {
    return this.listeners.length > 0;
  }

  /** @throws EngineRejection `account_not_found`. */
  protected account(accountId: string): AccountState {
    const account = this.accounts.get(accountId);
    if (!account) throw reject('account_not_found', `account: no account ${JSON.stringify(accountId)}`);
    return account;
  }

  /** @throws EngineRejection `market_not_found`. */
  protected market(ticker: string): MarketRecord {
    const market = this.markets.get(ticker);
    if (!market) throw reject('market_not_found', `ticker: no market ${JSON.stringify(ticker)}`);
    return market;
  }

  /** Emits a book delta for a change of `delta` at the level of `order`. */
  protected emitLevel(order: OrderRecord, delta: number): void {
    if (delta === 0 || !this.hasListeners) return;
    const side: OutcomeSide = order.side === 'bid' ? 'yes' : 'no';
    const price = (order.side === 'bid' ? order.price : 10_000 - order.price) as Price;
    this.emit({
      type: 'book_delta',
      tsMs: this.clock.nowMs(),
      ticker: order.ticker,
      side,
      price,
      delta: delta as Count,
      accountId: order.accountId,
      ...(order.clientOrderId === '' ? {} : { clientOrderId: order.clientOrderId }),
    });
  }

  protected emitOrder(order: OrderRecord): void {
    if (this.hasListeners) this.emit({ type: 'order', tsMs: this.clock.nowMs(), accountId: order.accountId, order: orderView(order) });
  }

  protected emitPosition(account: AccountState, ticker: string): void {
    const state = account.positions.get(ticker);
    if (state && this.hasListeners) this.emit({ type: 'position', tsMs: this.clock.nowMs(), accountId: account.id, position: positionView(state) });
  }

  /**
   * Puts a new or re-priced order at the back of its level. `alreadyShown` is the size the public
   * book still shows for it at this price (an amend that keeps the price), so the delta is net.
   */
  protected rest(order: OrderRecord, market: MarketRecord, account: AccountState, alreadyShown = 0): void {
    market.book.add(order);
    account.restingIn(order.ticker).add(order);
    trackResting(account, order.ticker, order, market.definition.fees, 1);
    this.onRestChange(order, true);
    account.openOrders++;
    if (order.expirationTimeS !== undefined) {
      this.expiring.add(order);
      this.timesChanged(order.expirationTimeS * 1000);
    }
    refreshLock(account, order.ticker, market.definition.fees);
    this.emitLevel(order, order.remaining - alreadyShown);
  }

  /** Takes a resting order out of the book and the account's resting set (no event, lock not refreshed). */
  protected unrest(order: OrderRecord, market: MarketRecord, account: AccountState, untrack = true): void {
    market.book.remove(order);
    account.restingIn(order.ticker).delete(order);
    this.onRestChange(order, false);
    if (untrack) trackResting(account, order.ticker, order, market.definition.fees, -1);
    account.openOrders--;
    this.expiring.delete(order);
  }

  /** Lets `processTime` know that something may be due at `dueMs`. */
  protected timesChanged(_dueMs?: number): void {}

  /** Called when an order enters (`resting` true) or leaves the book. */
  protected onRestChange(_order: OrderRecord, _resting: boolean): void {}

  /** Called after each trade for both orders (order groups count matched contracts here). */
  protected onMatched(_order: OrderRecord, _count: number): void {}

  /** Returns true when an incoming order must stop matching (its order group was triggered). */
  protected isHalted(_order: OrderRecord): boolean {
    return false;
  }

  /**
   * Marks an order finished and lets the account forget the oldest finished orders and fills past
   * its history limit (pruned in batches, so the cost per order stays constant).
   */
  protected finish(order: OrderRecord, account: AccountState): void {
    account.finished.push(order.orderId);
    const limit = account.historyLimit;
    if (account.finished.length > limit + Math.max(64, limit / 4)) {
      for (const id of account.finished.splice(0, account.finished.length - limit)) {
        this.orders.delete(id);
        account.orders.delete(id);
      }
    }
    if (account.fills.length > limit + Math.max(64, limit / 4)) account.fills.splice(0, account.fills.length - limit);
  }

  /** Cancels a resting order; returns the contracts removed. Emits the book delta and order update. */
  protected cancelResting(order: OrderRecord, reason: OrderUpdateReason): Count {
    const market = this.market(order.ticker);
    const account = this.account(order.accountId);
    const removed = order.remaining;
    this.unrest(order, market, account);
    this.emitLevel(order, -removed);
    order.remaining = 0 as Count;
    order.status = 'canceled';
    order.updatedMs = this.clock.nowMs();
    order.lastUpdateReason = reason;
    refreshLock(account, order.ticker, market.definition.fees);
    this.finish(order, account);
    this.emitOrder(order);
    return removed;
  }

  /** Shrinks a resting order in place (keeps its priority). */
  protected shrinkResting(order: OrderRecord, by: number, reason: OrderUpdateReason): void {
    const market = this.market(order.ticker);
    const account = this.account(order.accountId);
    trackResting(account, order.ticker, order, market.definition.fees, -1);
    order.remaining = (order.remaining - by) as Count;
    trackResting(account, order.ticker, order, market.definition.fees, 1);
    market.book.shrink(order, by);
    this.emitLevel(order, -by);
    order.updatedMs = this.clock.nowMs();
    order.lastUpdateReason = reason;
    refreshLock(account, order.ticker, market.definition.fees);
    this.emitOrder(order);
  }

  /**
   * Trims the account's resting reduce-only orders in a market so that together they never exceed
   * the position they reduce (oldest keep their size first); emits `ReduceOnlyCancel` updates.
   */
  protected trimReduceOnly(account: AccountState, market: MarketRecord): void {
    const resting = account.resting.get(market.ticker);
    if (!resting || (account.totals.get(market.ticker)?.reduceOnly ?? 0) === 0) return;
    const position = account.positions.get(market.ticker)?.position ?? 0;
    const allowance = { bid: Math.max(0, -position), ask: Math.max(0, position) };
    for (const order of [...resting]) {
      if (!order.reduceOnly) continue;
      const allowed = allowance[order.side];
      if (order.remaining > allowed) {
        if (allowed === 0) this.cancelResting(order, 'ReduceOnlyCancel');
        else this.shrinkResting(order, order.remaining - allowed, 'ReduceOnlyCancel');
      }
      allowance[order.side] -= order.remaining;
    }
  }

  /**
   * Matches an incoming (not yet resting) order against the book at its limit, applying its
   * self-trade prevention. Returns its fills and why it stopped.
   */
  protected match(taker: OrderRecord, market: MarketRecord): { fills: Fill[]; stop: MatchStop } {
    const fills: Fill[] = [];
    while (taker.remaining > 0) {
      if (this.isHalted(taker)) return { fills, stop: 'halted' };
      const level = market.book.bestCrossing(taker.side, taker.price);
      const maker = level?.entries[0];
      if (!maker) return { fills, stop: 'no_liquidity' };
      if (maker.accountId === taker.accountId) {
        if (taker.selfTradePrevention === 'taker_at_cross') return { fills, stop: 'self_cross' };
        this.cancelResting(maker, 'SelfTradeCancel');
        continue;
      }
      fills.push(this.executeTrade(taker, maker, market));
    }
    return { fills, stop: 'filled' };
  }

  /**
   * Returns how much of `taker` the book could fill now, for fill-or-kill, and whether a self-cross
   * with `taker_at_cross` would stop it first (then FOK behaves like IOC, CL:2025-09-25).
   */
  protected fillable(taker: OrderRecord, market: MarketRecord): { count: number; selfCross: boolean } {
    let count = 0;
    for (const level of market.book.crossingLevels(taker.side, taker.price)) {
      for (const entry of level.entries) {
        if (entry.accountId === taker.accountId) {
          if (taker.selfTradePrevention === 'taker_at_cross') return { count, selfCross: true };
          continue;
        }
        count += entry.remaining;
        if (count >= taker.remaining) return { count, selfCross: false };
      }
    }
    return { count, selfCross: false };
  }

  /** Executes one trade between an incoming order and the resting order at the head of its level. */
  private executeTrade(taker: OrderRecord, maker: OrderRecord, market: MarketRecord): Fill {
    const nowMs = this.clock.nowMs();
    const count = Math.min(taker.remaining, maker.remaining) as Count;
    const price = maker.price;
    const takerAccount = this.account(taker.accountId);
    const makerAccount = this.account(maker.accountId);
    const longBefore = longYes(takerAccount, market.ticker) + longYes(makerAccount, market.ticker);

    const fees = market.definition.fees;
    trackResting(makerAccount, market.ticker, maker, fees, -1);
    maker.remaining = (maker.remaining - count) as Count;
    market.book.shrink(maker, count);
    if (maker.remaining === 0) this.unrestFilled(maker, market, makerAccount);
    else trackResting(makerAccount, market.ticker, maker, fees, 1);
    this.emitLevel(maker, -count);
    taker.remaining = (taker.remaining - count) as Count;

    const takerOut = bookFill(takerAccount, taker, { side: taker.side, price, count, liquidity: 'taker', fees, nowMs });
    const makerOut = bookFill(makerAccount, maker, { side: maker.side, price, count, liquidity: 'maker', fees, nowMs });
    this.exchangeIncome += takerOut.fee + makerOut.fee + takerOut.legCost + makerOut.legCost - PAYOUT_PER_HUNDREDTH * count;
    for (const [order, out, isTaker] of [
      [taker, takerOut, true],
      [maker, makerOut, false],
    ] as const) {
      order.fillCount = (order.fillCount + count) as Count;
      if (isTaker) {
        order.takerFees += out.fee;
        order.takerFillCostMicros += out.legCostMicros;
      } else {
        order.makerFees += out.fee;
        order.makerFillCostMicros += out.legCostMicros;
      }
      order.updatedMs = nowMs;
      order.lastUpdateReason = 'Trade';
    }
    market.recordTrade(price, count, nowMs);
    market.openInterest += longYes(takerAccount, market.ticker) + longYes(makerAccount, market.ticker) - longBefore;

    const tradeId = sequentialId(5, ++this.tradeSeq);
    const trade: PublicTrade = { tradeId, ticker: market.ticker, price, count, takerSide: taker.side, tsMs: nowMs };
    this.trades.push(trade);
    market.trades.push(trade);
    const takerFill = fillOf(tradeId, taker, price, count, true, takerOut.fee, takerOut.position, nowMs);
    const makerFill = fillOf(tradeId, maker, price, count, false, makerOut.fee, makerOut.position, nowMs);
    takerAccount.fills.push(takerFill);
    makerAccount.fills.push(makerFill);
    if (maker.remaining === 0) {
      maker.status = 'executed';
      this.finish(maker, makerAccount);
    }
    refreshLock(makerAccount, market.ticker, fees);
    refreshLock(takerAccount, market.ticker, fees);
    if (this.hasListeners) {
      this.emit({ type: 'trade', tsMs: nowMs, trade });
      this.emit({ type: 'fill', tsMs: nowMs, accountId: takerAccount.id, fill: takerFill });
      this.emit({ type: 'fill', tsMs: nowMs, accountId: makerAccount.id, fill: makerFill });
      this.emitOrder(maker);
      this.emitPosition(makerAccount, market.ticker);
      this.emitPosition(takerAccount, market.ticker);
    }
    this.trimReduceOnly(makerAccount, market);
    this.trimReduceOnly(takerAccount, market);
    this.onMatched(maker, count);
    this.onMatched(taker, count);
    return takerFill;
  }

  private unrestFilled(maker: OrderRecord, market: MarketRecord, account: AccountState): void {
    if (maker.remaining !== 0) throw new InvariantError(`order ${maker.orderId} left the book with ${maker.remaining} remaining`);
    this.unrest(maker, market, account, false);
  }
}

function longYes(account: AccountState, ticker: string): number {
  return Math.max(0, account.positions.get(ticker)?.position ?? 0);
}

function fillOf(tradeId: string, order: OrderRecord, price: Price, count: Count, isTaker: boolean, fee: number, position: number, tsMs: number): Fill {
  return {
    tradeId,
    orderId: order.orderId,
    ...(order.clientOrderId === '' ? {} : { clientOrderId: order.clientOrderId }),
    ticker: order.ticker,
    side: order.side,
    price,
    count,
    isTaker,
    fee: fee as Fill['fee'],
    tsMs,
    postPosition: position as Count,
  };
}
