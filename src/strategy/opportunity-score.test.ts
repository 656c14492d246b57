import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveVolume, opportunityScore } from './opportunity-score.js';

const base = { buyVolume: 600, sellVolume: 400, volatilityCents: 1.9, spreadCents: 4, targetSpreadCents: 4, spreadWidthCents: 2, epsilonCents: 0.1, oneSidedDiscount: 1 };

describe('opportunityScore', () => {
  test('effective volume keeps only the balanced part with λ = 1 and all of it with λ = 0', () => {
    assert.equal(effectiveVolume(600, 400, 1), 800); // 2·min(B, S)
    assert.equal(effectiveVolume(600, 400, 0), 1000);
    assert.equal(effectiveVolume(600, 400, 0.5), 900);
    assert.equal(effectiveVolume(1000, 0, 1), 0);
    assert.equal(effectiveVolume(0, 0, 1), 0);
  });

  test('equals V_eff / (σ + ε) at the target spread: 800 / 2 = 400', () => {
    assert.ok(Math.abs(opportunityScore(base) - 400) < 1e-9);
  });

  test('falls by exp(−1/2) one σ_s away from the target spread', () => {
    assert.ok(Math.abs(opportunityScore({ ...base, spreadCents: 6 }) - 400 * Math.exp(-0.5)) < 1e-9);
    assert.ok(Math.abs(opportunityScore({ ...base, spreadCents: 2 }) - 400 * Math.exp(-0.5)) < 1e-9);
  });

  test('ranks the calmer of two equal-volume markets first, and uses ε when σ is 0', () => {
    assert.ok(opportunityScore({ ...base, volatilityCents: 1 }) > opportunityScore({ ...base, volatilityCents: 3 }));
    assert.ok(Math.abs(opportunityScore({ ...base, volatilityCents: 0 }) - 8000) < 1e-9);
  });

  test('is 0 without volume', () => {
    assert.equal(opportunityScore({ ...base, buyVolume: 0, sellVolume: 0 }), 0);
  });
});
