/**
 * The admin API and fault injection of the local exchange (issue 4 "Faults"): REST failures with
 * 429/500/503, the "accepted then 5xx" order, exchange-wide pauses, settlement, added accounts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rest, startTestExchange, type TestExchange } from '../conformance/exchange-support.js';

const create = (clientOrderId: string, price = '0.25') => ({ ticker: 'T-A', side: 'bid', price, count: '1', time_in_force: 'good_till_canceled', self_trade_prevention_type: 'taker_at_cross', client_order_id: clientOrderId });

describe('admin API and faults', () => {
  let t: TestExchange;
  let adminUrl: string;
  const admin = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${adminUrl}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  before(async () => {
    t = await startTestExchange();
    adminUrl = `http://127.0.0.1:${t.exchange.port}/_admin`;
  });
  after(async () => t.cleanup());

  test('rest_fail answers the chosen status with Kalshi bodies for the given number of calls, then recovers', async () => {
    assert.equal((await admin('POST', '/faults', { kind: 'rest_fail', fraction: 1, status: 503, count: 2 })).status, 200);
    const first = await rest(t.exchange.credentials, 'GET', '/exchange/status');
    assert.equal(first.status, 503);
    assert.equal((first.body as { error: { code: string } }).error.code, 'service_unavailable');
    assert.equal((await rest(t.exchange.credentials, 'GET', '/exchange/status')).status, 503);
    assert.equal((await rest(t.exchange.credentials, 'GET', '/exchange/status')).status, 200);
    t.exchange.injectFault({ kind: 'rest_fail', fraction: 1, status: 429, count: 1 });
    assert.deepEqual((await rest(t.exchange.credentials, 'GET', '/markets')).body, { error: 'too many requests' });
  });

  test('a fraction of 0.5 fails some calls and not others, reproducibly from the seed', async () => {
    t.exchange.injectFault({ kind: 'rest_fail', fraction: 0.5, status: 500 });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await rest(t.exchange.credentials, 'GET', '/exchange/status')).status);
    t.exchange.clearFaults();
    assert.ok(statuses.includes(500) && statuses.includes(200), statuses.join(','));
  });

  test('accept_then_fail executes the order but answers 500', async () => {
    assert.equal((await admin('POST', '/faults', { kind: 'accept_then_fail', count: 1 })).status, 200);
    const answer = await rest(t.exchange.credentials, 'POST', '/portfolio/events/orders', { body: create('atf-1') });
    assert.equal(answer.status, 500);
    const orders = (await rest(t.exchange.credentials, 'GET', '/portfolio/orders?ticker=T-A')).body as { orders: { client_order_id: string; status: string }[] };
    assert.deepEqual(orders.orders.filter((o) => o.client_order_id === 'atf-1').map((o) => o.status), ['resting']);
    const retry = await rest(t.exchange.credentials, 'POST', '/portfolio/events/orders', { body: create('atf-1') });
    assert.equal(retry.status, 409, 'a retry with the same client id finds the accepted order');
  });

  test('rest_delay holds calls for the given time', async () => {
    t.exchange.injectFault({ kind: 'rest_delay', fraction: 1, ms: 300, count: 1 });
    const started = performance.now();
    assert.equal((await rest(t.exchange.credentials, 'GET', '/exchange/status')).status, 200);
    assert.ok(performance.now() - started >= 290);
  });

  test('an exchange-wide trading pause refuses creates with 409 trading_is_paused but accepts cancels', async () => {
    const placed = (await rest(t.exchange.credentials, 'POST', '/portfolio/events/orders', { body: create('pause-1', '0.20') })).body as { order_id: string };
    const fragile = (await rest(t.exchange.credentials, 'POST', '/portfolio/events/orders', { body: { ...create('pause-3', '0.21'), cancel_order_on_pause: true } })).body as { order_id: string };
    assert.deepEqual((await admin('POST', '/exchange', { trading_active: false })).body, { exchange_active: true, trading_active: false, cancelled_orders: 1 });
    const cancelled = (await rest(t.exchange.credentials, 'GET', `/portfolio/orders/${fragile.order_id}`)).body as { order: { status: string } };
    assert.equal(cancelled.order.status, 'canceled', 'the cancel_order_on_pause order was cancelled when the pause began');
    assert.equal(((await rest(t.exchange.credentials, 'GET', '/exchange/status')).body as { trading_active: boolean }).trading_active, false);
    const refused = await rest(t.exchange.credentials, 'POST', '/portfolio/events/orders', { body: create('pause-2') });
    assert.equal(refused.status, 409);
    assert.equal((refused.body as { error: { code: string } }).error.code, 'trading_is_paused');
    assert.equal((await rest(t.exchange.credentials, 'DELETE', `/portfolio/events/orders/${placed.order_id}`)).status, 200);
    await admin('POST', '/exchange', { trading_active: true });
  });

  test('settle via admin finalizes the market; bad bodies get 400', async () => {
    assert.equal((await admin('POST', '/markets/T-B/settle', { result: 'maybe' })).status, 400);
    assert.equal((await admin('POST', '/markets/T-B/settle', { result: 'no' })).status, 200);
    const market = (await rest(t.exchange.credentials, 'GET', '/markets/T-B')).body as { market: { status: string; result: string } };
    assert.equal(market.market.status, 'finalized');
    assert.equal(market.market.result, 'no');
  });

  test('an added account can trade with its own key', async () => {
    const added = (await admin('POST', '/accounts', { balance_dollars: '50.00' })).body as { key_id: string; private_key_path: string };
    const credentials = { ...t.exchange.credentials, keyId: added.key_id, privateKeyPath: added.private_key_path };
    const balance = (await rest(credentials, 'GET', '/portfolio/balance')).body as { balance: number };
    assert.equal(balance.balance, 5000);
    const file = JSON.parse(await readFile(join(t.dir, 'credentials-2.json'), 'utf8')) as { keyId: string };
    assert.equal(file.keyId, added.key_id, 'the new account has its credentials file');
  });

  test('moving the fair value without a generator is a 404', async () => {
    assert.equal((await admin('POST', '/markets/T-A/fair', { probability: 0.9 })).status, 404);
  });
});
