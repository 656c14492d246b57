import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/index.js';
import { configFields, envName, flagName, renderConfigTable } from './fields.js';
import { configFlagOptions, defaultTradingConfig, loadConfig, pickConfigFlags } from './load.js';

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, was ${String(error)}`);
    return error.issues.map((i) => `${i.path}: ${i.message}`);
  }
  assert.fail('expected a ConfigError');
}

describe('loadConfig precedence', () => {
  test('uses the schema defaults when nothing is given', () => {
    const c = defaultTradingConfig();
    assert.equal(c.gamma, 0.1);
    assert.equal(c.mode, 'binary');
    assert.equal(c.volWindowMs, 60_000);
    assert.equal(c.fixedSigmaCentsPerSqrtSec, undefined);
  });

  test('CLI flags beat the environment, which beats .env, which beats the defaults', () => {
    const dotenvText = 'KMM_GAMMA=0.2\nKMM_KAPPA=2\nKMM_MAX_MARKETS=7\nKALSHI_API_KEY_ID=ignored-here\n';
    const env = { KMM_GAMMA: '0.3', KMM_KAPPA: '3', PATH: '/bin' };
    const flags = { gamma: '0.4' };
    const c = loadConfig({ flags, env, dotenvText });
    assert.equal(c.gamma, 0.4);
    assert.equal(c.kappa, 3);
    assert.equal(c.maxMarkets, 7);
    assert.equal(c.quoteSizeContracts, 10);
  });

  test('overrides beat every other source', () => {
    assert.equal(loadConfig({ flags: { gamma: '0.4' }, overrides: { gamma: 0.9 } }).gamma, 0.9);
  });

  test('command defaults replace schema defaults but lose to .env, the environment and flags', () => {
    const commandDefaults = { selectMinVolume24hContracts: 0, gamma: 0.3 };
    assert.equal(loadConfig({ commandDefaults }).selectMinVolume24hContracts, 0);
    assert.equal(loadConfig({ commandDefaults, dotenvText: 'KMM_GAMMA=0.4' }).gamma, 0.4);
    assert.equal(loadConfig({ commandDefaults, env: { KMM_SELECT_MIN_VOLUME24H_CONTRACTS: '250' } }).selectMinVolume24hContracts, 250);
    assert.equal(loadConfig({ commandDefaults, flags: { gamma: '0.5' } }).gamma, 0.5);
  });

  test('parses durations, booleans and enums from text', () => {
    const c = loadConfig({ env: { KMM_STOP_BEFORE_CLOSE_MS: '10m', KMM_POST_ONLY: 'false', KMM_MODE: 'glft' }, flags: { 'min-requote-interval-ms': '250', 'fee-aware': true } });
    assert.equal(c.stopBeforeCloseMs, 600_000);
    assert.equal(c.minRequoteIntervalMs, 250);
    assert.equal(c.postOnly, false);
    assert.equal(c.feeAware, true);
    assert.equal(c.mode, 'glft');
  });
});

describe('loadConfig errors', () => {
  test('a misspelled environment variable is an error that suggests the right name', () => {
    const issues = issuesOf(() => loadConfig({ env: { KMM_GAMA: '0.2' } }));
    assert.deepEqual(issues, ['KMM_GAMA: unknown setting in the environment (did you mean KMM_GAMMA?)']);
  });

  test('a misspelled flag is an error that suggests the right flag', () => {
    const issues = issuesOf(() => loadConfig({ flags: { 'max-postion-contracts': '5' } }));
    assert.deepEqual(issues, ['--max-postion-contracts: unknown flag (did you mean --max-position-contracts?)']);
  });

  test('a misspelled key in .env is an error naming the file', () => {
    const issues = issuesOf(() => loadConfig({ dotenvText: 'KMM_KAPA=1' }));
    assert.match(issues[0] ?? '', /^KMM_KAPA: unknown setting in \.env \(did you mean KMM_KAPPA\?\)/);
  });

  test('an out-of-range value names the field, its source, the bound and the value', () => {
    const issues = issuesOf(() => loadConfig({ env: { KMM_GAMMA: '20' } }));
    assert.equal(issues.length, 1);
    assert.match(issues[0] ?? '', /^gamma \(KMM_GAMMA in the environment\): .*<=10.*was 20$/);
  });

  test('every problem is reported at once', () => {
    const issues = issuesOf(() =>
      loadConfig({ env: { KMM_KAPPA: '-1', KMM_MODE: 'fast' }, flags: { 'quote-size-contracts': '2.5', 'stop-before-close-ms': 'soon' }, overrides: { bogus: 1 } as never }),
    );
    assert.equal(issues.length, 5, issues.join('\n'));
    assert.ok(issues.some((i) => i.startsWith('kappa (KMM_KAPPA in the environment)')));
    assert.ok(issues.some((i) => i.startsWith('mode (KMM_MODE in the environment)')));
    assert.ok(issues.some((i) => i.startsWith('quoteSizeContracts (--quote-size-contracts)')));
    assert.ok(issues.some((i) => i.startsWith('stopBeforeCloseMs (--stop-before-close-ms): expected a duration')));
    assert.ok(issues.some((i) => i.startsWith('bogus: unknown field')));
  });

  test('the ConfigError message lists every issue on its own line', () => {
    try {
      loadConfig({ env: { KMM_GAMMA: 'abc' } });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.equal((error as Error).message, 'invalid configuration:\n  gamma (KMM_GAMMA in the environment): expected a number, was "abc"');
    }
  });

  test('cross-field rules: min price below max price, min size multiplier not above max', () => {
    const issues = issuesOf(() => loadConfig({ flags: { 'min-price-cents': '60', 'max-price-cents': '40', 'min-size-multiplier': '3' } }));
    assert.ok(issues.some((i) => i.startsWith('minPriceCents (--min-price-cents): must be below maxPriceCents (40), was 60')));
    assert.ok(issues.some((i) => i.startsWith('minSizeMultiplier (--min-size-multiplier): must be at most maxSizeMultiplier (2), was 3')));
  });
});

describe('field table', () => {
  test('derives env names and flags from field names', () => {
    assert.equal(envName('maxPositionContracts'), 'KMM_MAX_POSITION_CONTRACTS');
    assert.equal(flagName('maxPositionContracts'), 'max-position-contracts');
    assert.equal(envName('gamma'), 'KMM_GAMMA');
  });

  test('every field has a description, a unit and a range, and the required fields exist', () => {
    const keys = new Set(configFields().map((f) => f.key));
    for (const required of ['gamma', 'kappa', 'quoteSizeContracts', 'maxPositionContracts', 'maxPortfolioExposureDollars', 'volWindowMs', 'volCacheTtlMs', 'sizeVolScaling', 'minSpreadCents', 'targetSpreadCents', 'requoteThresholdTicks', 'minRequoteIntervalMs', 'maxLossPerMarketDollars', 'maxDailyLossDollars', 'stopBeforeCloseMs', 'maxMarkets', 'marketRefreshIntervalMs', 'mode']) {
      assert.ok(keys.has(required as never), `missing ${required}`);
    }
    for (const f of configFields()) {
      assert.ok(f.description.length > 10, `${f.key} has no description`);
      assert.ok(f.unit.length > 0, `${f.key} has no unit`);
      assert.ok(f.range.length > 0, `${f.key} has no range`);
    }
    const gamma = configFields().find((f) => f.key === 'gamma');
    assert.equal(gamma?.range, '> 0 and ≤ 10');
    assert.equal(gamma?.defaultText, '0.1');
  });

  test('configFlagOptions and pickConfigFlags cover exactly the config flags', () => {
    const options = configFlagOptions();
    assert.equal(Object.keys(options).length, configFields().length);
    assert.deepEqual(pickConfigFlags({ gamma: '1', env: 'demo', json: true }), { gamma: '1' });
  });

  test('docs/configuration.md holds the current table (regenerate it when the schema changes)', () => {
    const doc = readFileSync('docs/configuration.md', 'utf8');
    assert.ok(doc.includes(renderConfigTable('markdown')), 'docs/configuration.md is out of date: paste renderConfigTable("markdown") into it');
  });

  test('the README holds the current table too', () => {
    const readme = readFileSync('README.md', 'utf8');
    assert.ok(readme.includes(renderConfigTable('markdown')), 'README.md is out of date: paste renderConfigTable("markdown") between its config-table markers');
  });
});

describe('text round trip', () => {
  test('every field’s default, written as text to the environment and to a flag, loads back unchanged', () => {
    const defaults = defaultTradingConfig() as Record<string, unknown>;
    const env: Record<string, string> = {};
    const flags: Record<string, string> = {};
    for (const f of configFields()) {
      if (f.defaultText === '(unset)') continue;
      env[f.env] = f.defaultText;
      flags[f.flag] = f.defaultText;
    }
    assert.deepEqual(loadConfig({ env }), defaults);
    assert.deepEqual(loadConfig({ flags }), defaults);
  });
});
