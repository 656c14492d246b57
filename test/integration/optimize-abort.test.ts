// Ctrl-C during `kalshi-mm optimize`: the grid stops at once, it does not wait for running jobs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger } from '../../src/core/index.js';
import { defaultTradingConfig } from '../../src/config/index.js';
import { DEFAULT_MODELS } from '../../src/backtest/index.js';
import { gridOf } from '../../src/backtest/grid.js';
import { runGrid } from '../../src/backtest/grid-pool.js';
import type { PlainSettings } from '../../src/backtest/grid-job.js';
import { runCommand } from './backtest-cli-helper.js';

test('aborting a grid on worker threads rejects with the reason before any job finishes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmm-abort-'));
  const file = join(dir, 's.jsonl');
  const { code, err } = await runCommand(['synth', '--markets', '4', '--hours', '2', '--seed', '2', '--out', file]);
  assert.equal(code, 0, err);
  const settings: PlainSettings = {
    queue: DEFAULT_MODELS.queue,
    latency: DEFAULT_MODELS.latency,
    feeType: DEFAULT_MODELS.fees.schedule.feeType,
    feeMultiplier: 1,
    crossFills: 'displayed',
    seed: 1,
    config: defaultTradingConfig(),
    agent: 'maker',
  };
  const controller = new AbortController();
  let jobsDone = 0;
  const grid = runGrid({
    files: [file],
    // 400 parameter sets: minutes of work, far more than the test waits.
    params: gridOf(Array.from({ length: 20 }, (_, i) => 0.05 * (i + 1)), Array.from({ length: 20 }, (_, i) => 0.25 * (i + 1))),
    settings,
    holdoutFraction: 0,
    workers: 2,
    logger: new MemoryLogger(),
    signal: controller.signal,
    onProgress: (p) => {
      jobsDone = p.jobsDone;
    },
  });
  // Ctrl-C half a second in, while both workers are replaying (each job is minutes of work).
  setTimeout(() => controller.abort(new Error('interrupted')), 500);
  await assert.rejects(grid, /interrupted/);
  assert.equal(jobsDone, 0, 'no job had finished: the abort did not wait for them');
});
