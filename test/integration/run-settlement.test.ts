/**
 * Settled markets over real sockets. A settled market's position is paid out and the exchange no
 * longer lists it; the bot's ledger and the journal must end at 0 too. Otherwise the ledger keeps
 * marking a position that no longer exists (PnL, exposure and the daily loss limit see it), and every
 * later start reports a position mismatch for it (markets settle daily, so real mismatches would drown
 * in them). Both ways: a settlement while the bot runs (the lifecycle stream) and one while it is down
 * (read at start).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
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

function logLines(h: Harness): string[] {
  const dir = join(h.dir, '.kalshi-mm', 'logs');
  return readdirSync(dir)
    .sort()
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
    .filter((l) => l !== '');
}

/** The first run's ledger per market, from its `run summary` log line. */
function runSummary(h: Harness): { ticker: string; position: number; realizedPnl: number }[] {
  const line = logLines(h).find((l) => l.includes('"run summary"'));
  return line === undefined ? [] : (JSON.parse(line) as { risk: { ticker: string; position: number; realizedPnl: number }[] }).risk;
}

/** The start-up reconciliation report of the second run (the second such log line). */
function secondReconcile(h: Harness): { positionMismatches: unknown[] } | undefined {
  const line = logLines(h).filter((l) => /"journal (reconciled with the exchange|and exchange positions differ)/.test(l))[1];
  return line === undefined ? undefined : (JSON.parse(line) as { positionMismatches: unknown[] });
}

test(
  'a market settled while the bot runs or while it is down leaves no position in the ledger or the journal',
  { timeout: 120_000 },
  async () => {
    const h = await startHarness();
    const resting = (ticker: string): boolean => h.exchange.engine.restingOrders(h.accountId).some((o) => o.ticker === ticker);
    const first = spawnBot(h, ['--markets', TEST_MARKETS.join(','), ...BOT_ARGS]);
    try {
      await until(() => TEST_MARKETS.every(resting), 'quotes in both markets', 30_000);
      // A quote may be mid-requote for a moment: try until one is taken.
      await until(() => hitOurQuote(h, TEST_MARKETS[0], 'bid') > 0, 'a position in the first market', 10_000);
      await until(() => hitOurQuote(h, TEST_MARKETS[1], 'ask') > 0, 'a position in the second market', 10_000);
      await new Promise((r) => setTimeout(r, 500));
      // While the bot runs: the first market settles YES (its quotes go, its position is paid out).
      const fills = h.exchange.engine.listFills(h.accountId).filter((f) => f.ticker === TEST_MARKETS[0]);
      const held = fills.reduce((q, f) => q + (f.side === 'bid' ? f.count : -f.count), 0);
      h.exchange.settle(TEST_MARKETS[0], 'yes');
      await until(() => !resting(TEST_MARKETS[0]), 'the settled market has no quotes', 10_000);
      await new Promise((r) => setTimeout(r, 500));
      first.child.kill('SIGTERM');
      assert.equal(await first.exited, 0, first.stderr().slice(-3000));
      assert.ok(!exchangePositions(h).has(TEST_MARKETS[0]), 'the exchange paid the position out');
      assert.deepEqual(journalPositions(h), exchangePositions(h), 'the journal saw the settlement');
      // The ledger closed the position at the payout ($1 a YES contract): realized PnL is the cash the
      // market made, fills at their prices plus the payout (price × count / 100 = $0.0001).
      const cash = fills.reduce((sum, f) => sum + ((f.side === 'bid' ? -1 : 1) * f.price * f.count) / 100, 0) + (held * 10_000) / 100;
      const ledger = runSummary(h).find((r) => r.ticker === TEST_MARKETS[0]);
      assert.deepEqual({ position: ledger?.position, realizedPnl: ledger?.realizedPnl }, { position: 0, realizedPnl: Math.floor(cash) });

      // While the bot is down: the second market settles NO; the next start reads it.
      h.exchange.settle(TEST_MARKETS[1], 'no');
      const second = spawnBot(h, ['--markets', 'KXFED-26JAN-T3.75', ...BOT_ARGS]);
      try {
        await until(() => secondReconcile(h) !== undefined, 'the start-up reconciliation', 30_000);
        assert.deepEqual(secondReconcile(h)?.positionMismatches, [], 'no position mismatch at the next start');
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
