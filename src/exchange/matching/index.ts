/**
 * The public surface of the matching engine (STYLE.md §2: used by the local exchange server, the
 * in-process LocalPort and the backtester; there is no second matcher).
 *
 * - `MatchingEngine`: markets, accounts, orders (create/amend/decrease/cancel), matching with
 *   price-time priority, collateral, fees (core/fees.ts), positions, settlement, and synchronous
 *   `EngineEvent`s for subscribers. Rejections throw `EngineRejection` (an `OrderRejectedError` whose
 *   `reason` is Kalshi's error code and `status` its HTTP status).
 * - `OrderBook`: the generic price-time book the engine uses, reusable by the backtester.
 * - Rules, collateral and fee rounding are listed in docs/exchange-engine.md.
 */
export * from './types.js';
export * from './errors.js';
export * from './order-book.js';
export * from './engine.js';
/** The engine's ledger (accounts, collateral, fee-rounded fill booking), for the backtest's simulated account. */
export { AccountState, bookFill, checkBalance, feeReserve, marketLock, positionView, refreshLock, trackResting, type FillOutcome, type LockedOrder } from './ledger.js';
