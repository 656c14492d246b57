/**
 * The bot (`Supervisor` → `MarketMaker`s → `OrderManager`s) against the local exchange over real
 * sockets through kalshi-mm's `ExchangeClient`: quotes appear on the exchange's book, a fill moves the
 * bot's position to exactly the exchange's, and a SIGTERM-style shutdown leaves zero resting orders.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { MemoryLogger, type Order } from '../../src/core/index.js';
import { connectKalshi } from '../../src/cli/connection.js';
import { Supervisor, type BotStatus } from '../../src/bot/index.js';
import { TEST_PARAMS } from '../../src/bot/test-kit.test-helper.js';
import { SystemClock } from '../../src/exchange/index.js';
import type { ExchangeClient } from '../../src/kalshi/index.js';
import { ClientOrderIds } from '../../src/orders/index.js';
import { rest, startTestExchange, type TestExchange } from '../conformance/exchange-support.js';

/** Polls `check` every 25 ms until it returns a value or `timeoutMs` passes. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the bot against the local exchange', () => {
  let t: TestExchange;
  let client: ExchangeClient;
  let close: () => Promise<void>;
  let bot: Supervisor;
  const statuses: BotStatus[] = [];
  const logger = new MemoryLogger();

  before(async () => {
    t = await startTestExchange();
    const other = t.exchange.accounts[0];
    assert.ok(other);
    // A second account makes the markets two-sided: YES bid 40¢, YES ask 60¢ (NO bid 40¢).
    for (const ticker of ['T-A', 'T-B']) {
      for (const side of ['bid', 'ask'] as const) {
        const reply = await rest(other, 'POST', '/portfolio/events/orders', {
          body: { ticker, side, price: side === 'bid' ? '0.40' : '0.60', count: '50', time_in_force: 'good_till_canceled', self_trade_prevention_type: 'taker_at_cross', post_only: true },
        });
        assert.ok(reply.status < 300, JSON.stringify(reply.body));
      }
    }
    const connection = await connectKalshi({ credentials: join(t.dir, 'credentials.json') }, { env: {}, cwd: t.dir }, { logger });
    client = connection.port;
    close = () => connection.close();
    bot = new Supervisor({
      port: client,
      clock: new SystemClock(),
      logger,
      params: { ...TEST_PARAMS, minRequoteIntervalMs: 100 },
      ids: new ClientOrderIds('itest'),
      tickers: ['T-A', 'T-B'],
      timings: { statusIntervalMs: 200, exchangeStatusIntervalMs: 200 },
      listener: { onStatus: (s) => statuses.push(s) },
    });
    await bot.start();
  });

  after(async () => {
    await bot.shutdown('test over');
    await close();
    await t.cleanup();
  });

  test("the bot's quotes appear on the exchange's book inside the spread", async () => {
    const resting = await waitFor('four resting quotes', async () => {
      const orders = await client.getOrders({ status: 'resting' });
      return orders.length === 4 ? orders : undefined;
    });
    for (const ticker of ['T-A', 'T-B']) {
      const book = await client.getOrderBook(ticker);
      const bid = resting.find((o: Order) => o.ticker === ticker && o.side === 'bid');
      const ask = resting.find((o: Order) => o.ticker === ticker && o.side === 'ask');
      assert.ok(bid && ask, `${ticker} quoted on both sides`);
      assert.ok(bid.price > 4_000 && bid.price < 5_000, `${ticker} bid ${bid.price} improves on 40¢ below the mid`);
      assert.ok(ask.price < 6_000 && ask.price > 5_000, `${ticker} ask ${ask.price} improves on 60¢ above the mid`);
      assert.ok(book.yes.some((l) => l.price === bid.price), 'our bid is on the book');
      assert.ok(book.no.some((l) => l.price === 10_000 - ask.price), 'our ask is on the book (as a NO bid)');
    }
    await waitFor('a status with quotes', () => statuses.find((s) => s.totals.restingOrders === 4));
    assert.equal(bot.status().errors, 0);
  });

  test("a fill moves the bot's position to exactly the exchange's", async () => {
    const other = t.exchange.accounts[0];
    assert.ok(other);
    const bid = await waitFor('our T-A bid', async () => (await client.getOrders({ ticker: 'T-A', status: 'resting' })).find((o) => o.side === 'bid'));
    const price = (bid.price / 10_000).toFixed(4);
    const reply = await rest(other, 'POST', '/portfolio/events/orders', { body: { ticker: 'T-A', side: 'ask', price, count: '3', time_in_force: 'immediate_or_cancel', self_trade_prevention_type: 'taker_at_cross' } });
    assert.ok(reply.status < 300, JSON.stringify(reply.body));
    const exchangePosition = await waitFor('the exchange position', async () => (await client.getPositions()).find((p) => p.ticker === 'T-A' && p.position !== 0));
    assert.equal(exchangePosition.position, 300);
    await waitFor('the bot position', () => (bot.risk.position('T-A') === 300 ? true : undefined));
    const status = bot.status().markets.find((m) => m.ticker === 'T-A');
    assert.equal(status?.fills, 1);
    assert.equal(status?.position, exchangePosition.position);
  });

  test('a 5xx after an accepted create never creates a second order', async () => {
    const other = t.exchange.accounts[0];
    assert.ok(other);
    const bid = await waitFor('our T-B bid', async () => (await client.getOrders({ ticker: 'T-B', status: 'resting' })).find((o) => o.side === 'bid'));
    t.exchange.injectFault({ kind: 'accept_then_fail', count: 1, status: 500 });
    // Fill our whole bid: the maker then creates a new one, whose first answer is a 500.
    // The taker order goes to the engine directly, so the injected REST fault hits the bot's create.
    t.exchange.engine.createOrder(t.exchange.accountIdOf(other.keyId), {
      ticker: 'T-B',
      side: 'ask',
      price: bid.price,
      count: bid.remainingCount,
      timeInForce: 'immediate_or_cancel',
      postOnly: false,
      selfTradePrevention: 'taker_at_cross',
      clientOrderId: 'taker-1',
    });
    const bids = await waitFor('a new T-B bid', async () => {
      const mine = (await client.getOrders({ ticker: 'T-B', status: 'resting' })).filter((o) => o.side === 'bid');
      return mine.length > 0 && mine.every((o) => o.orderId !== bid.orderId) ? mine : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = (await client.getOrders({ ticker: 'T-B', status: 'resting' })).filter((o) => o.side === 'bid');
    assert.equal(after.length, 1, `one bid, not two (${bids.length} then ${after.length})`);
    assert.ok(
      logger.records.some((r) => r.message === 'retrying REST call' && String(r.fields['error']).includes('injected fault')),
      "the bot's create met the injected 500 and was retried",
    );
  });

  test('after a WebSocket drop the bot resyncs and quotes again', async () => {
    const before = logger.records.length;
    t.exchange.injectFault({ kind: 'drop_ws' });
    await waitFor('the reconnect resync', () => (logger.records.slice(before).some((r) => r.message === 'resynced after reconnect') ? true : undefined), 10_000);
    await waitFor('four quotes again', async () => ((await client.getOrders({ status: 'resting' })).length === 4 ? true : undefined), 10_000);
    assert.ok(bot.status().markets.every((m) => m.health.connected));
  });

  test('when the exchange pauses trading the bot pulls its quotes and waits, and resumes after', async () => {
    t.exchange.pause();
    await waitFor('the quotes pulled', async () => ((await client.getOrders({ status: 'resting' })).length === 0 ? true : undefined));
    assert.equal(bot.status().tradingActive, false);
    t.exchange.resume();
    await waitFor('four quotes again', async () => ((await client.getOrders({ status: 'resting' })).length === 4 ? true : undefined), 10_000);
  });

  test('a SIGTERM-style shutdown leaves zero resting orders on the exchange', async () => {
    const report = await bot.shutdown('SIGTERM');
    assert.equal(report.restingLeft, 0);
    const reply = await rest(t.exchange.credentials, 'GET', '/portfolio/orders?status=resting');
    assert.deepEqual((reply.body as { orders: unknown[] }).orders, []);
    assert.ok(!logger.records.some((r) => JSON.stringify(r.fields).includes('PRIVATE KEY')), 'no key material logged');
  });
});
