/** Types of the risk folder. Dollar limits are plain numbers in dollars (config); money inside is integer. */
import type { BookSide, Count, DesiredQuotes, Price } from '../core/index.js';

/**
 * Risk limits. The trading config (`config/`) has every field with the same name and unit, so the
 * maker passes the config object itself.
 */
export interface RiskLimits {
  /** Contracts per quote before volatility scaling. */
  readonly quoteSizeContracts: number;
  /** Largest |position| in one market, contracts. */
  readonly maxPositionContracts: number;
  /** Largest dollars at risk in one market (cost of the contracts held), dollars. */
  readonly maxMarketExposureDollars: number;
  /** Largest Σ|position| over all markets, contracts. */
  readonly maxPortfolioContracts: number;
  /** Largest Σ dollars at risk over all markets, dollars. */
  readonly maxPortfolioExposureDollars: number;
  /** A market whose PnL (realized + marked − fees) falls to −this stops quoting, dollars. */
  readonly maxLossPerMarketDollars: number;
  /** When the day's PnL falls to −this, every market stops quoting until the next UTC day, dollars. */
  readonly maxDailyLossDollars: number;
  /** No quoting within this time of close, ms. */
  readonly stopBeforeCloseMs: number;
  /**
   * A book wider than this (best ask − best bid, cents) marks no position: its mid is no price (a book
   * swept to its 1¢ / 99¢ backstops reads 50¢), and a loss limit tripped by it would latch. The
   * strategy's field of the same name: such a book is not quoted either.
   */
  readonly maxMarketSpreadCents: number;
  /** How long a market's sizing volatility is reused before it is recomputed, ms. */
  readonly volCacheTtlMs: number;
  /** β in size = base × (σ_ref / σ)^β; 0 = fixed size. */
  readonly sizeVolScaling: number;
  /** σ_ref, where the size multiplier is 1, cents per √second. */
  readonly sizeVolReferenceCentsPerSqrtSec: number;
  /** Lowest size multiplier. */
  readonly minSizeMultiplier: number;
  /** Highest size multiplier. */
  readonly maxSizeMultiplier: number;
  /**
   * Whether the maker's orders are post-only (the config's `postOnly`). An order that is not post-only
   * may take on arrival, and the exchange then also holds its taker fee reserve.
   */
  readonly postOnly: boolean;
}

/**
 * One of our orders in a market as the maker knows it (the order manager's `LiveOrder` fits): its
 * terms count toward the collateral the exchange holds while it rests or a request on it is in flight.
 */
export interface RestingOrder {
  readonly side: BookSide;
  readonly price: Price;
  /** Contracts still resting, hundredths. */
  readonly remaining: Count;
  /** The request on this order still unanswered, if any (a cancelling order locks until it lands). */
  readonly inFlight?: 'create' | 'amend' | 'decrease' | 'cancel';
}

/** Why a market may not be quoted. */
export type HaltReason = 'kill_switch' | 'daily_loss_limit' | 'market_loss_limit' | 'near_close' | 'market_closed' | 'stale_market';

/** Result of `RiskManager.check`. */
export interface RiskCheck {
  /** True when new quotes may be placed in this market. */
  readonly canQuote: boolean;
  /** True when this market's resting orders must be cancelled now. */
  readonly cancelOrders: boolean;
  /** True when every resting order of the account must be cancelled (kill switch). */
  readonly cancelAll: boolean;
  readonly reasons: readonly HaltReason[];
}

/** Why a side's size was cut to zero (or reduced). */
export type SizeCutReason =
  | 'position_limit'
  | 'market_exposure_limit'
  | 'portfolio_contract_limit'
  | 'portfolio_exposure_limit'
  | 'balance'
  | 'below_one_contract';

/** Result of `RiskManager.sizeQuotes`. */
export interface SizedQuotes {
  /** The quotes with sizes cut; a side cut to zero is removed. */
  readonly quotes: DesiredQuotes;
  /** Multiplier applied to the base size from volatility. */
  readonly sizeMultiplier: number;
  /** σ used for sizing, cents per √second. */
  readonly sigmaCentsPerSqrtSec: number;
  /** The binding limit of each side, when one cut it. */
  readonly bidCut?: SizeCutReason;
  readonly askCut?: SizeCutReason;
}

/** State of the kill switch. */
export interface KillSwitchState {
  readonly tripped: boolean;
  readonly reason?: string;
  readonly atMs?: number;
}

/** Per-market accounting figures (Cash units of $0.0001 as plain numbers). */
export interface MarketRiskFigures {
  readonly ticker: string;
  /** Signed position, hundredths of a contract. */
  readonly position: number;
  /** Cost of the open position (dollars at risk), $0.0001. */
  readonly exposure: number;
  /** Realized PnL before fees, $0.0001. */
  readonly realizedPnl: number;
  /** Marked PnL of the open position at the last mark, $0.0001. */
  readonly unrealizedPnl: number;
  /** Fees paid, $0.0001. */
  readonly fees: number;
  /** realized + unrealized − fees, $0.0001. */
  readonly totalPnl: number;
  readonly halted: boolean;
}

/** Defaults, equal to the config schema's. */
export const DEFAULT_RISK_LIMITS: RiskLimits = {
  quoteSizeContracts: 10,
  maxPositionContracts: 100,
  maxMarketExposureDollars: 100,
  maxPortfolioContracts: 500,
  maxPortfolioExposureDollars: 500,
  maxLossPerMarketDollars: 50,
  maxDailyLossDollars: 200,
  stopBeforeCloseMs: 300_000,
  maxMarketSpreadCents: 30,
  volCacheTtlMs: 30_000,
  sizeVolScaling: 0.5,
  sizeVolReferenceCentsPerSqrtSec: 0.1,
  minSizeMultiplier: 0.25,
  maxSizeMultiplier: 2,
  postOnly: true,
};
