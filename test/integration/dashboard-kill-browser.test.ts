/**
 * The dashboard's kill button in a real browser (headless Chromium via playwright-core): dismissing
 * its confirm step changes nothing; accepting it stops `kalshi-mm run` (exit 1, no resting order on
 * the exchange, the button named as the reason).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { spawnBot, startHarness, TEST_MARKETS, until } from './run-harness.js';

const CHROMIUM = '/usr/bin/chromium';

test(
  'the kill button asks first, then stops the bot with every order cancelled',
  { skip: !existsSync(CHROMIUM) && 'no /usr/bin/chromium', timeout: 90_000 },
  async () => {
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
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const url = (await bot.waitFor(/dashboard at (http:\/\/127\.0\.0\.1:\d+\/)/, 30_000))[1] ?? '';
      await until(() => resting() >= 4, 'two-sided quotes in both markets', 30_000);
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(url);
      const dialogs: string[] = [];
      let accept = false;
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void (accept ? d.accept() : d.dismiss());
      });
      await page.click('#kill');
      await until(() => dialogs.length === 1, 'the confirm step');
      assert.match(dialogs[0] ?? '', /^Trip the kill switch\?\n\nThe bot stops quoting, cancels every resting order/);
      await new Promise((r) => setTimeout(r, 1_500));
      assert.ok(resting() >= 4, 'a dismissed confirm leaves the bot quoting');
      assert.equal(await Promise.race([bot.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 0))]), 'running');

      accept = true;
      await page.click('#kill');
      assert.equal(
        await Promise.race([bot.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 15_000))]),
        1,
        bot.stderr().slice(-3000),
      );
      assert.equal(resting(), 0);
      assert.match(bot.stderr(), /stopped \(kill switch: dashboard: kill button\); resting orders left: 0/);
      assert.deepEqual(problems, [], 'no page errors');
    } finally {
      await browser.close();
      bot.child.kill('SIGKILL');
      await h.close();
    }
  },
);
