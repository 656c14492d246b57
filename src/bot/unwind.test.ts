import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, MemoryLogger, type Count, type DesiredQuotes, type Order, type Price, type PublicTrade } from '../core/index.js';
import { ClientOrderIds } from '../orders/index.js';
import { Supervisor } from './supervisor.js';
import type { BotParams } from './supervisor-types.js';
import { TEST_PARAMS, START_MS, advance, portWith } from './test-kit.test-helper.js';
import { planDrop, reduceOnlyQuotes, unwindEnd } from './unwind.js';

const BID = { side: 'bid', price: 4_800 as Price, count: 1_000 as Count } as const;
const QUOTES: DesiredQuotes = { ticker: 'X', bid: BID, ask: { side: 'ask', price: 5_200 as Price, count: 1_000 as Count } };

describe('reduce-only quotes', () => {
  test('long YES keeps only the ask, short only the bid, each cut to the position; flat quotes nothing', () => {
    assert.deepEqual(reduceOnlyQuotes(QUOTES, 300 as Count), { ticker: 'X', ask: { side: 'ask', price: 5_200, count: 300 } });
    assert.deepEqual(
      reduceOnlyQuotes(QUOTES, -2_500 as Count),
      { ticker: 'X', bid: BID },
      'a quote smaller than the position is kept whole',
    );
    assert.deepEqual(reduceOnlyQuotes(QUOTES, 0 as Count), { ticker: 'X' });
    assert.deepEqual(reduceOnlyQuotes({ ticker: 'X', bid: BID }, 300 as Count), { ticker: 'X' }, 'the strategy withheld the reducing side');
    assert.deepEqual(reduceOnlyQuotes(QUOTES, 250 as Count).ask?.count, 200, 'whole contracts only');
    assert.deepEqual(reduceOnlyQuotes(QUOTES, 50 as Count), { ticker: 'X' }, 'less than one contract cannot be quoted');
  });

  test('an unwind ends when flat, within the stop before close, or at its deadline; cancel and flat drops end at once', () => {
    const probe = { nowMs: 1_000, position: 300 as Count, closeTimeMs: 1_000_000, stopBeforeCloseMs: 300_000 };
    const entry = planDrop('X', 'unwind', { ...probe, deadlineAfterMs: 60_000 });
    assert.ok(entry);
    assert.equal(entry.deadlineMs, 61_000);
    assert.equal(unwindEnd(entry, probe), undefined);
    assert.equal(unwindEnd(entry, { ...probe, position: 0 as Count }), 'flat');
    assert.equal(unwindEnd(entry, { ...probe, nowMs: 61_000 }), 'deadline');
    assert.equal(unwindEnd(entry, { ...probe, nowMs: 700_000 }), 'near_close');
    assert.equal(planDrop('X', 'cancel', { ...probe, deadlineAfterMs: 60_000 }), undefined);
    assert.equal(planDrop('X', 'unwind', { ...probe, position: 0 as Count, deadlineAfterMs: 60_000 }), undefined);
    assert.equal(planDrop('X', 'keep', { ...probe, nowMs: 800_000, deadlineAfterMs: 60_000 }), undefined);
  });
});

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

/** A running bot quoting A and B (maxMarkets 2) with a long position of 3 in B, then B's flow dies and C's starts. */
async function droppedWhileLong(params: Partial<BotParams> = {}) {
  const clock = new ManualClock(START_MS);
  const port = portWith(clock, 'A', 'B', 'C');
  port.trades.set('A', flow('A', 40, START_MS));
  port.trades.set('B', flow('B', 20, START_MS));
  port.trades.set('C', flow('C', 5, START_MS));
  const logger = new MemoryLogger();
  const bot = new Supervisor({ port, clock, logger, params: { ...TEST_PARAMS, ...params }, ids: new ClientOrderIds('unw') });
  await bot.start();
  await advance(clock, 1_000);
  const bBid = port.resting('B').find((o) => o.side === 'bid');
  assert.ok(bBid);
  port.fill(bBid.orderId, 300);
  await advance(clock, 1_000);
  port.trades.set('B', flow('B', 1, clock.nowMs()));
  port.trades.set('C', flow('C', 80, clock.nowMs()));
  await bot.refreshSelection();
  await advance(clock, 1_000);
  return { clock, port, logger, bot };
}

const sides = (orders: readonly Order[]) => orders.map((o) => `${o.side} ${o.remainingCount}`).sort();

describe('dropPolicy', () => {
  test('unwind: a dropped market with a position quotes only the reducing side, at most the position, until flat; then it is cancelled and unsubscribed', async () => {
    const { port, bot, clock } = await droppedWhileLong();
    assert.deepEqual([...port.subscribed].sort(), ['A', 'B', 'C'], 'B stays subscribed while unwinding');
    assert.deepEqual(sides(port.resting('B')), ['ask 300'], 'only an ask for the 3 contracts held');
    const b = bot.status().markets.find((m) => m.ticker === 'B');
    assert.equal(b?.unwind?.policy, 'unwind');
    assert.ok(b?.reasons.includes('reduce_only'));
    assert.equal(port.resting('C').length, 2, 'the new market is quoted');
    const ask = port.resting('B')[0];
    assert.ok(ask);
    port.fill(ask.orderId, 100);
    await advance(clock, 1_000);
    assert.deepEqual(sides(port.resting('B')), ['ask 200'], 'the rest of the position is still offered');
    port.fill(ask.orderId, 200);
    await advance(clock, 2_000);
    assert.equal(bot.risk.position('B'), 0);
    assert.equal(port.resting('B').length, 0);
    assert.deepEqual([...port.subscribed].sort(), ['A', 'C'], 'flat: unsubscribed');
    assert.equal(
      bot.status().markets.find((m) => m.ticker === 'B'),
      undefined,
    );
    await bot.shutdown('test over');
  });

  test('unwind: at the deadline the unwind quote is cancelled and the position is held', async () => {
    const { port, bot, clock } = await droppedWhileLong({ unwindDeadlineMs: 60_000 });
    assert.deepEqual(sides(port.resting('B')), ['ask 300']);
    await advance(clock, 58_000, 1_000);
    assert.deepEqual(sides(port.resting('B')), ['ask 300'], 'still unwinding before the deadline');
    await advance(clock, 3_000, 1_000);
    assert.equal(port.resting('B').length, 0);
    assert.ok(!port.subscribed.has('B'));
    assert.equal(bot.risk.position('B'), 300);
    assert.deepEqual(
      bot.status().retired.map((f) => f.ticker),
      ['B'],
    );
    await bot.shutdown('test over');
  });

  test('unwind: reaching the stop before close ends the unwind', async () => {
    const { port, bot, clock } = await droppedWhileLong({ stopBeforeCloseMs: 5 * 60_000 });
    assert.deepEqual(sides(port.resting('B')), ['ask 300']);
    // A lifecycle update moves B's close to within the stop window.
    port.push({ type: 'market', recvMs: clock.nowMs(), ticker: 'B', closeTimeMs: clock.nowMs() + 60_000 });
    await advance(clock, 2_000);
    assert.equal(port.resting('B').length, 0);
    assert.ok(!port.subscribed.has('B'));
    assert.equal(bot.risk.position('B'), 300, 'the position is held to settlement');
    await bot.shutdown('test over');
  });

  test('unwind: a market selected again while unwinding quotes both sides again', async () => {
    const { port, bot, clock } = await droppedWhileLong();
    assert.deepEqual(sides(port.resting('B')), ['ask 300']);
    port.trades.set('B', flow('B', 200, clock.nowMs()));
    await bot.refreshSelection();
    await advance(clock, 2_000);
    assert.equal(bot.status().markets.find((m) => m.ticker === 'B')?.unwind, undefined);
    assert.deepEqual(
      port
        .resting('B')
        .map((o) => o.side)
        .sort(),
      ['ask', 'bid'],
    );
    await bot.shutdown('test over');
  });

  test('keep: a dropped market with a position goes on quoting both sides', async () => {
    const { port, bot } = await droppedWhileLong({ dropPolicy: 'keep' });
    assert.deepEqual(
      port
        .resting('B')
        .map((o) => o.side)
        .sort(),
      ['ask', 'bid'],
    );
    assert.equal(bot.status().markets.find((m) => m.ticker === 'B')?.unwind?.policy, 'keep');
    await bot.shutdown('test over');
  });

  test('unwinding positions count against the portfolio limits of the other markets', async () => {
    // Fixed size 10; portfolio 22 contracts: B's 3 held leave 19 for A's and C's quotes (not 20).
    const { port, bot } = await droppedWhileLong({ maxPortfolioContracts: 22, sizeVolScaling: 0 });
    assert.deepEqual(sides(port.resting('B')), ['ask 300']);
    const largest = (ticker: string) => Math.max(...port.resting(ticker).map((o) => o.remainingCount));
    assert.equal(largest('A') + largest('C'), 1_900);
    assert.ok(bot.status().markets.some((m) => m.reasons.some((r) => r.includes('portfolio_contract_limit'))));
    await bot.shutdown('test over');
  });
});
