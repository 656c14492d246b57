import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRng } from './rng.js';

function draw(seed: number, n: number): number[] {
  const rng = new SeededRng(seed);
  return Array.from({ length: n }, () => rng.next());
}

describe('SeededRng', () => {
  test('the same seed gives the same sequence, a different seed a different one', () => {
    assert.deepEqual(draw(42, 100), draw(42, 100));
    assert.notDeepEqual(draw(42, 10), draw(43, 10));
  });

  test('forks are deterministic per label and independent of each other', () => {
    const a = new SeededRng(7).fork('KX-A');
    const b = new SeededRng(7).fork('KX-A');
    const c = new SeededRng(7).fork('KX-B');
    const xs = Array.from({ length: 20 }, () => a.next());
    assert.deepEqual(xs, Array.from({ length: 20 }, () => b.next()));
    assert.notDeepEqual(xs, Array.from({ length: 20 }, () => c.next()));
  });

  test('draws stay in range and are roughly uniform', () => {
    const rng = new SeededRng(1);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) {
      const x = rng.next();
      assert.ok(x >= 0 && x < 1);
      sum += x;
      const k = rng.int(3, 5);
      assert.ok(Number.isInteger(k) && k >= 3 && k <= 5);
    }
    assert.ok(Math.abs(sum / 20_000 - 0.5) < 0.01);
  });

  test('normal draws have mean near 0 and variance near 1', () => {
    const rng = new SeededRng(9);
    const n = 20_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sq += z * z;
    }
    assert.ok(Math.abs(sum / n) < 0.03);
    assert.ok(Math.abs(sq / n - 1) < 0.05);
  });
});
