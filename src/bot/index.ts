/**
 * The bot: the per-market `MarketMaker` (event-driven: risk → market data → quotes → diff → fills),
 * market selection by opportunity score, and the `Supervisor` that runs many makers on one event
 * stream with dynamic subscriptions and a safe shutdown. Pure: all I/O goes through the port.
 */
export * from './types.js';
export * from './supervisor-types.js';
export { MarketMaker } from './maker.js';
export {
  scanMarkets,
  scoreMarket,
  fillUnscored,
  RescanBackoff,
  rankCandidates,
  rejectReason,
  tradeStats,
  DEFAULT_SELECTION_FILTERS,
  type Candidate,
  type ScanOptions,
  type SelectionFilters,
  type SelectionParams,
  type SelectionResult,
  type TradeStats,
} from './selection.js';
export { Supervisor } from './supervisor.js';
export { OrderGroupGuard, createOrderGroupGuard, type OrderGroupGuardOptions, type OrderGroupSettings, type OrderGroupStatus } from './order-group-guard.js';
export { reduceOnlyQuotes, unwindEnd, unwindLabel, type UnwindEnd, type UnwindEntry } from './unwind.js';
export { inheritedLabel, planInherited, type InheritedHandling, type InheritedMarket } from './inherit.js';
export { PositionReconciler, type PositionCheckStatus, type PositionMismatch, type ReconcileOutcome } from './position-reconcile.js';
