/**
 * Benchmarks of the local exchange server over real sockets on 127.0.0.1:
 *  - exchange.http_order_round_trips: signed V2 creates answered per second (8 in flight, rate limits
 *    off), the client signing every request as a real one does (RSA signing dominates);
 *  - exchange.http_order_round_trips_server: the same with one signature reused (the server accepts
 *    it for 30 s), which measures the server alone;
 *  - exchange.ws_fanout_messages: orderbook_delta frames delivered per second to 50 subscribed sockets.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { DEFAULT_FEE_SCHEDULE, TickGrid, type Count, type Price } from '../src/core/index.js';
import { signedHeaders, startLocalExchange } from '../src/exchange/index.js';

type Report = (name: string, value: number, unit: string) => void;

/** Runs both benchmarks (about 6 s). */
export async function run(report: Report): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kalshi-mm-bench-'));
  const now = Date.now();
  const market = (ticker: string) => ({ ticker, eventTicker: 'KXBENCH-1', seriesTicker: 'KXBENCH', title: ticker, grid: TickGrid.linearCent(), fees: DEFAULT_FEE_SCHEDULE, openTimeMs: now, closeTimeMs: now + 86_400_000, status: 'active' as const });
  const exchange = await startLocalExchange({ dataDir: dir, simulate: false, rateLimits: false, markets: [market('B-HTTP'), market('B-WS')], startingBalance: 1_000_000_000_000 as never });
  try {
    report('exchange.http_order_round_trips', await httpRoundTrips(exchange.credentials, false), 'orders/s');
    report('exchange.http_order_round_trips_server', await httpRoundTrips(exchange.credentials, true), 'orders/s');
    report('exchange.ws_fanout_messages', await wsFanout(exchange), 'messages/s');
  } finally {
    await exchange.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function httpRoundTrips(credentials: { rest: string; keyId: string; privateKeyPath: string }, reuseSignature: boolean): Promise<number> {
  const pem = await readFile(credentials.privateKeyPath, 'utf8');
  const url = `${credentials.rest}/portfolio/events/orders`;
  const path = new URL(url).pathname;
  const fixed = signedHeaders({ keyId: credentials.keyId, privateKeyPem: pem, method: 'POST', path, timestampMs: Date.now() });
  let seq = 0;
  const one = async (): Promise<void> => {
    const i = seq++;
    // Alternate small bids at 1–40¢ so orders rest without crossing and the book stays small.
    const body = JSON.stringify({ ticker: 'B-HTTP', side: 'bid', price: `0.${String(1 + (i % 40)).padStart(2, '0')}`, count: '1', time_in_force: 'good_till_canceled', self_trade_prevention_type: 'taker_at_cross', client_order_id: `bench-${reuseSignature ? 's' : 'c'}-${i}` });
    const auth = reuseSignature ? fixed : signedHeaders({ keyId: credentials.keyId, privateKeyPem: pem, method: 'POST', path, timestampMs: Date.now() });
    const headers = { 'content-type': 'application/json', ...auth };
    const response = await fetch(url, { method: 'POST', headers, body });
    if (response.status !== 201) throw new Error(`create answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  };
  for (let i = 0; i < 50; i++) await one();
  const durationMs = 2500;
  const started = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (performance.now() - started < durationMs) {
        await one();
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

async function wsFanout(exchange: Awaited<ReturnType<typeof startLocalExchange>>): Promise<number> {
  const pem = await readFile(exchange.credentials.privateKeyPath, 'utf8');
  const sockets = 50;
  const deltas = 2000;
  let received = 0;
  let resolveAll: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (resolveAll = resolve));
  const clients = await Promise.all(
    Array.from({ length: sockets }, async () => {
      const ws = new WebSocket(exchange.credentials.ws, { headers: signedHeaders({ keyId: exchange.credentials.keyId, privateKeyPem: pem, method: 'GET', path: '/trade-api/ws/v2', timestampMs: Date.now() }) });
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      const snapshot = new Promise<void>((resolve) => {
        ws.on('message', (data) => {
          const text = String(data);
          if (text.includes('"orderbook_snapshot"')) resolve();
          else if (text.includes('"orderbook_delta"') && ++received === sockets * deltas) resolveAll();
        });
      });
      ws.send(JSON.stringify({ id: 1, cmd: 'subscribe', params: { channels: ['orderbook_delta'], market_tickers: ['B-WS'] } }));
      await snapshot;
      return ws;
    }),
  );
  const accountId = exchange.accountIdOf(exchange.credentials.keyId);
  const started = performance.now();
  for (let i = 0; i < deltas; i++) {
    exchange.engine.createOrder(accountId, { ticker: 'B-WS', side: 'bid', price: (100 * (1 + (i % 40))) as Price, count: 100 as Count, timeInForce: 'good_till_canceled', postOnly: false, selfTradePrevention: 'taker_at_cross', clientOrderId: '' });
    if (i % 100 === 99) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await all;
  const seconds = (performance.now() - started) / 1000;
  for (const ws of clients) ws.terminate();
  return (sockets * deltas) / seconds;
}
