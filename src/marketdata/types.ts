/** Types shared by the market-data folder and its readers (strategy, risk, bot). */
import type { Count, FeeSchedule, MarketStatus, Price, TickGrid } from '../core/index.js';

/** Parameters of a `MarketState` (the trading config carries them; see `config/schema.ts`). */
export interface MarketStateOptions {
  /** Window of the classic trade-price standard deviation, ms (60 000 in the original design). */
  readonly volWindowMs: number;
  /** A market with no event for longer than this is stale, ms. */
  readonly staleAfterMs: number;
  /** Half-life of the log-odds EWMA volatility, seconds. */
  readonly ewmaHalfLifeSec: number;
  /** Starting log-odds σ, per √second. */
  readonly sigmaPriorLogOddsPerSqrtSec: number;
  /** Lowest log-odds σ, per √second. */
  readonly sigmaFloorLogOddsPerSqrtSec: number;
  /** Prior κ of the arrival intensity, per cent. */
  readonly kappaPriorPerCent: number;
  /** Prior A of the arrival intensity, trades per second. */
  readonly arrivalPriorPerSec: number;
  /** Weight of the κ and A priors, pseudo-trades. */
  readonly intensityPriorWeight: number;
  /** Half-life of the intensity estimate, seconds. */
  readonly intensityHalfLifeSec: number;
}

/** Defaults matching the config schema's defaults. */
export const DEFAULT_MARKET_STATE_OPTIONS: MarketStateOptions = {
  volWindowMs: 60_000,
  staleAfterMs: 120_000,
  ewmaHalfLifeSec: 600,
  sigmaPriorLogOddsPerSqrtSec: 0.005,
  sigmaFloorLogOddsPerSqrtSec: 0.001,
  kappaPriorPerCent: 1.5,
  arrivalPriorPerSec: 0.01,
  intensityPriorWeight: 10,
  intensityHalfLifeSec: 1_800,
};

/**
 * Everything the strategy and risk read about one market at one instant. Prices are in core `Price`
 * units ($0.0001; `mid`, `spread`, `microPrice` may be fractional); volatility is in the unit its
 * name states.
 */
export interface MarketSnapshot {
  readonly ticker: string;
  readonly nowMs: number;
  readonly grid: TickGrid;
  readonly fees: FeeSchedule;
  /** True once REST metadata (grid, fees, close time) was loaded. */
  readonly hasMetadata: boolean;
  readonly closeTimeMs?: number;
  readonly status?: MarketStatus;
  readonly bestBid?: Price;
  readonly bestAsk?: Price;
  readonly bestBidSize: Count;
  readonly bestAskSize: Count;
  /** (bestBid + bestAsk) / 2, Price units; absent when a side is empty or the book is invalid. */
  readonly mid?: number;
  /** bestAsk − bestBid, Price units. */
  readonly spread?: number;
  /** Size-weighted micro-price, Price units. */
  readonly microPrice?: number;
  /** Classic σ: sample std dev of trade prices in the vol window, cents (cached when < 2 trades). */
  readonly tradeStdDevCents?: number;
  /** Trades inside the vol window. */
  readonly tradesInVolWindow: number;
  /** EWMA σ of mid changes in log-odds, per √second (≥ floor). */
  readonly sigmaLogOddsPerSqrtSec: number;
  /** Estimated κ of λ(δ) = A·e^(−κδ), per cent (prior-shrunk). */
  readonly kappaPerCent: number;
  /** Estimated A, trades per second (prior-shrunk). */
  readonly arrivalPerSec: number;
  /** Discounted number of trades behind κ and A. */
  readonly effectiveTrades: number;
  readonly volume24h: Count;
  readonly volume1h: Count;
  /** 1 h volume whose aggressor bought YES. */
  readonly buyVolume1h: Count;
  /** 1 h volume whose aggressor sold YES. */
  readonly sellVolume1h: Count;
  readonly high1h?: Price;
  readonly low1h?: Price;
  readonly lastUpdateMs?: number;
  /** True when the market must not be quoted; `staleReason` says why. */
  readonly stale: boolean;
  readonly staleReason?: string;
}
