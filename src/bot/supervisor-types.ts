/** Types of the supervisor: parameters, timings, status snapshots and the listener. */
import type { Fill } from '../core/index.js';
import type { OrderLogEvent } from '../orders/index.js';
import type { KillSwitchState, MarketRiskFigures } from '../risk/index.js';
import type { OrderGroupStatus } from './order-group-guard.js';
import type { SelectionParams, SelectionResult } from './selection.js';
import type { MakerParams, MakerStatus } from './types.js';

/**
 * Everything the bot needs: the maker's parameters, the selection's (filters included), and the
 * refresh interval. The trading config (`config/TradingConfig`) has every field with the same name and
 * unit, so the composition root passes the config object itself.
 */
export interface BotParams extends MakerParams, SelectionParams {
  /** How often the selection is re-run, ms. */
  readonly marketRefreshIntervalMs: number;
}

/** Timings of the supervisor's housekeeping. */
export interface SupervisorTimings {
  /** Status snapshots (and kill-switch / loss-limit checks), ms. Default 1 000. */
  readonly statusIntervalMs: number;
  /** Exchange status polls (pauses), ms. Default 30 000. */
  readonly exchangeStatusIntervalMs: number;
  /** Rounds of cancel-all + verify at shutdown. Default 5. */
  readonly shutdownRounds: number;
  /** Delay after the first failed verification round, doubled each round, ms. Default 250. */
  readonly shutdownRetryDelayMs: number;
}

/** Default supervisor timings. */
export const DEFAULT_SUPERVISOR_TIMINGS: SupervisorTimings = {
  statusIntervalMs: 1_000,
  exchangeStatusIntervalMs: 30_000,
  shutdownRounds: 5,
  shutdownRetryDelayMs: 250,
};

/** Where the bot is in its life. */
export type SupervisorState = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

/** One traded market in the bot's status: the maker's status plus its selection score. */
export interface MarketStatusEntry extends MakerStatus {
  readonly score?: number;
}

/** A snapshot of the whole bot for the status table, the dashboard and the journal. */
export interface BotStatus {
  readonly nowMs: number;
  readonly state: SupervisorState;
  /** The event stream is connected. */
  readonly connected: boolean;
  /** The exchange allows trading (false = paused: the bot waits). */
  readonly tradingActive: boolean;
  readonly markets: readonly MarketStatusEntry[];
  /** Markets no longer traded that still hold a position (risk keeps counting them). */
  readonly retired: readonly MarketRiskFigures[];
  readonly totals: {
    /** Σ realized + marked − fees, $0.0001. */
    readonly pnl: number;
    /** Today's (UTC) PnL, $0.0001. */
    readonly dailyPnl: number;
    /** Σ |position|, hundredths of a contract. */
    readonly absPosition: number;
    readonly fills: number;
    readonly restingOrders: number;
  };
  readonly killSwitch: KillSwitchState;
  readonly selection?: { readonly atMs: number; readonly scanned: number; readonly candidates: number; readonly rejected: Readonly<Record<string, number>> };
  readonly errors: number;
  readonly lastError?: string;
  /** The run's Kalshi order group (exchange-side circuit breaker), when one is configured. */
  readonly orderGroup?: OrderGroupStatus;
}

/** What `shutdown` did. */
export interface ShutdownReport {
  readonly reason: string;
  /** Resting orders found at the last verification: 0 on success, −1 when it never succeeded. */
  readonly restingLeft: number;
  /** Makers stopped. */
  readonly markets: number;
  readonly atMs: number;
}

/** Receives the bot's updates; every method is optional and called synchronously (keep it quick). */
export interface SupervisorListener {
  onStatus?(status: BotStatus): void;
  onFill?(fill: Fill): void;
  onOrderEvent?(event: OrderLogEvent): void;
  onSelection?(result: SelectionResult): void;
  onError?(ticker: string, error: unknown): void;
  onShutdown?(report: ShutdownReport): void;
}
