/**
 * The dashboard in a real browser (headless Debian Chromium via playwright-core): `kalshi-mm run`
 * against a local exchange serves the page; markets, our quotes and the charts appear and update, the
 * console stays free of errors, and a screenshot is kept under test-output/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, spawnBot, startHarness, TEST_MARKETS } from './run-harness.js';

const CHROMIUM = '/usr/bin/chromium';

/**
 * The page's DOM as far as the test reads it (the test is compiled without the DOM library; page
 * functions are serialised by playwright, so each reads `globalThis.document` itself).
 */
interface PageDocument {
  querySelectorAll(selector: string): ArrayLike<{ readonly children: ArrayLike<{ readonly textContent: string | null } | undefined> }>;
  readonly body: { readonly dataset: Record<string, string | undefined> };
}

test(
  'the dashboard shows markets, quotes and charts that update, without console errors',
  { skip: !existsSync(CHROMIUM) && 'no /usr/bin/chromium', timeout: 90_000 },
  async () => {
    const h = await startHarness();
    const bot = spawnBot(h, ['--markets', TEST_MARKETS.join(','), '--dashboard', '0', '--status-every', '0']);
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
      const url = (await bot.waitFor(/dashboard at (http:\/\/127\.0\.0\.1:\d+\/)/))[1] ?? '';
      const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(url);
      for (const ticker of TEST_MARKETS) await page.waitForSelector(`#markets tr[data-ticker="${ticker}"]`, { timeout: 15_000 });
      // Why each market is traded ("--markets"), and our quotes: a price with a size ("61.00 ×9") in the
      // "our bid" and "our ask" columns.
      await page.waitForFunction(
        () => {
          const rows = Array.from((globalThis as unknown as { document: PageDocument }).document.querySelectorAll('#markets tbody tr'));
          return (
            rows.length > 0 &&
            rows.every(
              (tr) =>
                tr.children[2]?.textContent === '--markets' &&
                /×/.test(tr.children[4]?.textContent ?? '') &&
                /×/.test(tr.children[5]?.textContent ?? ''),
            )
          );
        },
        undefined,
        { timeout: 15_000 },
      );
      assert.equal(await page.locator('#pnl-chart canvas').count(), 1, 'PnL chart drawn');
      assert.equal(await page.locator('#inv-chart canvas').count(), 1, 'inventory chart drawn');
      const seq = Number(await page.evaluate(() => (globalThis as unknown as { document: PageDocument }).document.body.dataset['seq']));
      await page.waitForFunction(
        (s) => Number((globalThis as unknown as { document: PageDocument }).document.body.dataset['seq']) >= s + 2,
        seq,
        { timeout: 10_000 },
      );
      const health = await page.locator('#health').textContent();
      assert.match(health ?? '', /stream connected/);
      const status = (await (await fetch(`${url}api/status`)).json()) as { markets: { ticker: string }[]; history: { t: number[] } };
      assert.deepEqual(status.markets.map((m) => m.ticker).sort(), [...TEST_MARKETS].sort());
      assert.ok(status.history.t.length >= 3, 'the chart series grows');
      assert.equal((await fetch(url, { method: 'POST' })).status, 405, 'read-only');
      await mkdir(join(ROOT, 'test-output'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'test-output', 'dashboard.png'), fullPage: true });
      assert.deepEqual(problems, [], 'no console errors');
    } finally {
      await browser.close();
      bot.child.kill('SIGTERM');
      await bot.exited;
      await h.close();
    }
  },
);
