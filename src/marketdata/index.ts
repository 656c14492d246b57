/**
 * Market data: per-market state fed by `PortEvent`s (book, top of book, mid, spread, micro-price,
 * volatility, arrival intensity, volume, staleness), the cache that routes events, and the REST
 * fallback. Pure: no I/O beyond the port it is handed, time injected.
 */
export * from './types.js';
export { MarketState, microPrice } from './market-state.js';
export { MarketDataCache } from './cache.js';
export { refreshMarket, type RefreshOptions, type RefreshResult } from './refresh.js';
export { sampleStdDev, RollingTradeStdDev, LogOddsEwmaVolatility, type LogOddsEwmaOptions } from './volatility.js';
export { IntensityEstimator, type IntensityEstimate, type IntensityOptions } from './intensity.js';
export { RollingVolume, VOLUME_BUCKET_MS, type VolumeFigures } from './volume.js';
export { logit, sigmoid, clampProbability, PROBABILITY_EPSILON } from './log-odds.js';
