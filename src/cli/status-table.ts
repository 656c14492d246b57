/**
 * The compact terminal status table `kalshi-mm run` prints to stderr every few seconds: one line per
 * traded market (our quotes against the best bid/ask, position, PnL, fills, health) and a totals line.
 * Pure: it formats a `BotStatus` into text; the command decides when to print.
 */
import { inheritedLabel, pausedLabel, unwindLabel, type BotStatus, type MarketStatusEntry } from '../bot/index.js';

/** Extra figures of the status header that the bot status does not hold. */
export interface StatusExtras {
  /** Rate-limit tokens left as a fraction 0–1, when known. */
  readonly rateHeadroom?: number;
  /** Environment label (local, demo, prod). */
  readonly env?: string;
  /** Why each market is traded ("fallback: tightest spread", "score rank 2 of 14"), by ticker. */
  readonly chosen?: ReadonlyMap<string, string>;
}

const COLUMNS = ['market', 'score', 'bid', 'ours', 'ask', 'pos', 'pnl $', 'fills', 'health', 'chosen'] as const;

/** Returns a score with two decimals, or "-" when the market has none. */
function score(value: number | undefined): string {
  return value === undefined ? '-' : value.toFixed(2);
}

/** Returns cents with up to two decimals ("56", "56.5"), or "-" when absent. */
function cents(price: number | undefined): string {
  if (price === undefined) return '-';
  const value = price / 100;
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0$/, '');
}

/** Returns dollars with two decimals from $0.0001 units. */
export function dollars(cash: number): string {
  const value = cash / 10_000;
  return (value < 0 ? '-' : '') + Math.abs(value).toFixed(2);
}

/** Returns contracts from hundredths ("12", "-3.5"). */
function contracts(count: number): string {
  const value = count / 100;
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function health(m: MarketStatusEntry): string {
  if (m.state !== 'running') return m.state;
  if (!m.health.connected) return 'disconnected';
  if (m.health.paused) return pausedLabel(m.health.pausedBy);
  if (m.health.stale) return `stale${m.health.staleReason ? `: ${m.health.staleReason}` : ''}`;
  if (m.reasons.length > 0) return m.reasons.slice(0, 2).join(',');
  return `ok ${m.health.ageMs === undefined ? '' : `${Math.round(m.health.ageMs / 100) / 10}s`}`.trim();
}

function ours(m: MarketStatusEntry): string {
  const bids = m.orders.filter((o) => o.side === 'bid' && o.remaining > 0).map((o) => cents(o.price));
  const asks = m.orders.filter((o) => o.side === 'ask' && o.remaining > 0).map((o) => cents(o.price));
  return `${bids.join('/') || '-'}|${asks.join('/') || '-'}`;
}

/** Returns the order group's header cell: its limit while active, loud while it blocks quoting. */
function orderGroup(status: BotStatus): string {
  const group = status.orderGroup;
  if (!group) return '';
  if (group.state === 'lost') return 'ORDER GROUP DELETED: restart to quote';
  if (group.state === 'active') return `group ≤${contracts(group.contractsLimit)}/15s${group.triggers > 0 ? ` (${group.triggers} trips)` : ''}`;
  const wait = group.resetDueMs === undefined ? 'waiting for the operator' : `reset in ${Math.max(0, Math.ceil((group.resetDueMs - status.nowMs) / 1000))}s`;
  return `ORDER GROUP TRIGGERED (>${contracts(group.contractsLimit)} in 15s): ${wait}`;
}

/** Returns the rows of the table (header first) as arrays of cells; `chosen` fills the last column. */
export function statusRows(status: BotStatus, chosen?: ReadonlyMap<string, string>): string[][] {
  const rows: string[][] = [[...COLUMNS]];
  for (const m of status.markets) {
    rows.push([
      m.ticker,
      score(m.score),
      cents(m.bestBid),
      ours(m),
      cents(m.bestAsk),
      contracts(m.position),
      dollars(m.risk?.totalPnl ?? 0),
      String(m.fills),
      health(m),
      m.unwind ? unwindLabel(m.unwind) : (chosen?.get(m.ticker) ?? '-'),
    ]);
  }
  const inherited = new Map((status.inherited ?? []).map((i) => [i.ticker, inheritedLabel(i)]));
  for (const r of status.retired)
    rows.push([`${r.ticker} (retired)`, '-', '-', '-', '-', contracts(r.position), dollars(r.totalPnl), '-', 'not quoted', inherited.get(r.ticker) ?? '-']);
  return rows;
}

/** Returns the whole table as text, columns padded, ending with a newline. */
export function renderStatusTable(status: BotStatus, extras: StatusExtras = {}): string {
  const rows = statusRows(status, extras.chosen);
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
  const t = status.totals;
  const head = [
    new Date(status.nowMs).toISOString().slice(11, 19),
    extras.env ?? '',
    status.state,
    status.connected ? 'ws up' : 'WS DOWN',
    status.tradingActive ? 'trading' : 'EXCHANGE PAUSED',
    orderGroup(status),
    `markets ${status.markets.length}`,
    `orders ${t.restingOrders}`,
    `fills ${t.fills}`,
    `pos ${contracts(t.absPosition)}`,
    `pnl $${dollars(t.pnl)} (day $${dollars(t.dailyPnl)}${t.earlierDailyPnl !== 0 ? `, $${dollars(t.earlierDailyPnl)} of it earlier runs` : ''})`,
    extras.rateHeadroom === undefined ? '' : `rate ${Math.round(extras.rateHeadroom * 100)}%`,
    status.killSwitch.tripped ? `KILL SWITCH: ${status.killSwitch.reason ?? ''}` : '',
    status.errors > 0 ? `errors ${status.errors}` : '',
    (status.positionChecks?.mismatches ?? 0) > 0 ? `position mismatches ${status.positionChecks?.mismatches ?? 0}` : '',
  ].filter((s) => s !== '');
  const why =
    status.markets.length === 0 && status.selection
      ? `\nno market passed the filters: scanned ${status.selection.scanned}, rejected ${JSON.stringify(status.selection.rejected)}`
      : '';
  return `${head.join(' | ')}\n${lines.join('\n')}${why}\n`;
}
