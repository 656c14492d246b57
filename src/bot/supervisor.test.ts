import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ManualClock,
  MemoryLogger,
  TransportError,
  type Count,
  type DesiredQuotes,
  type Order,
  type Price,
  type PublicTrade,
} from '../core/index.js';
import type { MarketSnapshot } from '../marketdata/index.js';
import { ClientOrderIds } from '../orders/index.js';
import { RiskManager, type SizedQuotes } from '../risk/index.js';
import { Supervisor } from './supervisor.js';
import type { BotParams, BotStatus } from './supervisor-types.js';
import { TEST_PARAMS, START_MS, advance, levels, portWith, settle } from './test-kit.test-helper.js';

function flow(ticker: string, contracts: number, nowMs: number): PublicTrade[] {
  return [50, 51, 49, 50].map((cents, i) => ({
    tradeId: `${ticker}-${contracts}-${i}`,
    ticker,
    price: (cents * 100) as Price,
    count: (contracts * 100) as Count,
    takerSide: i % 2 === 0 ? ('bid' as const) : ('ask' as const),
    tsMs: nowMs - 1_000 * (i + 1),
  }));
}

function setup(options: { risk?: RiskManager; tickers?: string[]; scores?: Map<string, number>; params?: Partial<BotParams> } = {}) {
  const clock = new ManualClock(START_MS);
  const port = portWith(clock, 'A', 'B', 'C');
  port.trades.set('A', flow('A', 40, START_MS));
  port.trades.set('B', flow('B', 20, START_MS));
  port.trades.set('C', flow('C', 5, START_MS));
  const logger = new MemoryLogger();
  const statuses: BotStatus[] = [];
  const bot = new Supervisor({
    port,
    clock,
    logger,
    params: { ...TEST_PARAMS, ...options.params },
    ids: new ClientOrderIds('sup'),
    ...(options.risk ? { risk: options.risk } : {}),
    ...(options.tickers ? { tickers: options.tickers } : {}),
    ...(options.scores ? { scores: options.scores } : {}),
    listener: { onStatus: (s) => statuses.push(s) },
  });
  return { clock, port, logger, bot, statuses };
}

function ownOrder(ticker: string, clientOrderId: string, price = 3_000): Parameters<ReturnType<typeof portWith>['createOrder']>[0] {
  return {
    ticker,
    side: 'bid',
    price: price as Price,
    count: 100 as Count,
    timeInForce: 'good_till_canceled',
    postOnly: true,
    selfTradePrevention: 'maker',
    clientOrderId,
  };
}

const tickersOf = (orders: readonly Order[]) => [...new Set(orders.map((o) => o.ticker))].sort();

describe('Supervisor', () => {
  test('it selects the best markets, subscribes them and quotes each', async () => {
    const { port, bot, clock } = setup();
    await bot.start();
    await advance(clock, 1_000);
    assert.deepEqual([...port.subscribed].sort(), ['A', 'B']);
    assert.deepEqual(tickersOf(port.resting()), ['A', 'B']);
    assert.equal(port.resting().length, 4, 'a bid and an ask in each market');
    const status = bot.status();
    assert.equal(status.state, 'running');
    assert.deepEqual(status.markets.map((m) => m.ticker).sort(), ['A', 'B']);
    assert.ok(status.markets.every((m) => m.score !== undefined && m.score > 0));
    await bot.shutdown('test over');
  });

  test('our orders left on unselected markets by an earlier run are cancelled at start; others are not', async () => {
    const { port, bot, clock } = setup();
    await port.createOrder(ownOrder('C', 'kmm-old-1-b-1'));
    await port.createOrder(ownOrder('C', 'by-hand-1'));
    await bot.start();
    await advance(clock, 1_000);
    assert.deepEqual(
      port.resting('C').map((o) => o.clientOrderId),
      ['by-hand-1'],
    );
    await bot.shutdown('test over');
  });

  test('with dropPolicy cancel a market that drops out is cancelled and unsubscribed; its inventory still counts', async () => {
    const { port, bot, clock } = setup({ params: { dropPolicy: 'cancel' } });
    await bot.start();
    await advance(clock, 1_000);
    const bBid = port.resting('B').find((o) => o.side === 'bid');
    assert.ok(bBid);
    port.fill(bBid.orderId, 300);
    await advance(clock, 1_000);
    // C becomes the busiest market, B the quietest.
    port.trades.set('B', flow('B', 1, clock.nowMs()));
    port.trades.set('C', flow('C', 80, clock.nowMs()));
    await advance(clock, TEST_PARAMS.marketRefreshIntervalMs, 5_000);
    assert.deepEqual([...port.subscribed].sort(), ['A', 'C']);
    assert.ok(port.callsOf('unsubscribeMarkets').some((c) => (c.args as string[]).includes('B')));
    assert.equal(port.resting('B').length, 0, 'the dropped market has no resting order');
    assert.equal(port.resting('C').length, 2, 'the new market is quoted');
    const status = bot.status();
    assert.equal(bot.risk.position('B'), 300);
    assert.deepEqual(
      status.retired.map((f) => f.ticker),
      ['B'],
    );
    await bot.shutdown('test over');
  });

  test('shutdown cancels all, verifies with the exchange and leaves zero resting orders', async () => {
    const { port, bot, clock } = setup();
    await bot.start();
    await advance(clock, 1_000);
    await port.createOrder(ownOrder('C', 'by-hand-2'));
    port.failNext('cancelOrder', ...Array.from({ length: 12 }, () => new TransportError('reset')));
    port.failNext('cancelAll', new TransportError('reset'));
    const done = bot.shutdown('SIGTERM');
    await advance(clock, 10_000);
    const report = await done;
    assert.equal(report.restingLeft, 0);
    assert.equal(port.resting().length, 0);
    const last = port.calls.filter((c) => c.method === 'cancelAll' || c.method === 'getOrders').at(-1);
    assert.equal(last?.method, 'getOrders', 'cancel-all is followed by a verification read');
    assert.deepEqual(last?.args, { status: 'resting' });
    assert.equal(bot.status().state, 'stopped');
    assert.deepEqual(await bot.whenStopped(), report);
  });

  test('a shutdown during start-up leaves no order behind', async () => {
    const { port, bot, clock } = setup();
    const starting = bot.start();
    const done = bot.shutdown('SIGINT');
    await advance(clock, 5_000);
    await starting;
    const report = await done;
    assert.equal(report.restingLeft, 0);
    await advance(clock, 5_000);
    assert.equal(port.resting().length, 0, 'nothing placed after the shutdown');
  });

  test('a shutdown before start: start() orders nothing (a kill switch or Ctrl-C may come first)', async () => {
    const { port, bot, clock } = setup();
    // A slow shutdown (its cancel-all retried): start-up must not overtake it.
    port.failNext('cancelAll', ...Array.from({ length: 3 }, () => new TransportError('reset')));
    const done = bot.shutdown('kill switch: before start');
    const starting = bot.start();
    await advance(clock, 5_000);
    await starting;
    assert.equal((await done).restingLeft, 0);
    await advance(clock, 5_000);
    assert.equal(port.calls.filter((c) => c.method === 'createOrder').length, 0, 'no order was ever sent');
    assert.equal(bot.status().state, 'stopped');
  });

  test('kill(reason) trips the kill switch and shuts down at once, not at the next status tick', async () => {
    const { port, bot, clock } = setup();
    await bot.start();
    await advance(clock, 1_000);
    assert.ok(port.resting().length > 0);
    const done = bot.kill('kill file KILL: news');
    assert.equal(bot.risk.killSwitch().reason, 'kill file KILL: news');
    assert.equal(bot.status().state, 'stopping', 'the shutdown began within the call');
    await advance(clock, 2_000);
    const report = await done;
    assert.equal(report.reason, 'kill switch: kill file KILL: news');
    assert.equal(report.restingLeft, 0);
    assert.equal(port.resting().length, 0);
  });

  test('the event stream ending shuts the bot down: no quote may outlive its market data', async () => {
    const { port, bot, clock } = setup();
    await bot.start();
    await advance(clock, 1_000);
    assert.ok(port.resting().length > 0);
    await port.close();
    await advance(clock, 2_000);
    const report = await bot.whenStopped();
    assert.equal(report.reason, 'event stream ended');
    assert.equal(port.resting().length, 0);
  });

  test('a tripped kill switch shuts the bot down with no order left', async () => {
    const { port, bot, clock } = setup();
    await bot.start();
    await advance(clock, 1_000);
    assert.ok(port.resting().length > 0);
    bot.risk.tripKillSwitch('operator', clock.nowMs());
    await advance(clock, 2_000);
    const report = await bot.whenStopped();
    assert.match(report.reason, /kill switch/);
    assert.equal(port.resting().length, 0);
  });

  test('when the exchange pauses trading the bot pulls its quotes and waits, then resumes', async () => {
    const { port, bot, clock } = setup();
    await bot.start();
    await advance(clock, 1_000);
    port.status = { exchangeActive: true, tradingActive: false };
    await advance(clock, 30_000, 1_000);
    assert.equal(port.resting().length, 0);
    assert.equal(bot.status().tradingActive, false);
    port.status = { exchangeActive: true, tradingActive: true };
    await advance(clock, 31_000, 1_000);
    assert.equal(port.resting().length, 4);
    await bot.shutdown('test over');
  });

  test('an error in one market is contained: the other markets keep quoting', async () => {
    class FailingRisk extends RiskManager {
      override sizeQuotes(desired: DesiredQuotes, snapshot: MarketSnapshot): SizedQuotes {
        if (desired.ticker === 'A') throw new Error('boom in A');
        return super.sizeQuotes(desired, snapshot);
      }
    }
    const { port, bot, clock, logger } = setup({ risk: new FailingRisk(TEST_PARAMS) });
    await bot.start();
    await advance(clock, 3_000);
    assert.equal(port.resting('A').length, 0);
    assert.equal(port.resting('B').length, 2);
    assert.equal(bot.status().state, 'running');
    assert.ok((bot.status().markets.find((m) => m.ticker === 'A')?.health.errors ?? 0) > 0);
    assert.ok(logger.records.some((r) => r.level === 'error' && r.fields['ticker'] === 'A'));
    await bot.shutdown('test over');
  });

  test('fixed tickers skip selection, and status snapshots reach the listener', async () => {
    const { port, bot, clock, statuses } = setup({ tickers: ['C'] });
    await bot.start();
    await advance(clock, 2_000);
    assert.equal(port.callsOf('listMarkets').length, 0);
    assert.deepEqual([...port.subscribed], ['C']);
    assert.ok(statuses.length >= 2);
    const last = statuses.at(-1);
    assert.equal(last?.markets[0]?.ticker, 'C');
    assert.equal(last?.markets[0]?.orders.length, 2);
    assert.equal(last?.totals.restingOrders, 2);
    assert.equal(last?.markets[0]?.score, undefined, 'no selection scored it');
    await bot.shutdown('test over');
    await settle();
  });

  test('fixed tickers chosen with a score (the local fallback: 0) carry it in every status', async () => {
    const { bot, clock, statuses } = setup({ tickers: ['C'], scores: new Map([['C', 0]]) });
    await bot.start();
    await advance(clock, 1_000);
    assert.equal(statuses.at(-1)?.markets[0]?.score, 0);
    assert.equal(bot.status().markets[0]?.score, 0);
    await bot.shutdown('test over');
    await settle();
  });

  test('a fresh universe with no flow is quoted in full at start, and a market that starts trading is picked up at the next quick rescan', async () => {
    const clock = new ManualClock(START_MS);
    const port = portWith(clock, 'A', 'B', 'C', 'D');
    for (const [t, spreadCents] of [['A', 10], ['B', 6], ['C', 8], ['D', 12]] as const) {
      port.markets.set(t, { ...(port.markets.get(t) ?? assert.fail(t)), yesAsk: (4_500 + spreadCents * 100) as Price, volume24h: 0 as Count });
      port.setBook(t, levels([45, 100]), levels([55 - spreadCents, 100]));
    }
    const params = { ...TEST_PARAMS, maxMarkets: 3, selectMinVolume24hContracts: 0, selectRescanBackoffMs: 5_000 };
    const bot = new Supervisor({ port, clock, logger: new MemoryLogger(), params, ids: new ClientOrderIds('fresh') });
    await bot.start();
    await advance(clock, 1_000);
    assert.deepEqual(bot.status().markets.map((m) => m.ticker).sort(), ['A', 'B', 'C'], 'the three tightest (D is 12¢ wide)');
    assert.deepEqual(tickersOf(port.resting()), ['A', 'B', 'C']);
    const scans = port.callsOf('listMarkets').length;
    port.trades.set('D', flow('D', 30, clock.nowMs()));
    await advance(clock, 5_000, 1_000);
    assert.equal(port.callsOf('listMarkets').length, scans + 1, 'rescanned after the 5 s backoff, not the 300 s interval');
    assert.deepEqual(bot.status().markets.map((m) => m.ticker).sort(), ['B', 'C', 'D'], 'the scored market took the widest filler (A, 10¢)');
    await advance(clock, 10_000, 1_000);
    assert.equal(port.callsOf('listMarkets').length, scans + 2, 'then after 10 s (doubled)');
    await bot.shutdown('test over');
  });
});
