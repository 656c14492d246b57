/**
 * The crash-safe journal of live runs: the SQLite `Journal`, the `JournaledPort` decorator that writes
 * every order intent before it is sent, and start-up reconciliation with the exchange.
 */
export { Journal, type JournalEvent, type JournalOrder, type JournalOrderStatus } from './journal.js';
export { JournaledPort, type LatencySummary } from './journaled-port.js';
export { reconcileJournal, type JournalReconcileOptions, type JournalReconcileReport } from './reconcile.js';
