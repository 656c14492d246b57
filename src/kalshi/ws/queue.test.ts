import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedQueue } from './queue.js';

type Item = { kind: 'item'; n: number } | { kind: 'overflow'; dropped: number };

function queue(capacity: number, onClose?: () => void): BoundedQueue<Item> {
  return new BoundedQueue<Item>({ capacity, onOverflow: (dropped) => ({ kind: 'overflow', dropped }), ...(onClose ? { onClose } : {}) });
}

describe('BoundedQueue', () => {
  test('items come out in order and a waiting reader gets the next push', async () => {
    const q = queue(10);
    const waiting = q.next();
    q.push({ kind: 'item', n: 1 });
    q.push({ kind: 'item', n: 2 });
    assert.deepEqual((await waiting).value, { kind: 'item', n: 1 });
    assert.deepEqual((await q.next()).value, { kind: 'item', n: 2 });
  });

  test('a reader that falls behind loses the backlog and gets one overflow marker instead', async () => {
    const q = queue(3);
    for (let n = 0; n < 4; n++) q.push({ kind: 'item', n });
    q.push({ kind: 'item', n: 4 });
    assert.equal(q.length, 2, 'memory stays bounded');
    assert.deepEqual((await q.next()).value, { kind: 'overflow', dropped: 4 });
    assert.deepEqual((await q.next()).value, { kind: 'item', n: 4 });
    assert.equal(q.droppedCount, 4);
  });

  test('end() lets the reader drain and then finishes; return() detaches at once', async () => {
    let closed = 0;
    const q = queue(5, () => closed++);
    q.push({ kind: 'item', n: 1 });
    q.end();
    assert.equal((await q.next()).done, false);
    assert.equal((await q.next()).done, true);
    const r = queue(5, () => closed++);
    const pending = r.next();
    await r.return();
    assert.equal((await pending).done, true);
    r.push({ kind: 'item', n: 9 });
    assert.equal((await r.next()).done, true);
    assert.equal(closed, 1, 'onClose runs when the consumer returns, not on end()');
  });
});
