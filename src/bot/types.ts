/** Types of the bot: maker parameters and options, status snapshots for the dashboard and journal, listeners. */
import type { Clock, Count, DesiredQuote, ExchangePort, Fill, Logger, Price } from '../core/index.js';
import type { MarketDataCache, MarketStateOptions } from '../marketdata/index.js';
import type { ClientOrderIds, ForeignOrderPolicy, LiveOrder, OrderLogEvent, RetryPolicy } from '../orders/index.js';
import type { MarketRiskFigures, RiskLimits, RiskManager } from '../risk/index.js';
import type { QuoteDiagnostics, StrategyParams } from '../strategy/index.js';

/**
 * Parameters of one market's maker. The trading config (`config/TradingConfig`) has every field with
 * the same name and unit, so the composition root passes the config object itself.
 */
export interface MakerParams extends StrategyParams, RiskLimits {
  /** A resting quote within this many ticks of the desired price is left alone. */
  readonly requoteThresholdTicks: number;
  /** Least time between two requotes of one market, ms. */
  readonly minRequoteIntervalMs: number;
  /**
   * Longest heartbeat interval of a quiet market, ms (heartbeat.ts): the heartbeat doubles from
   * `MakerTimings.heartbeatMs` up to this while nothing happens. Undefined or ≤ the base: no back-off.
   */
  readonly quietHeartbeatMaxMs?: number;
}

/** Timings of the maker's own housekeeping (not in the trading config: they are about mechanics). */
export interface MakerTimings {
  /** The maker wakes at least this often (time-to-close decay, staleness by age), ms. Default 1 000. */
  readonly heartbeatMs: number;
  /** Least time between two REST refreshes of a stale market, ms. Default 5 000. */
  readonly refreshBackoffMs: number;
}

/** Default maker timings. */
export const DEFAULT_MAKER_TIMINGS: MakerTimings = { heartbeatMs: 1_000, refreshBackoffMs: 5_000 };

/** Where a maker is in its life. */
export type MakerState = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * Why the supervisor paused a maker: the exchange stopped trading (`getExchangeStatus`), or the run's
 * Kalshi order group triggered (the circuit breaker: waiting for its reset) or was deleted outside
 * the bot. Told apart so an operator knows whether to wait for the exchange or look at the group.
 */
export type PauseReason = 'exchange_paused' | 'order_group_triggered' | 'order_group_lost';

/** Returns why makers must not quote: an exchange-wide pause, then the order group's reason if any. */
export function pauseReasons(tradingActive: boolean, orderGroup: PauseReason | undefined): PauseReason[] {
  return [...(tradingActive ? [] : ['exchange_paused' as const]), ...(orderGroup !== undefined ? [orderGroup] : [])];
}

/** The health cell of a paused market: `paused: order_group_triggered`, or `paused` when no reason is known. */
export function pausedLabel(pausedBy: readonly PauseReason[] | undefined): string {
  return pausedBy && pausedBy.length > 0 ? `paused: ${pausedBy.join(', ')}` : 'paused';
}

/** Health of one market as the maker sees it. */
export interface MakerHealth {
  /** The event stream is connected (as far as this maker was told). */
  readonly connected: boolean;
  /** Quoting is paused (`pausedBy` says why). */
  readonly paused: boolean;
  /** Why, while paused: an exchange-wide trading pause, or the run's order group triggered or deleted. */
  readonly pausedBy?: readonly PauseReason[];
  /** The book must not be used; `staleReason` says why. */
  readonly stale: boolean;
  readonly staleReason?: string;
  /** Time of the last market-data event, ms. */
  readonly lastUpdateMs?: number;
  /** now − lastUpdateMs, ms. */
  readonly ageMs?: number;
  /** Errors caught in this market's cycles since start. */
  readonly errors: number;
  readonly lastError?: string;
}

/** A snapshot of one maker, for the status table, the dashboard and the journal. */
export interface MakerStatus {
  readonly ticker: string;
  readonly state: MakerState;
  readonly nowMs: number;
  readonly bestBid?: Price;
  readonly bestAsk?: Price;
  /** Mid, Price units (may be fractional). */
  readonly mid?: number;
  /** The quotes the last cycle wanted (after risk sizing). */
  readonly desiredBid?: DesiredQuote;
  readonly desiredAsk?: DesiredQuote;
  /** Our orders as tracked. */
  readonly orders: readonly LiveOrder[];
  /** Signed position, hundredths of a contract. */
  readonly position: Count;
  readonly risk?: MarketRiskFigures;
  /** Fills seen by this maker since start. */
  readonly fills: number;
  /** Contracts filled since start, hundredths. */
  readonly filledCount: number;
  /** Why the last cycle did not quote one or both sides (risk halts and strategy withholds). */
  readonly reasons: readonly string[];
  readonly diagnostics?: QuoteDiagnostics;
  readonly lastQuoteMs?: number;
  /** Requote cycles run since start. */
  readonly cycles: number;
  readonly health: MakerHealth;
}

/** Receives a maker's fills and order-manager events; called synchronously, must be quick. */
export interface MakerListener {
  onFill?(fill: Fill): void;
  onOrderEvent?(event: OrderLogEvent): void;
  /** An error was caught in this market's cycle (it keeps running unless the error is an invariant). */
  onError?(ticker: string, error: unknown): void;
}

/** Construction options of a `MarketMaker`. Only port, clock, logger, ticker and params are required. */
export interface MarketMakerOptions {
  readonly port: ExchangePort;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly ticker: string;
  readonly params: MakerParams;
  /** Shared by all makers of a run; default a fresh one with run id `run`. */
  readonly ids?: ClientOrderIds;
  /** Shared by all makers so portfolio limits see every market; default a private one. */
  readonly risk?: RiskManager;
  /** Market-data cache; default a private one. The maker applies its market's events to it. */
  readonly cache?: MarketDataCache;
  readonly marketState?: MarketStateOptions;
  readonly timings?: Partial<MakerTimings>;
  readonly listener?: MakerListener;
  /** Adopt/cancel the market's resting orders on start (default true). */
  readonly reconcileOnStart?: boolean;
  /** Load this market's position from `getPositions` on start and after a reconnect (default true; the supervisor does it for all). */
  readonly syncPosition?: boolean;
  readonly foreignOrders?: ForeignOrderPolicy;
  readonly retry?: RetryPolicy;
  /** Kalshi order group every create of this maker joins (kalshi-api.md §9); absent = none. */
  readonly orderGroupId?: string;
}

/** What `stop` left behind. */
export interface StopResult {
  /** Our orders of this market still resting after the cancels (0 unless cancels kept failing). */
  readonly restingLeft: number;
}
