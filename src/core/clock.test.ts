import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from './clock.js';

describe('ManualClock', () => {
  test('timers fire in due order, ties in creation order, and time moves only when told', () => {
    const clock = new ManualClock(1000);
    const fired: string[] = [];
    clock.setTimer(20, () => void fired.push('b'));
    clock.setTimer(10, () => void fired.push('a1'));
    clock.setTimer(10, () => void fired.push('a2'));
    assert.equal(clock.nowMs(), 1000);
    clock.advanceBy(15);
    assert.deepEqual(fired, ['a1', 'a2']);
    assert.equal(clock.nowMs(), 1015);
    clock.advanceTo(1020);
    assert.deepEqual(fired, ['a1', 'a2', 'b']);
  });

  test('a timer sees the clock at its due time, and timers set by timers fire within the same advance', () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    clock.setTimer(5, () => {
      seen.push(clock.nowMs());
      clock.setTimer(5, () => void seen.push(clock.nowMs()));
    });
    clock.advanceTo(100);
    assert.deepEqual(seen, [5, 10]);
  });

  test('cancelled timers never fire and nextTimerMs skips them', () => {
    const clock = new ManualClock(0);
    let fired = false;
    const handle = clock.setTimer(5, () => {
      fired = true;
    });
    clock.setTimer(9, () => undefined);
    handle.cancel();
    assert.equal(clock.nextTimerMs(), 9);
    clock.advanceBy(10);
    assert.equal(fired, false);
  });

  test('sleep resolves at its due time and rejects with the abort reason', async () => {
    const clock = new ManualClock(0);
    const slept = clock.sleep(100);
    clock.advanceBy(100);
    await slept;
    const controller = new AbortController();
    const aborted = clock.sleep(100, controller.signal);
    controller.abort(new Error('stopped'));
    await assert.rejects(aborted, /stopped/);
    assert.equal(clock.nextTimerMs(), undefined);
  });
});
