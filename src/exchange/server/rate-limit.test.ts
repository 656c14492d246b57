import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../core/index.js';
import { costOfRequest, RateLimiter, tierCapacity, TokenBucket } from './rate-limit.js';

test('a bucket refills continuously at its rate up to its capacity', () => {
  const bucket = new TokenBucket(100, 100, 0);
  assert.equal(bucket.tryTake(100, 0), true);
  assert.equal(bucket.tryTake(10, 0), false);
  assert.equal(bucket.tryTake(10, 99), false, '9.9 tokens after 99 ms');
  assert.equal(bucket.tryTake(10, 100), true, '10 tokens after 100 ms');
  assert.equal(bucket.available(60_000), 100, 'never above capacity');
});

test('tier capacities follow kalshi-api.md §11.1', () => {
  assert.deepEqual(tierCapacity('basic'), { read: 400, write: 100 });
  assert.deepEqual(tierCapacity('advanced'), { read: 600, write: 600 });
  assert.deepEqual(tierCapacity('premier'), { read: 1000, write: 2000 });
});

test('endpoint costs: cancels cost 2, batches cost per item, reads default to 10', () => {
  assert.deepEqual(costOfRequest('DELETE', '/portfolio/events/orders/:order_id', 1), { bucket: 'write', cost: 2 });
  assert.deepEqual(costOfRequest('POST', '/portfolio/events/orders/batched', 7), { bucket: 'write', cost: 70 });
  assert.deepEqual(costOfRequest('DELETE', '/portfolio/events/orders/batched', 7), { bucket: 'write', cost: 14 });
  assert.deepEqual(costOfRequest('GET', '/portfolio/orders/:order_id', 1), { bucket: 'read', cost: 2 });
  assert.deepEqual(costOfRequest('GET', '/markets', 1), { bucket: 'read', cost: 10 });
});

test('the limiter keeps separate read and write buckets per account and honours tier changes', () => {
  const clock = new ManualClock(0);
  const limiter = new RateLimiter('basic', () => clock.nowMs());
  for (let i = 0; i < 10; i++) assert.equal(limiter.admit('a', 'write', 10), true);
  assert.equal(limiter.admit('a', 'write', 10), false);
  assert.equal(limiter.admit('a', 'read', 10), true);
  assert.equal(limiter.admit('b', 'write', 10), true);
  limiter.setTier('a', 'prime');
  assert.equal(limiter.tierOf('a'), 'prime');
  assert.equal(limiter.admit('a', 'write', 8000), true);
  clock.advanceBy(100);
  assert.equal(limiter.admit('b', 'write', 10), true, 'b refilled 10 tokens in 100 ms');
});

test('a disabled limiter admits everything', () => {
  const limiter = new RateLimiter('basic', () => 0, false);
  for (let i = 0; i < 100; i++) assert.equal(limiter.admit('a', 'write', 10), true);
});
