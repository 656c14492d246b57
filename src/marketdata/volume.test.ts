import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Count, Price } from '../core/index.js';
import { RollingVolume } from './volume.js';

const HOUR = 3_600_000;
const p = (cents: number) => (cents * 100) as Price;
const c = (contracts: number) => (contracts * 100) as Count;

describe('RollingVolume', () => {
  test('sums 1 h and 24 h volume split by aggressor side, with the 1 h high and low', () => {
    const v = new RollingVolume();
    const now = 30 * HOUR;
    v.add(now - 5 * HOUR, p(30), c(100), 'bid'); // in 24 h only
    v.add(now - 30 * 60_000, p(45), c(10), 'bid');
    v.add(now - 10 * 60_000, p(47), c(5), 'ask');
    v.add(now - 60_000, p(44), c(20), 'bid');
    const hour = v.hour(now);
    assert.deepEqual(hour, { volume: c(35), buyVolume: c(30), sellVolume: c(5), high: p(47), low: p(44) });
    assert.equal(v.day(now).volume, c(135));
    assert.equal(v.day(now).low, p(30));
  });

  test('forgets trades older than a day', () => {
    const v = new RollingVolume();
    v.add(0, p(50), c(1), 'bid');
    v.add(25 * HOUR, p(50), c(2), 'ask');
    assert.equal(v.day(25 * HOUR).volume, c(2));
  });

  test('has no high or low without trades', () => {
    const h = new RollingVolume().hour(0);
    assert.equal(h.volume, 0);
    assert.equal(h.high, undefined);
  });
});

describe('RollingVolume memo', () => {
  test('a new trade or a new minute changes the figures of the same window', () => {
    const v = new RollingVolume();
    v.add(HOUR, p(50), c(1), 'bid');
    assert.equal(v.hour(HOUR + 1_000).volume, c(1));
    v.add(HOUR + 2_000, p(51), c(2), 'ask');
    assert.equal(v.hour(HOUR + 2_000).volume, c(3));
    assert.equal(v.hour(2 * HOUR + 60_000).volume, 0);
  });
});
