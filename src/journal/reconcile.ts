/**
 * Start-up reconciliation of the journal with the exchange (after a clean stop or a kill -9):
 *  1. Orders: every journaled intent/resting order is looked up among the exchange's resting orders
 *     (by order id or client order id) and marked resting, done or lost. Every resting order that
 *     kalshi-mm made (its client id prefix) is an orphan of an earlier run: it is cancelled, so no order
 *     rests that the bot does not know; the makers quote afresh. Orders not made by kalshi-mm are left.
 *  2. Fills: fills since the last journaled one (minus a margin) are read from the exchange and
 *     journaled once each (unique by trade id + order id): none lost, none counted twice.
 *  3. Positions: journal (baseline + fills) against the exchange; differences are reported. The
 *     exchange is the truth the bot trades from (risk syncs to its positions and realized PnL).
 */
import type { Clock, ExchangePort, Logger, Order } from '../core/index.js';
import { isOwnClientOrderId } from '../orders/index.js';
import type { Journal } from './journal.js';

/** What reconciliation found and did. */
export interface JournalReconcileReport {
  /** The earlier run ended without a clean stop. */
  readonly crashed: boolean;
  readonly openJournalOrders: number;
  /** Our resting orders found on the exchange and cancelled. */
  readonly orphansCancelled: number;
  /** Orders cancelled that the journal did not know at all. */
  readonly unknownOrders: number;
  /** Journaled intents the exchange never reported (never sent, or gone): marked lost. */
  readonly lostIntents: number;
  /** Fills read from the exchange that the journal did not have. */
  readonly fillsRecovered: number;
  readonly journalFills: number;
  /** Markets where journal and exchange positions differ (hundredths). */
  readonly positionMismatches: readonly { readonly ticker: string; readonly journal: number; readonly exchange: number }[];
}

/** Options of `reconcileJournal`. */
export interface JournalReconcileOptions {
  readonly journal: Journal;
  readonly port: ExchangePort;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Fills this far before the last journaled one are re-read, ms. Default 60 000. */
  readonly fillMarginMs?: number;
}

/**
 * Reconciles (see the file comment) and returns the report.
 * @throws the port's error when open orders, fills or positions cannot be read (nothing was sent yet).
 */
export async function reconcileJournal(options: JournalReconcileOptions): Promise<JournalReconcileReport> {
  const { journal, port, clock, logger } = options;
  const crashed = journal.unfinishedRun() !== undefined;
  const open = journal.openOrders();
  const resting = await port.getOrders({ status: 'resting' });
  const byOrderId = new Map(resting.map((o) => [o.orderId, o]));
  const byClientId = new Map(resting.filter((o) => o.clientOrderId !== undefined).map((o) => [o.clientOrderId, o]));
  let lostIntents = 0;
  for (const o of open) {
    const found = (o.orderId !== undefined ? byOrderId.get(o.orderId) : undefined) ?? byClientId.get(o.clientOrderId);
    if (found) {
      journal.setOrderStatus(o.clientOrderId, 'resting', clock.nowMs(), found.orderId);
      continue;
    }
    if (o.orderId !== undefined) {
      journal.setOrderStatus(o.clientOrderId, 'canceled', clock.nowMs());
    } else {
      journal.setOrderStatus(o.clientOrderId, 'lost', clock.nowMs());
      lostIntents++;
    }
  }
  const ours = resting.filter((o) => isOwnClientOrderId(o.clientOrderId));
  const unknownOrders = ours.filter((o) => o.clientOrderId === undefined || journal.order(o.clientOrderId) === undefined).length;
  const orphansCancelled = await cancelOrphans(port, ours, journal, clock, logger);

  const before = journal.fillSummary();
  const fillsRecovered = await backfillFills(journal, port, clock, before.lastTsMs, options.fillMarginMs ?? 60_000);
  const positions = await port.getPositions();
  if (!journal.hasBaseline()) {
    // A new journal: what the account holds now is the starting point of every later comparison.
    journal.setBaseline(positions, clock.nowMs());
  }
  const exchange = new Map(positions.map((p) => [p.ticker, p.position as number]));
  await recordSettlements(journal, port, clock, exchange);
  const mine = journal.positions();
  const mismatches: { ticker: string; journal: number; exchange: number }[] = [];
  for (const ticker of new Set([...mine.keys(), ...exchange.keys()])) {
    const a = mine.get(ticker) ?? 0;
    const b = exchange.get(ticker) ?? 0;
    if (a !== b) mismatches.push({ ticker, journal: a, exchange: b });
  }
  for (const p of positions) journal.recordPosition(p.ticker, p.position, clock.nowMs());
  const report: JournalReconcileReport = {
    crashed,
    openJournalOrders: open.length,
    orphansCancelled,
    unknownOrders,
    lostIntents,
    fillsRecovered,
    journalFills: journal.fillSummary().count,
    positionMismatches: mismatches,
  };
  if (mismatches.length > 0) logger.warn({ ...report }, 'journal and exchange positions differ; trading from the exchange positions');
  else logger.info({ ...report }, 'journal reconciled with the exchange');
  return report;
}

async function cancelOrphans(
  port: ExchangePort,
  orders: readonly Order[],
  journal: Journal,
  clock: Clock,
  logger: Logger,
): Promise<number> {
  let cancelled = 0;
  for (const o of orders) {
    try {
      await port.cancelOrder(o.orderId, o.ticker);
      cancelled++;
    } catch (error) {
      // A 404 means it is gone already; anything else is left for the supervisor's sweep and cancel-all.
      logger.warn(
        { orderId: o.orderId, ticker: o.ticker, error: error instanceof Error ? error.message : String(error) },
        'orphan cancel failed',
      );
    }
    if (o.clientOrderId !== undefined) journal.setOrderStatus(o.clientOrderId, 'canceled', clock.nowMs(), o.orderId);
  }
  return cancelled;
}

/**
 * Journals the settlements of markets where the journal holds a position the exchange no longer lists
 * (settled while the bot was down: the exchange pays positions out and drops them). Read only when
 * there is such a market, since the settlement history of an account only grows.
 */
async function recordSettlements(journal: Journal, port: ExchangePort, clock: Clock, exchange: ReadonlyMap<string, number>): Promise<void> {
  const missing = new Set(
    [...journal.positions()].filter(([ticker, p]) => p !== 0 && (exchange.get(ticker) ?? 0) === 0).map(([ticker]) => ticker),
  );
  if (missing.size === 0) return;
  for await (const s of port.listSettlements()) {
    if (missing.has(s.ticker)) journal.recordSettlement(s.ticker, s.settledMs, s.result, clock.nowMs());
  }
}

async function backfillFills(
  journal: Journal,
  port: ExchangePort,
  clock: Clock,
  lastTsMs: number | undefined,
  marginMs: number,
): Promise<number> {
  // A brand-new journal has no history to complete: its baseline is the exchange's positions.
  if (!journal.hasBaseline()) return 0;
  let recovered = 0;
  const query = lastTsMs === undefined ? {} : { minTsMs: lastTsMs - marginMs };
  for await (const fill of port.listFills(query)) {
    if (journal.recordFill(fill, clock.nowMs(), 'backfill')) recovered++;
  }
  return recovered;
}
