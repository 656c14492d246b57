/**
 * The bot (`Supervisor` → `MarketMaker`s → `OrderManager`s) against the local exchange over real
 * sockets through kalshi-mm's `ExchangeClient`: quotes appear on the exchange's book, a fill moves the
 * bot's position to exactly the exchange's, and a SIGTERM-style shutdown leaves zero resting orders.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { MemoryLogger, type AmendRequest, type Count, type ExchangePort, type Order, type OrderRequest, type Price } from '../../src/core/index.js';
import { connectKalshi } from '../../src/cli/connection.js';
import { Supervisor, type BotStatus } from '../../src/bot/index.js';
import { TEST_PARAMS } from '../../src/bot/test-kit.test-helper.js';
import { SystemClock } from '../../src/exchange/index.js';
import type { ExchangeClient } from '../../src/kalshi/index.js';
import { ClientOrderIds } from '../../src/orders/index.js';
import { rest, startTestExchange, type TestExchange } from '../conformance/exchange-support.js';

/** What the bot saw and sent, in order: market-data events and order entries per ticker. */
interface Trace {
  readonly kind: string;
  readonly ticker?: string;
}

/** Wraps `port` so every event it yields and every create/amend it receives is appended to `trace`. */
function traced(port: ExchangePort, trace: Trace[]): ExchangePort {
  return new Proxy(port, {
    get(target, prop) {
      if (prop === 'events') {
        return (signal?: AbortSignal) =>
          (async function* () {
            for await (const event of target.events(signal)) {
              const ticker = 'ticker' in event ? event.ticker : undefined;
              trace.push({ kind: event.type, ...(ticker !== undefined ? { ticker } : {}) });
              yield event;
            }
          })();
      }
      if (prop === 'createOrder' || prop === 'amendOrder') {
        return (request: OrderRequest | AmendRequest) => {
          trace.push({ kind: prop, ticker: request.ticker });
          return prop === 'createOrder' ? target.createOrder(request as OrderRequest) : target.amendOrder(request as AmendRequest);
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

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
  const trace: Trace[] = [];

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
      port: traced(client, trace),
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
    // Orders and book are two reads; the bot may requote between them, so the pair is re-read until it agrees.
    await waitFor('our four quotes, inside 40–60¢, on the exchange book', async () => {
      const resting = await client.getOrders({ status: 'resting' });
      if (resting.length !== 4) return undefined;
      for (const ticker of ['T-A', 'T-B']) {
        const bid = resting.find((o: Order) => o.ticker === ticker && o.side === 'bid');
        const ask = resting.find((o: Order) => o.ticker === ticker && o.side === 'ask');
        if (!bid || !ask) return undefined;
        assert.ok(bid.price > 4_000 && bid.price < 5_000, `${ticker} bid ${bid.price} improves on 40¢ below the mid`);
        assert.ok(ask.price < 6_000 && ask.price > 5_000, `${ticker} ask ${ask.price} improves on 60¢ above the mid`);
        const book = await client.getOrderBook(ticker);
        if (!book.yes.some((l) => l.price === bid.price) || !book.no.some((l) => l.price === 10_000 - ask.price)) return undefined;
      }
      return true;
    });
    await waitFor('a status with quotes', () => statuses.find((s) => s.totals.restingOrders === 4));
    assert.equal(bot.status().errors, 0);
  });

  test("a fill moves the bot's position to exactly the exchange's", async () => {
    const other = t.exchange.accounts[0];
    assert.ok(other);
    await waitFor('our T-A bid above 41¢', async () => (await client.getOrders({ ticker: 'T-A', status: 'resting' })).find((o) => o.side === 'bid' && o.price >= 4_100));
    // Sell at 41¢: only our bid (the bot improves on the other account's 40¢, which cannot self-match) can take it,
    // wherever the bot has requoted it meanwhile.
    const reply = await rest(other, 'POST', '/portfolio/events/orders', { body: { ticker: 'T-A', side: 'ask', price: '0.41', count: '3', time_in_force: 'immediate_or_cancel', self_trade_prevention_type: 'taker_at_cross' } });
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
    const bid = await waitFor('our T-B bid above 41¢', async () => (await client.getOrders({ ticker: 'T-B', status: 'resting' })).find((o) => o.side === 'bid' && o.price >= 4_100));
    t.exchange.injectFault({ kind: 'accept_then_fail', count: 1, status: 500 });
    // Fill our whole bid: the maker then creates a new one, whose first answer is a 500.
    // The taker order goes to the engine directly, so the injected REST fault hits the bot's create.
    t.exchange.engine.createOrder(t.exchange.accountIdOf(other.keyId), {
      ticker: 'T-B',
      // 41¢ × 100 contracts takes our whole bid wherever the bot has requoted it (and nothing else).
      side: 'ask',
      price: 4_100 as Price,
      count: 10_000 as Count,
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

  test('a sequence gap makes the book stale: no quote is sent for it until a fresh snapshot', async () => {
    const from = trace.length;
    t.exchange.injectFault({ kind: 'skip_seq' });
    // Move the market so the next delta (the one after the skipped one) is a real change.
    const other = t.exchange.accounts[0];
    assert.ok(other);
    await rest(other, 'POST', '/portfolio/events/orders', { body: { ticker: 'T-A', side: 'bid', price: '0.41', count: '5', time_in_force: 'good_till_canceled', self_trade_prevention_type: 'taker_at_cross', post_only: true } });
    await rest(other, 'POST', '/portfolio/events/orders', { body: { ticker: 'T-B', side: 'bid', price: '0.41', count: '5', time_in_force: 'good_till_canceled', self_trade_prevention_type: 'taker_at_cross', post_only: true } });
    await waitFor('a stale event', () => (trace.slice(from).some((e) => e.kind === 'stale') ? true : undefined));
    await waitFor('four quotes again', async () => ((await client.getOrders({ status: 'resting' })).length === 4 ? true : undefined), 10_000);
    const stale = new Set<string>();
    let all = false;
    for (const e of trace.slice(from)) {
      if (e.kind === 'stale') {
        if (e.ticker === undefined) all = true;
        else stale.add(e.ticker);
      } else if (e.kind === 'book_snapshot' && e.ticker !== undefined) {
        stale.delete(e.ticker);
        all = false;
      } else if (e.kind === 'createOrder' || e.kind === 'amendOrder') {
        assert.ok(!all && !stale.has(e.ticker ?? ''), `${e.kind} on ${e.ticker} while its book was stale`);
      }
    }
  });

  test('a burst of 429s slows the bot without losing or doubling an order', async () => {
    const other = t.exchange.accounts[0];
    assert.ok(other);
    const from = trace.length;
    const logFrom = logger.records.length;
    t.exchange.injectFault({ kind: 'rest_fail', fraction: 1, status: 429, count: 6 });
    // Move both markets (through the engine, so the REST fault is left for the bot): the bot must requote into the burst.
    for (const ticker of ['T-A', 'T-B']) {
      t.exchange.engine.createOrder(t.exchange.accountIdOf(other.keyId), { ticker, side: 'ask', price: 5_300 as Price, count: 500 as Count, timeInForce: 'good_till_canceled', postOnly: true, selfTradePrevention: 'taker_at_cross', clientOrderId: `move-${ticker}` });
    }
    await waitFor('a requote', () => (trace.slice(from).some((e) => e.kind === 'amendOrder' || e.kind === 'createOrder') ? true : undefined));
    await waitFor('the 429s met and retried', () => (logger.records.slice(logFrom).some((r) => JSON.stringify(r.fields).includes('429') || /rate.?limit/i.test(JSON.stringify(r.fields))) ? true : undefined), 10_000);
    await waitFor('one bid and one ask in each market', async () => {
      const orders = await client.getOrders({ status: 'resting' });
      for (const ticker of ['T-A', 'T-B']) {
        for (const side of ['bid', 'ask'] as const) {
          const n = orders.filter((o) => o.ticker === ticker && o.side === side).length;
          assert.ok(n <= 1, `${ticker} ${side}: ${n} orders — an order was doubled`);
        }
      }
      return orders.length === 4 ? true : undefined;
    }, 10_000);
  });

  test('a SIGTERM-style shutdown leaves zero resting orders on the exchange', async () => {
    const report = await bot.shutdown('SIGTERM');
    assert.equal(report.restingLeft, 0);
    const reply = await rest(t.exchange.credentials, 'GET', '/portfolio/orders?status=resting');
    assert.deepEqual((reply.body as { orders: unknown[] }).orders, []);
    assert.ok(!logger.records.some((r) => JSON.stringify(r.fields).includes('PRIVATE KEY')), 'no key material logged');
  });
});
