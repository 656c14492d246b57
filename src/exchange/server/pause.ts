/**
 * Exchange-wide pauses (kalshi-api.md §12): a trading pause refuses new orders and amends but keeps
 * resting orders, except those placed with `cancel_order_on_pause`, which are cancelled when the
 * pause begins (`HaltCancel` on Kalshi; reported here as an owner cancel). An exchange pause also
 * refuses cancels.
 */
import type { ExchangeSwitches } from './context.js';
import type { MatchingEngine } from '../matching/index.js';

/** Sets the switches; when trading stops, cancels every resting order marked cancel-on-pause. Returns how many were cancelled. */
export function setExchangeSwitches(engine: MatchingEngine, switches: ExchangeSwitches, change: Partial<ExchangeSwitches>): number {
  const wasTrading = switches.exchangeActive && switches.tradingActive;
  if (change.tradingActive !== undefined) switches.tradingActive = change.tradingActive;
  if (change.exchangeActive !== undefined) switches.exchangeActive = change.exchangeActive;
  const isTrading = switches.exchangeActive && switches.tradingActive;
  if (!wasTrading || isTrading) return 0;
  let cancelled = 0;
  for (const accountId of engine.accountIds()) {
    for (const order of engine.listOrders(accountId)) {
      if (order.status !== 'resting' || !order.cancelOnPause) continue;
      try {
        engine.cancelOrder(accountId, order.orderId);
        cancelled++;
      } catch {
        // The market closed meanwhile; the engine already cancelled its orders.
      }
    }
  }
  return cancelled;
}
