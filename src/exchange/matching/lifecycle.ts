/**
 * Market lifecycle and time (kalshi-api.md §6.2, §12): time-driven open and close, order
 * expiry, pause and re-activation, close-time changes, grid changes and settlement.
 */
import { type Cash, type Count, type MarketResult, type TickGrid } from '../../core/index.js';
import { EngineCore } from './engine-core.js';
import { reject } from './errors.js';
import { PAYOUT_PER_HUNDREDTH, positionView } from './ledger.js';
import { MarketRecord } from './market-record.js';
import type { EngineSettlement, MarketDefinition, MarketLifecycleKind } from './types.js';

/** Statuses in which resting orders may exist and cancels are accepted. */
const LIVE = new Set(['active', 'inactive']);

/** The engine's lifecycle layer. */
export class EngineLifecycle extends EngineCore {
  /** Earliest time at which `processTime` has something to do. */
  private nextDueMs = -Infinity;

  /**
   * Lists a market. It trades at once when `status` is `active`; an `initialized` one opens at
   * `openTimeMs`; any market closes at `closeTimeMs`.
   * @throws EngineRejection `invalid_order` when the ticker is already listed.
   */
  addMarket(definition: MarketDefinition): void {
    if (this.markets.has(definition.ticker)) throw reject('invalid_order', `ticker: ${JSON.stringify(definition.ticker)} is already listed`);
    const market = new MarketRecord(definition);
    this.markets.set(definition.ticker, market);
    this.nextDueMs = -Infinity;
    this.emitMarket(market, 'created');
    this.processTime();
  }

  /**
   * Applies everything that is due at the clock's time: opens markets past `openTimeMs`, closes
   * markets past `closeTimeMs` (cancelling resting orders, `CloseCancel`), and cancels GTC orders
   * past their expiration (`ExpiryCancel`). Every public engine call runs it first; a host calls it
   * from a timer so that expiry and close happen without traffic.
   */
  processTime(): void {
    const nowMs = this.clock.nowMs();
    if (nowMs < this.nextDueMs || this.isEmitting) return;
    let next = Infinity;
    for (const market of this.markets.values()) {
      if (market.status === 'initialized') {
        if (market.openTimeMs <= nowMs) this.setStatus(market, 'active', 'opened');
        else next = Math.min(next, market.openTimeMs);
      }
      if (LIVE.has(market.status)) {
        if (market.closeTimeMs <= nowMs) this.close(market);
        else next = Math.min(next, market.closeTimeMs);
      }
    }
    for (const order of [...this.expiring]) {
      const dueMs = (order.expirationTimeS ?? Infinity) * 1000;
      if (dueMs <= nowMs) this.cancelResting(order, 'ExpiryCancel');
      else next = Math.min(next, dueMs);
    }
    this.nextDueMs = next;
  }

  /** Makes `processTime` look again at the next call (after a change of times). */
  protected override timesChanged(dueMs = -Infinity): void {
    this.nextDueMs = Math.min(this.nextDueMs, dueMs);
  }

  /**
   * Pauses trading in a market (`inactive`): new orders and amends are refused with
   * `trading_is_paused`, cancels still work, orders with `cancelOrderOnPause` are cancelled (`HaltCancel`).
   * @throws EngineRejection `market_not_found`, or `market_closed` when it is not active.
   */
  pauseMarket(ticker: string): void {
    this.processTime();
    const market = this.market(ticker);
    if (market.status !== 'active') throw reject('market_closed', `market ${ticker}: status was ${market.status}, expected active to pause`);
    this.setStatus(market, 'inactive', 'deactivated');
    for (const order of market.book.entries()) if (order.cancelOnPause) this.cancelResting(order, 'HaltCancel');
  }

  /**
   * Cancels every resting order placed with `cancelOrderOnPause`, in every market (`HaltCancel`), for
   * an exchange-wide trading pause (§12); markets keep their status. Returns how many were cancelled.
   */
  cancelOrdersOnPause(): number {
    this.processTime();
    let cancelled = 0;
    for (const market of this.markets.values()) {
      for (const order of market.book.entries()) {
        if (!order.cancelOnPause) continue;
        this.cancelResting(order, 'HaltCancel');
        cancelled++;
      }
    }
    return cancelled;
  }

  /**
   * Resumes a paused market. As on Kalshi, re-activation cancels every resting order (`HaltCancel`).
   * @throws EngineRejection `market_not_found`, or `market_closed` when it is not paused.
   */
  resumeMarket(ticker: string): void {
    this.processTime();
    const market = this.market(ticker);
    if (market.status !== 'inactive') throw reject('market_closed', `market ${ticker}: status was ${market.status}, expected inactive to resume`);
    for (const order of market.book.entries()) this.cancelResting(order, 'HaltCancel');
    this.setStatus(market, 'active', 'activated');
  }

  /**
   * Closes a market now: trading stops, resting orders are cancelled (`CloseCancel`).
   * @throws EngineRejection `market_not_found`, or `market_closed` when it is already closed.
   */
  closeMarket(ticker: string): void {
    this.processTime();
    const market = this.market(ticker);
    if (!LIVE.has(market.status) && market.status !== 'initialized') throw reject('market_closed', `market ${ticker}: status was ${market.status}, expected an open market`);
    market.closeTimeMs = Math.min(market.closeTimeMs, this.clock.nowMs());
    this.close(market);
  }

  /**
   * Moves a market's close time (`close_date_updated`); a time in the past closes it now.
   * @throws EngineRejection `market_not_found`, or `market_closed` when it is already closed.
   */
  setCloseTime(ticker: string, closeTimeMs: number): void {
    this.processTime();
    const market = this.market(ticker);
    if (!LIVE.has(market.status) && market.status !== 'initialized') throw reject('market_closed', `market ${ticker}: status was ${market.status}, expected an open market`);
    market.closeTimeMs = closeTimeMs;
    this.emitMarket(market, 'close_date_updated');
    this.timesChanged();
    this.processTime();
  }

  /**
   * Replaces a market's tick grid (`price_level_structure_updated`). Resting orders keep their prices.
   * @throws EngineRejection `market_not_found`.
   */
  setGrid(ticker: string, grid: TickGrid): void {
    const market = this.market(ticker);
    market.grid = grid;
    this.emitMarket(market, 'price_level_structure_updated');
  }

  /**
   * Determines and settles a market: closes it if still open, records `result`, pays $1 per winning
   * contract of every net position (kalshi-api.md §6.2), records a settlement per account, and
   * finalizes the market.
   * @throws EngineRejection `market_not_found`, or `market_closed` when it is already settled.
   */
  settleMarket(ticker: string, result: Exclude<MarketResult, '' | 'scalar'>): void {
    this.processTime();
    const market = this.market(ticker);
    if (market.status === 'finalized') throw reject('market_closed', `market ${ticker}: already settled with result ${market.result}`);
    if (LIVE.has(market.status) || market.status === 'initialized') this.closeMarket(ticker);
    const nowMs = this.clock.nowMs();
    market.result = result;
    this.setStatus(market, 'determined', 'determined');
    for (const account of this.accounts.values()) {
      const state = account.positions.get(ticker);
      if (!state) continue;
      const yesCount = Math.max(0, state.position);
      const noCount = Math.max(0, -state.position);
      const payout = PAYOUT_PER_HUNDREDTH * (result === 'yes' ? yesCount : noCount);
      account.cash += payout;
      const cost = positionView(state).exposure;
      state.realizedMicros += payout * 100 - state.costMicros;
      state.position = 0;
      state.costMicros = 0;
      state.lastUpdatedMs = nowMs;
      this.emitPosition(account, ticker);
      account.positions.delete(ticker);
      if (yesCount === 0 && noCount === 0) continue;
      const settlement: EngineSettlement = {
        accountId: account.id,
        ticker,
        eventTicker: market.definition.eventTicker,
        result,
        yesCount: yesCount as Count,
        noCount: noCount as Count,
        yesTotalCost: (yesCount > 0 ? cost : 0) as Cash,
        noTotalCost: (noCount > 0 ? cost : 0) as Cash,
        revenue: payout as Cash,
        settledMs: nowMs,
      };
      account.settlements.push(settlement);
      this.emit({ type: 'settlement', tsMs: nowMs, settlement });
    }
    market.openInterest = 0;
    market.settledMs = nowMs;
    this.setStatus(market, 'finalized', 'settled');
  }

  private close(market: MarketRecord): void {
    for (const order of market.book.entries()) this.cancelResting(order, 'CloseCancel');
    this.setStatus(market, 'closed', 'closed');
  }

  private setStatus(market: MarketRecord, status: MarketRecord['status'], kind: MarketLifecycleKind): void {
    market.status = status;
    this.emitMarket(market, kind);
  }

  protected emitMarket(market: MarketRecord, kind: MarketLifecycleKind): void {
    if (!this.hasListeners) return;
    this.emit({
      type: 'market',
      tsMs: this.clock.nowMs(),
      ticker: market.ticker,
      kind,
      status: market.status,
      result: market.result,
      openTimeMs: market.openTimeMs,
      closeTimeMs: market.closeTimeMs,
      grid: market.grid,
      definition: market.definition,
    });
  }
}
