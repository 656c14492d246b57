/** Types of the supervisor: options, parameters, timings, status snapshots and the listener. */
import type { Clock, ExchangePort, Fill, Logger } from '../core/index.js';
import type { MarketStateOptions } from '../marketdata/index.js';
import type { ClientOrderIds, ForeignOrderPolicy, OrderLogEvent } from '../orders/index.js';
import type { KillSwitchState, MarketRiskFigures, RiskManager } from '../risk/index.js';
import type { InheritedMarket } from './inherit.js';
import type { OrderGroupSettings, OrderGroupStatus } from './order-group-guard.js';
import type { PositionCheckStatus } from './position-reconcile.js';
import type { SelectionParams, SelectionResult } from './selection.js';
import type { UnwindEntry } from './unwind.js';
import type { MakerParams, MakerStatus, MakerTimings } from './types.js';

/**
 * Everything the bot needs: the maker's parameters, the selection's (filters included), and the
 * refresh interval. The trading config (`config/TradingConfig`) has every field with the same name and
 * unit, so the composition root passes the config object itself.
 */
export interface BotParams extends MakerParams, SelectionParams, SupervisorPolicy {
  /** How often the selection is re-run, ms. */
  readonly marketRefreshIntervalMs: number;
}

/**
 * What happens to a market that leaves the selection while we hold a position in it:
 *  - `unwind`: its maker stays, quoting only the side that reduces the position (at most its size,
 *    at the strategy's price for that side) until flat, `unwindDeadlineMs` or the stop before close;
 *  - `keep`: its maker keeps quoting both sides as before, with the same three ends;
 *  - `cancel`: its quotes are cancelled at once and the position is held (to settlement, or until the
 *    market is selected again).
 */
export type DropPolicy = 'unwind' | 'keep' | 'cancel';

/** The supervisor's trading-config fields besides selection and maker (`config/schema.ts`). */
export interface SupervisorPolicy {
  /** First rescan delay while fewer than `maxMarkets` markets score above 0, doubled per rescan up to `marketRefreshIntervalMs`, ms. */
  readonly selectRescanBackoffMs: number;
  readonly dropPolicy: DropPolicy;
  /** Longest unwind (or keep) of a dropped market, ms. */
  readonly unwindDeadlineMs: number;
  /** How often positions are compared with the exchange's, ms. */
  readonly positionReconcileIntervalMs: number;
}

/**
 * The trading config's defaults of `SupervisorPolicy`, for callers without a config (tests, tools);
 * a config test checks they equal the schema's.
 */
export const DEFAULT_SUPERVISOR_POLICY: SupervisorPolicy = {
  selectRescanBackoffMs: 5_000,
  dropPolicy: 'unwind',
  unwindDeadlineMs: 900_000,
  positionReconcileIntervalMs: 60_000,
};

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
  /** A position mismatch is adopted only if a second read this much later confirms it, ms. Default 2 000. */
  readonly positionConfirmDelayMs: number;
}

/** Default supervisor timings. */
export const DEFAULT_SUPERVISOR_TIMINGS: SupervisorTimings = {
  statusIntervalMs: 1_000,
  exchangeStatusIntervalMs: 30_000,
  shutdownRounds: 5,
  shutdownRetryDelayMs: 250,
  positionConfirmDelayMs: 2_000,
};

/** Where the bot is in its life. */
export type SupervisorState = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

/** One traded market in the bot's status: the maker's status plus its selection score. */
export interface MarketStatusEntry extends MakerStatus {
  readonly score?: number;
  /** Set while the market, dropped from the selection, is unwound or kept (`dropPolicy`). */
  readonly unwind?: UnwindEntry;
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
    /** Today's (UTC) PnL, $0.0001: this run's plus `earlierDailyPnl`. */
    readonly dailyPnl: number;
    /** The part of `dailyPnl` made by earlier runs today (their journaled checkpoints), $0.0001. */
    readonly earlierDailyPnl: number;
    /** Σ |position|, hundredths of a contract. */
    readonly absPosition: number;
    readonly fills: number;
    readonly restingOrders: number;
  };
  readonly killSwitch: KillSwitchState;
  /** Periodic comparisons of our positions with the exchange's (mismatches adopted). */
  readonly positionChecks?: PositionCheckStatus;
  readonly selection?: { readonly atMs: number; readonly scanned: number; readonly candidates: number; readonly rejected: Readonly<Record<string, number>> };
  readonly errors: number;
  readonly lastError?: string;
  /** Positions found in markets the selection does not pick, and what `dropPolicy` made of them (inherit.ts). */
  readonly inherited?: readonly InheritedMarket[];
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
  /** The shutdown began (before any cancel): what must survive a crash during it is written here. */
  onStopping?(reason: string): void;
  onShutdown?(report: ShutdownReport): void;
}

/** Construction options of a `Supervisor`. */
export interface SupervisorOptions {
  readonly port: ExchangePort;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly params: BotParams;
  readonly ids: ClientOrderIds;
  /** Shared risk; default one built from `params`. */
  readonly risk?: RiskManager;
  /**
   * PnL ($0.0001) earlier runs made on the UTC day of `atMs` (their journaled checkpoints): it counts
   * toward that day's loss limit, and positions found at start count from their first mark (the earlier
   * runs' checkpoints hold their moves until then).
   */
  readonly earlierDailyPnl?: { readonly atMs: number; readonly pnl: number };
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

/**
 * The shutdown reason of the daily loss limit. `kalshi-mm run` journals such a stop and refuses to
 * start again the same UTC day, so a restart does not bring a fresh loss budget.
 */
export const DAILY_LOSS_STOP_REASON = 'daily loss limit reached';
