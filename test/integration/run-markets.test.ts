/**
 * `kalshi-mm run --markets` over real sockets: fixed markets the exchange does not know, or that no
 * longer trade, stop start-up as bad usage (exit 2) with one message naming each of them, before any
 * order and before the run is journaled, instead of running the whole duration quoting nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnBot, startHarness, TEST_MARKETS } from './run-harness.js';

const CLOSED = 'KXHIGHNY-26JAN01-T42';

test('unknown or closed fixed markets: exit 2 naming them, no order placed', { timeout: 60_000 }, async () => {
  const h = await startHarness(10);
  try {
    h.exchange.engine.closeMarket(CLOSED);
    const bot = spawnBot(h, ['--markets', `NOPE-1,${TEST_MARKETS[0]},${CLOSED},NOPE-2`, '--duration', '20s', '--no-dashboard', '--status-every', '0']);
    const code = await Promise.race([bot.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 15_000))]);
    if (code === 'running') bot.child.kill('SIGINT');
    const stderr = bot.stderr();
    assert.equal(code, 2, stderr.slice(-3000));
    assert.match(stderr, /--markets: unknown to the exchange: NOPE-1, NOPE-2; not open: KXHIGHNY-26JAN01-T42 \(closed\)/);
    assert.doesNotMatch(stderr.split('\n').filter((l) => l.includes('--markets:')).join('\n'), new RegExp(TEST_MARKETS[0].replace(/\./g, '\\.')), 'an open market is not named');
    assert.equal(h.exchange.engine.listOrders(h.accountId).length, 0, 'no order reached the exchange');
  } finally {
    await h.close();
  }
});

test('fixed markets that all trade start as before', { timeout: 60_000 }, async () => {
  const h = await startHarness(10);
  try {
    const bot = spawnBot(h, ['--markets', TEST_MARKETS.join(','), '--duration', '3s', '--no-dashboard', '--status-every', '0']);
    assert.equal(await bot.exited, 0, bot.stderr().slice(-3000));
    assert.doesNotMatch(bot.stderr(), /--markets:/);
  } finally {
    await h.close();
  }
});
