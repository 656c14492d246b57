import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { L2Book, type Count, type Price } from '../core/index.js';
import { MarketState, DEFAULT_MARKET_STATE_OPTIONS } from '../marketdata/index.js';
import type { LiveOrder } from '../orders/index.js';
import { excludeOwnOrders } from './own-book.js';
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
