import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, OrderRejectedError } from '../../core/index.js';
import { BASIC_TIER_LIMITS, RateLimiter, bucketOf } from './limiter.js';

describe('RateLimiter', () => {
  test('requests within capacity pass at once and the next one waits for the refill', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < 10; i++) await limiter.acquire('write', 10);
    let admitted = false;
    const pending = limiter.acquire('write', 10).then(() => (admitted = true));
    await Promise.resolve();
    assert.equal(admitted, false, 'the write bucket (100 tokens) is empty');
    clock.advanceBy(99);
    await Promise.resolve();
    assert.equal(admitted, false, '9.9 tokens after 99 ms at 100/s');
    clock.advanceBy(1);
    await pending;
    assert.equal(admitted, true);
  });

  test('waiters are served first in first out, so a large cost is not starved by cheap calls', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter(clock, { read: BASIC_TIER_LIMITS.read, write: { refillPerSecond: 100, capacity: 100 } });
    await limiter.acquire('write', 100);
    const order: string[] = [];
    const big = limiter.acquire('write', 50).then(() => order.push('big'));
    const small = limiter.acquire('write', 2).then(() => order.push('small'));
    clock.advanceBy(500);
    await big;
    clock.advanceBy(20);
    await small;
    assert.deepEqual(order, ['big', 'small']);
  });

  test('a cost above the bucket capacity is refused at once instead of waiting forever', async () => {
    const limiter = new RateLimiter(new ManualClock(0));
    await assert.rejects(limiter.acquire('write', 110), OrderRejectedError);
  });

  test('reconfigured limits from /account/limits change the refill rate', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter(clock);
    limiter.setLimits({ read: { refillPerSecond: 1000, capacity: 1000 }, write: { refillPerSecond: 1000, capacity: 2000 } });
    await limiter.acquire('write', 100);
    clock.advanceBy(10);
    assert.equal(limiter.available('write'), 10, 'capacity stays what was held (100) until it refills; 10 ms at 1000/s = 10');
  });

  test('endpoint costs from /account/endpoint_costs match templated paths', () => {
    const limiter = new RateLimiter(new ManualClock(0));
    assert.equal(limiter.costOf('DELETE', '/portfolio/events/orders/abc-123'), 2);
    assert.equal(limiter.costOf('GET', '/portfolio/orders/abc'), 2);
    assert.equal(limiter.costOf('GET', '/portfolio/orders'), 10);
    limiter.setCosts(7, [{ method: 'GET', path: '/trade-api/v2/markets/{ticker}/orderbook', cost: 3 }]);
    assert.equal(limiter.costOf('GET', '/markets/KX-1/orderbook'), 3);
    assert.equal(limiter.costOf('GET', '/markets'), 7);
  });

  test('an aborted waiter leaves the queue and rejects with the abort reason', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter(clock);
    await limiter.acquire('write', 100);
    const controller = new AbortController();
    const pending = limiter.acquire('write', 10, controller.signal);
    controller.abort(new Error('stop'));
    await assert.rejects(pending, /stop/);
    clock.advanceBy(100);
    assert.equal(limiter.available('write'), 10, 'the aborted request took no tokens');
  });

  test('order entry draws from the write bucket, reads and other calls from the read bucket', () => {
    assert.equal(bucketOf('POST', '/portfolio/events/orders'), 'write');
    assert.equal(bucketOf('DELETE', '/portfolio/events/orders/x'), 'write');
    assert.equal(bucketOf('GET', '/portfolio/orders'), 'read');
    assert.equal(bucketOf('GET', '/markets'), 'read');
  });
});
