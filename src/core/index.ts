/** The public surface of core: money, grids, fees, domain types, the exchange port, clock, rng, logger. */
export * from './errors.js';
export * from './money.js';
export * from './decimal.js';
export * from './tick-grid.js';
export * from './fees.js';
export * from './collateral.js';
export * from './types.js';
export * from './port.js';
export * from './clock.js';
export * from './rng.js';
export * from './book.js';
export * from './logger.js';
