import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRng } from '../core/index.js';
import { ConstantJitterLatency } from './models/index.js';

const OPTIONS = { entryMs: 50, entryJitterMs: 20, cancelMs: 30, cancelJitterMs: 10 };

test('latency is base + uniform jitter in [0, jitter], whole ms, and spreads over the range', () => {
  const latency = new ConstantJitterLatency(OPTIONS, new SeededRng(7));
  const entry = Array.from({ length: 400 }, () => latency.entryMs());
  const cancel = Array.from({ length: 400 }, () => latency.cancelMs());
  for (const ms of entry) assert.ok(Number.isInteger(ms) && ms >= 50 && ms <= 70, `entry ${ms}`);
  for (const ms of cancel) assert.ok(Number.isInteger(ms) && ms >= 30 && ms <= 40, `cancel ${ms}`);
  assert.ok(new Set(entry).size >= 15, 'the jitter is drawn, not constant');
  assert.ok(new Set(cancel).size >= 8);
  const mean = entry.reduce((a, b) => a + b, 0) / entry.length;
  assert.ok(Math.abs(mean - 60) < 1.5, `mean entry latency ${mean} ≈ 60`);
});

test('the same seed gives the same delays; another seed other delays; no jitter is the base', () => {
  const draw = (seed: number): number[] => {
    const latency = new ConstantJitterLatency(OPTIONS, new SeededRng(seed));
    return Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? latency.entryMs() : latency.cancelMs()));
  };
  assert.deepEqual(draw(3), draw(3));
  assert.notDeepEqual(draw(3), draw(4));
  const fixed = new ConstantJitterLatency({ entryMs: 12, entryJitterMs: 0, cancelMs: 8, cancelJitterMs: 0 }, new SeededRng(1));
  assert.deepEqual([fixed.entryMs(), fixed.cancelMs()], [12, 8]);
  assert.throws(() => new ConstantJitterLatency({ ...OPTIONS, cancelJitterMs: -1 }, new SeededRng(1)), RangeError);
});
