/**
 * `MarketDataCache`: one `MarketState` per ticker, fed by the port's event stream. A `stale` event
 * without a ticker and a lost connection mark every market stale; fills, orders and positions are not
 * market data and are ignored here (risk and orders consume them).
 */
import type { ExchangePort, Market, PortEvent } from '../core/index.js';
import { MarketState } from './market-state.js';
import { refreshMarket, type RefreshOptions, type RefreshResult } from './refresh.js';
import { DEFAULT_MARKET_STATE_OPTIONS, type MarketSnapshot, type MarketStateOptions } from './types.js';

/** Routes `PortEvent`s to per-market states. */
export class MarketDataCache {
  private readonly states = new Map<string, MarketState>();

  constructor(private readonly options: MarketStateOptions = DEFAULT_MARKET_STATE_OPTIONS) {}

  /**
   * Applies one event. Returns the tickers whose state changed (book, trades, metadata or staleness),
   * so the caller knows which makers to wake.
   */
  apply(event: PortEvent): readonly string[] {
    switch (event.type) {
      case 'book_snapshot':
      case 'book_delta':
        this.ensure(event.ticker).apply(event);
        return [event.ticker];
      case 'market':
        this.ensure(event.ticker).apply(event);
        return [event.ticker];
      case 'trade':
        this.ensure(event.trade.ticker).apply(event);
        return [event.trade.ticker];
      case 'stale':
      case 'connection': {
        if (event.type === 'connection' && event.connected) return [];
        if (event.type === 'stale' && event.ticker !== undefined) {
          this.ensure(event.ticker).apply(event);
          return [event.ticker];
        }
        for (const state of this.states.values()) state.apply(event);
        return [...this.states.keys()];
      }
      case 'fill':
      case 'order':
      case 'position':
      case 'order_group':
        return [];
    }
  }

  /** Returns the state of `ticker`, creating an empty (stale) one when absent. */
  ensure(ticker: string): MarketState {
    let state = this.states.get(ticker);
    if (!state) {
      state = new MarketState(ticker, this.options);
      this.states.set(ticker, state);
    }
    return state;
  }

  /** Returns the state of `ticker`, or undefined when never seen. */
  get(ticker: string): MarketState | undefined {
    return this.states.get(ticker);
  }

  /** Returns the snapshot of `ticker` at `nowMs`, or undefined when never seen. */
  snapshot(ticker: string, nowMs: number): MarketSnapshot | undefined {
    return this.states.get(ticker)?.snapshot(nowMs);
  }

  /** Sets REST metadata for a market (creating its state). */
  setMarket(market: Market): MarketState {
    const state = this.ensure(market.ticker);
    state.setMarket(market);
    return state;
  }

  /** Returns true when `ticker` is missing or stale at `nowMs`. */
  needsRefresh(ticker: string, nowMs: number): boolean {
    const state = this.states.get(ticker);
    return state === undefined || state.isStale(nowMs);
  }

  /**
   * Reloads `ticker` from REST (book, metadata when missing, optional recent trades) with retry; see
   * `refreshMarket`.
   * @throws the last error when every attempt failed, or a non-retryable error at once.
   */
  refresh(ticker: string, port: ExchangePort, options: RefreshOptions): Promise<RefreshResult> {
    return refreshMarket(this, ticker, port, options);
  }

  /** Drops a market (after unsubscribing). */
  delete(ticker: string): void {
    this.states.delete(ticker);
  }

  /** Returns the tickers held. */
  tickers(): readonly string[] {
    return [...this.states.keys()];
  }
}
