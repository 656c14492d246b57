/**
 * An exchange-wide trading pause over real sockets: the local exchange's admin API stops trading (it
 * does not cancel the bot's orders: they were not placed with cancel_order_on_pause), the bot sees it
 * at its next exchange-status poll (`--exchange-status-every 300ms`), pulls every quote and places
 * none while paused, and quotes again after the resume.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnBot, startHarness, TEST_MARKETS, until } from './run-harness.js';

test(
  'when the exchange pauses trading the bot pulls its quotes and waits, and quotes again after the resume',
  { timeout: 90_000 },
  async () => {
    const h = await startHarness(10);
    const resting = (): number => h.exchange.engine.restingOrders(h.accountId).length;
    const admin = async (body: object): Promise<void> => {
      const res = await fetch(`http://127.0.0.1:${h.exchange.port}/_admin/exchange`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(res.status, 200, await res.text());
    };
    const bot = spawnBot(h, [
      '--markets',
      TEST_MARKETS.join(','),
      '--no-dashboard',
      '--status-every',
      '500ms',
      '--exchange-status-every',
      '300ms',
    ]);
    try {
      await until(() => resting() >= 2, 'the bot to quote', 30_000);
      await admin({ trading_active: false });
      assert.ok(resting() >= 2, 'the exchange pause itself leaves the bot orders resting');
      await until(() => resting() === 0, 'the bot to pull its quotes while paused', 10_000);
      await bot.waitFor(/EXCHANGE PAUSED/, 10_000);
      // Still waiting a while later: no order rests (none is even tried: the exchange would reject it).
      for (let i = 0; i < 10; i++) {
        await new Promise((r) => setTimeout(r, 150));
        assert.equal(resting(), 0, 'no order rests while trading is paused');
      }
      await admin({ trading_active: true });
      await until(() => resting() >= 2, 'the bot to quote again after the resume', 15_000);
      bot.child.kill('SIGTERM');
      assert.equal(await bot.exited, 0, bot.stderr().slice(-3000));
      assert.equal(resting(), 0);
    } finally {
      bot.child.kill('SIGKILL');
      await h.close();
    }
  },
);
