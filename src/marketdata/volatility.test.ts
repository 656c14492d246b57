import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LogOddsEwmaVolatility, RollingTradeStdDev, sampleStdDev } from './volatility.js';
import { logit, sigmoid } from './log-odds.js';

const close = (actual: number | undefined, expected: number, tolerance = 1e-9) => {
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= tolerance, `expected ${expected}, was ${actual}`);
};

describe('sampleStdDev', () => {
  test('uses n − 1 like statistics.stdev: [50, 52, 51, 53] gives sqrt(5/3)', () => {
    close(sampleStdDev([50, 52, 51, 53]), 1.2909944487358056);
  });
  test('is undefined with fewer than two values', () => {
    assert.equal(sampleStdDev([]), undefined);
    assert.equal(sampleStdDev([42]), undefined);
  });
});

describe('RollingTradeStdDev (the classic 60 s estimator)', () => {
  test('is the sample std dev of the trade prices inside the last 60 s', () => {
    const sd = new RollingTradeStdDev(60_000);
    sd.add(0, 40); // leaves the window at t = 60 000
    sd.add(10_000, 50);
    sd.add(20_000, 52);
    sd.add(30_000, 51);
    sd.add(40_000, 53);
    close(sd.value(59_999), sampleStdDev([40, 50, 52, 51, 53]) as number);
    close(sd.value(60_000), 1.2909944487358056);
    assert.equal(sd.count(60_000), 4);
  });

  test('keeps the last computed value when fewer than two trades remain', () => {
    const sd = new RollingTradeStdDev(60_000);
    sd.add(0, 50);
    sd.add(1_000, 52);
    sd.add(2_000, 51);
    close(sd.value(2_000), 1);
    // At t = 61 500 only the 51¢ trade is in the window: the estimator falls back to its cached 1¢.
    close(sd.value(61_500), 1);
    assert.equal(sd.count(61_500), 1);
  });

  test('is undefined before it ever saw two trades in one window', () => {
    const sd = new RollingTradeStdDev(60_000);
    assert.equal(sd.value(0), undefined);
    sd.add(0, 50);
    sd.add(70_000, 60);
    assert.equal(sd.value(70_000), undefined);
  });
});

describe('LogOddsEwmaVolatility', () => {
  const options = { halfLifeSec: 600, priorPerSqrtSec: 0.005, floorPerSqrtSec: 0.001 };

  test('starts at its prior', () => {
    assert.equal(new LogOddsEwmaVolatility(options).value(0), 0.005);
  });

  test('adds Δx²·ln2/H per mid change to the decayed variance (hand-computed)', () => {
    const v = new LogOddsEwmaVolatility(options);
    v.observe(0, 0.5);
    v.observe(1_000, 0.6);
    // prior² · e^(−1 s · ln2 / 600 s) + ln(0.6/0.4)² · ln2 / 600 = 0.00021489572024277348
    close(v.value(1_000), 0.01465932195712931, 1e-12);
  });

  test('decays toward the floor in a quiet market and never goes below it', () => {
    const v = new LogOddsEwmaVolatility(options);
    v.observe(0, 0.5);
    v.observe(1_000, 0.6);
    const soon = v.value(2_000);
    const later = v.value(600_000 + 1_000);
    close(later, 0.01465932195712931 / Math.SQRT2, 1e-12); // one half-life halves the variance
    assert.ok(later < soon);
    assert.equal(v.value(1_000_000_000), 0.001);
  });

  test('a burst of tiny-interval updates adds the same as the same moves spread out', () => {
    const burst = new LogOddsEwmaVolatility(options);
    const slow = new LogOddsEwmaVolatility(options);
    const path = [0.5, 0.52, 0.5, 0.52, 0.5];
    path.forEach((p, i) => burst.observe(i, p));
    path.forEach((p, i) => slow.observe(i * 1_000, p));
    close(burst.value(4_000), slow.value(4_000), 1e-4);
  });

  test('does not count the jump across a reset anchor as a move', () => {
    const v = new LogOddsEwmaVolatility(options);
    v.observe(0, 0.5);
    v.resetAnchor();
    v.observe(1_000, 0.9);
    close(v.value(1_000), 0.005 * Math.exp((-0.5 * Math.LN2) / 600), 1e-12);
  });
});

describe('log-odds', () => {
  test('logit and sigmoid are inverse and logit(0.6) = ln 1.5', () => {
    close(logit(0.6), Math.log(1.5));
    close(sigmoid(logit(0.37)), 0.37, 1e-12);
  });
  test('logit clamps 0 and 1 to finite values', () => {
    assert.ok(Number.isFinite(logit(0)) && Number.isFinite(logit(1)));
  });
});

describe('RollingTradeStdDev with late trades', () => {
  test('a trade added late with an old time is windowed by its own time', () => {
    const sd = new RollingTradeStdDev(60_000);
    sd.add(100_000, 50);
    sd.add(110_000, 52);
    sd.add(30_000, 90); // from a REST refresh, outside the window ending at 110 000
    assert.equal(sd.count(110_000), 2);
    close(sd.value(110_000), Math.SQRT2);
  });
});
