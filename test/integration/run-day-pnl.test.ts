/**
 * The daily loss limit counts the whole UTC day on a journal, not one process: a run that loses money
 * and dies by kill -9 (no stop journaled, so no daily-loss halt either) leaves its day PnL in the
 * journal's checkpoints, and a restart the same day starts from it. With a limit below the earlier
 * loss the restart refuses to trade. Before, every restart of a crash loop got a fresh daily budget.
 * (The restarts happen seconds apart: a run across 00:00 UTC would start a new day, as intended.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { hitOurQuote, spawnBot, startHarness, TEST_MARKETS, until } from './run-harness.js';

const BOT_ARGS = ['--markets', TEST_MARKETS.join(','), '--no-dashboard', '--status-every', '0', '--min-requote-interval-ms', '200ms'];
const DAY_MS = 86_400_000;

/** Today's day PnL checkpoints summed over the runs ($0.0001), read as any SQLite reader would. */
function journaledDayPnl(dir: string): number | undefined {
  let db: Database.Database | undefined;
  try {
    db = new Database(join(dir, 'journal.sqlite'), { readonly: true, fileMustExist: true });
    const row = db.prepare('SELECT SUM(pnl) AS pnl FROM day_pnl WHERE day = ?').get(Math.floor(Date.now() / DAY_MS)) as {
      pnl: number | null;
    };
    return row.pnl ?? undefined;
  } catch {
    return undefined; // not created yet
  } finally {
    db?.close();
  }
}

test('a run killed with SIGKILL after a loss: the restart counts that loss toward the daily limit', { timeout: 120_000 }, async () => {
  const h = await startHarness(10);
  const resting = (): number => h.exchange.engine.restingOrders(h.accountId).length;
  const orders = (): number => h.exchange.engine.listOrders(h.accountId).length;
  const first = spawnBot(h, [...BOT_ARGS, '--max-daily-loss-dollars', '10000']);
  try {
    await until(() => resting() >= 4, 'quotes of the first run', 30_000);
    assert.ok(hitOurQuote(h, TEST_MARKETS[0], 'bid') > 0, 'the taker filled against our bid');
    // The market collapses under our long position: well below −$1, far within the $10,000 limit.
    h.exchange.moveFair(TEST_MARKETS[0], 0.02);
    await until(() => (journaledDayPnl(h.dir) ?? 0) <= -10_000, 'the loss to be checkpointed', 30_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const lost = journaledDayPnl(h.dir) ?? 0;

    // A restart with room left trades on, and says how much of the day's budget is already spent.
    const second = spawnBot(h, [...BOT_ARGS, '--max-daily-loss-dollars', '10000']);
    try {
      const m = await second.waitFor(/earlier runs today \(1\) made \$(-?\d+\.\d\d)/, 30_000);
      assert.equal(m[1], (lost / 10_000).toFixed(2), "the figure is the killed run's last checkpoint");
      await until(() => resting() >= 2, 'quotes of the second run', 30_000);
      second.child.kill('SIGTERM');
      assert.equal(await second.exited, 0, second.stderr().slice(-3000));
    } finally {
      second.child.kill('SIGKILL');
    }

    // A limit below the day's loss: no order, exit 1, the figures and how to lift it.
    const dayLoss = journaledDayPnl(h.dir) ?? 0;
    // The restart took the held position over at its first mark: the loss the killed run marked is
    // not counted a second time (it would be, from the position's cost, without the rebase).
    assert.ok(Math.abs(dayLoss - lost) < Math.abs(lost) / 2, `day ${dayLoss} vs the killed run's ${lost}`);
    assert.ok(dayLoss <= -10_000, `the day's loss so far: ${dayLoss}`);
    const before = orders();
    const third = spawnBot(h, [...BOT_ARGS, '--max-daily-loss-dollars', '1']);
    try {
      const code = await Promise.race([third.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 15_000))]);
      assert.equal(orders(), before, `the restart placed no order; stderr:\n${third.stderr().slice(-3000)}`);
      assert.equal(code, 1, `the restart must refuse to trade today; stderr:\n${third.stderr().slice(-3000)}`);
      assert.match(
        third.stderr(),
        new RegExp(
          `earlier runs today \\(2\\) lost \\$${(-dayLoss / 10_000).toFixed(2).replace('.', '\\.')}.*daily loss limit \\$1.*--max-daily-loss-dollars`,
        ),
      );
      assert.equal(resting(), 0);
    } finally {
      third.child.kill('SIGKILL');
    }
  } finally {
    first.child.kill('SIGKILL');
    await h.close();
  }
});
