/**
 * Types of the quoting strategies. Units are fixed once for the whole folder (docs/strategy.md §1):
 * model prices in cents (0–100, floats), γ per cent (risk aversion per ¢ of wealth), κ per cent
 * (λ falls by e per ¢ of distance), σ in cents per √second, time in seconds, A in trades per second.
 * Inventory q is in contracts in the textbook mode and in lots (position ÷ quote size) in the binary
 * and GLFT modes.
 */
import type { Count, DesiredQuotes } from '../core/index.js';
import type { MarketSnapshot } from '../marketdata/index.js';

/** The three quoting models. */
export type StrategyMode = 'textbook' | 'binary' | 'glft';

/** Which σ estimate feeds the model; `auto` = trade std dev for textbook, log-odds EWMA otherwise. */
export type SigmaEstimator = 'auto' | 'trade_stdev' | 'log_odds_ewma';

/**
 * Strategy parameters. The trading config (`config/`) has every one of these fields with the same
 * name and unit, so the maker passes the config object itself.
 */
export interface StrategyParams {
  readonly mode: StrategyMode;
  /** γ, risk aversion, per cent. */
  readonly gamma: number;
  /** κ, order-arrival decay, per cent (the prior when `estimateKappa`). */
  readonly kappa: number;
  /** Use the market's online κ (and A) estimate instead of the fixed values. */
  readonly estimateKappa: boolean;
  readonly sigmaEstimator: SigmaEstimator;
  /**
   * Shrinkage of the trade std dev toward the log-odds σ, in pseudo degrees of freedom w:
   * σ² = (n − 1)·s² / (n − 1 + w) + w·σ₀² / (n − 1 + w), n trades in the window. 0 = the classic σ exactly.
   */
  readonly tradeSigmaPriorWeight: number;
  /** A fixed σ in cents per √second; absent = estimate it. */
  readonly fixedSigmaCentsPerSqrtSec?: number | undefined;
  /** Classic volatility window (the trade std dev is σ over this window), ms. */
  readonly volWindowMs: number;
  /** T − t of the textbook mode, seconds. */
  readonly textbookHorizonSec: number;
  /** Longest horizon of the binary mode's variance term (τ = min(close − now, this)), seconds. */
  readonly riskHorizonSec: number;
  /** Contracts per quote (also the lot of the binary and GLFT inventory). */
  readonly quoteSizeContracts: number;
  /** Narrowest total model spread, cents. */
  readonly minSpreadCents: number;
  /** Least distance of a quote from the fair price beyond fees, cents. */
  readonly minEdgeCents: number;
  /** Add the maker fee and, for the side that adds inventory, the taker fee to unwind, to the edge. */
  readonly feeAware: boolean;
  /** Share of the taker fee to unwind counted in the edge: 1 = unwind by taking, 0 = unwind passively. */
  readonly unwindFeeFraction: number;
  /** Quotes must not cross the opposite best. */
  readonly postOnly: boolean;
  /** Fair price = micro-price (true) or mid (false). */
  readonly useMicroPrice: boolean;
  /** No quotes within this time of close, ms. */
  readonly stopBeforeCloseMs: number;
  /** Binary mode: the spread widens linearly over this window before close, ms. */
  readonly widenBeforeCloseMs: number;
  /** Binary mode: extra spread at close as a multiple of the model spread (1 = doubled). */
  readonly closeWideningFactor: number;
  /** GLFT: A when not estimated, trades per second. */
  readonly glftArrivalRatePerSec: number;
  /** GLFT: inventory bound Q, lots; the side that would pass it is not quoted. */
  readonly glftMaxInventoryLots: number;
  /**
   * Widest spread of others' book (our orders taken out) that is quoted, cents. A wider book, like a
   * one-sided one, has no mid worth quoting around (a hollow book's 1¢ × 99¢ backstops read as 50¢).
   */
  readonly maxMarketSpreadCents: number;
  /** Lowest price quoted, cents. */
  readonly minPriceCents: number;
  /** Highest price quoted, cents. */
  readonly maxPriceCents: number;
}

/** Why a side is not quoted. */
export type WithholdReason =
  | 'stale_market'
  | 'market_not_active'
  | 'no_two_sided_book'
  | 'wide_market'
  | 'no_close_time'
  | 'near_close'
  | 'inventory_bound'
  | 'below_min_price'
  | 'above_max_price'
  | 'crossed_after_rounding';

/** What one quote computation saw and decided, for logs, the dashboard and tests. */
export interface QuoteDiagnostics {
  readonly mode: StrategyMode;
  /** Fair price used (mid or micro-price), cents. */
  readonly fairCents?: number;
  /** Reservation price r, cents. */
  readonly reservationCents?: number;
  /** Total model spread δ (after floors and widening), cents. */
  readonly spreadCents?: number;
  /** σ fed to the model, cents per √second. */
  readonly sigmaCentsPerSqrtSec?: number;
  /** The variance term (σ²·(T − t), bounded in the binary mode), cents². */
  readonly varianceCents2?: number;
  /** T − t used, seconds (absent for GLFT). */
  readonly horizonSec?: number;
  readonly kappaPerCent?: number;
  /** Inventory in the model's unit (contracts or lots). */
  readonly inventory: number;
  /** Model prices before the grid, cents. */
  readonly modelBidCents?: number;
  readonly modelAskCents?: number;
  /** Least edge required from the fair price per side (fees + minimum), cents. */
  readonly bidEdgeCents?: number;
  readonly askEdgeCents?: number;
  readonly bidWithheld?: WithholdReason;
  readonly askWithheld?: WithholdReason;
}

/** Input of one quote computation. */
export interface QuoteInput {
  readonly snapshot: MarketSnapshot;
  /** Signed position: positive long YES, negative long NO. */
  readonly position: Count;
}

/** Desired quotes plus what led to them. */
export interface QuoteDecision {
  readonly quotes: DesiredQuotes;
  readonly diagnostics: QuoteDiagnostics;
}

/** Model output in cents before the grid (a side may be withheld by the model). */
export interface ModelQuotes {
  readonly reservationCents: number;
  readonly spreadCents: number;
  readonly bidCents?: number;
  readonly askCents?: number;
  readonly bidWithheld?: WithholdReason;
  readonly askWithheld?: WithholdReason;
}

/** Defaults, equal to the config schema's. */
export const DEFAULT_STRATEGY_PARAMS: StrategyParams = {
  mode: 'binary',
  gamma: 0.1,
  kappa: 1.5,
  estimateKappa: false,
  sigmaEstimator: 'auto',
  tradeSigmaPriorWeight: 3,
  volWindowMs: 60_000,
  textbookHorizonSec: 60,
  riskHorizonSec: 900,
  quoteSizeContracts: 10,
  minSpreadCents: 1,
  minEdgeCents: 0.25,
  feeAware: true,
  unwindFeeFraction: 1,
  postOnly: true,
  useMicroPrice: false,
  stopBeforeCloseMs: 300_000,
  widenBeforeCloseMs: 3_600_000,
  closeWideningFactor: 1,
  glftArrivalRatePerSec: 0.01,
  glftMaxInventoryLots: 5,
  maxMarketSpreadCents: 30,
  minPriceCents: 1,
  maxPriceCents: 99,
};
