/**
 * Market selection over real sockets: the bot scans the local exchange's markets, trades the one with
 * the most two-sided flow, and when the flow moves to another market the next selection drops the
 * first — its orders cancelled on the exchange — and quotes the new one. The spread the selection
 * sees for a traded market leaves our own quotes out (otherwise our quotes would keep it selected).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { MemoryLogger } from '../../src/core/index.js';
import { connectKalshi } from '../../src/cli/connection.js';
import { Supervisor } from '../../src/bot/index.js';
import { TEST_PARAMS } from '../../src/bot/test-kit.test-helper.js';
import { SystemClock, type LocalCredentials } from '../../src/exchange/index.js';
import type { ExchangeClient } from '../../src/kalshi/index.js';
import { ClientOrderIds } from '../../src/orders/index.js';
import { rest, startTestExchange, type TestExchange } from '../conformance/exchange-support.js';

async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function order(who: LocalCredentials, body: Record<string, unknown>): Promise<void> {
  const reply = await rest(who, 'POST', '/portfolio/events/orders', { body: { self_trade_prevention_type: 'taker_at_cross', ...body } });
  assert.ok(reply.status < 300, JSON.stringify(reply.body));
}

/** Two-sided flow of `contracts` at 50¢ between two accounts (one taker buy, one taker sell). */
async function flow(maker: LocalCredentials, taker: LocalCredentials, ticker: string, contracts: number): Promise<void> {
  const count = String(contracts);
  await order(maker, { ticker, side: 'ask', price: '0.50', count, time_in_force: 'good_till_canceled', post_only: true });
  await order(taker, { ticker, side: 'bid', price: '0.50', count, time_in_force: 'immediate_or_cancel' });
  await order(maker, { ticker, side: 'bid', price: '0.50', count, time_in_force: 'good_till_canceled', post_only: true });
  await order(taker, { ticker, side: 'ask', price: '0.50', count, time_in_force: 'immediate_or_cancel' });
}

describe('market selection against the local exchange', () => {
  let t: TestExchange;
  let client: ExchangeClient;
  let close: () => Promise<void>;
  let bot: Supervisor;
  let a: LocalCredentials;
  let b: LocalCredentials;

  before(async () => {
    t = await startTestExchange({ accounts: 3 });
    const [first, second] = t.exchange.accounts;
    assert.ok(first && second);
    a = first;
    b = second;
    for (const ticker of ['T-A', 'T-B']) {
      await order(a, { ticker, side: 'bid', price: '0.40', count: '50', time_in_force: 'good_till_canceled', post_only: true });
      await order(a, { ticker, side: 'ask', price: '0.60', count: '50', time_in_force: 'good_till_canceled', post_only: true });
    }
    await flow(a, b, 'T-A', 300);
    await flow(a, b, 'T-B', 120);
    const connection = await connectKalshi({ credentials: join(t.dir, 'credentials.json') }, { env: {}, cwd: t.dir }, { logger: new MemoryLogger() });
    client = connection.port;
    close = () => connection.close();
    bot = new Supervisor({
      port: client,
      clock: new SystemClock(),
      logger: new MemoryLogger(),
      params: { ...TEST_PARAMS, maxMarkets: 1, minRequoteIntervalMs: 100, selectMinTimeToCloseMs: 60_000 },
      ids: new ClientOrderIds('isel'),
      timings: { statusIntervalMs: 200 },
    });
    await bot.start();
  });

  after(async () => {
    await bot.shutdown('test over');
    await close();
    await t.cleanup();
  });

  test('the market with the most two-sided flow is selected and quoted', async () => {
    assert.deepEqual(bot.status().markets.map((m) => m.ticker), ['T-A']);
    await waitFor('two quotes on T-A', async () => ((await client.getOrders({ ticker: 'T-A', status: 'resting' })).length === 2 ? true : undefined));
    assert.equal((await client.getOrders({ ticker: 'T-B', status: 'resting' })).length, 0);
  });

  test("when the flow moves, the dropped market's orders are cancelled and the new one is quoted", async () => {
    await flow(a, b, 'T-B', 2_000);
    await bot.refreshSelection();
    assert.deepEqual(bot.status().markets.map((m) => m.ticker), ['T-B']);
    assert.equal((await client.getOrders({ ticker: 'T-A', status: 'resting' })).length, 0, 'no order left on the dropped market');
    await waitFor('two quotes on T-B', async () => ((await client.getOrders({ ticker: 'T-B', status: 'resting' })).length === 2 ? true : undefined));
  });
});
