/**
 * Authentication and rate limits of the local exchange over real sockets: Kalshi's RSA-PSS signed
 * headers (kalshi-api.md §2) with 401s for every failure, public endpoints without headers, and the
 * token buckets with whole-batch admission and the bare 429 body (§11).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { signedHeaders as clientSignedHeaders } from '../../src/kalshi/sign.js';
import { ManualClock } from '../../src/core/index.js';
import { signedHeaders } from '../../src/exchange/index.js';
import { privateKeyOf, rest, startTestExchange, type TestExchange } from '../conformance/exchange-support.js';

const BALANCE = '/portfolio/balance';

describe('request signing', () => {
  let t: TestExchange;
  before(async () => {
    t = await startTestExchange();
  });
  after(async () => t.cleanup());

  const headersFor = async (overrides: { keyId?: string; privateKeyPem?: string; timestampMs?: number; path?: string; method?: string } = {}): Promise<Record<string, string>> =>
    signedHeaders({
      keyId: overrides.keyId ?? t.exchange.credentials.keyId,
      privateKeyPem: overrides.privateKeyPem ?? (await privateKeyOf(t.exchange.credentials)),
      method: overrides.method ?? 'GET',
      path: overrides.path ?? `/trade-api/v2${BALANCE}`,
      timestampMs: overrides.timestampMs ?? Date.now(),
    });

  test('a correctly signed private call succeeds, with or without a query string', async () => {
    const answer = await rest(t.exchange.credentials, 'GET', `${BALANCE}?subaccount=0`);
    assert.equal(answer.status, 200);
    assert.equal((answer.body as { balance: number }).balance, 1_000_000);
  });

  test('a request signed by the client\'s kalshi/sign.ts is accepted', async () => {
    const key = createPrivateKey(await privateKeyOf(t.exchange.credentials));
    const headers = clientSignedHeaders(t.exchange.credentials.keyId, key, Date.now(), 'GET', `/trade-api/v2${BALANCE}`);
    const answer = await rest(t.exchange.credentials, 'GET', BALANCE, { sign: false, headers: { ...headers } });
    assert.equal(answer.status, 200);
  });

  test('a private call without headers is refused with a Kalshi-shaped 401', async () => {
    const answer = await rest(t.exchange.credentials, 'GET', BALANCE, { sign: false });
    assert.equal(answer.status, 401);
    assert.equal((answer.body as { error: { code: string } }).error.code, 'authentication_error');
  });

  test('a signature made with another key is refused', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const answer = await rest(t.exchange.credentials, 'GET', BALANCE, { sign: false, headers: await headersFor({ privateKeyPem: other }) });
    assert.equal(answer.status, 401);
    assert.match((answer.body as { error: { message: string } }).error.message, /SIGNATURE/);
  });

  test('a signature over another path or method is refused', async () => {
    const wrongPath = await rest(t.exchange.credentials, 'GET', BALANCE, { sign: false, headers: await headersFor({ path: '/trade-api/v2/portfolio/positions' }) });
    assert.equal(wrongPath.status, 401);
    const wrongMethod = await rest(t.exchange.credentials, 'GET', BALANCE, { sign: false, headers: await headersFor({ method: 'POST' }) });
    assert.equal(wrongMethod.status, 401);
  });

  test('an unknown key id is refused', async () => {
    const answer = await rest(t.exchange.credentials, 'GET', BALANCE, { sign: false, headers: await headersFor({ keyId: '00000000-0000-4000-8000-000000000000' }) });
    assert.equal(answer.status, 401);
    assert.match((answer.body as { error: { message: string } }).error.message, /unknown key/);
  });

  test('a timestamp outside the 30 s window is refused, stale or from the future', async () => {
    const stale = await rest(t.exchange.credentials, 'GET', BALANCE, { sign: false, headers: await headersFor({ timestampMs: Date.now() - 60_000 }) });
    assert.equal(stale.status, 401);
    const future = await rest(t.exchange.credentials, 'GET', BALANCE, { sign: false, headers: await headersFor({ timestampMs: Date.now() + 60_000 }) });
    assert.equal(future.status, 401);
    assert.match((future.body as { error: { message: string } }).error.message, /TIMESTAMP/);
  });

  test('public endpoints answer without any header', async () => {
    for (const path of ['/exchange/status', '/markets', '/markets/T-A', '/markets/T-A/orderbook', '/markets/trades', '/events', '/series/KXLOCAL', '/account/endpoint_costs']) {
      const answer = await rest(t.exchange.credentials, 'GET', path, { sign: false });
      assert.equal(answer.status, 200, path);
    }
  });

  test('an unknown route answers a Kalshi-shaped 404, not a 401', async () => {
    const answer = await rest(t.exchange.credentials, 'GET', '/no/such/route', { sign: false });
    assert.equal(answer.status, 404);
    assert.equal((answer.body as { error: { code: string } }).error.code, 'not_found');
  });

  test('the 401 body never echoes the key id or the signature', async () => {
    const headers = await headersFor({ timestampMs: Date.now() - 60_000 });
    const answer = await rest(t.exchange.credentials, 'GET', BALANCE, { sign: false, headers });
    const text = JSON.stringify(answer.body);
    assert.ok(!text.includes(t.exchange.credentials.keyId));
    assert.ok(!text.includes(headers['KALSHI-ACCESS-SIGNATURE']!.slice(0, 20)));
  });
});

describe('rate limits at the Basic tier', () => {
  let t: TestExchange;
  before(async () => {
    // A frozen clock: buckets do not refill between requests, so the counts below are exact.
    t = await startTestExchange({ rateLimitTier: 'basic', clock: new ManualClock(Date.now()) });
  });
  after(async () => t.cleanup());

  const create = (i: number) => ({ ticker: 'T-B', side: 'bid', price: '0.01', count: '1', time_in_force: 'good_till_canceled', self_trade_prevention_type: 'taker_at_cross', client_order_id: `rl-${i}` });

  test('a batch larger than the write bucket is refused whole with the bare 429 body', async () => {
    const answer = await rest(t.exchange.credentials, 'POST', '/portfolio/events/orders/batched', { body: { orders: Array.from({ length: 11 }, (_, i) => create(100 + i)) } });
    assert.equal(answer.status, 429);
    assert.deepEqual(answer.body, { error: 'too many requests' });
    const orders = await rest(t.exchange.credentials, 'GET', '/portfolio/orders');
    assert.equal((orders.body as { orders: unknown[] }).orders.length, 0, 'no order of the refused batch exists');
  });

  test('ten creates pass (100 write tokens at cost 10) and the eleventh is refused', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await rest(t.exchange.credentials, 'POST', '/portfolio/events/orders', { body: create(i) })).status);
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(201));
    assert.equal(statuses[10], 429);
  });

  test('reads draw from their own bucket and still pass while writes are exhausted', async () => {
    const answer = await rest(t.exchange.credentials, 'GET', '/portfolio/balance');
    assert.equal(answer.status, 200);
  });

  test('another account has its own buckets', async () => {
    const answer = await rest(t.exchange.accounts[0]!, 'POST', '/portfolio/events/orders', { body: create(900) });
    assert.equal(answer.status, 201);
  });
});
