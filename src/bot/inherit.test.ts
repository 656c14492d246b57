import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, ManualClock, MemoryLogger, type Count, type Order, type Price, type PublicTrade } from '../core/index.js';
import { ClientOrderIds } from '../orders/index.js';
import { renderStatusTable } from '../cli/status-table.js';
import { heldMarkets } from '../web/feed.js';
import { Supervisor } from './supervisor.js';
import type { BotParams } from './supervisor-types.js';
import { TEST_PARAMS, START_MS, advance, portWith } from './test-kit.test-helper.js';

function flow(ticker: string, contracts: number, nowMs: number): PublicTrade[] {
  return [50, 51, 49, 50].map((cents, i) => ({
    tradeId: `${ticker}-${contracts}-${nowMs}-${i}`,
    ticker,
    price: (cents * 100) as Price,
    count: (contracts * 100) as Count,
    takerSide: i % 2 === 0 ? ('bid' as const) : ('ask' as const),
    tsMs: nowMs - 1_000 * (i + 1),
  }));
}

/**
 * A bot that selects A and B (maxMarkets 2; C and D have too little flow) and finds, at start, the
 * positions `positions` (hundredths) on the account — left by an earlier run or a manual trade.
 */
function inheriting(positions: Record<string, number>, params: Partial<BotParams> = {}) {
  const clock = new ManualClock(START_MS);
  const port = portWith(clock, 'A', 'B', 'C', 'D');
  port.trades.set('A', flow('A', 40, START_MS));
  port.trades.set('B', flow('B', 20, START_MS));
  port.trades.set('C', flow('C', 5, START_MS));
  port.trades.set('D', flow('D', 4, START_MS));
  for (const [ticker, position] of Object.entries(positions)) port.positions.set(ticker, position);
  const logger = new MemoryLogger();
  const bot = new Supervisor({ port, clock, logger, params: { ...TEST_PARAMS, ...params }, ids: new ClientOrderIds('inh') });
  return { clock, port, logger, bot };
}

const sides = (orders: readonly Order[]) => orders.map((o) => `${o.side} ${o.remainingCount}`).sort();
const lastColumn = (table: string, ticker: string) =>
  table
    .split('\n')
    .find((l) => l.startsWith(`${ticker} `))
    ?.split(/\s{2,}/)
    .at(-1);

describe('inherited positions (found at start in markets the selection does not pick)', () => {
  test('unwind: the market gets a reduce-only maker until flat, then it is cancelled and unsubscribed', async () => {
    const { port, bot, clock, logger } = inheriting({ C: 300 });
    await bot.start();
    await advance(clock, 1_000);
    assert.deepEqual(
      bot.status().markets.map((m) => m.ticker).sort(),
      ['A', 'B', 'C'],
    );
    assert.ok(port.subscribed.has('C'), 'its book is subscribed');
    assert.deepEqual(sides(port.resting('C')), ['ask 300'], 'only an ask, for the 3 contracts held');
    const c = bot.status().markets.find((m) => m.ticker === 'C');
    assert.equal(c?.unwind?.policy, 'unwind');
    assert.equal(c?.unwind?.inherited, true);
    assert.ok(c?.reasons.includes('reduce_only'));
    assert.equal(lastColumn(renderStatusTable(bot.status()), 'C'), 'inherited: unwinding');
    assert.ok(logger.records.some((r) => r.message === 'position found in a market not selected: unwinding it' && r.fields['ticker'] === 'C'));
    const ask = port.resting('C')[0] ?? assert.fail('an ask rests');
    port.fill(ask.orderId, 300);
    await advance(clock, 2_000);
    assert.equal(bot.risk.position('C'), 0);
    assert.equal(port.resting('C').length, 0);
    assert.ok(!port.subscribed.has('C'), 'flat: unsubscribed');
    assert.equal(
      bot.status().markets.find((m) => m.ticker === 'C'),
      undefined,
    );
    const report = await bot.shutdown('test over');
    assert.equal(report.restingLeft, 0);
  });

  test('unwind: a short position is bought back with a bid; at the deadline the rest is held', async () => {
    const { port, bot, clock } = inheriting({ C: -200 }, { unwindDeadlineMs: 30_000 });
    await bot.start();
    await advance(clock, 1_000);
    assert.deepEqual(sides(port.resting('C')), ['bid 200']);
    await advance(clock, 31_000, 1_000);
    assert.equal(port.resting('C').length, 0);
    assert.ok(!port.subscribed.has('C'));
    assert.equal(bot.risk.position('C'), -200);
    assert.deepEqual(
      bot.status().retired.map((r) => r.ticker),
      ['C'],
    );
    assert.equal(lastColumn(renderStatusTable(bot.status()), 'C (retired)'), 'inherited: unwind ended (deadline)');
    // The reconciliation that follows must not start a second unwind of the same market.
    await advance(clock, TEST_PARAMS.positionReconcileIntervalMs + 5_000, 1_000);
    assert.equal(port.resting('C').length, 0);
    await bot.shutdown('test over');
  });

  test('keep: the position is held, not quoted, logged once and shown', async () => {
    const { port, bot, clock, logger } = inheriting({ C: 300 }, { dropPolicy: 'keep' });
    await bot.start();
    await advance(clock, TEST_PARAMS.positionReconcileIntervalMs + 5_000, 1_000);
    assert.equal(port.resting('C').length, 0);
    assert.ok(!port.subscribed.has('C'));
    assert.equal(logger.records.filter((r) => r.fields['ticker'] === 'C' && r.message.startsWith('position found in a market not selected')).length, 1);
    assert.deepEqual(bot.status().inherited?.map((i) => [i.ticker, i.handling]), [['C', 'held']]);
    assert.equal(lastColumn(renderStatusTable(bot.status()), 'C (retired)'), 'inherited: held (dropPolicy keep)');
    assert.deepEqual(
      heldMarkets(bot.status()).map((m) => [m.ticker, m.chosen, m.positionContracts, m.health]),
      [['C', 'inherited: held (dropPolicy keep)', 3, 'not quoted']],
      'the dashboard lists it with the same label',
    );
    await bot.shutdown('test over');
  });

  test('cancel: our resting orders there are cancelled (others are not) and the position is held', async () => {
    const { port, bot, clock } = inheriting({ C: 300 }, { dropPolicy: 'cancel' });
    const order = (clientOrderId: string) => ({
      ticker: 'C',
      side: 'ask' as const,
      price: 6_000 as Price,
      count: 100 as Count,
      timeInForce: 'good_till_canceled' as const,
      postOnly: true,
      selfTradePrevention: 'maker' as const,
      clientOrderId,
    });
    await port.createOrder(order('kmm-old-1-a-1'));
    await port.createOrder(order('by-hand-1'));
    await bot.start();
    await advance(clock, 1_000);
    assert.deepEqual(
      port.resting('C').map((o) => o.clientOrderId),
      ['by-hand-1'],
    );
    assert.deepEqual(bot.status().inherited?.map((i) => [i.ticker, i.handling]), [['C', 'cancelled']]);
    assert.equal(lastColumn(renderStatusTable(bot.status()), 'C (retired)'), 'inherited: orders cancelled, held');
    await bot.shutdown('test over');
  });

  test('a market within the stop before close, or closed, is not traded: its position is held', async () => {
    const { port, bot, clock } = inheriting({ C: 300, D: 200 }, { stopBeforeCloseMs: 600_000 });
    port.markets.set('C', { ...(port.markets.get('C') ?? assert.fail()), closeTimeMs: START_MS + 300_000 });
    port.markets.set('D', { ...(port.markets.get('D') ?? assert.fail()), status: 'closed' });
    await bot.start();
    await advance(clock, 2_000);
    assert.equal(port.resting('C').length + port.resting('D').length, 0);
    assert.ok(!port.subscribed.has('C') && !port.subscribed.has('D'));
    assert.deepEqual(
      bot.status().inherited?.map((i) => [i.ticker, i.handling]).sort(),
      [
        ['C', 'near_close'],
        ['D', 'closed'],
      ],
    );
    const table = renderStatusTable(bot.status());
    assert.equal(lastColumn(table, 'C (retired)'), 'inherited: held (near close)');
    assert.equal(lastColumn(table, 'D (retired)'), 'inherited: held (market closed)');
    await bot.shutdown('test over');
  });

  test('a position that appears during the run (a manual trade) is unwound after the reconciliation adopts it', async () => {
    const { port, bot, clock } = inheriting({});
    await bot.start();
    await advance(clock, 1_000);
    assert.equal(port.resting('D').length, 0);
    port.positions.set('D', -400);
    // The first read sees the mismatch, the confirming read 2 s later adopts it.
    await advance(clock, TEST_PARAMS.positionReconcileIntervalMs + 4_000, 1_000);
    assert.equal(bot.risk.position('D'), -400);
    assert.deepEqual(sides(port.resting('D')), ['bid 400']);
    assert.equal(bot.status().markets.find((m) => m.ticker === 'D')?.unwind?.inherited, true);
    await bot.shutdown('test over');
  });

  test('an inherited market the selection picks later goes back to quoting both sides', async () => {
    const { port, bot, clock } = inheriting({ C: 300 });
    await bot.start();
    await advance(clock, 1_000);
    assert.deepEqual(sides(port.resting('C')), ['ask 300']);
    port.trades.set('B', flow('B', 1, clock.nowMs()));
    port.trades.set('C', flow('C', 80, clock.nowMs()));
    await bot.refreshSelection();
    await advance(clock, 2_000);
    assert.equal(port.resting('C').length, 2, 'a bid and an ask');
    assert.equal(bot.status().markets.find((m) => m.ticker === 'C')?.unwind, undefined);
    assert.equal(
      bot.status().inherited?.find((i) => i.ticker === 'C'),
      undefined,
      'no longer shown as inherited',
    );
    await bot.shutdown('test over');
  });

  test('cancel, mid-run: our orders in a market where a position appears are cancelled once the check finds it', async () => {
    const { port, bot, clock } = inheriting({}, { dropPolicy: 'cancel' });
    await bot.start();
    await advance(clock, 1_000);
    const order = (clientOrderId: string) => ({
      ticker: 'D',
      side: 'bid' as const,
      price: 3_000 as Price,
      count: 100 as Count,
      timeInForce: 'good_till_canceled' as const,
      postOnly: true,
      selfTradePrevention: 'maker' as const,
      clientOrderId,
    });
    await port.createOrder(order('kmm-other-1-b-1'));
    await port.createOrder(order('by-hand-2'));
    port.positions.set('D', 500);
    await advance(clock, TEST_PARAMS.positionReconcileIntervalMs + 4_000, 1_000);
    assert.equal(bot.risk.position('D'), 500);
    assert.deepEqual(
      port.resting('D').map((o) => o.clientOrderId),
      ['by-hand-2'],
    );
    assert.deepEqual(bot.status().inherited?.map((i) => [i.ticker, i.handling]), [['D', 'cancelled']]);
    await bot.shutdown('test over');
  });

  test('unwind: when its book cannot be subscribed the position is held, never quoted blind', async () => {
    const { port, bot, clock } = inheriting({ C: 300 });
    const subscribe = port.subscribeMarkets.bind(port);
    port.subscribeMarkets = (tickers: readonly string[]) =>
      tickers.includes('C') ? Promise.reject(new ApiError(400, 'bad_request', 'no such channel', 'GET', '/ws')) : subscribe(tickers);
    await bot.start();
    await advance(clock, 2_000);
    assert.equal(port.resting('C').length, 0);
    assert.equal(
      bot.status().markets.find((m) => m.ticker === 'C'),
      undefined,
    );
    assert.deepEqual(bot.status().inherited?.map((i) => [i.ticker, i.handling]), [['C', 'held']]);
    assert.equal(bot.status().state, 'running');
    await bot.shutdown('test over');
  });

  test('a market the selection picks is traded normally, position or not', async () => {
    const { port, bot, clock } = inheriting({ A: 300 });
    await bot.start();
    await advance(clock, 1_000);
    assert.equal(port.resting('A').length, 2);
    assert.equal(bot.status().markets.find((m) => m.ticker === 'A')?.unwind, undefined);
    assert.equal(bot.status().inherited, undefined);
    await bot.shutdown('test over');
  });
});
