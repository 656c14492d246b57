/**
 * `kalshi-mm run` as a child process against a local exchange over real sockets: its quotes rest on
 * the exchange's book, fills make positions equal to the exchange's own, SIGTERM leaves no resting
 * order, and a kill -9 followed by a restart leaves no orphan and the same positions.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../../src/journal/index.js';
import { hitOurQuote, ROOT, spawnBot, startHarness, TEST_MARKETS, until, type Harness } from './run-harness.js';

const BOT_ARGS = ['--markets', TEST_MARKETS.join(','), '--no-dashboard', '--status-every', '0', '--min-requote-interval-ms', '200ms'];

function ourResting(h: Harness): ReturnType<Harness['exchange']['engine']['restingOrders']> {
  return h.exchange.engine.restingOrders(h.accountId);
}

function hitOurBid(h: Harness, ticker: string): number {
  return hitOurQuote(h, ticker, 'bid');
}

/** The `run summary` log line's per-market ledger. */
interface RunSummary {
  readonly risk: readonly { readonly ticker: string; readonly position: number; readonly realizedPnl: number; readonly fees: number }[];
}

function positionsOf(h: Harness): Map<string, number> {
  return new Map(
    h.exchange.engine
      .getPositions(h.accountId)
      .filter((p) => p.position !== 0)
      .map((p) => [p.ticker, p.position as number]),
  );
}

describe('kalshi-mm run against the local exchange', { timeout: 90_000 }, () => {
  test('with no configuration it starts the embedded exchange, quotes its markets and stops cleanly on Ctrl-C', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kalshi-mm-start-'));
    const child = spawn(process.execPath, [join(ROOT, 'bin/kalshi-mm.js'), 'run', '--status-every', '1s', '--dashboard', '0'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env['PATH'] ?? '' },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      await until(
        () => /\(embedded, demo account\)/.test(stderr) && /markets [1-9]\d* \| orders [1-9]/.test(stderr),
        'quotes on the embedded exchange',
        60_000,
      ).catch((error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}; the bot's stderr ends:\n${stderr.slice(-3000)}`);
      });
      child.kill('SIGINT');
      assert.equal(await exited, 0, stderr);
      assert.match(stderr, /stopped \(interrupted\); resting orders left: 0/);
    } finally {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('its quotes rest on the exchange book, a fill is journaled once, and SIGTERM leaves zero resting orders', async () => {
    const h = await startHarness();
    const bot = spawnBot(h, BOT_ARGS);
    try {
      await until(
        () =>
          TEST_MARKETS.every(
            (t) =>
              ourResting(h).some((o) => o.ticker === t && o.side === 'bid') &&
              ourResting(h).some((o) => o.ticker === t && o.side === 'ask'),
          ),
        'two-sided quotes in both markets',
      );
      for (const ticker of TEST_MARKETS) {
        const book = h.exchange.engine.getBook(ticker);
        for (const o of ourResting(h).filter((x) => x.ticker === ticker)) {
          const levels = o.side === 'bid' ? book.yes : book.no;
          const legPrice = o.side === 'bid' ? o.price : 10_000 - o.price;
          assert.ok(
            levels.some((l) => l.price === legPrice && l.count >= o.remainingCount),
            `${ticker} ${o.side} ${o.price} is on the book`,
          );
        }
      }
      assert.ok(hitOurBid(h, TEST_MARKETS[0]) > 0, 'the taker filled against our bid');
      // Then against our ask once the bot has requoted: a round trip realizes PnL.
      await until(() => hitOurQuote(h, TEST_MARKETS[0], 'ask') > 0, 'a fill against our ask', 10_000);
      await new Promise((r) => setTimeout(r, 300));
      bot.child.kill('SIGTERM');
      assert.equal(await bot.exited, 0, bot.stderr());
      assert.equal(ourResting(h).length, 0, 'no resting order after SIGTERM');
      assert.match(bot.stderr(), /resting orders left: 0/);
      // The bot's own ledger (logged at exit) against the exchange's positions, to the $0.0001.
      const summary = readdirSync(join(h.dir, '.kalshi-mm', 'logs'))
        .flatMap((f) => readFileSync(join(h.dir, '.kalshi-mm', 'logs', f), 'utf8').split('\n'))
        .filter((l) => l.includes('"run summary"'))
        .map((l) => JSON.parse(l) as RunSummary)[0];
      assert.ok(summary, 'a run summary was logged');
      assert.ok(
        h.exchange.engine.getPositions(h.accountId).some((p) => p.realizedPnl !== 0),
        'the round trip realized PnL',
      );
      for (const position of h.exchange.engine.getPositions(h.accountId)) {
        const ledger: RunSummary['risk'][number] | undefined = summary.risk.find((r) => r.ticker === position.ticker);
        assert.deepEqual(
          { position: ledger?.position ?? 0, realizedPnl: ledger?.realizedPnl ?? 0, fees: ledger?.fees ?? 0 },
          { position: position.position, realizedPnl: position.realizedPnl, fees: position.feesPaid },
          `${position.ticker} bot ledger equals the exchange`,
        );
      }
      const journal = Journal.open(join(h.dir, 'journal.sqlite'));
      try {
        const exchangeFills = h.exchange.engine.listFills(h.accountId);
        assert.ok(exchangeFills.length >= 1);
        assert.equal(journal.fillSummary().count, exchangeFills.length, 'every exchange fill journaled exactly once');
        assert.deepEqual(
          new Map([...journal.positions()].filter(([, p]) => p !== 0)),
          positionsOf(h),
          'journal positions equal the exchange positions',
        );
        assert.ok(journal.events('intent').length >= 4, 'intents journaled');
        for (const intent of journal.events('intent')) {
          const ack = journal.events('ack').find((a) => a.clientOrderId === intent.clientOrderId);
          if (ack) assert.ok(ack.seq > intent.seq, 'an intent is journaled before its ack');
        }
      } finally {
        journal.close();
      }
    } finally {
      bot.child.kill('SIGKILL');
      await h.close();
    }
  });

  test('after kill -9 a restart cancels the orphaned orders, loses no fill and keeps the positions', async () => {
    const h = await startHarness();
    const first = spawnBot(h, BOT_ARGS);
    try {
      await until(() => ourResting(h).length >= 4, 'quotes of the first run');
      assert.ok(hitOurBid(h, TEST_MARKETS[1]) > 0, 'the taker filled against our bid');
      await until(() => ourResting(h).length >= 4, 'requotes after the fill', 10_000).catch(() => undefined);
      const before = positionsOf(h);
      const orphanIds = new Set(ourResting(h).map((o) => o.orderId));
      first.child.kill('SIGKILL');
      await first.exited;
      assert.ok(orphanIds.size > 0 && ourResting(h).length > 0, 'orders left resting by the killed run');
      // A fill while the bot is down: the restart must find it in the exchange's fills.
      hitOurBid(h, TEST_MARKETS[0]);
      const duringDowntime = positionsOf(h);

      const second = spawnBot(h, BOT_ARGS);
      try {
        await second.waitFor(/recovered an earlier run: (\d+) orphan orders cancelled, (\d+) fills recovered, 0 position mismatches/);
        await until(() => ourResting(h).length >= 2, 'quotes of the second run');
        assert.ok(
          ourResting(h).every((o) => !orphanIds.has(o.orderId)),
          'no order of the killed run still rests',
        );
        second.child.kill('SIGTERM');
        assert.equal(await second.exited, 0, second.stderr());
        assert.equal(ourResting(h).length, 0);
        const journal = Journal.open(join(h.dir, 'journal.sqlite'));
        try {
          assert.equal(journal.fillSummary().count, h.exchange.engine.listFills(h.accountId).length, 'no fill lost or counted twice');
          assert.deepEqual(new Map([...journal.positions()].filter(([, p]) => p !== 0)), positionsOf(h));
        } finally {
          journal.close();
        }
        assert.ok(before.size > 0);
        assert.ok(duringDowntime.size > 0);
      } finally {
        second.child.kill('SIGKILL');
      }
    } finally {
      first.child.kill('SIGKILL');
      await h.close();
    }
  });
});
