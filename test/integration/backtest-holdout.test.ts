// optimize --holdout: a record's search figures (everything but `holdout`) describe the time before the
// boundary only, and each part reconciles: pnl = cash + inventory × markPrice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger } from '../../src/core/index.js';
import { loadConfig } from '../../src/config/index.js';
import { defaultAgentFactory, replay } from '../../src/backtest/index.js';
import { runCommand } from './backtest-cli-helper.js';

const dir = mkdtempSync(join(tmpdir(), 'kmm-holdout-'));

test('with a holdout, the search figures stop at the boundary and pnl = cash + inventory × markPrice in each part', async () => {
  const file = join(dir, 'synth.jsonl');
  const made = await runCommand(['synth', '--markets', '4', '--hours', '1', '--seed', '5', '--out', file]);
  assert.equal(made.code, 0, made.err);
  const maker = defaultAgentFactory({ config: loadConfig({ flags: {} }) });
  const params = [
    { gamma: 0.05, kappa: 0.5 },
    { gamma: 0.5, kappa: 3 },
  ];
  const results = await replay({ file, params, agent: maker, holdoutFraction: 0.5, series: true, logger: new MemoryLogger() });
  const whole = await replay({ file, params, agent: maker, logger: new MemoryLogger() });
  assert.ok(results.some((r) => r.fills > 0 && (r.holdout?.fills ?? 0) > 0), 'some runs trade in both parts');
  for (const [i, r] of results.entries()) {
    const name = `${r.market} γ ${r.gamma} κ ${r.kappa}`;
    const holdout = r.holdout;
    assert.ok(holdout, name);
    const full = whole[i];
    assert.ok(full && full.market === r.market && full.gamma === r.gamma, name);
    // The fills of the search part are those up to the boundary.
    const before = (r.fillLog ?? []).filter((f) => f.tMs <= holdout.fromMs);
    assert.equal(r.fills, before.length, `${name}: fills`);
    let inventory = 0;
    let min = 0;
    let max = 0;
    for (const f of before) {
      inventory += (f.side === 'bid' ? 1 : -1) * f.count;
      min = Math.min(min, inventory);
      max = Math.max(max, inventory);
    }
    assert.equal(r.inventory, inventory / 100, `${name}: inventory at the boundary`);
    assert.equal(r.minInventory, min / 100, `${name}: inventory low before the boundary`);
    assert.equal(r.maxInventory, max / 100, `${name}: inventory high before the boundary`);
    if (r.fills === 0) assert.deepEqual([r.markout1s, r.markout10s, r.markout60s, r.maxDrawdown], [null, null, null, 0], `${name}: no fill, no markout or drawdown`);
    assert.ok(r.durationSeconds < full.durationSeconds, `${name}: the search span ends at the boundary`);
    assert.ok(r.quotedSeconds <= r.durationSeconds, `${name}: quoted within the search span`);
    // Each part reconciles (equity is floored to $0.0001).
    assert.ok(r.markPrice !== null, name);
    const searchPnl = r.cash + r.inventory * r.markPrice;
    assert.ok(Math.abs(searchPnl - r.pnl) < 0.0001 + 1e-9, `${name}: search pnl ${r.pnl} vs cash ${r.cash} + ${r.inventory} × ${r.markPrice}`);
    assert.equal(holdout.valuation, full.valuation, name);
    assert.equal(holdout.markPrice, full.markPrice, name);
    assert.equal(holdout.inventory, full.inventory, name);
    assert.ok(Math.abs(r.pnl + holdout.pnl - full.pnl) < 1e-9, `${name}: search pnl + holdout pnl = the whole run's pnl`);
    assert.ok(Math.abs(r.cash + holdout.cash - full.cash) < 1e-9, `${name}: cash adds up`);
  }
});
