/**
 * The crash-safe journal of a live run: a SQLite file (better-sqlite3, WAL) holding every order intent
 * (written BEFORE the request leaves the process, keyed by its client order id), every ack, reject,
 * amend, decrease and cancel, every fill (unique by trade id + order id, so a fill seen twice is
 * counted once) and every position report. After a crash, `reconcileJournal` compares it with the
 * exchange.
 *
 * Durability: WAL with `synchronous = NORMAL` survives a process crash (kill -9): a committed write is
 * in the WAL file in the OS cache. Only a power loss may lose the last transactions, which is the same
 * window the exchange's own reconciliation (open orders, fills) covers anyway.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Count, Fill, Order, OrderAck, OrderRequest, Position } from '../core/index.js';

/** Where an order stands in the journal. */
export type JournalOrderStatus = 'intent' | 'resting' | 'canceled' | 'executed' | 'rejected' | 'lost';

/** One order as journaled. */
export interface JournalOrder {
  readonly clientOrderId: string;
  readonly orderId?: string;
  readonly runId: string;
  readonly ticker: string;
  readonly side: 'bid' | 'ask';
  readonly price: number;
  readonly count: number;
  readonly status: JournalOrderStatus;
  readonly createdMs: number;
  readonly updatedMs: number;
}

/** One journaled event (for audits and tests). */
export interface JournalEvent {
  readonly seq: number;
  readonly tsMs: number;
  readonly kind: string;
  readonly clientOrderId?: string;
  readonly orderId?: string;
  readonly ticker?: string;
  readonly data: unknown;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (run_id TEXT PRIMARY KEY, started_ms INTEGER NOT NULL, stopped_ms INTEGER, reason TEXT, meta TEXT);
CREATE TABLE IF NOT EXISTS orders (
  client_order_id TEXT PRIMARY KEY, order_id TEXT, run_id TEXT NOT NULL, ticker TEXT NOT NULL, side TEXT NOT NULL,
  price INTEGER NOT NULL, count INTEGER NOT NULL, status TEXT NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS orders_order_id ON orders(order_id);
CREATE INDEX IF NOT EXISTS orders_status ON orders(status);
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, ts_ms INTEGER NOT NULL, kind TEXT NOT NULL,
  client_order_id TEXT, order_id TEXT, ticker TEXT, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS fills (trade_id TEXT NOT NULL, order_id TEXT NOT NULL, client_order_id TEXT, ticker TEXT NOT NULL,
  side TEXT NOT NULL, price INTEGER NOT NULL, count INTEGER NOT NULL, fee INTEGER NOT NULL, is_taker INTEGER NOT NULL,
  ts_ms INTEGER NOT NULL, recorded_ms INTEGER NOT NULL, source TEXT NOT NULL, PRIMARY KEY (trade_id, order_id));
CREATE TABLE IF NOT EXISTS baseline (ticker TEXT PRIMARY KEY, position INTEGER NOT NULL, at_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS positions (ticker TEXT PRIMARY KEY, position INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS settlements (ticker TEXT PRIMARY KEY, settled_ms INTEGER NOT NULL, result TEXT);
CREATE TABLE IF NOT EXISTS daily_halts (day INTEGER NOT NULL, at_ms INTEGER NOT NULL, daily_pnl INTEGER NOT NULL, limit_dollars REAL NOT NULL);
CREATE TABLE IF NOT EXISTS day_pnl (run_id TEXT NOT NULL, day INTEGER NOT NULL, pnl INTEGER NOT NULL, at_ms INTEGER NOT NULL,
  PRIMARY KEY (run_id, day));
`;

const DAY_MS = 86_400_000;

interface OrderRow {
  client_order_id: string;
  order_id: string | null;
  run_id: string;
  ticker: string;
  side: string;
  price: number;
  count: number;
  status: string;
  created_ms: number;
  updated_ms: number;
}

/** The journal file of a bot (see the file comment). Every method is synchronous and durable on return. */
export class Journal {
  private readonly db: Database.Database;
  private runId = '';
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 2000');
    this.db.exec(SCHEMA);
  }

  /**
   * Opens (or creates) the journal at `path`.
   * @throws better-sqlite3's error when the file cannot be opened or is not a journal.
   */
  static open(path: string): Journal {
    return new Journal(path);
  }

  /** Returns true when a run was journaled before this one (a restart, possibly after a crash). */
  hasPreviousRuns(): boolean {
    return this.stmt('SELECT 1 FROM runs LIMIT 1').get() !== undefined;
  }

  /** Returns the previous run that never recorded a stop (crashed), if any. */
  unfinishedRun(): { runId: string; startedMs: number } | undefined {
    const row = this.stmt('SELECT run_id, started_ms FROM runs WHERE stopped_ms IS NULL ORDER BY started_ms DESC LIMIT 1').get() as
      { run_id: string; started_ms: number } | undefined;
    return row ? { runId: row.run_id, startedMs: row.started_ms } : undefined;
  }

  /** Records the start of run `runId`. */
  startRun(runId: string, nowMs: number, meta: Record<string, unknown> = {}): void {
    this.runId = runId;
    this.stmt('INSERT OR REPLACE INTO runs (run_id, started_ms, meta) VALUES (?, ?, ?)').run(runId, nowMs, JSON.stringify(meta));
    this.event(nowMs, 'run_start', { data: meta });
  }

  /** Records a clean stop of the current run. */
  stopRun(nowMs: number, reason: string, data: Record<string, unknown> = {}): void {
    this.stmt('UPDATE runs SET stopped_ms = ?, reason = ? WHERE run_id = ?').run(nowMs, reason, this.runId);
    this.event(nowMs, 'run_stop', { data: { reason, ...data } });
  }

  /**
   * Records that the daily loss limit (`limitDollars`) stopped the current run at `nowMs` with the day's
   * PnL `dailyPnl` ($0.0001).
   */
  recordDailyHalt(nowMs: number, dailyPnl: number, limitDollars: number): void {
    this.stmt('INSERT INTO daily_halts (day, at_ms, daily_pnl, limit_dollars) VALUES (?, ?, ?, ?)').run(
      Math.floor(nowMs / DAY_MS),
      nowMs,
      dailyPnl,
      limitDollars,
    );
    this.event(nowMs, 'daily_halt', { data: { dailyPnl, limitDollars } });
  }

  /**
   * Checkpoints run `runId`'s PnL ($0.0001) on the UTC day of `nowMs`, relative to the run's own start
   * (or to 00:00 UTC for a run that began the day before): one row per run and day, replaced each time.
   * A later run of the same day adds it to its own, so a crash or kill -9 does not reset the day's budget.
   */
  checkpointDayPnl(runId: string, nowMs: number, pnl: number): void {
    this.stmt(
      'INSERT INTO day_pnl (run_id, day, pnl, at_ms) VALUES (?, ?, ?, ?) ON CONFLICT (run_id, day) DO UPDATE SET pnl = excluded.pnl, at_ms = excluded.at_ms',
    ).run(runId, Math.floor(nowMs / DAY_MS), pnl, nowMs);
  }

  /** Sums the last day-PnL checkpoints of the runs other than `runId` on the UTC day of `nowMs`. */
  earlierDayPnl(nowMs: number, runId: string): { pnl: number; runs: number; lastAtMs?: number } {
    const row = this.stmt(
      'SELECT COALESCE(SUM(pnl), 0) AS pnl, COUNT(*) AS runs, MAX(at_ms) AS last FROM day_pnl WHERE day = ? AND run_id != ?',
    ).get(Math.floor(nowMs / DAY_MS), runId) as { pnl: number; runs: number; last: number | null };
    return { pnl: row.pnl, runs: row.runs, ...(row.last !== null ? { lastAtMs: row.last } : {}) };
  }

  /** Returns the last daily-loss stop of the UTC day of `nowMs`, if any. */
  dailyHaltOn(nowMs: number): { atMs: number; dailyPnl: number; limitDollars: number } | undefined {
    const row = this.stmt('SELECT at_ms, daily_pnl, limit_dollars FROM daily_halts WHERE day = ? ORDER BY at_ms DESC LIMIT 1').get(
      Math.floor(nowMs / DAY_MS),
    ) as { at_ms: number; daily_pnl: number; limit_dollars: number } | undefined;
    return row ? { atMs: row.at_ms, dailyPnl: row.daily_pnl, limitDollars: row.limit_dollars } : undefined;
  }

  /** Marks every unfinished earlier run as recovered (called after reconciliation). */
  closeUnfinishedRuns(nowMs: number): void {
    this.stmt("UPDATE runs SET stopped_ms = ?, reason = 'crashed; reconciled' WHERE stopped_ms IS NULL AND run_id != ?").run(
      nowMs,
      this.runId,
    );
  }

  /** Records an order about to be sent. Must be called before the request leaves the process. */
  intent(request: OrderRequest, nowMs: number): void {
    const tx = this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT OR IGNORE INTO orders (client_order_id, run_id, ticker, side, price, count, status, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(request.clientOrderId, this.runId, request.ticker, request.side, request.price, request.count, 'intent', nowMs, nowMs);
      this.event(nowMs, 'intent', { clientOrderId: request.clientOrderId, ticker: request.ticker, data: request });
    });
    tx();
  }

  /** Records the exchange's answer to a create. */
  ack(clientOrderId: string, ack: OrderAck, nowMs: number): void {
    const status: JournalOrderStatus = ack.remainingCount > 0 ? 'resting' : 'executed';
    this.updateOrder(clientOrderId, ack.orderId, status, nowMs);
    this.event(nowMs, 'ack', { clientOrderId, orderId: ack.orderId, data: ack });
  }

  /** Records a create the exchange refused (or that failed without reaching it). */
  reject(clientOrderId: string, message: string, nowMs: number, retryable: boolean): void {
    // A retryable failure may still have reached the exchange: it stays an intent for reconciliation.
    if (!retryable) this.updateOrder(clientOrderId, undefined, 'rejected', nowMs);
    this.event(nowMs, retryable ? 'send_failed' : 'reject', { clientOrderId, data: { message } });
  }

  /** Records any other order action and its outcome (amend, decrease, cancel, cancel_all). */
  action(
    kind: string,
    nowMs: number,
    fields: { orderId?: string | undefined; ticker?: string | undefined; clientOrderId?: string | undefined; data: unknown },
  ): void {
    this.event(nowMs, kind, fields);
  }

  /** Records that an order no longer rests (cancelled or done). */
  orderClosed(orderId: string, status: 'canceled' | 'executed', nowMs: number): void {
    this.stmt("UPDATE orders SET status = ?, updated_ms = ? WHERE order_id = ? AND status IN ('intent', 'resting')").run(
      status,
      nowMs,
      orderId,
    );
  }

  /** Records an order update from the exchange (stream or query). */
  orderUpdate(order: Order, nowMs: number): void {
    const tx = this.db.transaction(() => {
      if (order.clientOrderId !== undefined) {
        const known = this.stmt('SELECT 1 FROM orders WHERE client_order_id = ?').get(order.clientOrderId);
        if (!known) {
          this.db
            .prepare(
              'INSERT INTO orders (client_order_id, order_id, run_id, ticker, side, price, count, status, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            )
            .run(
              order.clientOrderId,
              order.orderId,
              this.runId,
              order.ticker,
              order.side,
              order.price,
              order.initialCount,
              order.status,
              nowMs,
              nowMs,
            );
        } else {
          this.stmt('UPDATE orders SET order_id = ?, price = ?, status = ?, updated_ms = ? WHERE client_order_id = ?').run(
            order.orderId,
            order.price,
            order.status,
            nowMs,
            order.clientOrderId,
          );
        }
      } else {
        this.stmt('UPDATE orders SET status = ?, price = ?, updated_ms = ? WHERE order_id = ?').run(
          order.status,
          order.price,
          nowMs,
          order.orderId,
        );
      }
    });
    tx();
  }

  /**
   * Records a fill once. Returns false when the same (trade id, order id) is already journaled: the
   * caller must not count it again.
   */
  recordFill(fill: Fill, nowMs: number, source: 'stream' | 'backfill'): boolean {
    const result = this.db
      .prepare(
        'INSERT OR IGNORE INTO fills (trade_id, order_id, client_order_id, ticker, side, price, count, fee, is_taker, ts_ms, recorded_ms, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        fill.tradeId,
        fill.orderId,
        fill.clientOrderId ?? null,
        fill.ticker,
        fill.side,
        fill.price,
        fill.count,
        fill.fee,
        fill.isTaker ? 1 : 0,
        fill.tsMs,
        nowMs,
        source,
      );
    if (result.changes === 0) return false;
    this.event(nowMs, 'fill', { orderId: fill.orderId, ticker: fill.ticker, data: fill });
    return true;
  }

  /** Records a position the exchange reported. */
  recordPosition(ticker: string, position: Count, nowMs: number): void {
    this.stmt('INSERT OR REPLACE INTO positions (ticker, position, updated_ms) VALUES (?, ?, ?)').run(ticker, position, nowMs);
  }

  /** Records the exchange's positions when the journal is new: later positions are baseline + fills. */
  setBaseline(positions: readonly Position[], nowMs: number): void {
    const tx = this.db.transaction(() => {
      for (const p of positions)
        this.stmt('INSERT OR IGNORE INTO baseline (ticker, position, at_ms) VALUES (?, ?, ?)').run(p.ticker, p.position, nowMs);
      this.stmt("INSERT OR IGNORE INTO baseline (ticker, position, at_ms) VALUES ('', 0, ?)").run(nowMs);
    });
    tx();
  }

  /** Returns true once a baseline was recorded. */
  hasBaseline(): boolean {
    return this.stmt("SELECT 1 FROM baseline WHERE ticker = ''").get() !== undefined;
  }

  /** Returns signed positions per market: baseline + Σ journaled fills (bid buys YES, ask sells). */
  positions(): Map<string, number> {
    const out = new Map<string, number>();
    for (const row of this.stmt("SELECT ticker, position FROM baseline WHERE ticker != ''").all() as { ticker: string; position: number }[])
      out.set(row.ticker, row.position);
    const sums = this.stmt(
      "SELECT ticker, SUM(CASE side WHEN 'bid' THEN count ELSE -count END) AS net FROM fills GROUP BY ticker",
    ).all() as { ticker: string; net: number }[];
    for (const row of sums) out.set(row.ticker, (out.get(row.ticker) ?? 0) + row.net);
    // A settled market's position was paid out: the exchange no longer lists it, and neither do we.
    for (const row of this.stmt('SELECT ticker FROM settlements').all() as { ticker: string }[]) out.delete(row.ticker);
    return out;
  }

  /** Records that `ticker` settled (its position was paid out); the first record of a market stays. */
  recordSettlement(ticker: string, settledMs: number, result: string | undefined, nowMs: number): void {
    const added = this.stmt('INSERT OR IGNORE INTO settlements (ticker, settled_ms, result) VALUES (?, ?, ?)').run(
      ticker,
      settledMs,
      result ?? null,
    );
    if (added.changes > 0) this.event(nowMs, 'settlement', { ticker, data: { settledMs, result } });
  }

  /** Returns the orders that may still rest (intents and resting). */
  openOrders(): JournalOrder[] {
    const rows = this.stmt("SELECT * FROM orders WHERE status IN ('intent', 'resting') ORDER BY created_ms").all() as OrderRow[];
    return rows.map(toOrder);
  }

  /** Returns the order with this client order id. */
  order(clientOrderId: string): JournalOrder | undefined {
    const row = this.stmt('SELECT * FROM orders WHERE client_order_id = ?').get(clientOrderId) as OrderRow | undefined;
    return row ? toOrder(row) : undefined;
  }

  /** Marks an order's journaled state after reconciliation. */
  setOrderStatus(clientOrderId: string, status: JournalOrderStatus, nowMs: number, orderId?: string): void {
    this.updateOrder(clientOrderId, orderId, status, nowMs);
  }

  /** Returns the number of journaled fills and the time of the latest. */
  fillSummary(): { count: number; lastTsMs?: number } {
    const row = this.stmt('SELECT COUNT(*) AS n, MAX(ts_ms) AS last FROM fills').get() as { n: number; last: number | null };
    return { count: row.n, ...(row.last !== null ? { lastTsMs: row.last } : {}) };
  }

  /** Returns journaled events in order, optionally of one kind. */
  events(kind?: string): JournalEvent[] {
    const rows = (
      kind === undefined
        ? this.stmt('SELECT * FROM events ORDER BY seq').all()
        : this.stmt('SELECT * FROM events WHERE kind = ? ORDER BY seq').all(kind)
    ) as {
      seq: number;
      ts_ms: number;
      kind: string;
      client_order_id: string | null;
      order_id: string | null;
      ticker: string | null;
      data: string;
    }[];
    return rows.map((r) => ({
      seq: r.seq,
      tsMs: r.ts_ms,
      kind: r.kind,
      ...(r.client_order_id !== null ? { clientOrderId: r.client_order_id } : {}),
      ...(r.order_id !== null ? { orderId: r.order_id } : {}),
      ...(r.ticker !== null ? { ticker: r.ticker } : {}),
      data: JSON.parse(r.data) as unknown,
    }));
  }

  /** Closes the file. Idempotent. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Returns the prepared statement of `sql` (prepared once: preparing costs more than running). */
  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private updateOrder(clientOrderId: string, orderId: string | undefined, status: JournalOrderStatus, nowMs: number): void {
    if (orderId === undefined)
      this.stmt('UPDATE orders SET status = ?, updated_ms = ? WHERE client_order_id = ?').run(status, nowMs, clientOrderId);
    else
      this.stmt('UPDATE orders SET order_id = ?, status = ?, updated_ms = ? WHERE client_order_id = ?').run(
        orderId,
        status,
        nowMs,
        clientOrderId,
      );
  }

  private event(
    nowMs: number,
    kind: string,
    fields: { orderId?: string | undefined; ticker?: string | undefined; clientOrderId?: string | undefined; data: unknown },
  ): void {
    this.db
      .prepare('INSERT INTO events (ts_ms, kind, client_order_id, order_id, ticker, data) VALUES (?, ?, ?, ?, ?, ?)')
      .run(nowMs, kind, fields.clientOrderId ?? null, fields.orderId ?? null, fields.ticker ?? null, JSON.stringify(fields.data ?? null));
  }
}

function toOrder(row: OrderRow): JournalOrder {
  return {
    clientOrderId: row.client_order_id,
    ...(row.order_id !== null ? { orderId: row.order_id } : {}),
    runId: row.run_id,
    ticker: row.ticker,
    side: row.side === 'ask' ? 'ask' : 'bid',
    price: row.price,
    count: row.count,
    status: row.status as JournalOrderStatus,
    createdMs: row.created_ms,
    updatedMs: row.updated_ms,
  };
}
