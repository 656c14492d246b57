import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { ApiError, ManualClock, MemoryLogger, RateLimitError, SeededRng, TransportError } from '../../core/index.js';
import { credentialsFromPem } from '../credentials.js';
import { HttpTransport } from './http.js';
import { KalshiRestClient } from './client.js';
import { RateLimiter } from './limiter.js';

const KEY_ID = 'e3b0c442-98fc-1c14-9afb-secretkeyid';
const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const credentials = credentialsFromPem(KEY_ID, pem);

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}
type Reply = { status: number; body?: unknown } | 'network-error' | 'hang';

function fakeFetch(replies: Reply[], seen: Seen[]): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    seen.push({ method: init?.method ?? 'GET', url: String(input), headers, body: init?.body as string | undefined });
    const reply = replies.shift() ?? { status: 500, body: { error: { code: 'no_more_replies', message: 'test ran out of replies' } } };
    if (reply === 'network-error') throw new TypeError('fetch failed');
    if (reply === 'hang') {
      return new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    }
    const text = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    return new Response(text === '' ? null : text, { status: reply.status });
  }) as typeof fetch;
}

function setup(replies: Reply[], logger = new MemoryLogger()) {
  const clock = new ManualClock(1_700_000_000_000);
  const seen: Seen[] = [];
  const limiter = new RateLimiter(clock);
  const http = new HttpTransport({ baseUrl: 'http://127.0.0.1:1/trade-api/v2', credentials, clock, limiter, logger, rng: new SeededRng(3), fetch: fakeFetch(replies, seen) });
  return { clock, seen, limiter, logger, rest: new KalshiRestClient(http, limiter, logger) };
}

/** Runs `promise` to completion, moving the manual clock to each pending timer (backoffs, timeouts). */
async function drive<T>(clock: ManualClock, promise: Promise<T>): Promise<T> {
  let settled = false;
  const done = promise.finally(() => (settled = true));
  done.catch(() => undefined);
  for (let i = 0; i < 1000 && !settled; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    const next = clock.nextTimerMs();
    if (!settled && next !== undefined) clock.advanceTo(next);
  }
  return done;
}

const order = { order_id: 'o-1', client_order_id: 'c-1', ticker: 'KX-A', book_side: 'bid', status: 'resting', yes_price_dollars: '0.5600', fill_count_fp: '0.00', remaining_count_fp: '10.00', initial_count_fp: '10.00', taker_fees_dollars: '0.0000', maker_fees_dollars: '0.0000', created_time: '2026-07-01T00:00:00Z' };
const createBody = { ticker: 'KX-A', side: 'bid', count: '10.00', price: '0.5600', time_in_force: 'good_till_canceled', self_trade_prevention_type: 'taker_at_cross', client_order_id: 'c-1' };

describe('HttpTransport and KalshiRestClient', () => {
  test('requests are signed over the full /trade-api/v2 path without the query', async () => {
    const { rest, seen, clock } = setup([{ status: 200, body: { orders: [], cursor: '' } }]);
    await drive(clock, rest.getOrders({ status: 'resting' }));
    assert.equal(seen[0]?.url, 'http://127.0.0.1:1/trade-api/v2/portfolio/orders?status=resting');
    assert.equal(seen[0]?.headers['KALSHI-ACCESS-KEY'], KEY_ID);
    assert.equal(seen[0]?.headers['KALSHI-ACCESS-TIMESTAMP'], '1700000000000');
  });

  test('a 429 is retried after a backoff and the read bucket is drained', async () => {
    const { rest, seen, clock, limiter } = setup([{ status: 429, body: { error: 'too many requests' } }, { status: 200, body: { exchange_active: true, trading_active: false } }]);
    const status = await drive(clock, rest.getExchangeStatus());
    assert.equal(status.trading_active, false);
    assert.equal(seen.length, 2);
    assert.ok(clock.nowMs() > 1_700_000_000_000, 'time passed for the backoff');
    assert.ok(limiter.available('read') < 400);
  });

  test('429s that outlast the attempts end in a RateLimitError', async () => {
    const { rest, clock } = setup(Array.from({ length: 5 }, () => ({ status: 429, body: { error: 'too many requests' } })));
    await assert.rejects(drive(clock, rest.getBalance()), RateLimitError);
  });

  test('a 5xx on a read is retried, but a 5xx on an amend is returned at once as an ApiError', async () => {
    const a = setup([{ status: 503, body: { error: { code: 'service_unavailable', message: 'down' } } }, { status: 200, body: { balance: 100, portfolio_value: 0 } }]);
    assert.equal((await drive(a.clock, a.rest.getBalance())).balance, 100);
    const b = setup([{ status: 503, body: { error: { code: 'service_unavailable', message: 'down' } } }]);
    await assert.rejects(drive(b.clock, b.rest.amendOrder('o-1', { ticker: 'KX-A' })), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.status, 503);
      assert.equal(e.apiCode, 'service_unavailable');
      assert.equal(e.method, 'POST');
      assert.equal(e.path, '/portfolio/events/orders/o-1/amend');
      return true;
    });
    assert.equal(b.seen.length, 1);
  });

  test('a 4xx is an ApiError with Kalshi code, message and details, never retried', async () => {
    const { rest, seen, clock } = setup([{ status: 400, body: { error: { code: 'invalid_price', message: 'price off grid', details: 'step 0.01' } } }]);
    await assert.rejects(drive(clock, rest.createOrder(createBody)), (e: unknown) => e instanceof ApiError && e.apiCode === 'invalid_price' && e.details === 'step 0.01' && /HTTP 400/.test(e.message));
    assert.equal(seen.length, 1);
  });

  test('a retried create with the same client id that finds the order already exists returns the existing order', async () => {
    const { rest, seen, clock } = setup([
      'network-error',
      { status: 409, body: { error: { code: 'order_already_exists', message: 'duplicate client_order_id' } } },
      { status: 200, body: { orders: [{ ...order, client_order_id: 'other' }, order], cursor: '' } },
    ]);
    const ack = await drive(clock, rest.createOrder(createBody));
    assert.equal(ack.order_id, 'o-1');
    assert.equal(ack.remaining_count, '10.00');
    const posts = seen.filter((s) => s.method === 'POST');
    assert.equal(posts.length, 2);
    assert.equal(posts[0]?.body, posts[1]?.body, 'the retry sends the same body, hence the same client_order_id');
    assert.match(seen[2]?.url ?? '', /portfolio\/orders\?ticker=KX-A/);
  });

  test('a call that hangs times out with a TransportError, and a create that times out is retried with the same body', async () => {
    const a = setup(['hang', 'hang', 'hang', 'hang', 'hang']);
    await assert.rejects(drive(a.clock, a.rest.getExchangeStatus()), (e: unknown) => e instanceof TransportError && /timed out after 10000 ms/.test(e.message));
    assert.equal(a.seen.length, 5);
    const b = setup(['hang', { status: 201, body: { order_id: 'o-9', client_order_id: 'c-1', fill_count: '0.00', remaining_count: '10.00', ts_ms: 5 } }]);
    assert.equal((await drive(b.clock, b.rest.createOrder(createBody))).order_id, 'o-9');
    assert.equal(b.seen[0]?.body, b.seen[1]?.body);
  });

  test('cursor pagination follows the cursor lazily until it is empty', async () => {
    const { rest, seen, clock } = setup([
      { status: 200, body: { trades: [{ trade_id: 't1', ticker: 'A', count_fp: '1.00', yes_price_dollars: '0.5000', taker_book_side: 'bid', created_time: '2026-07-01T00:00:00Z' }], cursor: 'p2' } },
      { status: 200, body: { trades: [{ trade_id: 't2', ticker: 'A', count_fp: '2.00', yes_price_dollars: '0.5100', taker_book_side: 'ask', created_time: '2026-07-01T00:00:01Z' }], cursor: '' } },
    ]);
    const ids: string[] = [];
    await drive(clock, (async () => {
      for await (const t of rest.iterateTrades({ ticker: 'A' })) ids.push(t.trade_id);
    })());
    assert.deepEqual(ids, ['t1', 't2']);
    assert.match(seen[1]?.url ?? '', /cursor=p2/);
  });

  test('nothing the client logs or throws contains the key id, the PEM or a signature', async () => {
    const logger = new MemoryLogger();
    const { rest, seen, clock } = setup(
      ['network-error', 'network-error', 'network-error', 'network-error', 'network-error', { status: 401, body: { error: { code: 'unauthorized', message: 'bad signature' } } }, { status: 429, body: 'too many requests' }, 'hang', 'hang', 'hang', 'hang', 'hang'],
      logger,
    );
    const thrown: unknown[] = [];
    const calls: (() => Promise<unknown>)[] = [() => rest.getBalance(), () => rest.cancelOrder('o-1'), () => rest.getOrders(), () => rest.getPositions()];
    for (const call of calls) {
      try {
        await drive(clock, call());
      } catch (error) {
        thrown.push(error);
      }
    }
    assert.ok(thrown.length >= 3);
    const signatures = seen.map((s) => s.headers['KALSHI-ACCESS-SIGNATURE']).filter((s): s is string => typeof s === 'string');
    assert.ok(signatures.length > 0);
    const pemBody = pem.split('\n')[3] ?? 'x';
    const everything = JSON.stringify(logger.records) + thrown.map((e) => `${JSON.stringify(e)} ${String(e)} ${(e as Error).stack ?? ''} ${JSON.stringify((e as Error).cause ?? null)}`).join('\n');
    for (const secret of [KEY_ID, pemBody, ...signatures]) assert.ok(!everything.includes(secret), 'a secret leaked into logs or errors');
  });
});
