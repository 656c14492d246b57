/**
 * Orders: desired quotes vs our live orders → the fewest exchange actions (`planActions`), the
 * per-market `OrderManager` that sends them with deterministic client ids and retries, and
 * reconciliation with the exchange's view. Imports only core.
 */
export * from './types.js';
export { planActions } from './plan.js';
export { ClientOrderIds, CLIENT_ORDER_ID_PREFIX, isOwnClientOrderId, tickerHash } from './client-ids.js';
export { withRetry, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
export { OrderManager, type OrderManagerOptions, type ReconcileResult, type ForeignOrderPolicy } from './order-manager.js';
export { describeError, type OrderLogEvent, type OrderLogListener } from './log-events.js';
