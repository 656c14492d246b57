// The HTML reports render in headless Chromium (Debian's /usr/bin/chromium) without console errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { MemoryLogger } from '../../src/core/index.js';
import { aggregate, gridOf, type MarketRecord } from '../../src/backtest/grid.js';
import { renderGridReport, renderRunReport } from '../../src/backtest/report.js';
import { referenceAgentFactory, replay } from '../../src/backtest/index.js';
import { runCommand } from './backtest-cli-helper.js';

const CHROMIUM = '/usr/bin/chromium';
const dir = mkdtempSync(join(tmpdir(), 'kmm-report-'));
const OUTPUT = join(process.cwd(), 'test-output');

async function synth(path: string): Promise<void> {
  const { code, err } = await runCommand(['synth', '--markets', '2', '--hours', '0.5', '--seed', '3', '--out', path]);
  assert.equal(code, 0, err);
}

async function open(file: string, screenshot: string): Promise<{ canvases: number; cells: number; errors: string[] }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => (globalThis as unknown as { __chartsReady?: boolean }).__chartsReady === true, undefined, { timeout: 15_000 });
    const canvases = await page.locator('.uplot canvas').count();
    const cells = await page.locator('td.cell').count();
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, screenshot), fullPage: true });
    return { canvases, cells, errors };
  } finally {
    await browser.close();
  }
}

test('the run and grid reports render their charts in Chromium with no console errors', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install chromium); skipping the browser check` }, async () => {
  const file = join(dir, 'synth.jsonl');
  await synth(file);
  const [result] = await replay({ file, tickers: ['KXHIGHNY-26JAN01-B36.5'], params: [{ gamma: 0.1, kappa: 1.5 }], agent: referenceAgentFactory(), series: true, logger: new MemoryLogger() });
  assert.ok(result && (result.series?.length ?? 0) > 10 && result.fills > 0);
  const runHtml = join(dir, 'run.html');
  writeFileSync(runHtml, renderRunReport(result, { title: 'run report test' }));
  const run = await open(runHtml, 'backtest-run-report.png');
  assert.deepEqual(run.errors, []);
  assert.ok(run.canvases >= 3, `3 charts (quotes, inventory, equity), found ${run.canvases} canvases`);

  const records: MarketRecord[] = [];
  for (const params of gridOf([0.1, 0.5], [1, 2, 3])) {
    records.push({ ...result, ...params, pnl: params.gamma * params.kappa - 1, series: undefined, fillLog: undefined, file } as unknown as MarketRecord);
  }
  const gridHtml = join(dir, 'grid.html');
  writeFileSync(gridHtml, renderGridReport(aggregate(records), { title: 'grid report test' }));
  const grid = await open(gridHtml, 'backtest-grid-report.png');
  assert.deepEqual(grid.errors, []);
  assert.equal(grid.cells, 6, 'one heatmap cell per gamma × kappa');
  assert.ok(grid.canvases >= 1);
});
