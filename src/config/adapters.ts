/**
 * The config's fields already match `StrategyParams` (strategy/) and `RiskLimits` (risk/) by name and
 * unit, so the config object is passed to them as is. The market-data options use prior names of
 * their own; this maps them.
 */
import type { TradingConfig } from './schema.js';

/** The market-data state options, in the shape `marketdata/MarketStateOptions` expects. */
export interface MarketStateOptionsFromConfig {
  readonly volWindowMs: number;
  readonly staleAfterMs: number;
  readonly ewmaHalfLifeSec: number;
  readonly sigmaPriorLogOddsPerSqrtSec: number;
  readonly sigmaFloorLogOddsPerSqrtSec: number;
  readonly kappaPriorPerCent: number;
  readonly arrivalPriorPerSec: number;
  readonly intensityPriorWeight: number;
  readonly intensityHalfLifeSec: number;
}

/** Returns the market-data options of a config: κ and GLFT A serve as the priors of the online estimates. */
export function marketStateOptions(config: TradingConfig): MarketStateOptionsFromConfig {
  return {
    volWindowMs: config.volWindowMs,
    staleAfterMs: config.staleAfterMs,
    ewmaHalfLifeSec: config.ewmaHalfLifeSec,
    sigmaPriorLogOddsPerSqrtSec: config.sigmaPriorLogOddsPerSqrtSec,
    sigmaFloorLogOddsPerSqrtSec: config.sigmaFloorLogOddsPerSqrtSec,
    kappaPriorPerCent: config.kappa,
    arrivalPriorPerSec: config.glftArrivalRatePerSec,
    intensityPriorWeight: config.intensityPriorWeight,
    intensityHalfLifeSec: config.intensityHalfLifeSec,
  };
}
