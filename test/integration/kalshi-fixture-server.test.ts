import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError, AuthError, MemoryLogger } from '../../src/core/index.js';
import { SystemClock } from '../../src/exchange/server/system-clock.js';
import { credentialsFromPem, HttpTransport, KalshiRestClient, KalshiWsClient, RateLimiter, verifySignature, type WsEvent } from '../../src/kalshi/index.js';

// A tiny Kalshi-shaped server on 127.0.0.1:0 that answers with the captured demo payloads
// (test/fixtures, from jfreun123/kalshi-market-maker capture) and checks every signature.
const fixtures = new URL('../../../test/fixtures/', import.meta.url);
const session = readFileSync(new URL('ws_session_head.jsonl', fixtures), 'utf8').split('\n').filter((l) => l.trim() !== '');
const orderbook = JSON.parse(readFileSync(new URL('http_get_market_orderbook.json', fixtures), 'utf8')) as { body: unknown };
const positions = JSON.parse(readFileSync(new URL('http_get_portfolio_positions.json', fixtures), 'utf8')) as { body: unknown };

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const credentials = credentialsFromPem('fixture-key-id', pem);

function authorised(headers: Record<string, string | string[] | undefined>, method: string, path: string): boolean {
  const key = headers['kalshi-access-key'];
  const ts = headers['kalshi-access-timestamp'];
  const signature = headers['kalshi-access-signature'];
  if (key !== 'fixture-key-id' || typeof ts !== 'string' || typeof signature !== 'string') return false;
  return verifySignature(publicKey, ts, method, path, signature);
}

async function next(events: AsyncIterator<WsEvent>, predicate: (e: WsEvent) => boolean, timeoutMs = 5_000): Promise<WsEvent[]> {
  const seen: WsEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out; saw ${seen.map((e) => e.type).join(',')}`)), timeoutMs)));
  try {
    for (;;) {
      const r = await Promise.race([events.next(), timeout]);
      if (r.done) throw new Error('stream ended');
      seen.push(r.value);
      if (predicate(r.value)) return seen;
    }
  } finally {
    clearTimeout(timer);
  }
}

describe('REST and WS clients against a fixture server', () => {
  let server: Server;
  let wss: WebSocketServer;
  let base: string;
  const sockets: WebSocket[] = [];
  const commands: { cmd: string; params?: Record<string, unknown> }[] = [];
  let silent = false;

  before(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (!authorised(req.headers, req.method ?? 'GET', url.pathname)) {
        res.writeHead(401).end(JSON.stringify({ error: { code: 'unauthorized', message: 'bad signature' } }));
        return;
      }
      if (url.pathname.endsWith('/orderbook')) res.writeHead(200).end(JSON.stringify(orderbook.body));
      else if (url.pathname === '/trade-api/v2/portfolio/positions') res.writeHead(200).end(JSON.stringify(positions.body));
      else res.writeHead(404).end(JSON.stringify({ error: { code: 'not_found', message: 'no such route' } }));
    });
    wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      if (!authorised(req.headers, 'GET', '/trade-api/ws/v2')) {
        socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        sockets.push(ws);
        ws.on('message', (data) => {
          const command = JSON.parse(data.toString()) as { id: number; cmd: string; params?: Record<string, unknown> };
          commands.push(command);
          if (silent) return;
          const channels = (command.params?.['channels'] as string[] | undefined) ?? [];
          if (command.cmd === 'subscribe' && channels[0] === 'orderbook_delta') {
            ws.send(JSON.stringify({ type: 'subscribed', id: command.id, msg: { channel: 'orderbook_delta', sid: 1 } }));
            // The captured session verbatim (minus its own subscribed lines): `ok` replies take seqs of sid 1.
            for (const line of session) if (!line.includes('"subscribed"') && line.includes('"sid":1')) ws.send(line);
          } else if (command.cmd === 'subscribe' && channels[0] === 'market_lifecycle_v2') {
            ws.send(JSON.stringify({ type: 'subscribed', id: command.id, msg: { channel: 'market_lifecycle_v2', sid: 3 } }));
            ws.send(JSON.stringify({ type: 'market_lifecycle_v2', sid: 3, seq: 1, msg: { market_ticker: 'A', event_type: 'deactivated' } }));
            ws.send(JSON.stringify({ type: 'event_lifecycle', sid: 3, seq: 2, msg: { event_ticker: 'E', title: 'x' } }));
            ws.send(JSON.stringify({ type: 'market_lifecycle_v2', sid: 3, seq: 3, msg: { market_ticker: 'A', event_type: 'activated' } }));
            ws.send(JSON.stringify({ type: 'market_lifecycle_v2', sid: 3, seq: 5, msg: { market_ticker: 'A', event_type: 'deactivated' } }));
          } else if (command.cmd === 'subscribe' && channels[0] === 'no_such_channel') {
            ws.send(JSON.stringify({ type: 'error', id: command.id, msg: { code: 8, msg: 'Unknown channel name' } }));
          } else if (command.cmd === 'subscribe') {
            ws.send(JSON.stringify({ type: 'subscribed', id: command.id, msg: { channel: channels[0], sid: 2 } }));
          } else if (command.cmd === 'update_subscription') {
            ws.send(JSON.stringify({ type: 'ok', id: command.id, sid: 1, msg: { market_tickers: command.params?.['market_tickers'] } }));
          } else if (command.cmd === 'list_subscriptions') {
            ws.send(JSON.stringify({ type: 'ok', id: command.id, msg: [{ channel: 'orderbook_delta', sid: 1 }] }));
          }
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    for (const s of sockets) s.terminate();
    wss.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('REST calls are signed and the captured payloads parse', async () => {
    const clock = new SystemClock();
    const limiter = new RateLimiter(clock);
    const rest = new KalshiRestClient(new HttpTransport({ baseUrl: `http://${base}/trade-api/v2`, credentials, clock, limiter }), limiter);
    const book = await rest.getMarketOrderbook('KXNEXTTEAMNBA-26LJAM-MIA');
    assert.equal(book.orderbook_fp.yes_dollars?.at(-1)?.[0], '0.1600');
    const page = await rest.getPositions();
    assert.ok((page.market_positions?.length ?? 0) > 0);
    await assert.rejects(rest.getMarket('NOPE'), (e: unknown) => e instanceof ApiError && e.status === 404 && e.apiCode === 'not_found');
  });

  test('a REST call with a wrong key is a 401 ApiError', async () => {
    const clock = new SystemClock();
    const limiter = new RateLimiter(clock);
    const other = credentialsFromPem('fixture-key-id', generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const rest = new KalshiRestClient(new HttpTransport({ baseUrl: `http://${base}/trade-api/v2`, credentials: other, clock, limiter }), limiter);
    await assert.rejects(rest.getPositions(), (e: unknown) => e instanceof ApiError && e.status === 401);
  });

  test('a WS handshake with a wrong key is an AuthError', async () => {
    const other = credentialsFromPem('someone-else', pem);
    const ws = new KalshiWsClient({ url: `ws://${base}/trade-api/ws/v2`, credentials: other, clock: new SystemClock() });
    await assert.rejects(ws.connect(), (e: unknown) => e instanceof AuthError && !e.message.includes('someone-else'));
    await ws.close();
  });

  test('the captured session replays with no false gap: update_subscription ok replies count in the seq', async () => {
    const logger = new MemoryLogger();
    const ws = new KalshiWsClient({ url: `ws://${base}/trade-api/ws/v2`, credentials, clock: new SystemClock(), logger });
    const events = ws.events();
    after(() => ws.close());
    await ws.connect();
    await ws.subscribe('orderbook_delta', ['KXNEXTTEAMNBA-26LJAM-MIA']);
    const expected = session.filter((l) => !l.includes('"subscribed"') && l.includes('"sid":1')).length;
    let messages = 0;
    const seen = await next(events, (e) => e.type === 'message' && ++messages === expected + 1);
    assert.equal(seen.filter((e) => e.type === 'gap').length, 0);
    assert.deepEqual(await ws.listSubscriptions(), [{ channel: 'orderbook_delta', sid: 1 }]);
    const sent = commands.find((c) => c.cmd === 'subscribe');
    assert.equal(sent?.params?.['use_yes_price'], false, 'the NO price scale is set explicitly (trap 2)');
    await ws.close();
  });

  test('markets added while the first subscribe is in flight are sent with add_markets once the sid is known', async () => {
    const ws = new KalshiWsClient({ url: `ws://${base}/trade-api/ws/v2`, credentials, clock: new SystemClock() });
    after(() => ws.close());
    await ws.connect();
    const from = commands.length;
    await Promise.all([ws.subscribe('orderbook_delta', ['A']), ws.subscribe('orderbook_delta', ['B'])]);
    const sent = commands.slice(from);
    assert.deepEqual(sent.map((c) => c.cmd), ['subscribe', 'update_subscription']);
    assert.deepEqual(sent[0]?.params?.['market_tickers'], ['A']);
    assert.deepEqual(sent[1]?.params, { sids: [1], action: 'add_markets', market_tickers: ['B'] });
  });

  test('messages of types the client skips still count in their sid’s seq; a real jump is a gap', async () => {
    const ws = new KalshiWsClient({ url: `ws://${base}/trade-api/ws/v2`, credentials, clock: new SystemClock() });
    after(() => ws.close());
    const events = ws.events();
    await ws.connect();
    await ws.subscribe('market_lifecycle_v2');
    const seen = await next(events, (e) => e.type === 'gap');
    const lifecycle = seen.filter((e) => e.type === 'message' && e.message.type === 'market_lifecycle_v2');
    assert.equal(lifecycle.length, 2, 'the gap is reported before the seq-5 message, after seqs 1 and 3');
    assert.ok(seen.at(-1)?.type === 'gap' && /from 3 to 5/.test((seen.at(-1) as { reason: string }).reason));
  });

  test('an error reply rejects the command with the WS error code', async () => {
    const ws = new KalshiWsClient({ url: `ws://${base}/trade-api/ws/v2`, credentials, clock: new SystemClock() });
    after(() => ws.close());
    await ws.connect();
    await assert.rejects(ws.subscribe('no_such_channel' as 'fill'), (e: unknown) => e instanceof ApiError && e.apiCode === 'ws_8');
    await ws.close();
  });

  test('a silent connection is closed, reopened and resubscribed', async () => {
    const ws = new KalshiWsClient({ url: `ws://${base}/trade-api/ws/v2`, credentials, clock: new SystemClock(), silenceMs: 300, reconnectBaseMs: 20 });
    const events = ws.events();
    try {
      await ws.connect();
      await ws.subscribe('fill');
      const count = (): number => commands.filter((c) => c.cmd === 'subscribe' && (c.params?.['channels'] as string[])[0] === 'fill').length;
      const before = count();
      for (const s of sockets) (s as unknown as { _socket: { pause(): void } })._socket.pause();
      await next(events, (e) => e.type === 'connection' && !e.connected);
      await next(events, (e) => e.type === 'connection' && e.connected);
      assert.equal(count(), before + 1, 'the fill subscription was sent again on the new socket');
    } finally {
      await ws.close();
    }
    const end = await events.next();
    assert.equal(end.done, true, 'close() ends the stream');
  });

  test('commands time out when the server never replies', async () => {
    silent = true;
    try {
      const ws = new KalshiWsClient({ url: `ws://${base}/trade-api/ws/v2`, credentials, clock: new SystemClock(), commandTimeoutMs: 100, silenceMs: 60_000 });
      try {
        await ws.connect();
        await assert.rejects(ws.listSubscriptions(), /no reply within 100 ms/);
      } finally {
        await ws.close();
      }
    } finally {
      silent = false;
    }
  });
});
