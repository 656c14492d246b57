import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { avellanedaStoikov } from './avellaneda-stoikov.js';
import { binaryQuotes, boundedVarianceCents2, closeWidening } from './binary.js';
import { glftInventoryConstant, glftQuotes } from './glft.js';

const close = (actual: number | undefined, expected: number, tolerance = 1e-9) => {
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= tolerance, `expected ${expected}, was ${actual}`);
};

describe('textbook Avellaneda–Stoikov', () => {
  const base = { mid: 50, inventory: 10, gamma: 0.1, sigma: 1, kappa: 1.5, horizon: 1 };

  test('matches hand-computed r, δ, bid and ask (s = 50¢, q = 10, γ = 0.1, σ = 1, κ = 1.5, T − t = 1)', () => {
    const q = avellanedaStoikov(base);
    close(q.reservation, 49); // 50 − 10·0.1·1·1
    close(q.spread, 1.3907704227514235); // 0.1 + 20·ln(1 + 0.1/1.5)
    close(q.bid, 48.304614788624285);
    close(q.ask, 49.695385211375715);
  });

  test('a larger γ skews harder for the same inventory (γ = 0.5: r = 45, δ = 0.5 + 4·ln(4/3))', () => {
    const q = avellanedaStoikov({ ...base, gamma: 0.5 });
    close(q.reservation, 45);
    close(q.spread, 1.6507282898071234);
    close(q.bid, 44.17463585509644);
    close(q.ask, 45.82536414490356);
  });

  test('uses σ², not σ: doubling σ quadruples the skew and the variance part of the spread', () => {
    const one = avellanedaStoikov(base);
    const two = avellanedaStoikov({ ...base, sigma: 2 });
    close(50 - two.reservation, 4 * (50 - one.reservation));
    close(two.spread - one.spread, 3 * 0.1); // γσ²τ: 0.4 − 0.1
  });

  test('inventory skews quotes toward flat: long lowers both quotes, short raises them, flat is centred', () => {
    const flat = avellanedaStoikov({ ...base, inventory: 0 });
    const long = avellanedaStoikov(base);
    const short = avellanedaStoikov({ ...base, inventory: -10 });
    close(flat.reservation, 50);
    assert.ok(long.bid < flat.bid && long.ask < flat.ask);
    assert.ok(short.bid > flat.bid && short.ask > flat.ask);
    close(long.spread, short.spread);
  });

  test('with no time left only the arrival term remains', () => {
    const q = avellanedaStoikov({ ...base, horizon: 0 });
    close(q.reservation, 50);
    close(q.spread, 20 * Math.log(1 + 0.1 / 1.5));
  });
});

describe('binary mode', () => {
  const input = {
    fairCents: 50,
    inventory: 0,
    gamma: 0.1,
    kappa: 1.5,
    sigmaCentsPerSqrtSec: 0.1,
    timeToCloseSec: 86_400,
    riskHorizonSec: 900,
    minSpreadCents: 0,
    widenBeforeCloseSec: 3_600,
    closeWideningFactor: 1,
  };

  test('bounds the variance by p(1 − p) and caps the horizon', () => {
    close(boundedVarianceCents2(50, 0.1, 86_400, 900), 9); // 0.01 · 900
    close(boundedVarianceCents2(50, 0.1, 100, 900), 1); // time to close binds
    close(boundedVarianceCents2(50, 10, 1e9, 1e9), 2_500); // p(1 − p)·10⁴
    close(boundedVarianceCents2(2, 10, 1e9, 1e9), 196);
    assert.equal(boundedVarianceCents2(50, 1, -5, 900), 0);
  });

  test('widens linearly over the window before close', () => {
    assert.equal(closeWidening(7_200, 3_600, 1), 1);
    close(closeWidening(1_800, 3_600, 1), 1.5);
    close(closeWidening(0, 3_600, 2), 3);
    assert.equal(closeWidening(10, 0, 2), 1);
  });

  test('matches hand-computed quotes when flat at 50¢ (half-spread mapped through log-odds)', () => {
    const q = binaryQuotes(input);
    close(q.varianceCents2, 9);
    close(q.spreadCents, 2.1907704227514233); // 0.1·9 + 20·ln(1 + 0.1/1.5)
    close(q.reservationCents, 50);
    close(q.bidCents, 48.90478999745417); // 100·σ(−h), h = (δ/2)/25
    close(q.askCents, 51.09521000254582);
  });

  test('skews the reservation in log-odds for one lot long (hand-computed)', () => {
    const q = binaryQuotes({ ...input, inventory: 1 });
    close(q.reservationCents, 49.100097187404536); // 100·σ(−1·0.1·9/25)
    close(q.bidCents, 48.00567341426079);
    close(q.askCents, 50.195384216861136);
  });

  test('keeps quotes inside (0, 100) near the bounds even with a huge spread', () => {
    const q = binaryQuotes({ ...input, fairCents: 3, sigmaCentsPerSqrtSec: 1, inventory: 3, gamma: 0.3 });
    assert.ok((q.bidCents ?? -1) > 0 && (q.askCents ?? 101) < 100 && (q.bidCents ?? 0) < (q.askCents ?? 0));
  });

  test('applies the minimum spread and the close widening', () => {
    close(binaryQuotes({ ...input, minSpreadCents: 5 }).spreadCents, 5);
    // 1 800 s before close: 1.5× the model spread; the variance uses τ = min(1 800, 900) = 900 s.
    close(binaryQuotes({ ...input, timeToCloseSec: 1_800 }).spreadCents, 1.5 * 2.1907704227514233);
  });
});

describe('GLFT', () => {
  const input = { mid: 50, inventory: 0, gamma: 0.1, sigma: 0.1, kappa: 1.5, arrivalRate: 0.01, maxInventory: 5 };

  test('computes C = sqrt(σ²γ/(2κA)·(1 + γ/κ)^(1 + κ/γ)) (hand-computed)', () => {
    close(glftInventoryConstant(0.1, 0.1, 1.5, 0.01), 0.30596317673735657);
  });

  test('is symmetric when flat: both distances (1/γ)ln(1 + γ/κ) + C/2', () => {
    const q = glftQuotes(input);
    close(q.bidDistance, 0.79836679974439);
    close(q.askDistance, 0.79836679974439);
    close(q.bid, 50 - 0.79836679974439);
  });

  test('skews with inventory: q = 2 gives δᵇ = base + 2.5C and δᵃ = base − 1.5C', () => {
    const q = glftQuotes({ ...input, inventory: 2 });
    close(q.bidDistance, 1.410293153219103);
    close(q.askDistance, 0.18644044626967682);
    close(q.reservation, 50 - 2 * 0.30596317673735657);
  });

  test('withholds the side that would pass the inventory bound', () => {
    const long = glftQuotes({ ...input, inventory: 4.5 });
    assert.equal(long.bid, undefined);
    assert.equal(long.bidWithheld, 'inventory_bound');
    assert.ok(long.ask !== undefined);
    const short = glftQuotes({ ...input, inventory: -5 });
    assert.equal(short.askWithheld, 'inventory_bound');
    assert.ok(short.bid !== undefined);
  });
});
