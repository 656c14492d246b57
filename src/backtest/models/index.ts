/** Simulation models of the backtest: queue position, latency, fees. */
export * from './queue.js';
export * from './latency.js';
export * from './fees.js';
export * from './cross.js';
