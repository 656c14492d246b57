import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, MemoryLogger, type Cash, type Count, type Position, type Price, type PublicTrade } from '../core/index.js';
import { ClientOrderIds } from '../orders/index.js';
import { RiskManager } from '../risk/index.js';
import { PositionReconciler } from './position-reconcile.js';
import { Supervisor } from './supervisor.js';
import { TEST_PARAMS, START_MS, advance, portWith } from './test-kit.test-helper.js';

const position = (ticker: string, count: number): Position => ({
  ticker,
  position: count as Count,
  exposure: (count * 50) as Cash,
  realizedPnl: 0 as Cash,
  feesPaid: 0 as Cash,
});

describe('PositionReconciler', () => {
  test('a mismatch is adopted only when a second read confirms it; equal positions are left alone', () => {
    const risk = new RiskManager(TEST_PARAMS);
    risk.syncPosition(position('A', 300));
    const logger = new MemoryLogger();
    const reconciler = new PositionReconciler({ risk, logger });
    const first = reconciler.compare([position('A', 500), position('B', 0)], reconciler.mark(), 1_000);
    assert.deepEqual(first, { adopted: [], pending: 1 });
    assert.equal(risk.position('A'), 300, 'not adopted on one read');
    const second = reconciler.compare([position('A', 500)], reconciler.mark(), 3_000);
    assert.deepEqual(second.adopted, [{ ticker: 'A', ours: 300, exchange: 500, atMs: 3_000 }]);
    assert.equal(risk.position('A'), 500);
    const warning = logger.records.find((r) => r.level === 'warn');
    assert.equal(warning?.fields['ourPosition'], 300);
    assert.equal(warning?.fields['exchangePosition'], 500);
    assert.deepEqual(reconciler.status(), {
      checks: 2,
      mismatches: 1,
      pending: 0,
      lastCheckMs: 3_000,
      lastMismatch: { ticker: 'A', ours: 300, exchange: 500, atMs: 3_000 },
    });
  });

  test('a market with a fill during the read, or since the first read, is not adopted (the stream may still bring it)', () => {
    const risk = new RiskManager(TEST_PARAMS);
    const reconciler = new PositionReconciler({ risk, logger: new MemoryLogger() });
    const before = reconciler.mark();
    reconciler.onFill('A');
    assert.deepEqual(reconciler.compare([position('A', 200)], before, 1_000), { adopted: [], pending: 0 }, 'fill during the read');
    assert.equal(reconciler.compare([position('A', 200)], reconciler.mark(), 2_000).pending, 1);
    reconciler.onFill('A');
    assert.deepEqual(
      reconciler.compare([position('A', 200)], reconciler.mark(), 3_000),
      { adopted: [], pending: 1 },
      'a fill since: seen anew',
    );
    assert.equal(reconciler.compare([position('A', 200)], reconciler.mark(), 4_000).adopted.length, 1);
  });

  test('a mismatch that goes away before the confirming read is not adopted', () => {
    const risk = new RiskManager(TEST_PARAMS);
    const reconciler = new PositionReconciler({ risk, logger: new MemoryLogger() });
    reconciler.compare([position('A', 200)], reconciler.mark(), 1_000);
    risk.syncPosition(position('A', 200));
    assert.deepEqual(reconciler.compare([position('A', 200)], reconciler.mark(), 2_000), { adopted: [], pending: 0 });
    assert.equal(reconciler.status().mismatches, 0);
  });
});

describe('periodic position reconciliation in the supervisor', () => {
  test("a position changed behind the bot's back is adopted after the interval and the confirming read, and shown in the status", async () => {
    const clock = new ManualClock(START_MS);
    const port = portWith(clock, 'A', 'B');
    const trades: PublicTrade[] = [50, 51].map((cents, i) => ({
      tradeId: `t${i}`,
      ticker: 'A',
      price: (cents * 100) as Price,
      count: 1_000 as Count,
      takerSide: i === 0 ? 'bid' : 'ask',
      tsMs: START_MS - 1_000,
    }));
    port.trades.set('A', trades);
    const bot = new Supervisor({
      port,
      clock,
      logger: new MemoryLogger(),
      params: { ...TEST_PARAMS, positionReconcileIntervalMs: 60_000 },
      ids: new ClientOrderIds('rec'),
    });
    await bot.start();
    await advance(clock, 1_000);
    port.positions.set('A', 700);
    await advance(clock, 58_000, 1_000);
    assert.equal(bot.risk.position('A'), 0, 'not before the interval');
    await advance(clock, 1_000, 500);
    assert.equal(bot.status().positionChecks?.pending, 1, 'seen once');
    assert.equal(bot.risk.position('A'), 0);
    await advance(clock, 2_000, 500);
    assert.equal(bot.risk.position('A'), 700, 'adopted after the confirming read');
    assert.equal(bot.status().positionChecks?.mismatches, 1);
    assert.equal(port.callsOf('getPositions').length, 3, 'start, the interval, the confirmation');
    await bot.shutdown('test over');
  });
});
