/**
 * Protocol benchmarks over the real Kalshi demo capture (jfreun123/kalshi-market-maker
 * `capture/session.jsonl`, 2,898 WS messages; falls back to the 120-line fixture excerpt when the
 * shared data folder is absent):
 * - `book_apply_delta`: one signed delta applied to a local L2Book (us/op);
 * - `ws_parse_apply`: a raw WS text frame → JSON.parse → zod envelope → domain event → book (msgs/s);
 * - `ws_parse_only`: the same without the book (msgs/s);
 * - `sign_request`: one RSA-PSS-SHA256 request signature with a 2048-bit key (us/op).
 */
import { existsSync, readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { L2Book, MemoryLogger, parseCount, parsePrice, type Count, type OutcomeSide, type Price } from '../src/core/index.js';
import { EventPump } from '../src/kalshi/event-pump.js';
import { signRequest } from '../src/kalshi/sign.js';
import { parseWire, portEventFromWs, wsMessageSchema, type WsDataMessage } from '../src/kalshi/wire/index.js';

type Report = (name: string, value: number, unit: string) => void;

const CAPTURE = '/work/shared/data/kalshi/jfreun123-kalshi-market-maker/capture/session.jsonl';
const FIXTURE = new URL('../../test/fixtures/ws_session_head.jsonl', import.meta.url);

function sessionLines(): string[] {
  const text = existsSync(CAPTURE) ? readFileSync(CAPTURE, 'utf8') : readFileSync(FIXTURE, 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '');
}

/** Runs `body` in rounds until `minMs` has passed; returns operations per millisecond. */
function timed(minMs: number, opsPerRound: number, body: () => void): number {
  body(); // warm-up
  let rounds = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    body();
    rounds++;
    elapsed = performance.now() - start;
  }
  return (rounds * opsPerRound) / elapsed;
}

function bookApplyDelta(lines: string[], report: Report): void {
  const snapshots = new Map<string, { yes: [string, string][]; no: [string, string][] }>();
  const deltas: { ticker: string; side: OutcomeSide; price: Price; delta: Count }[] = [];
  for (const line of lines) {
    const m = JSON.parse(line) as { type: string; msg: Record<string, unknown> };
    if (m.type === 'orderbook_snapshot') {
      snapshots.set(m.msg['market_ticker'] as string, { yes: (m.msg['yes_dollars_fp'] ?? []) as [string, string][], no: (m.msg['no_dollars_fp'] ?? []) as [string, string][] });
    } else if (m.type === 'orderbook_delta') {
      deltas.push({ ticker: m.msg['market_ticker'] as string, side: m.msg['side'] as OutcomeSide, price: parsePrice(m.msg['price_dollars'], 'price'), delta: parseCount(m.msg['delta_fp'], 'delta', true) });
    }
  }
  const levels = (list: [string, string][]) => list.map(([p, c]) => ({ price: parsePrice(p, 'p'), count: parseCount(c, 'c') }));
  const books = new Map<string, L2Book>();
  const reset = (): void => {
    for (const [ticker, s] of snapshots) {
      const book = books.get(ticker) ?? new L2Book(ticker);
      book.applySnapshot(levels(s.yes), levels(s.no));
      books.set(ticker, book);
    }
  };
  let applied = 0;
  // Each round replays the capture's deltas from fresh snapshots; only the delta loop is timed.
  reset();
  let deltaMs = 0;
  let ops = 0;
  while (deltaMs < 1500) {
    reset();
    const t = performance.now();
    for (const d of deltas) if (books.get(d.ticker)?.applyDelta(d.side, d.price, d.delta)) applied++;
    deltaMs += performance.now() - t;
    ops += deltas.length;
  }
  if (applied === 0) throw new Error('no delta applied');
  report('book_apply_delta', (deltaMs * 1000) / ops, 'us/op');
}

function parseApply(lines: string[], report: Report): void {
  const tickers = new Set<string>();
  for (const l of lines) {
    const m = /"market_ticker":"([^"]+)"/.exec(l);
    if (m?.[1]) tickers.add(m[1]);
  }
  const perMs = timed(2000, lines.length, () => {
    const pump = new EventPump({ logger: new MemoryLogger(), isSubscribed: (t) => tickers.has(t), subscribedTickers: () => [...tickers], requestSnapshots: () => undefined });
    for (const text of lines) pump.convert({ type: 'message', recvMs: 0, message: parseWire(wsMessageSchema, JSON.parse(text)) });
  });
  report('ws_parse_apply', Math.round(perMs * 1000), 'msgs/s');
  const parseOnly = timed(1500, lines.length, () => {
    for (const text of lines) {
      const message = parseWire(wsMessageSchema, JSON.parse(text));
      if (message.type !== 'subscribed' && message.type !== 'ok' && message.type !== 'error' && message.type !== 'unsubscribed') portEventFromWs(message as WsDataMessage, 0);
    }
  });
  report('ws_parse_only', Math.round(parseOnly * 1000), 'msgs/s');
}

function signing(report: Report): void {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const perMs = timed(1000, 50, () => {
    for (let i = 0; i < 50; i++) signRequest(privateKey, 1_700_000_000_000 + i, 'POST', '/trade-api/v2/portfolio/events/orders');
  });
  report('sign_request', 1000 / perMs, 'us/op');
}

/** Runs the protocol benchmarks (about 7 s). */
export async function run(report: Report): Promise<void> {
  const lines = sessionLines();
  bookApplyDelta(lines, report);
  parseApply(lines, report);
  signing(report);
}
