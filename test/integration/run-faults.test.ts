/**
 * `kalshi-mm run` under the local exchange's fault injection, over real sockets: a dropped WebSocket
 * and a skipped seq make the bot pull its quotes and quote again only after resync; a burst of 429s
 * slows it without losing an order; a 5xx after an accepted create never makes a second order.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '../../src/journal/index.js';
import { spawnBot, startHarness, TEST_MARKETS, until, type Harness } from './run-harness.js';

const BOT_ARGS = ['--markets', TEST_MARKETS.join(','), '--no-dashboard', '--status-every', '0', '--min-requote-interval-ms', '200ms'];

function ourResting(h: Harness): ReturnType<Harness['exchange']['engine']['restingOrders']> {
  return h.exchange.engine.restingOrders(h.accountId);
}

function logText(h: Harness): string {
  const dir = join(h.dir, '.kalshi-mm', 'logs');
  return readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('');
}

/** Fails when a market ever has two resting orders on one side (a duplicated quote). */
function watchDuplicates(h: Harness): { stop(): string[] } {
  const problems: string[] = [];
  const timer = setInterval(() => {
    const seen = new Set<string>();
    for (const o of ourResting(h)) {
      const key = `${o.ticker}/${o.side}`;
      if (seen.has(key)) problems.push(`${key} has two resting orders`);
      seen.add(key);
    }
  }, 20);
  return {
    stop: () => {
      clearInterval(timer);
      return problems;
    },
  };
}

describe('kalshi-mm run under faults', { timeout: 90_000 }, () => {
  for (const fault of ['drop_ws', 'skip_seq'] as const) {
    test(`after ${fault} the quotes from before are pulled and the bot quotes again only after resync`, async () => {
      const h = await startHarness();
      const bot = spawnBot(h, BOT_ARGS);
      try {
        await until(() => ourResting(h).length >= 4, 'quotes');
        const faultMs = Date.now();
        h.exchange.injectFault({ kind: fault });
        await until(
          () => ourResting(h).length >= 4 && ourResting(h).every((o) => (o.createdMs ?? 0) > faultMs),
          'fresh quotes, none from before the fault',
          15_000,
        );
        bot.child.kill('SIGTERM');
        assert.equal(await bot.exited, 0, bot.stderr());
        assert.equal(ourResting(h).length, 0);
        if (fault === 'drop_ws') assert.match(logText(h), /resynced after reconnect/);
      } finally {
        bot.child.kill('SIGKILL');
        await h.close();
      }
    });
  }

  test('a burst of 429s slows the bot without losing an order', async () => {
    const h = await startHarness();
    const bot = spawnBot(h, BOT_ARGS);
    try {
      await until(() => ourResting(h).length >= 4, 'quotes');
      h.exchange.injectFault({ kind: 'rest_fail', fraction: 1, status: 429, count: 15 });
      const faultMs = Date.now();
      // Move the markets so the bot must requote through the burst.
      for (const t of TEST_MARKETS) h.exchange.moveFair(t, 0.2);
      await until(
        () => ourResting(h).length >= 4 && ourResting(h).some((o) => (o.updatedMs ?? o.createdMs ?? 0) > faultMs),
        'quotes after the burst',
        20_000,
      );
      bot.child.kill('SIGTERM');
      assert.equal(await bot.exited, 0, bot.stderr());
      assert.equal(ourResting(h).length, 0);
      assert.match(logText(h), /retrying REST call/, 'the bot met the 429s');
      const journal = Journal.open(join(h.dir, 'journal.sqlite'));
      try {
        assert.deepEqual(
          journal.openOrders().filter((o) => o.status === 'intent'),
          [],
          'every intent was answered',
        );
      } finally {
        journal.close();
      }
    } finally {
      bot.child.kill('SIGKILL');
      await h.close();
    }
  });

  test('a 5xx after an accepted create never makes a second order', async () => {
    const h = await startHarness();
    const watch = watchDuplicates(h);
    // The first creates of the run are accepted by the exchange and answered with a 500.
    h.exchange.injectFault({ kind: 'accept_then_fail', count: 2, status: 500 });
    const bot = spawnBot(h, BOT_ARGS);
    try {
      await until(() => ourResting(h).length >= 4, 'quotes', 20_000);
      await new Promise((r) => setTimeout(r, 500));
      bot.child.kill('SIGTERM');
      assert.equal(await bot.exited, 0, bot.stderr());
      const ids = h.exchange.engine.listOrders(h.accountId).map((o) => o.clientOrderId);
      assert.equal(new Set(ids).size, ids.length, 'client order ids are unique');
      assert.deepEqual(watch.stop(), [], 'never two resting orders on one side of a market');
      assert.equal(ourResting(h).length, 0);
      // The client retried each failed create with its client id and was given the existing order.
      assert.ok((logText(h).match(/retrying REST call/g) ?? []).length >= 2, 'the fault hit creates');
      const journal = Journal.open(join(h.dir, 'journal.sqlite'));
      try {
        const intents = journal.events('intent').map((e) => e.clientOrderId);
        assert.equal(new Set(intents).size, intents.length);
        assert.ok(ids.length <= intents.length, `at most one exchange order per intent (${ids.length} orders, ${intents.length} intents)`);
      } finally {
        journal.close();
      }
    } finally {
      watch.stop();
      bot.child.kill('SIGKILL');
      await h.close();
    }
  });
});

describe('kalshi-mm run stopping while the exchange fails', { timeout: 120_000 }, () => {
  test('a second Ctrl-C during a slow shutdown does not kill the bot: it finishes its cancels once the exchange answers', async () => {
    const h = await startHarness();
    const bot = spawnBot(h, BOT_ARGS);
    try {
      await until(() => ourResting(h).length >= 4, 'quotes');
      h.exchange.injectFault({ kind: 'rest_fail', fraction: 1, status: 503 });
      bot.child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 500));
      bot.child.kill('SIGINT');
      await bot.waitFor(/still stopping/, 5_000);
      await new Promise((r) => setTimeout(r, 1_000));
      assert.equal(bot.child.exitCode, null, 'still running after the second Ctrl-C');
      assert.ok(ourResting(h).length > 0, 'its cancels have not gone through yet');
      h.exchange.clearFaults();
      assert.equal(await bot.exited, 0, bot.stderr().slice(-3000));
      assert.equal(ourResting(h).length, 0);
      assert.match(bot.stderr(), /stopped \(interrupted\); resting orders left: 0/);
    } finally {
      bot.child.kill('SIGKILL');
      await h.close();
    }
  });
});

describe('kalshi-mm run when its cancels are refused', { timeout: 120_000 }, () => {
  test('the stop reports what rests after deleting its order group, which cancels the group orders the refused cancels left', async () => {
    const h = await startHarness();
    const admin = async (body: object): Promise<void> => {
      const res = await fetch(`http://127.0.0.1:${h.exchange.port}/_admin/exchange`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(res.status, 200, await res.text());
    };
    const bot = spawnBot(h, BOT_ARGS);
    try {
      await until(() => ourResting(h).length >= 4, 'quotes');
      // Order entry (cancels included) answers 503; reads and the order-group delete still work
      // on the local exchange, so the group delete is what takes the quotes off.
      await admin({ exchange_active: false });
      bot.child.kill('SIGTERM');
      const code = await bot.exited;
      assert.equal(ourResting(h).length, 0, 'the group delete cancelled the quotes');
      assert.match(bot.stderr(), /resting orders left: 0;/, 'the report says what the exchange shows');
      assert.equal(code, 0, bot.stderr().slice(-3000));
    } finally {
      bot.child.kill('SIGKILL');
      await h.close();
    }
  });
});
