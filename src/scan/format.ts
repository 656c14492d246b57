/** Renders scan rows as a terminal table, JSON or CSV. Pure. */
import type { ScanRow } from './stats.js';

const COLUMNS: readonly { readonly title: string; readonly key: keyof ScanRow; readonly digits?: number }[] = [
  { title: 'ticker', key: 'ticker' },
  { title: 'bid', key: 'bestBidCents', digits: 2 },
  { title: 'ask', key: 'bestAskCents', digits: 2 },
  { title: 'spread', key: 'spreadCents', digits: 2 },
  { title: 'mid', key: 'midCents', digits: 2 },
  { title: 'vol 1h', key: 'volume1h', digits: 2 },
  { title: 'trades 1h', key: 'trades1h' },
  { title: 'avg size', key: 'avgTradeSize1h', digits: 2 },
  { title: 'high 1h', key: 'high1hCents', digits: 2 },
  { title: 'low 1h', key: 'low1hCents', digits: 2 },
  { title: 'vol 24h', key: 'volume24h', digits: 2 },
  { title: 'closes in', key: 'timeToCloseMs' },
  { title: 'score', key: 'score', digits: 3 },
];

/** Returns a duration as "3d4h", "5h12m", "7m30s", "45s"; "closed" when ≤ 0. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return 'closed';
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  if (d > 0) return `${d}d${h}h`;
  if (h > 0) return `${h}h${m}m`;
  if (m > 0) return `${m}m${s % 60}s`;
  return `${s}s`;
}

function cell(row: ScanRow, column: (typeof COLUMNS)[number], forCsv: boolean): string {
  const value = row[column.key];
  if (value === undefined) return forCsv ? '' : '-';
  if (column.key === 'timeToCloseMs' && !forCsv) return formatDuration(value as number);
  if (typeof value === 'number' && column.digits !== undefined) return forCsv ? String(value) : value.toFixed(column.digits);
  return String(value);
}

/** Returns the rows as an aligned text table ending with a newline. */
export function renderScanTable(rows: readonly ScanRow[]): string {
  const cells = [COLUMNS.map((c) => c.title), ...rows.map((r) => COLUMNS.map((c) => cell(r, c, false)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return `${cells.map((r) => r.map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join('  ')).join('\n')}\n`;
}

/** Returns the rows as CSV (RFC 4180 quoting) with a header line; time to close in ms. */
export function renderScanCsv(rows: readonly ScanRow[]): string {
  const quote = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const header = [...COLUMNS.map((c) => c.key), 'title'].join(',');
  return `${[header, ...rows.map((r) => [...COLUMNS.map((c) => quote(cell(r, c, true))), quote(r.title)].join(','))].join('\n')}\n`;
}

/** Returns the rows as pretty JSON. */
export function renderScanJson(rows: readonly ScanRow[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`;
}
