/**
 * The daily loss limit of `kalshi-mm run` over real sockets: an adverse move after a fill stops the bot
 * (exit 1, no order left), and the stop holds for the rest of the UTC day: a restart on the same
 * journal (an operator, a supervisor's restart loop) does not quote again with a fresh budget. A
 * higher limit lets it start. (The restarts happen seconds after the stop: a run across 00:00 UTC would
 * see a new day, which is the intended behaviour.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hitOurQuote, spawnBot, startHarness, TEST_MARKETS, until } from './run-harness.js';

const BOT_ARGS = ['--markets', TEST_MARKETS.join(','), '--no-dashboard', '--status-every', '0', '--min-requote-interval-ms', '200ms'];

test('after the daily loss limit stops the bot, a restart the same day places no order', { timeout: 120_000 }, async () => {
  const h = await startHarness(10);
  const resting = (): number => h.exchange.engine.restingOrders(h.accountId).length;
  const orders = (): number => h.exchange.engine.listOrders(h.accountId).length;
  const first = spawnBot(h, [...BOT_ARGS, '--max-daily-loss-dollars', '1']);
  try {
    await until(() => resting() >= 4, 'quotes of the first run', 30_000);
    assert.ok(hitOurQuote(h, TEST_MARKETS[0], 'bid') > 0, 'the taker filled against our bid');
    // The market collapses under our long position: the day's PnL goes far below −$1.
    h.exchange.moveFair(TEST_MARKETS[0], 0.02);
    assert.equal(await first.exited, 1, first.stderr().slice(-3000));
    assert.match(first.stderr(), /stopped \(daily loss limit reached\); resting orders left: 0/);
    assert.equal(resting(), 0);

    const before = orders();
    const second = spawnBot(h, [...BOT_ARGS, '--max-daily-loss-dollars', '1']);
    try {
      const code = await Promise.race([second.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 15_000))]);
      assert.equal(orders(), before, `the restart placed no order; stderr:\n${second.stderr().slice(-3000)}`);
      assert.equal(code, 1, `the restart must refuse to trade today; stderr:\n${second.stderr().slice(-3000)}`);
      assert.match(second.stderr(), /the daily loss limit stopped an earlier run today/);
    } finally {
      second.child.kill('SIGKILL');
    }

    // An operator who raises the limit may trade again.
    const third = spawnBot(h, [...BOT_ARGS, '--max-daily-loss-dollars', '10000']);
    try {
      await until(() => resting() >= 2, 'quotes under the higher limit', 30_000);
      third.child.kill('SIGTERM');
      assert.equal(await third.exited, 0, third.stderr().slice(-3000));
      assert.equal(resting(), 0);
    } finally {
      third.child.kill('SIGKILL');
    }
  } finally {
    first.child.kill('SIGKILL');
    await h.close();
  }
});

test(
  'a kill -9 during the daily-loss shutdown (the exchange failing every call) still keeps the restart from trading',
  { timeout: 120_000 },
  async () => {
    const h = await startHarness(10);
    const resting = (): number => h.exchange.engine.restingOrders(h.accountId).length;
    const orders = (): number => h.exchange.engine.listOrders(h.accountId).length;
    const logText = (): string => {
      const dir = join(h.dir, '.kalshi-mm', 'logs');
      return readdirSync(dir)
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .join('');
    };
    const first = spawnBot(h, [...BOT_ARGS, '--max-daily-loss-dollars', '1']);
    try {
      await until(() => resting() >= 4, 'quotes of the first run', 30_000);
      assert.ok(hitOurQuote(h, TEST_MARKETS[0], 'bid') > 0, 'the taker filled against our bid');
      // Every REST call fails from now on: the shutdown's cancels retry for a minute.
      h.exchange.injectFault({ kind: 'rest_fail', fraction: 1, status: 503 });
      h.exchange.moveFair(TEST_MARKETS[0], 0.02);
      await until(() => logText().includes('"reason":"daily loss limit reached"'), 'the daily-loss shutdown to begin', 30_000);
      first.child.kill('SIGKILL');
      await first.exited;
      h.exchange.clearFaults();

      const before = orders();
      const second = spawnBot(h, [...BOT_ARGS, '--max-daily-loss-dollars', '1']);
      try {
        const code = await Promise.race([second.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 15_000))]);
        assert.equal(orders(), before, `the restart placed no order; stderr:\n${second.stderr().slice(-3000)}`);
        assert.equal(code, 1, second.stderr().slice(-3000));
        assert.match(second.stderr(), /the daily loss limit stopped an earlier run today/);
        assert.equal(resting(), 0, 'the restart cancelled the orphans of the killed run before refusing');
      } finally {
        second.child.kill('SIGKILL');
      }
    } finally {
      first.child.kill('SIGKILL');
      await h.close();
    }
  },
);
