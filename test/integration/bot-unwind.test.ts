/**
 * Dropped markets over real sockets: a market that leaves the selection while we hold a position is
 * unwound (only the reducing side rests, no larger than the position) until a taker takes it, then
 * cancelled and unsubscribed; and a position changed behind the bot's back (a fill its stream never
 * delivered) is found by the periodic reconciliation and adopted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Supervisor } from '../../src/bot/index.js';
import { TEST_PARAMS } from '../../src/bot/test-kit.test-helper.js';
import { connectKalshi } from '../../src/cli/connection.js';
import { MemoryLogger, type PortEvent } from '../../src/core/index.js';
import { SystemClock, type LocalCredentials } from '../../src/exchange/index.js';
import type { ExchangeClient } from '../../src/kalshi/index.js';
import { ClientOrderIds } from '../../src/orders/index.js';
import { rest, startTestExchange, type TestExchange } from '../conformance/exchange-support.js';
import { until } from './run-harness.js';

async function order(who: LocalCredentials, body: Record<string, unknown>): Promise<void> {
  const reply = await rest(who, 'POST', '/portfolio/events/orders', { body: { self_trade_prevention_type: 'taker_at_cross', ...body } });
  assert.ok(reply.status < 300, JSON.stringify(reply.body));
}

/** Two-sided flow of `contracts` at 50¢ between two other accounts. */
async function flow(maker: LocalCredentials, taker: LocalCredentials, ticker: string, contracts: number): Promise<void> {
  const count = String(contracts);
  await order(maker, { ticker, side: 'ask', price: '0.50', count, time_in_force: 'good_till_canceled', post_only: true });
  await order(taker, { ticker, side: 'bid', price: '0.50', count, time_in_force: 'immediate_or_cancel' });
  await order(maker, { ticker, side: 'bid', price: '0.50', count, time_in_force: 'good_till_canceled', post_only: true });
  await order(taker, { ticker, side: 'ask', price: '0.50', count, time_in_force: 'immediate_or_cancel' });
}

describe('dropped markets and positions against the local exchange', () => {
  let t: TestExchange | undefined;
  let client: ExchangeClient;
  let close: (() => Promise<void>) | undefined;
  let bot: Supervisor | undefined;
  let logger: MemoryLogger;
  let a: LocalCredentials;
  let b: LocalCredentials;
  /** While set, the bot's stream loses fill events of this market (a fill it never sees). */
  let blindTo: string | undefined;

  before(async () => {
    t = await startTestExchange({ accounts: 3 });
    // The bot trades the exchange's own account (credentials.json); a and b are two others.
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
    const connection = await connectKalshi(
      { credentials: join(t.dir, 'credentials.json') },
      { env: {}, cwd: t.dir },
      { logger: new MemoryLogger() },
    );
    client = connection.port;
    close = () => connection.close();
    const events = client.events.bind(client);
    // The port as the bot sees it: the real client, except fills of `blindTo` are lost on the way.
    const port = Object.assign(Object.create(client) as ExchangeClient, {
      async *events(signal?: AbortSignal): AsyncIterable<PortEvent> {
        for await (const event of events(signal)) if (!(event.type === 'fill' && event.fill.ticker === blindTo)) yield event;
      },
    });
    logger = new MemoryLogger();
    bot = new Supervisor({
      port,
      clock: new SystemClock(),
      logger,
      params: {
        ...TEST_PARAMS,
        maxMarkets: 1,
        minRequoteIntervalMs: 100,
        selectMinTimeToCloseMs: 60_000,
        sizeVolScaling: 0,
        positionReconcileIntervalMs: 1_000,
      },
      ids: new ClientOrderIds('iunw'),
      timings: { statusIntervalMs: 100, positionConfirmDelayMs: 300 },
    });
    await bot.start();
  });

  after(async () => {
    await bot?.shutdown('test over');
    await close?.();
    await t?.cleanup();
  });

  const sup = (): Supervisor => bot ?? assert.fail('the bot did not start');
  const resting = async (ticker: string) => client.getOrders({ ticker, status: 'resting' });
  /** Account b takes `contracts` of our resting `side` order (again if a requote moved it) until `done`. */
  const takeOurs = (ticker: string, side: 'bid' | 'ask', contracts: number, done: () => boolean | Promise<boolean>, what: string) =>
    until(async () => {
      const ours = (await resting(ticker)).find((o) => o.side === side);
      const price = ours && (ours.price / 10_000).toFixed(2);
      if (ours)
        await order(b, {
          ticker,
          side: side === 'bid' ? 'ask' : 'bid',
          price,
          count: String(contracts),
          time_in_force: 'immediate_or_cancel',
        });
      return done();
    }, what);

  test(
    'a market dropped with a position rests only a reduce-only ask until flat, then is cancelled and unsubscribed',
    { timeout: 30_000 },
    async () => {
      assert.deepEqual(
        sup()
          .status()
          .markets.map((m) => m.ticker),
        ['T-A'],
      );
      await until(async () => (await resting('T-A')).length === 2, 'two quotes on T-A');
      // A taker sells 4 contracts into our bid: we are long 4.
      await takeOurs('T-A', 'bid', 4, () => sup().risk.position('T-A') !== 0, 'a fill of our bid');
      assert.equal(sup().risk.position('T-A'), 400);
      await flow(a, b, 'T-B', 2_000);
      await sup().refreshSelection();
      const statusA = sup()
        .status()
        .markets.find((m) => m.ticker === 'T-A');
      assert.equal(statusA?.unwind?.policy, 'unwind');
      await until(async () => {
        const left = await resting('T-A');
        return left.length === 1 && left[0]?.side === 'ask' && left[0].remainingCount === 400;
      }, 'only an ask for the 4 contracts held on T-A');
      await until(async () => (await resting('T-B')).length === 2, 'two quotes on T-B');
      await takeOurs('T-A', 'ask', 4, () => sup().risk.position('T-A') === 0, 'a fill of the unwind ask');
      await until(
        () =>
          sup()
            .status()
            .markets.every((m) => m.ticker !== 'T-A'),
        'the unwind to end',
      );
      assert.equal(sup().risk.position('T-A'), 0);
      assert.equal((await resting('T-A')).length, 0);
      const positions = await client.getPositions();
      assert.equal(positions.find((p) => p.ticker === 'T-A')?.position ?? 0, 0, 'flat on the exchange too');
      assert.ok(logger.records.some((r) => r.message === 'unwind ended' && r.fields['end'] === 'flat'));
    },
  );

  test("a fill the bot never saw is found by the position check and the exchange's position adopted", { timeout: 30_000 }, async () => {
    await until(async () => (await resting('T-B')).length === 2, 'two quotes on T-B');
    blindTo = 'T-B';
    const exchange = async () => (await client.getPositions()).find((p) => p.ticker === 'T-B')?.position ?? 0;
    await takeOurs('T-B', 'bid', 2, async () => (await exchange()) !== 0, 'a fill of our bid');
    assert.equal(await exchange(), 200, 'long 2 on the exchange');
    assert.equal(sup().risk.position('T-B'), 0, 'the bot did not see the fill');
    await until(() => sup().risk.position('T-B') === 200, 'the position check to adopt long 2', 10_000);
    const checks = sup().status().positionChecks;
    assert.equal(checks?.mismatches, 1);
    assert.deepEqual(
      checks?.lastMismatch && {
        ticker: checks.lastMismatch.ticker,
        ours: checks.lastMismatch.ours,
        exchange: checks.lastMismatch.exchange,
      },
      {
        ticker: 'T-B',
        ours: 0,
        exchange: 200,
      },
    );
    const warning = logger.records.find((r) => r.level === 'warn' && r.fields['ticker'] === 'T-B' && r.fields['exchangePosition'] === 200);
    assert.ok(warning, 'a warning with both figures');
    blindTo = undefined;
  });
});
