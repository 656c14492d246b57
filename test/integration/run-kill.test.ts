/**
 * The operator's kill switch of `kalshi-mm run` over real sockets: a kill file that appears while the
 * bot quotes stops it (exit 1, no resting order on the exchange, the file's text as the reason); a
 * kill file present at start keeps it from placing any order; the dashboard's kill button (a JSON POST
 * with the page's header) does what the file does, and a POST without that header changes nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnBot, startHarness, TEST_MARKETS, until, type BotProcess } from './run-harness.js';

const BOT_ARGS = ['--markets', TEST_MARKETS.join(','), '--no-dashboard', '--status-every', '0', '--min-requote-interval-ms', '200ms'];

/** Resolves with the exit code, or 'running' when the bot has not exited within `ms`. */
function exitWithin(bot: BotProcess, ms: number): Promise<number | null | 'running'> {
  return Promise.race([bot.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), ms))]);
}

test(
  'a kill file that appears while the bot quotes stops it: exit 1, zero resting orders, the file text as the reason',
  { timeout: 90_000 },
  async (t) => {
    const h = await startHarness(10);
    const resting = (): number => h.exchange.engine.restingOrders(h.accountId).length;
    const bot = spawnBot(h, BOT_ARGS);
    try {
      await until(() => resting() >= 4, 'two-sided quotes in both markets', 30_000);
      const created = performance.now();
      // Two lines and a control character: the reason is one trimmed line of plain text.
      writeFileSync(join(h.dir, '.kalshi-mm', 'KILL'), '  news spike, pulling quotes\n\u0007second line\n');
      await until(() => resting() === 0, 'every resting order cancelled', 10_000);
      const cancelledMs = performance.now() - created;
      const code = await exitWithin(bot, 10_000);
      const exitedMs = performance.now() - created;
      t.diagnostic(`kill file → zero resting orders ${cancelledMs.toFixed(0)} ms, → exit ${exitedMs.toFixed(0)} ms`);
      assert.equal(code, 1, bot.stderr().slice(-3000));
      assert.equal(resting(), 0);
      assert.match(
        bot.stderr(),
        /stopped \(kill switch: kill file \.kalshi-mm\/KILL: news spike, pulling quotes second line\); resting orders left: 0/,
      );
    } finally {
      bot.child.kill('SIGKILL');
      await h.close();
    }
  },
);

test('a kill file present at start: exit 1 naming the file and how to clear it, no order ever placed', { timeout: 60_000 }, async () => {
  const h = await startHarness(10);
  const bot = (() => {
    mkdirSync(join(h.dir, 'ops'), { recursive: true });
    writeFileSync(join(h.dir, 'ops', 'STOP'), 'desk closed');
    return spawnBot(h, [...BOT_ARGS, '--kill-file', 'ops/STOP']);
  })();
  try {
    const code = await exitWithin(bot, 15_000);
    assert.equal(code, 1, bot.stderr().slice(-3000));
    assert.match(bot.stderr(), /kill file ops\/STOP exists \(desk closed\): not trading; remove it to trade again/);
    // Let any order that might have been sent reach the engine before counting.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(h.exchange.engine.listOrders(h.accountId).length, 0, 'no order was ever placed');
  } finally {
    bot.child.kill('SIGKILL');
    await h.close();
  }
});

test('the dashboard kill button (JSON POST with the page header) stops the bot; a bare POST does not', { timeout: 90_000 }, async () => {
  const h = await startHarness(10);
  const resting = (): number => h.exchange.engine.restingOrders(h.accountId).length;
  const bot = spawnBot(h, [
    '--markets',
    TEST_MARKETS.join(','),
    '--dashboard',
    '0',
    '--status-every',
    '0',
    '--min-requote-interval-ms',
    '200ms',
  ]);
  try {
    const url = (await bot.waitFor(/dashboard at (http:\/\/127\.0\.0\.1:\d+\/)/, 30_000))[1] ?? '';
    await until(() => resting() >= 4, 'two-sided quotes in both markets', 30_000);
    // A form post from another site can send neither the header nor a JSON content type.
    const bare = await fetch(`${url}api/kill`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'reason=x',
    });
    assert.equal(bare.status, 403);
    const foreign = await fetch(`${url}api/kill`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kalshi-mm': 'kill', origin: 'http://evil.example' },
      body: '{}',
    });
    assert.equal(foreign.status, 403);
    await new Promise((r) => setTimeout(r, 1_500));
    assert.ok(resting() >= 4, 'refused posts leave the bot quoting');
    assert.equal(await exitWithin(bot, 0), 'running');

    const res = await fetch(`${url}api/kill`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kalshi-mm': 'kill' },
      body: JSON.stringify({ reason: 'from the dashboard test' }),
    });
    assert.equal(res.status, 202, await res.text());
    assert.equal(await exitWithin(bot, 15_000), 1, bot.stderr().slice(-3000));
    assert.equal(resting(), 0);
    assert.match(bot.stderr(), /stopped \(kill switch: dashboard: from the dashboard test\); resting orders left: 0/);
  } finally {
    bot.child.kill('SIGKILL');
    await h.close();
  }
});
