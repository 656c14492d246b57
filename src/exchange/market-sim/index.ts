/**
 * The public surface of the market generator: a universe of markets with hidden fair values and
 * background agents trading on a MatchingEngine, driven by time (`advanceTo`), for the live local
 * exchange (real clock × speed) and for offline synthesis (`runOffline`, ManualClock).
 */
export * from './universe.js';
export * from './simulator.js';
export * from './offline.js';
