import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IntensityEstimator } from './intensity.js';

const options = { kappaPriorPerCent: 1.5, arrivalPriorPerSec: 0.01, priorWeight: 10, halfLifeSec: 1_800 };

describe('IntensityEstimator', () => {
  test('returns the priors before any trade', () => {
    const e = new IntensityEstimator(options).estimate(0);
    assert.equal(e.kappaPerCent, 1.5);
    assert.equal(e.arrivalPerSec, 0.01);
    assert.equal(e.effectiveTrades, 0);
  });

  test('shrinks κ toward the prior: 10 trades at 2¢ with weight 10 give (10 + 10)/(10/1.5 + 20) = 0.75', () => {
    const e = new IntensityEstimator(options);
    for (let i = 0; i < 10; i++) e.addTrade(0, 2);
    assert.ok(Math.abs(e.estimate(0).kappaPerCent - 0.75) < 1e-12);
  });

  test('one odd trade moves κ by a bounded amount in a thin market', () => {
    const e = new IntensityEstimator(options);
    e.addTrade(0, 0); // a print at the mid: counted at the 0.01¢ floor, not as infinite κ
    const kappa = e.estimate(0).kappaPerCent;
    assert.ok(Number.isFinite(kappa));
    assert.ok(kappa < 1.5 * (11 / 10) + 1e-9, `κ was ${kappa}`);
  });

  test('the arrival rate follows the observed rate as data accumulate', () => {
    const e = new IntensityEstimator({ ...options, halfLifeSec: 1e9 });
    e.start(0);
    for (let t = 1; t <= 1_000; t++) e.addTrade(t * 1_000, 1); // one trade per second for 1 000 s
    const a = e.estimate(1_000_000).arrivalPerSec;
    // (10 + 1 000) / (10 / 0.01 + 1 000) = 0.505: half prior, half data at this weight.
    assert.ok(Math.abs(a - 1010 / 2000) < 1e-3, `A was ${a}`);
  });

  test('old trades fade with the half-life, so κ returns toward the prior', () => {
    const e = new IntensityEstimator(options);
    for (let i = 0; i < 50; i++) e.addTrade(0, 5);
    const fresh = e.estimate(0).kappaPerCent;
    const aged = e.estimate(10 * 1_800_000).kappaPerCent;
    assert.ok(fresh < 0.5 && aged > 1.4, `fresh ${fresh}, aged ${aged}`);
  });
});
