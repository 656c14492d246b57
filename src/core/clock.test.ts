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

  test('many timers with repeated due times, some cancelled, fire sorted by due time then creation order', () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    const expected: { due: number; id: number }[] = [];
    let x = 7;
    for (let id = 0; id < 300; id++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const due = x % 40;
      const handle = clock.setTimer(due, () => void fired.push(id));
      if (id % 7 === 3) handle.cancel();
      else expected.push({ due, id });
    }
    expected.sort((a, b) => a.due - b.due || a.id - b.id);
    clock.advanceTo(20);
    const upTo20 = expected.filter((e) => e.due <= 20).map((e) => e.id);
    assert.deepEqual(fired, upTo20);
    clock.advanceTo(100);
    assert.deepEqual(
      fired,
      expected.map((e) => e.id),
    );
    assert.equal(clock.nextTimerMs(), undefined);
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
