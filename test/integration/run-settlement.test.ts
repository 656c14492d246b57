/**
 * Settled markets and the journal, over real sockets. A settled market's position is paid out and the
 * exchange no longer lists it; the journal must end at 0 too, or every later start reports a position
 * mismatch for it forever (markets settle daily, so real mismatches would drown in them). Both ways:
 * a settlement while the bot runs (the lifecycle stream) and one while it is down (read at start).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Journal } from '../../src/journal/index.js';
import { hitOurQuote, spawnBot, startHarness, TEST_MARKETS, until, type Harness } from './run-harness.js';

const BOT_ARGS = ['--no-dashboard', '--status-every', '0', '--min-requote-interval-ms', '200ms'];

function exchangePositions(h: Harness): Map<string, number> {
  return new Map(
    h.exchange.engine
      .getPositions(h.accountId)
      .filter((p) => p.position !== 0)
      .map((p) => [p.ticker, p.position as number]),
  );
}

function journalPositions(h: Harness): Map<string, number> {
  const journal = Journal.open(join(h.dir, 'journal.sqlite'));
  try {
    return new Map([...journal.positions()].filter(([, p]) => p !== 0));
  } finally {
    journal.close();
  }
}

test(
  'a market settled while the bot runs or while it is down leaves no journal position and no mismatch at the next start',
  { timeout: 120_000 },
  async () => {
    const h = await startHarness();
    const resting = (ticker: string): boolean => h.exchange.engine.restingOrders(h.accountId).some((o) => o.ticker === ticker);
    const first = spawnBot(h, ['--markets', TEST_MARKETS.join(','), ...BOT_ARGS]);
    try {
      await until(() => TEST_MARKETS.every(resting), 'quotes in both markets', 30_000);
      assert.ok(hitOurQuote(h, TEST_MARKETS[0], 'bid') > 0, 'a position in the first market');
      assert.ok(hitOurQuote(h, TEST_MARKETS[1], 'ask') > 0, 'a position in the second market');
      await new Promise((r) => setTimeout(r, 500));
      // While the bot runs: the first market settles (its quotes go, its position is paid out).
      h.exchange.settle(TEST_MARKETS[0], 'yes');
      await until(() => !resting(TEST_MARKETS[0]), 'the settled market has no quotes', 10_000);
      await new Promise((r) => setTimeout(r, 500));
      first.child.kill('SIGKILL');
      await first.exited;
      assert.ok(!exchangePositions(h).has(TEST_MARKETS[0]), 'the exchange paid the position out');
      assert.deepEqual(journalPositions(h), exchangePositions(h), 'the journal saw the settlement');

      // While the bot is down: the second market settles; the next start reads it.
      h.exchange.settle(TEST_MARKETS[1], 'no');
      const second = spawnBot(h, ['--markets', 'KXFED-26JAN-T3.75', ...BOT_ARGS]);
      try {
        await second.waitFor(
          /recovered an earlier run: \d+ orphan orders cancelled, \d+ fills recovered, (\d+) position mismatches/,
          30_000,
        );
        assert.match(second.stderr(), /recovered an earlier run: \d+ orphan orders cancelled, \d+ fills recovered, 0 position mismatches/);
        second.child.kill('SIGTERM');
        assert.equal(await second.exited, 0, second.stderr().slice(-3000));
        assert.deepEqual(journalPositions(h), exchangePositions(h));
      } finally {
        second.child.kill('SIGKILL');
      }
    } finally {
      first.child.kill('SIGKILL');
      await h.close();
    }
  },
);
