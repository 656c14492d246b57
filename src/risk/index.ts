/**
 * Risk: position and exposure limits, volatility-adaptive sizing, loss limits, the kill switch and
 * the stop before close. Pure and synchronous; the maker calls `RiskManager.check` and `sizeQuotes`
 * every cycle.
 */
export * from './types.js';
export { RiskManager, fillCashFlow, markableSpread, type RiskManagerOptions } from './risk-manager.js';
export { MarketLedger } from './ledger.js';
export {
  VolatilityCache,
  volatilitySizeMultiplier,
  priceSigmaCentsPerSqrtSec,
  sideCapacity,
  largestAffordable,
  type CapacityInput,
} from './sizing.js';
export { quoteCollateral, sideLock, type CollateralContext, type QuoteTerms } from './side-collateral.js';
