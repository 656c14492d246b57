import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BookSide, Count, DesiredQuotes, Price } from '../core/index.js';
import { planActions } from './plan.js';
import type { LiveOrder, PlanParams } from './types.js';

const T = 'MKT-A';
const params: PlanParams = { requoteThresholdPrice: 100, sizeTolerance: 0 as Count, amend: true };

function live(side: BookSide, price: number, remaining: number, extra: Partial<LiveOrder> = {}): LiveOrder {
  return { clientOrderId: `c-${side}-${price}`, orderId: `o-${side}-${price}`, ticker: T, side, price: price as Price, remaining: remaining as Count, filled: 0 as Count, ...extra };
}

function want(bid?: [number, number], ask?: [number, number]): DesiredQuotes {
  return {
    ticker: T,
    ...(bid ? { bid: { side: 'bid' as const, price: bid[0] as Price, count: bid[1] as Count } } : {}),
    ...(ask ? { ask: { side: 'ask' as const, price: ask[0] as Price, count: ask[1] as Count } } : {}),
  };
}

describe('planActions', () => {
  test('no live orders and two desired quotes create one order per side', () => {
    const actions = planActions([], want([4_800, 1_000], [5_200, 1_000]), params);
    assert.deepEqual(actions, [
      { kind: 'create', side: 'bid', price: 4_800, count: 1_000 },
      { kind: 'create', side: 'ask', price: 5_200, count: 1_000 },
    ]);
  });

  test('orders within the requote threshold and at the desired size are left alone', () => {
    const actions = planActions([live('bid', 4_800, 1_000), live('ask', 5_200, 1_000)], want([4_900, 1_000], [5_100, 1_000]), params);
    assert.deepEqual(actions, []);
  });

  test('a price move beyond the threshold amends to the new price with the total count', () => {
    const bid = live('bid', 4_800, 600, { filled: 400 as Count });
    const actions = planActions([bid], want([4_500, 1_000]), params);
    assert.deepEqual(actions, [{ kind: 'amend', clientOrderId: bid.clientOrderId, orderId: bid.orderId, side: 'bid', price: 4_500, count: 1_400 }]);
  });

  test('with amends disabled a price move cancels and creates', () => {
    const bid = live('bid', 4_800, 1_000);
    const actions = planActions([bid], want([4_500, 1_000]), { ...params, amend: false });
    assert.deepEqual(actions, [
      { kind: 'cancel', clientOrderId: bid.clientOrderId, orderId: bid.orderId, side: 'bid', reason: 'replace' },
      { kind: 'create', side: 'bid', price: 4_500, count: 1_000 },
    ]);
  });

  test('a smaller desired size at the same price decreases the order to keep its queue priority', () => {
    const ask = live('ask', 5_200, 1_000);
    const actions = planActions([ask], want(undefined, [5_200, 300]), params);
    assert.deepEqual(actions, [{ kind: 'decrease', clientOrderId: ask.clientOrderId, orderId: ask.orderId, side: 'ask', reduceTo: 300 }]);
  });

  test('a size shortfall within the tolerance is left alone, beyond it is amended up', () => {
    const bid = live('bid', 4_800, 800, { filled: 200 as Count });
    assert.deepEqual(planActions([bid], want([4_800, 1_000]), { ...params, sizeTolerance: 200 as Count }), []);
    assert.deepEqual(planActions([bid], want([4_800, 1_000]), { ...params, sizeTolerance: 100 as Count }), [
      { kind: 'amend', clientOrderId: bid.clientOrderId, orderId: bid.orderId, side: 'bid', price: 4_800, count: 1_200 },
    ]);
  });

  test('an order on a side that is no longer wanted is cancelled', () => {
    const bid = live('bid', 4_800, 1_000);
    const ask = live('ask', 5_200, 1_000);
    const actions = planActions([bid, ask], want(undefined, [5_200, 1_000]), params);
    assert.deepEqual(actions, [{ kind: 'cancel', clientOrderId: bid.clientOrderId, orderId: bid.orderId, side: 'bid', reason: 'unwanted' }]);
  });

  test('of two orders on one side the one nearest the desired price is kept and the other cancelled', () => {
    const near = live('bid', 4_800, 1_000);
    const far = live('bid', 4_000, 1_000);
    const actions = planActions([far, near], want([4_800, 1_000]), params);
    assert.deepEqual(actions, [{ kind: 'cancel', clientOrderId: far.clientOrderId, orderId: far.orderId, side: 'bid', reason: 'duplicate' }]);
  });

  test('a side with an action in flight gets no new action', () => {
    for (const inFlight of ['create', 'amend', 'decrease'] as const) {
      const bid = live('bid', 4_800, 1_000, { inFlight });
      assert.deepEqual(planActions([bid], want([4_000, 1_000]), params), [], inFlight);
    }
  });

  test('an order whose create outcome is unknown blocks a second create on its side', () => {
    const unknown: LiveOrder = { clientOrderId: 'c1', ticker: T, side: 'bid', price: 4_800 as Price, remaining: 1_000 as Count, filled: 0 as Count };
    assert.deepEqual(planActions([unknown], want([4_800, 1_000]), params), []);
  });

  test('an order being cancelled counts as gone, so a wanted side gets a new order', () => {
    const bid = live('bid', 4_800, 1_000, { inFlight: 'cancel' });
    assert.deepEqual(planActions([bid], want([4_800, 1_000]), params), [{ kind: 'create', side: 'bid', price: 4_800, count: 1_000 }]);
  });

  test('cancels come before creates so collateral is released first', () => {
    const bid = live('bid', 4_800, 1_000);
    const actions = planActions([bid], want(undefined, [5_200, 1_000]), params);
    assert.equal(actions[0]?.kind, 'cancel');
    assert.equal(actions[1]?.kind, 'create');
  });

  test('a zero desired count is treated as no quote', () => {
    const bid = live('bid', 4_800, 1_000);
    assert.equal(planActions([bid], want([4_800, 0]), params)[0]?.kind, 'cancel');
  });

  test('orders of another market are ignored', () => {
    const other = { ...live('bid', 4_800, 1_000), ticker: 'OTHER' };
    assert.deepEqual(planActions([other], want([4_800, 1_000]), params), [{ kind: 'create', side: 'bid', price: 4_800, count: 1_000 }]);
  });
});
