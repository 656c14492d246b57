import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ManualClock,
  TransportError,
  silentLogger,
  type Count,
  type Fill,
  type OrderRequest,
  type PortEvent,
  type Position,
  type Price,
} from '../core/index.js';
import { FakePort } from '../orders/fake-port.test-helper.js';
import { Journal, JournaledPort, reconcileJournal } from './index.js';

/** A fake port whose `listFills` returns the fills it made (the exchange's fill history). */
class HistoryPort extends FakePort {
  readonly made: Fill[] = [];
  override fill(orderId: string, count: number): Fill {
    const f = super.fill(orderId, count);
    this.made.push(f);
    return f;
  }
  override async *listFills(): AsyncIterable<Fill> {
    await Promise.resolve();
    yield* this.made;
  }
}

function request(id: string, side: 'bid' | 'ask' = 'bid'): OrderRequest {
  return {
    ticker: 'A',
    side,
    price: 4_500 as Price,
    count: 1_000 as Count,
    timeInForce: 'good_till_canceled',
    postOnly: true,
    selfTradePrevention: 'maker',
    clientOrderId: id,
  };
}

async function withJournal(run: (path: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kmm-journal-'));
  try {
    await run(join(dir, 'j.sqlite'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function take(events: AsyncIterable<PortEvent>, n: number): Promise<PortEvent[]> {
  const out: PortEvent[] = [];
  for await (const e of events) {
    out.push(e);
    if (out.length === n) break;
  }
  return out;
}

describe('journal', () => {
  test('an order intent is durable before the request is sent, and a lost answer leaves it for reconciliation', async () => {
    await withJournal(async (path) => {
      const clock = new ManualClock(1_000);
      const port = new HistoryPort(clock);
      const journal = Journal.open(path);
      journal.startRun('r1', clock.nowMs());
      const seenAtSend: string[] = [];
      const inner = port.createOrder.bind(port);
      port.createOrder = (r) => {
        // A second connection sees what a crash right now would leave on disk.
        const reader = Journal.open(path);
        seenAtSend.push(reader.order(r.clientOrderId)?.status ?? 'missing');
        reader.close();
        return inner(r);
      };
      const journaled = new JournaledPort(port, journal, clock);
      await journaled.createOrder(request('kmm-r1-x-b-1'));
      assert.deepEqual(seenAtSend, ['intent']);
      assert.equal(journal.order('kmm-r1-x-b-1')?.status, 'resting');
      port.failNext('createOrder', new TransportError('socket hang up'));
      await assert.rejects(journaled.createOrder(request('kmm-r1-x-b-2')));
      assert.equal(journal.order('kmm-r1-x-b-2')?.status, 'intent', 'a retryable failure may have reached the exchange');
      assert.equal(journal.events('send_failed').length, 1);
      journal.close();
    });
  });

  test('a daily-loss stop is found again by a later process the same UTC day, not the next day', async () => {
    await withJournal(async (path) => {
      const day = 86_400_000;
      const at = 20_000 * day + 3_600_000;
      const journal = Journal.open(path);
      assert.equal(journal.dailyHaltOn(at), undefined);
      journal.recordDailyHalt(at, -2_000_000, 200);
      journal.close();
      const reopened = Journal.open(path);
      assert.deepEqual(reopened.dailyHaltOn(at + 3_600_000), { atMs: at, dailyPnl: -2_000_000, limitDollars: 200 });
      assert.deepEqual(
        reopened.dailyHaltOn(20_000 * day),
        { atMs: at, dailyPnl: -2_000_000, limitDollars: 200 },
        'same day, before the stop',
      );
      assert.equal(reopened.dailyHaltOn(20_001 * day), undefined, 'the next UTC day trades again');
      reopened.close();
    });
  });

  test('a settled market leaves the journal positions, once, whatever its baseline and fills', async () => {
    await withJournal(async (path) => {
      const journal = Journal.open(path);
      journal.setBaseline([{ ticker: 'A', position: 300 } as Position, { ticker: 'B', position: -200 } as Position], 1_000);
      journal.recordSettlement('A', 2_000, 'yes', 2_000);
      journal.recordSettlement('A', 3_000, 'yes', 3_000);
      assert.deepEqual([...journal.positions()], [['B', -200]]);
      assert.equal(journal.events('settlement').length, 1, 'a settlement seen twice is journaled once');
      journal.close();
    });
  });

  test('day-PnL checkpoints: the last one of each earlier run of the same UTC day is summed, other days and the own run are not', async () => {
    await withJournal(async (path) => {
      const day = 86_400_000;
      const at = 20_000 * day + 3_600_000;
      const journal = Journal.open(path);
      assert.deepEqual(journal.earlierDayPnl(at, 'c'), { pnl: 0, runs: 0 });
      journal.checkpointDayPnl('old', at - day, -900_000); // yesterday
      journal.checkpointDayPnl('a', at, -10_000);
      journal.checkpointDayPnl('a', at + 1_000, -30_000); // replaces a's earlier checkpoint
      journal.checkpointDayPnl('b', at + 2_000, 5_000);
      journal.checkpointDayPnl('c', at + 3_000, -70_000); // the current run
      journal.close();
      const reopened = Journal.open(path);
      assert.deepEqual(reopened.earlierDayPnl(at + 10_000, 'c'), { pnl: -25_000, runs: 2, lastAtMs: at + 2_000 });
      assert.deepEqual(reopened.earlierDayPnl(at - day, 'c'), { pnl: -900_000, runs: 1, lastAtMs: at - day });
      assert.deepEqual(reopened.earlierDayPnl(at + day, 'c'), { pnl: 0, runs: 0 }, 'the next UTC day starts at zero');
      reopened.close();
    });
  });

  test('a run across 00:00 UTC keeps one checkpoint per day', async () => {
    await withJournal(async (path) => {
      const day = 86_400_000;
      const journal = Journal.open(path);
      journal.checkpointDayPnl('a', 20_001 * day - 1_000, -40_000);
      journal.checkpointDayPnl('a', 20_001 * day + 1_000, -5_000);
      assert.deepEqual(journal.earlierDayPnl(20_001 * day - 500, 'b'), { pnl: -40_000, runs: 1, lastAtMs: 20_001 * day - 1_000 });
      assert.deepEqual(journal.earlierDayPnl(20_001 * day + 5_000, 'b'), { pnl: -5_000, runs: 1, lastAtMs: 20_001 * day + 1_000 });
      journal.close();
    });
  });

  test('a fill delivered twice reaches the bot once and is journaled once', async () => {
    await withJournal(async (path) => {
      const clock = new ManualClock(1_000);
      const port = new HistoryPort(clock);
      const journal = Journal.open(path);
      journal.startRun('r1', clock.nowMs());
      const journaled = new JournaledPort(port, journal, clock);
      const ack = await journaled.createOrder(request('kmm-r1-x-b-1'));
      const fill = port.fill(ack.orderId, 300);
      port.push({ type: 'fill', recvMs: 1_001, fill });
      port.push({ type: 'connection', recvMs: 1_002, connected: true });
      const events = await take(journaled.events(), 4);
      assert.deepEqual(
        events.map((e) => e.type),
        ['fill', 'order', 'position', 'connection'],
      );
      assert.equal(journaled.duplicateFills, 1);
      assert.equal(journal.fillSummary().count, 1);
      assert.equal(journal.positions().get('A'), 300);
      journal.close();
    });
  });

  test('after a crash, reconciliation cancels our resting orders, recovers missed fills once and matches positions', async () => {
    await withJournal(async (path) => {
      const clock = new ManualClock(1_000);
      const port = new HistoryPort(clock);
      const first = Journal.open(path);
      await reconcileJournal({ journal: first, port, clock, logger: silentLogger });
      first.startRun('r1', clock.nowMs());
      const journaled = new JournaledPort(port, first, clock);
      const a = await journaled.createOrder(request('kmm-r1-x-b-1'));
      await journaled.createOrder(request('kmm-r1-x-a-2', 'ask'));
      const seen = port.fill(a.orderId, 200);
      await take(journaled.events(), 3);
      // Crash: the next fill happens while nothing listens; a foreign order rests too.
      first.close();
      port.fill(a.orderId, 100);
      await port.createOrder({ ...request('manual-1'), price: 1_000 as Price });
      clock.advanceBy(5_000);

      const second = Journal.open(path);
      const report = await reconcileJournal({ journal: second, port, clock, logger: silentLogger });
      assert.equal(report.crashed, true);
      assert.equal(report.orphansCancelled, 2, 'both of our resting orders cancelled');
      assert.equal(report.fillsRecovered, 1, 'the fill made while down, and not the one already journaled');
      assert.equal(second.fillSummary().count, 2);
      assert.deepEqual(report.positionMismatches, []);
      assert.equal(second.positions().get('A'), 300);
      assert.deepEqual(
        port.resting().map((o) => o.clientOrderId),
        ['manual-1'],
        'orders not made by kalshi-mm are left alone',
      );
      assert.ok(seen.tradeId);
      second.startRun('r2', clock.nowMs());
      second.closeUnfinishedRuns(clock.nowMs());
      assert.equal(second.unfinishedRun()?.runId, 'r2');
      second.close();
    });
  });
});
