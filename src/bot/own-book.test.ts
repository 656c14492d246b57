import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { L2Book, type Count, type Price } from '../core/index.js';
import { MarketState, DEFAULT_MARKET_STATE_OPTIONS } from '../marketdata/index.js';
import type { LiveOrder } from '../orders/index.js';
import { belowOthersTop, excludeOwnOrders, restingOnHollowBook } from './own-book.js';
import { levels } from './test-kit.test-helper.js';

function mine(side: 'bid' | 'ask', cents: number, contracts: number): LiveOrder {
  return { clientOrderId: `c-${side}`, orderId: `o-${side}`, ticker: 'M', side, price: (cents * 100) as Price, remaining: (contracts * 100) as Count, filled: 0 as Count };
}

describe('excludeOwnOrders', () => {
  test('the top of book, mid and spread are read without our own resting orders', () => {
    const state = new MarketState('M', DEFAULT_MARKET_STATE_OPTIONS);
    // YES bids 45 ×100 and 48 ×10 (ours); NO bids 45 ×100 and 48 ×10 (our ask at 52).
    state.applySnapshot(levels([45, 100], [48, 10]), levels([45, 100], [48, 10]), 1_000);
    const raw = state.snapshot(1_000);
    assert.equal(raw.mid, 5_000);
    assert.equal(raw.spread, 400);
    const view = excludeOwnOrders(raw, state.book, [mine('bid', 48, 10), mine('ask', 52, 10)]);
    assert.equal(view.bestBid, 4_500);
    assert.equal(view.bestAsk, 5_500);
    assert.equal(view.bestBidSize, 10_000);
    assert.equal(view.spread, 1_000);
    assert.equal(view.mid, 5_000);
  });

  test('a level shared with others keeps their part', () => {
    const book = new L2Book('M');
    const state = new MarketState('M', DEFAULT_MARKET_STATE_OPTIONS);
    state.applySnapshot(levels([47, 30]), levels([50, 20]), 1_000);
    const view = excludeOwnOrders(state.snapshot(1_000), state.book, [mine('bid', 47, 10)]);
    assert.equal(view.bestBid, 4_700);
    assert.equal(view.bestBidSize, 2_000);
    assert.equal(excludeOwnOrders(state.snapshot(1_000), book, []).bestBid, 4_700, 'nothing of ours: unchanged');
  });

  test('with only our quotes on a side there is no mid, so the model has no fair price of its own making', () => {
    const state = new MarketState('M', DEFAULT_MARKET_STATE_OPTIONS);
    state.applySnapshot(levels([48, 10]), levels([45, 100]), 1_000);
    const view = excludeOwnOrders(state.snapshot(1_000), state.book, [mine('bid', 48, 10)]);
    assert.equal(view.bestBid, undefined);
    assert.equal(view.mid, undefined);
  });

  test('orders resting behind the best prices leave the snapshot as it is (the same object, nothing copied)', () => {
    const state = new MarketState('M', DEFAULT_MARKET_STATE_OPTIONS);
    state.applySnapshot(levels([45, 100], [48, 10]), levels([45, 100], [48, 10]), 1_000);
    const raw = state.snapshot(1_000);
    const view = excludeOwnOrders(raw, state.book, [mine('bid', 45, 10), mine('ask', 55, 10)]);
    assert.equal(view, raw);
    assert.equal(view.bestBid, 4_800);
    assert.equal(view.bestAsk, 5_200);
  });

  test('our order at the best bid is taken out even when our ask rests behind the best ask', () => {
    const state = new MarketState('M', DEFAULT_MARKET_STATE_OPTIONS);
    state.applySnapshot(levels([45, 100], [48, 10]), levels([45, 100], [48, 10]), 1_000);
    const view = excludeOwnOrders(state.snapshot(1_000), state.book, [mine('bid', 48, 4), mine('ask', 55, 10)]);
    assert.equal(view.bestBid, 4_800);
    assert.equal(view.bestBidSize, 600);
    assert.equal(view.bestAsk, 5_200);
    assert.equal(view.spread, 400);
  });
});

describe('belowOthersTop', () => {
  const c = (cents: number): Price => (cents * 100) as Price;

  test('a change below the best level where others rest moves nothing; at or above the best it may', () => {
    const book = new L2Book('M');
    // YES bids 45 ×100, 40 ×50; NO bids 50 ×100 (YES ask 50), 44 ×20.
    book.applySnapshot(levels([40, 50], [45, 100]), levels([44, 20], [50, 100]));
    assert.equal(belowOthersTop(book, [], 'yes', c(40)), true, 'deep YES bid');
    assert.equal(belowOthersTop(book, [], 'no', c(44)), true, 'deep NO bid (a YES ask at 56)');
    assert.equal(belowOthersTop(book, [], 'yes', c(45)), false, 'the best bid itself');
    assert.equal(belowOthersTop(book, [], 'no', c(50)), false, 'the best NO bid itself');
    book.applyDelta('yes', c(47), (5 * 100) as Count);
    assert.equal(belowOthersTop(book, [], 'yes', c(47)), false, 'a new best bid');
  });

  test('when the best level is all ours, a change just below it is the others\' top and counts', () => {
    const book = new L2Book('M');
    book.applySnapshot(levels([40, 50], [45, 10]), levels([50, 100]));
    assert.equal(belowOthersTop(book, [mine('bid', 45, 10)], 'yes', c(40)), false, 'others\' best bid is 40');
    assert.equal(belowOthersTop(book, [mine('bid', 45, 4)], 'yes', c(40)), true, 'others still rest at 45');
  });

  test('an invalid book is never called unchanged', () => {
    const book = new L2Book('M');
    book.applySnapshot(levels([40, 50], [45, 100]), levels([50, 100]));
    book.markStale();
    assert.equal(belowOthersTop(book, [], 'yes', c(40)), false);
  });
});

describe('restingOnHollowBook', () => {
  const ours = [mine('bid', 48, 10), mine('ask', 52, 10)];
  const book = (yes: [number, number][], no: [number, number][]): L2Book => {
    const b = new L2Book('M');
    b.applySnapshot(levels(...yes), levels(...no));
    return b;
  };

  test("reads others' spread, ours taken out, against the limit in cents", () => {
    // Raw book 48 × 52 (ours); others 1¢ × 99¢ behind them.
    const hollow = book([[1, 25_000], [48, 10]], [[1, 25_000], [48, 10]]);
    assert.equal(restingOnHollowBook(hollow, ours, 30), true);
    // Others 35¢ × 65¢: exactly 30¢ is not hollow, 29¢ is the limit exceeded.
    const wide = book([[35, 100], [48, 10]], [[35, 100], [48, 10]]);
    assert.equal(restingOnHollowBook(wide, ours, 30), false);
    assert.equal(restingOnHollowBook(wide, ours, 29), true);
  });

  test('a side of others empty is hollow; with nothing of ours resting nothing is', () => {
    const oneSided = book([[45, 100], [48, 10]], [[48, 10]]);
    assert.equal(restingOnHollowBook(oneSided, ours, 30), true);
    assert.equal(restingOnHollowBook(book([[1, 100]], [[1, 100]]), [], 30), false, 'no orders to pull');
    const invalid = book([[45, 100]], [[45, 100]]);
    invalid.markStale();
    assert.equal(restingOnHollowBook(invalid, ours, 30), true, 'an invalid book gives no price');
  });
});
