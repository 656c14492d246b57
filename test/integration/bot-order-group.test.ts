/**
 * The bot's exchange-side circuit breaker against the local exchange over real sockets: the supervisor
 * creates a Kalshi order group (kalshi-api.md §9) at start, every quote joins it, fills past its limit
 * within 15 s make the exchange cancel our quotes and the bot pause, and quoting resumes once the bot
 * resets the group after its cool-down. Timings (real clock) are reported as test diagnostics.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MemoryLogger, type Count, type Price } from '../../src/core/index.js';
import { connectKalshi } from '../../src/cli/connection.js';
import { Supervisor } from '../../src/bot/index.js';
import { TEST_PARAMS } from '../../src/bot/test-kit.test-helper.js';
import { SystemClock } from '../../src/exchange/index.js';
import type { ExchangeClient } from '../../src/kalshi/index.js';
import { ClientOrderIds, type OrderLogEvent } from '../../src/orders/index.js';
import { rest, startTestExchange, type TestExchange } from '../conformance/exchange-support.js';

/** Polls `check` every 5 ms until it returns a value or `timeoutMs` passes. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const LIMIT_CONTRACTS = 5;
const RESET_AFTER_MS = 1_500;

describe('the order-group circuit breaker of the bot against the local exchange', () => {
  let t: TestExchange;
  let client: ExchangeClient;
  let close: () => Promise<void>;
  let bot: Supervisor;
  const logger = new MemoryLogger();
  const orderEvents: OrderLogEvent[] = [];

  before(async () => {
    t = await startTestExchange();
    const other = t.exchange.accounts[0];
    assert.ok(other);
    for (const side of ['bid', 'ask'] as const) {
      const reply = await rest(other, 'POST', '/portfolio/events/orders', {
        body: { ticker: 'T-A', side, price: side === 'bid' ? '0.40' : '0.60', count: '50', time_in_force: 'good_till_canceled', self_trade_prevention_type: 'taker_at_cross', post_only: true },
      });
      assert.ok(reply.status < 300, JSON.stringify(reply.body));
    }
    const connection = await connectKalshi({ credentials: join(t.dir, 'credentials.json') }, { env: {}, cwd: t.dir }, { logger });
    client = connection.port;
    close = () => connection.close();
    bot = new Supervisor({
      port: client,
      clock: new SystemClock(),
      logger,
      params: { ...TEST_PARAMS, minRequoteIntervalMs: 100 },
      ids: new ClientOrderIds('ogtest'),
      tickers: ['T-A'],
      timings: { statusIntervalMs: 200, exchangeStatusIntervalMs: 60_000 },
      orderGroup: { contractsLimit: (LIMIT_CONTRACTS * 100) as Count, resetAfterMs: RESET_AFTER_MS },
      listener: { onOrderEvent: (e) => orderEvents.push(e) },
    });
    await bot.start();
  });

  after(async () => {
    await bot.shutdown('test over');
    await close();
    await t.cleanup();
  });

  test('the bot creates one group at start and every quote it places joins it', async () => {
    const groupId = bot.status().orderGroup?.orderGroupId;
    assert.ok(groupId);
    assert.deepEqual((await client.listOrderGroups()).map((g) => g.orderGroupId), [groupId]);
    const quotes = await waitFor('two quotes', async () => {
      const resting = await client.getOrders({ status: 'resting' });
      return resting.length === 2 ? resting : undefined;
    });
    for (const order of quotes) assert.equal((await client.rest.getOrder(order.orderId)).order.order_group_id, groupId);
  });

  test('fills past the limit within 15 s trigger the group: quotes are pulled, quoting pauses, and resumes after the reset', async (ctx) => {
    const other = t.exchange.accounts[0];
    assert.ok(other);
    const bid = await waitFor('our bid above 41¢', async () => (await client.getOrders({ ticker: 'T-A', status: 'resting' })).find((o) => o.side === 'bid' && o.price >= 4_100));
    assert.ok(bid.remainingCount > LIMIT_CONTRACTS * 100, `our bid (${bid.remainingCount / 100}) is larger than the limit`);
    const ours = t.exchange.accountIdOf(t.exchange.credentials.keyId);
    const createsBefore = orderEvents.filter((e) => e.type === 'intent' && e.action.kind === 'create').length;
    // One taker sells limit + 1 contracts at 41¢: only our bid (above the other account's 40¢) can take it.
    const t0 = performance.now();
    t.exchange.engine.createOrder(t.exchange.accountIdOf(other.keyId), {
      ticker: 'T-A',
      side: 'ask',
      price: 4_100 as Price,
      count: ((LIMIT_CONTRACTS + 1) * 100) as Count,
      timeInForce: 'immediate_or_cancel',
      postOnly: false,
      selfTradePrevention: 'taker_at_cross',
      clientOrderId: 'sweep-1',
    });
    // The exchange cancels the group's quotes in the same matching step.
    const restingAtExchange = t.exchange.engine.restingOrders(ours);
    assert.deepEqual(restingAtExchange, [], 'every quote of the group was cancelled by the exchange at once');
    await waitFor('the bot to see the trigger', () => (bot.status().orderGroup?.state === 'triggered' ? true : undefined));
    const noticedMs = performance.now() - t0;
    await waitFor('every maker paused', () => (bot.status().markets.every((m) => m.health.paused) ? true : undefined));
    const pausedMs = performance.now() - t0;
    const warning = logger.records.find((r) => r.level === 'warn' && r.message.startsWith('order group triggered'));
    assert.ok(warning, 'a warning names the trigger');
    assert.equal(warning.fields['contractsLimit'], LIMIT_CONTRACTS);
    assert.equal(warning.fields['ourFilledContractsInWindow'], LIMIT_CONTRACTS + 1);
    // While triggered, nothing rests: the makers send no quote into the refusing group.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal((await client.getOrders({ status: 'resting' })).length, 0, 'no quote while the group is triggered');
    const rejected = orderEvents.filter((e) => e.type === 'failed' && e.kind === 'create').length;
    // Quoting resumes after the cool-down: the bot resets the group and quotes again, in the group.
    const quotes = await waitFor('two quotes again', async () => {
      const resting = await client.getOrders({ status: 'resting' });
      return resting.length === 2 ? resting : undefined;
    }, RESET_AFTER_MS + 5_000);
    const resumedMs = performance.now() - t0;
    assert.ok(resumedMs >= RESET_AFTER_MS, `no quote before the cool-down ended (${Math.round(resumedMs)} ms)`);
    const groupId = bot.status().orderGroup?.orderGroupId;
    for (const order of quotes) assert.equal((await client.rest.getOrder(order.orderId)).order.order_group_id, groupId);
    assert.equal(bot.status().orderGroup?.state, 'active');
    assert.equal(bot.status().orderGroup?.triggers, 1);
    const creates = orderEvents.filter((e) => e.type === 'intent' && e.action.kind === 'create').length - createsBefore;
    ctx.diagnostic(
      `order group: quotes pulled by the exchange in the fill's matching step; bot saw the trigger after ${noticedMs.toFixed(1)} ms, makers paused after ${pausedMs.toFixed(1)} ms; ` +
        `quoting resumed ${resumedMs.toFixed(0)} ms after the fill (cool-down ${RESET_AFTER_MS} ms); creates refused by the triggered group: ${rejected}; creates since the fill: ${creates}`,
    );
  });

  test('shutdown deletes the group', async () => {
    await bot.shutdown('test over');
    assert.deepEqual(await client.listOrderGroups(), []);
    assert.equal((await client.getOrders({ status: 'resting' })).length, 0);
  });
});
