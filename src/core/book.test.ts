import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { L2Book } from './book.js';
import type { Count, Price } from './money.js';

const lv = (price: number, count: number) => ({ price: price as Price, count: count as Count });

describe('L2Book', () => {
  test('a snapshot of bids-only YES and NO lists gives the YES bid/ask ladder', () => {
    const book = new L2Book('M');
    book.applySnapshot([lv(1500, 100), lv(1600, 200)], [lv(8200, 300), lv(8300, 400)]);
    assert.equal(book.bestBid(), 1600);
    assert.equal(book.bestAsk(), 1700, 'YES ask = 1 − best NO bid (0.83)');
    assert.equal(book.bestBidSize(), 200);
    assert.equal(book.bestAskSize(), 400);
    assert.equal(book.mid(), 1650);
    assert.deepEqual(book.asks(2), [lv(1700, 400), lv(1800, 300)]);
    assert.equal(book.askSizeAt(1800 as Price), 300);
  });

  test('deltas add, remove and create levels', () => {
    const book = new L2Book('M');
    book.applySnapshot([lv(1600, 200)], []);
    assert.equal(book.applyDelta('yes', 1700 as Price, 50 as Count), true);
    assert.equal(book.bestBid(), 1700);
    assert.equal(book.applyDelta('yes', 1700 as Price, -50 as Count), true);
    assert.equal(book.bestBid(), 1600, 'a level at 0 is removed');
    assert.equal(book.bestAsk(), undefined);
  });

  test('a delta that drives a level negative invalidates the book instead of clamping', () => {
    const book = new L2Book('M');
    book.applySnapshot([lv(1600, 200)], []);
    assert.equal(book.applyDelta('yes', 1600 as Price, -201 as Count), false);
    assert.equal(book.isValid, false);
    assert.equal(book.applyDelta('yes', 1600 as Price, 1 as Count), false, 'no delta applies to a stale book');
    book.applySnapshot([lv(1600, 1)], []);
    assert.equal(book.isValid, true);
  });

  test('a book without a snapshot is not valid', () => {
    const book = new L2Book('M');
    assert.equal(book.isValid, false);
    assert.equal(book.applyDelta('no', 5000 as Price, 100 as Count), false);
  });

  test('random valid deltas keep the book equal to a reference map and sorted', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 99 }), fc.integer({ min: -500, max: 500 })), { maxLength: 200 }), (ops) => {
        const book = new L2Book('M');
        book.applySnapshot([], []);
        const ref = { yes: new Map<number, number>(), no: new Map<number, number>() };
        for (const [yes, cent, delta] of ops) {
          const side = yes ? 'yes' : 'no';
          const price = cent * 100;
          const current = ref[side].get(price) ?? 0;
          const applied = book.applyDelta(side, price as Price, delta as Count);
          if (current + delta < 0) {
            assert.equal(applied, false);
            return;
          }
          assert.equal(applied, true);
          if (current + delta === 0) ref[side].delete(price);
          else ref[side].set(price, current + delta);
        }
        const snap = book.toSnapshot();
        assert.deepEqual(snap.yes.map((l) => [l.price, l.count]), [...ref.yes].sort((a, b) => a[0] - b[0]));
        assert.deepEqual(snap.no.map((l) => [l.price, l.count]), [...ref.no].sort((a, b) => a[0] - b[0]));
      }),
    );
  });
});
