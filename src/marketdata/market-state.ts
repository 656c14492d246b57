/**
 * The state of one market, fed by `PortEvent`s: the L2 book (core `L2Book`), top of book, mid,
 * spread, micro-price, both volatility estimators, the arrival-intensity estimate, rolling volume,
 * metadata (grid, fees, close time, status) and staleness. Pure: time comes from the events' `recvMs`
 * and from the `nowMs` the caller passes.
 *
 * Staleness (`isStale(nowMs)`) is true when any of these holds; a stale market never produces quotes:
 *  - no book snapshot has arrived yet;
 *  - a `stale` event named this market (or all markets), a delta failed to apply, or the connection
 *    dropped — until the next `book_snapshot` (WS or REST refresh);
 *  - nothing for this market arrived for longer than `staleAfterMs`.
 */
import {
  DEFAULT_FEE_SCHEDULE,
  L2Book,
  TickGrid,
  type Count,
  type FeeSchedule,
  type Market,
  type MarketStatus,
  type PortEvent,
  type Price,
  type PublicTrade,
  type BookLevel,
} from '../core/index.js';
import { IntensityEstimator } from './intensity.js';
import { LogOddsEwmaVolatility, RollingTradeStdDev } from './volatility.js';
import { RollingVolume } from './volume.js';
import type { MarketSnapshot, MarketStateOptions } from './types.js';

const RECENT_TRADE_IDS = 512;

/** Live state of one market. */
export class MarketState {
  readonly book: L2Book;
  private grid: TickGrid = TickGrid.linearCent();
  private fees: FeeSchedule = DEFAULT_FEE_SCHEDULE;
  private closeTimeMs: number | undefined;
  private status: MarketStatus | undefined;
  private hasMetadata = false;
  private hasSnapshot = false;
  private staleReasonText: string | undefined = 'no book snapshot yet';
  private lastUpdate: number | undefined;
  private lastMid: number | undefined;
  private readonly tradeStdDev: RollingTradeStdDev;
  private readonly logOddsVol: LogOddsEwmaVolatility;
  private readonly intensity: IntensityEstimator;
  private readonly volume = new RollingVolume();
  private readonly recentTradeIds = new Set<string>();

  constructor(
    readonly ticker: string,
    private readonly options: MarketStateOptions,
  ) {
    this.book = new L2Book(ticker);
    this.tradeStdDev = new RollingTradeStdDev(options.volWindowMs);
    this.logOddsVol = new LogOddsEwmaVolatility({
      halfLifeSec: options.ewmaHalfLifeSec,
      priorPerSqrtSec: options.sigmaPriorLogOddsPerSqrtSec,
      floorPerSqrtSec: options.sigmaFloorLogOddsPerSqrtSec,
    });
    this.intensity = new IntensityEstimator({
      kappaPriorPerCent: options.kappaPriorPerCent,
      arrivalPriorPerSec: options.arrivalPriorPerSec,
      priorWeight: options.intensityPriorWeight,
      halfLifeSec: options.intensityHalfLifeSec,
    });
  }

  /** Applies one event addressed to this market; returns true when the book or trades changed. */
  apply(event: PortEvent): boolean {
    switch (event.type) {
      case 'book_snapshot':
        this.applySnapshot(event.yes, event.no, event.recvMs);
        return true;
      case 'book_delta':
        if (!this.book.applyDelta(event.side, event.price, event.delta)) {
          this.markStale(event.recvMs, 'a book delta could not be applied (resync needed)');
          return false;
        }
        this.touch(event.recvMs);
        this.observeMid(event.recvMs);
        return true;
      case 'trade':
        return this.applyTrade(event.trade, event.recvMs);
      case 'market':
        if (event.status !== undefined) this.status = event.status;
        if (event.closeTimeMs !== undefined) this.closeTimeMs = event.closeTimeMs;
        if (event.grid !== undefined) this.grid = event.grid;
        // Lifecycle news says nothing about the book's freshness: no touch.
        return false;
      case 'stale':
        this.markStale(event.recvMs, event.reason);
        return false;
      case 'connection':
        if (!event.connected) this.markStale(event.recvMs, 'connection lost');
        return false;
      case 'fill':
      case 'order':
      case 'position':
      case 'order_group':
        return false;
    }
  }

  /** Replaces the book from a snapshot (WS or REST) received at `recvMs`; clears staleness. */
  applySnapshot(yes: readonly BookLevel[], no: readonly BookLevel[], recvMs: number): void {
    this.book.applySnapshot(yes, no);
    if (!this.hasSnapshot) this.intensity.start(recvMs);
    this.hasSnapshot = true;
    this.staleReasonText = undefined;
    // The jump across a gap is not a move of the market: start the EWMA from the new mid.
    this.lastMid = undefined;
    this.touch(recvMs);
    this.observeMid(recvMs);
  }

  /** Records a public trade; returns false when it was already seen (REST refresh overlap). */
  applyTrade(trade: PublicTrade, recvMs: number): boolean {
    if (this.recentTradeIds.has(trade.tradeId)) return false;
    this.recentTradeIds.add(trade.tradeId);
    if (this.recentTradeIds.size > RECENT_TRADE_IDS) {
      const oldest = this.recentTradeIds.values().next();
      if (!oldest.done) this.recentTradeIds.delete(oldest.value);
    }
    const mid = this.book.isValid ? this.book.mid() : undefined;
    this.tradeStdDev.add(recvMs, trade.price / 100);
    this.volume.add(recvMs, trade.price, trade.count, trade.takerSide);
    if (mid !== undefined) this.intensity.addTrade(recvMs, Math.abs(trade.price - mid) / 100);
    this.touch(recvMs);
    return true;
  }

  /** Sets metadata from the REST market object (grid, fees, close time, status). */
  setMarket(market: Market): void {
    this.grid = market.grid;
    this.fees = market.fees;
    this.closeTimeMs = market.closeTimeMs;
    this.status = market.status;
    this.hasMetadata = true;
  }

  /** Marks the book untrustworthy until the next snapshot. */
  markStale(recvMs: number, reason: string): void {
    this.book.markStale();
    this.staleReasonText = reason;
    this.lastMid = undefined;
    this.logOddsVol.resetAnchor();
    this.touch(recvMs);
  }

  /** Returns why the market is stale at `nowMs`, or undefined when it is fresh. */
  staleReason(nowMs: number): string | undefined {
    if (!this.hasSnapshot) return 'no book snapshot yet';
    if (this.staleReasonText !== undefined) return this.staleReasonText;
    if (!this.book.isValid) return 'book invalid';
    if (this.lastUpdate === undefined || nowMs - this.lastUpdate > this.options.staleAfterMs) {
      return `no update for more than ${this.options.staleAfterMs} ms`;
    }
    return undefined;
  }

  /** Returns true when the market must not be quoted (see the file comment). */
  isStale(nowMs: number): boolean {
    return this.staleReason(nowMs) !== undefined;
  }

  /** Returns the time of the last event for this market, or undefined. */
  get lastUpdateMs(): number | undefined {
    return this.lastUpdate;
  }

  /** Returns the market's close time (Unix ms), or undefined before metadata or a lifecycle event gave one. */
  get closeTime(): number | undefined {
    return this.closeTimeMs;
  }

  /**
   * Returns the earliest time after `nowMs` at which the snapshot changes by time alone in a discrete
   * step — the market goes stale by age, or a trade enters or leaves the volatility window — or
   * Infinity. (The σ and κ estimates decay continuously; that is not a step.) The maker's heartbeat
   * uses it to wake on time when it beats slowly in a quiet market.
   */
  nextTimeChangeMs(nowMs: number): number {
    let next = this.tradeStdDev.nextChangeMs(nowMs);
    if (this.lastUpdate !== undefined) {
      const staleAt = this.lastUpdate + this.options.staleAfterMs + 1;
      if (staleAt > nowMs && staleAt < next) next = staleAt;
    }
    return next;
  }

  /** Returns true once REST metadata (grid, fees, close time) was set. */
  get hasMarketMetadata(): boolean {
    return this.hasMetadata;
  }

  /** Returns an immutable view of everything the strategy and risk read, at `nowMs`. */
  snapshot(nowMs: number): MarketSnapshot {
    const valid = this.book.isValid;
    const bestBid = valid ? this.book.bestBid() : undefined;
    const bestAsk = valid ? this.book.bestAsk() : undefined;
    const bestBidSize = valid ? this.book.bestBidSize() : (0 as Count);
    const bestAskSize = valid ? this.book.bestAskSize() : (0 as Count);
    const hour = this.volume.hour(nowMs);
    const day = this.volume.day(nowMs);
    const intensity = this.intensity.estimate(nowMs);
    const staleReason = this.staleReason(nowMs);
    const tradeStdDevCents = this.tradeStdDev.value(nowMs);
    // Plain assignments, not conditional spreads: this runs on every book event (bench/strategy.ts).
    const view: { -readonly [K in keyof MarketSnapshot]: MarketSnapshot[K] } = {
      ticker: this.ticker,
      nowMs,
      grid: this.grid,
      fees: this.fees,
      hasMetadata: this.hasMetadata,
      bestBidSize,
      bestAskSize,
      tradesInVolWindow: this.tradeStdDev.count(nowMs),
      sigmaLogOddsPerSqrtSec: this.logOddsVol.value(nowMs),
      kappaPerCent: intensity.kappaPerCent,
      arrivalPerSec: intensity.arrivalPerSec,
      effectiveTrades: intensity.effectiveTrades,
      volume24h: day.volume,
      volume1h: hour.volume,
      buyVolume1h: hour.buyVolume,
      sellVolume1h: hour.sellVolume,
      stale: staleReason !== undefined,
    };
    if (this.closeTimeMs !== undefined) view.closeTimeMs = this.closeTimeMs;
    if (this.status !== undefined) view.status = this.status;
    if (bestBid !== undefined) view.bestBid = bestBid;
    if (bestAsk !== undefined) view.bestAsk = bestAsk;
    if (bestBid !== undefined && bestAsk !== undefined) {
      view.mid = (bestBid + bestAsk) / 2;
      view.spread = bestAsk - bestBid;
      view.microPrice = microPrice(bestBid, bestAsk, bestBidSize, bestAskSize);
    }
    if (tradeStdDevCents !== undefined) view.tradeStdDevCents = tradeStdDevCents;
    if (hour.high !== undefined) view.high1h = hour.high;
    if (hour.low !== undefined) view.low1h = hour.low;
    if (this.lastUpdate !== undefined) view.lastUpdateMs = this.lastUpdate;
    if (staleReason !== undefined) view.staleReason = staleReason;
    return view;
  }

  private touch(recvMs: number): void {
    this.lastUpdate = this.lastUpdate === undefined ? recvMs : Math.max(this.lastUpdate, recvMs);
  }

  private observeMid(recvMs: number): void {
    const mid = this.book.mid();
    if (mid === undefined || mid === this.lastMid) return;
    this.lastMid = mid;
    this.logOddsVol.observe(recvMs, mid / 10_000);
  }
}

/**
 * Returns the size-weighted micro-price (bid·askSize + ask·bidSize) / (bidSize + askSize) in Price
 * units: it leans toward the side with less resting size, the side more likely to be taken next.
 * With both sizes zero it is the mid.
 */
export function microPrice(bid: Price, ask: Price, bidSize: Count, askSize: Count): number {
  const total = bidSize + askSize;
  if (total <= 0) return (bid + ask) / 2;
  return (bid * askSize + ask * bidSize) / total;
}
