import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplayClock } from './replay-clock.js';

describe('ReplayClock', () => {
  test('trading-core timers are counted and their promises collected; simulator timers are ordered with them but not counted', async () => {
    const clock = new ReplayClock(1000);
    const order: string[] = [];
    const work = Promise.resolve('done');
    clock.setTimer(10, () => {
      order.push('core-async');
      return work;
    });
    clock.setInternalTimer(10, () => void order.push('sim'));
    clock.setTimer(5, () => void order.push('core-sync'));
    clock.advanceTo(1010);
    assert.deepEqual(order, ['core-sync', 'core-async', 'sim']);
    assert.equal(clock.externalFired, 2);
    assert.equal(clock.externalUnawaited, 1);
    assert.equal(clock.pending.length, 1);
    assert.equal(await clock.pending[0], 'done');
    assert.equal(clock.nowMs(), 1010);
  });

  test('a cancelled trading-core timer neither fires nor counts', () => {
    const clock = new ReplayClock(0);
    let fired = false;
    clock
      .setTimer(5, () => {
        fired = true;
      })
      .cancel();
    clock.advanceTo(10);
    assert.equal(fired, false);
    assert.equal(clock.externalFired, 0);
    assert.equal(clock.nextTimerMs(), undefined);
  });
});
