import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TickGrid, type Count, type Price } from '../../core/index.js';
import { EngineRejection } from './errors.js';
import { order, testEngine, testMarket, TEST_START_MS } from './test-support.js';

function rejection(fn: () => unknown, reason: string, details?: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof EngineRejection, `expected an EngineRejection, was ${String(error)}`);
    assert.equal(error.reason, reason);
    if (details !== undefined) assert.equal(error.details, details);
    return true;
  });
}

describe('market lifecycle', () => {
  test('a paused market refuses orders with trading_is_paused but accepts cancels; resuming cancels resting orders', () => {
    const { engine } = testEngine();
    const keep = engine.createOrder('a', order('bid', 40, 1)).order;
    const other = engine.createOrder('a', order('bid', 41, 1, { cancelOnPause: true })).order;
    engine.pauseMarket('M1');
    assert.equal(engine.getOrder(other.orderId).lastUpdateReason, 'HaltCancel');
    rejection(() => engine.createOrder('a', order('bid', 40, 1)), 'trading_is_paused');
    engine.decreaseOrder('a', { orderId: keep.orderId, reduceBy: 50 as Count });
    engine.resumeMarket('M1');
    assert.equal(engine.getOrder(keep.orderId).status, 'canceled');
    assert.equal(engine.createOrder('a', order('bid', 40, 1)).order.status, 'resting');
  });

  test('an exchange-wide trading pause cancels only orders placed with cancel-on-pause, in every market', () => {
    const { engine } = testEngine({ tickers: ['M1', 'M2'] });
    const keep = engine.createOrder('a', order('bid', 40, 1)).order;
    const drop1 = engine.createOrder('a', order('bid', 41, 1, { cancelOnPause: true })).order;
    const drop2 = engine.createOrder('b', order('ask', 60, 1, { ticker: 'M2', cancelOnPause: true })).order;
    assert.equal(engine.cancelOrdersOnPause(), 2);
    assert.equal(engine.getOrder(keep.orderId).status, 'resting');
    assert.equal(engine.getOrder(drop1.orderId).lastUpdateReason, 'HaltCancel');
    assert.equal(engine.getOrder(drop2.orderId).status, 'canceled');
    assert.equal(engine.getMarket('M2').status, 'active');
  });

  test('at close time resting orders are cancelled and every order operation, even cancel, is refused', () => {
    const { engine, clock } = testEngine();
    const bid = engine.createOrder('a', order('bid', 40, 1)).order;
    clock.advanceBy(86_400_000);
    rejection(() => engine.cancelOrder('a', bid.orderId), 'not_found');
    assert.equal(engine.getOrder(bid.orderId).lastUpdateReason, 'CloseCancel');
    rejection(() => engine.createOrder('a', order('bid', 40, 1)), 'market_closed');
    assert.equal(engine.getMarket('M1').status, 'closed');
  });

  test('an initialized market opens at its open time', () => {
    const { engine, clock } = testEngine();
    engine.addMarket(testMarket('LATER', { status: 'initialized', openTimeMs: TEST_START_MS + 1000 }));
    rejection(() => engine.createOrder('a', order('bid', 40, 1, { ticker: 'LATER' })), 'market_closed');
    clock.advanceBy(1000);
    assert.equal(engine.createOrder('a', order('bid', 40, 1, { ticker: 'LATER' })).order.status, 'resting');
  });
});

describe('more lifecycle and order changes', () => {
  test('moving the close time reports close_date_updated and a time in the past closes the market', () => {
    const { engine, events } = testEngine();
    engine.setCloseTime('M1', TEST_START_MS + 5000);
    const update = events.find((e) => e.type === 'market' && e.kind === 'close_date_updated');
    assert.equal(update?.type === 'market' ? update.closeTimeMs : 0, TEST_START_MS + 5000);
    engine.setCloseTime('M1', TEST_START_MS - 1);
    assert.equal(engine.getMarket('M1').status, 'closed');
    rejection(() => engine.setCloseTime('M1', TEST_START_MS + 10_000), 'market_closed');
  });

  test('a new grid applies to new orders and is announced', () => {
    const { engine, events } = testEngine();
    const fine = new TickGrid([{ start: 0 as Price, end: 10_000 as Price, step: 10 }]);
    rejection(() => engine.createOrder('a', order('bid', 50, 1, { price: 5010 as Price })), 'invalid_price');
    engine.setGrid('M1', fine);
    assert.equal(engine.createOrder('a', order('bid', 50, 1, { price: 5010 as Price })).order.status, 'resting');
    assert.ok(events.some((e) => e.type === 'market' && e.kind === 'price_level_structure_updated' && e.grid === fine));
  });

  test('decreasing by nothing, or to more than remains, is invalid_order_size', () => {
    const { engine } = testEngine();
    const bid = engine.createOrder('a', order('bid', 50, 2)).order;
    rejection(() => engine.decreaseOrder('a', { orderId: bid.orderId, reduceBy: 0 as Count }), 'invalid_order_size');
    rejection(() => engine.decreaseOrder('a', { orderId: bid.orderId, reduceTo: 300 as Count }), 'invalid_order_size');
  });

  test('an amend can change the client order id, and a client id in use is refused', () => {
    const { engine } = testEngine();
    const bid = engine.createOrder('a', order('bid', 50, 2, { clientOrderId: 'one' })).order;
    engine.createOrder('a', order('bid', 49, 2, { clientOrderId: 'two' }));
    rejection(() => engine.amendOrder('a', { orderId: bid.orderId, ticker: 'M1', side: 'bid', price: 5000 as Price, count: 100 as Count, updatedClientOrderId: 'two' }), 'order_already_exists');
    const amended = engine.amendOrder('a', { orderId: bid.orderId, ticker: 'M1', side: 'bid', price: 5000 as Price, count: 100 as Count, updatedClientOrderId: 'three' });
    assert.equal(amended.order.clientOrderId, 'three');
    assert.equal(engine.findOrderByClientId('a', 'three')?.orderId, bid.orderId);
  });

  test('an order of another account cannot be cancelled, amended or queried through it', () => {
    const { engine } = testEngine();
    const bid = engine.createOrder('a', order('bid', 50, 2)).order;
    rejection(() => engine.cancelOrder('b', bid.orderId), 'not_found');
    rejection(() => engine.getOrder(bid.orderId, 'b'), 'not_found');
    rejection(() => engine.createOrder('nobody', order('bid', 50, 1)), 'account_not_found');
    rejection(() => engine.createOrder('a', order('bid', 50, 1, { ticker: 'NOPE' })), 'market_not_found');
  });

  test('volume, open interest and last price follow trades', () => {
    const { engine } = testEngine();
    engine.createOrder('a', order('bid', 50, 3));
    engine.createOrder('b', order('ask', 50, 2));
    engine.createOrder('b', order('bid', 52, 1));
    engine.createOrder('a', order('ask', 52, 1));
    const market = engine.getMarket('M1');
    assert.equal(market.volume, 300);
    assert.equal(market.volume24h, 300);
    assert.equal(market.lastPrice, 5200);
    assert.equal(market.openInterest, 100);
  });
});

describe('order groups', () => {
  test('a fill that takes the 15-second window over the limit cancels the group and refuses its orders until reset', () => {
    const { engine, clock, events } = testEngine();
    const group = engine.createOrderGroup('a', 500 as Count);
    const other = engine.createOrder('a', order('bid', 45, 5, { orderGroupId: group.orderGroupId })).order;
    engine.createOrder('a', order('bid', 50, 4, { orderGroupId: group.orderGroupId }));
    engine.createOrder('b', order('ask', 50, 4));
    assert.equal(engine.getOrderGroup('a', group.orderGroupId).triggered, false);
    clock.advanceBy(10_000);
    engine.createOrder('b', order('ask', 45, 2));
    assert.equal(engine.getOrderGroup('a', group.orderGroupId).triggered, true);
    assert.equal(engine.getOrder(other.orderId).status, 'canceled');
    assert.equal(engine.getOrder(other.orderId).fillCount, 200);
    rejection(() => engine.createOrder('a', order('bid', 40, 1, { orderGroupId: group.orderGroupId })), 'invalid_order', 'order group triggered');
    engine.resetOrderGroup('a', group.orderGroupId);
    assert.equal(engine.createOrder('a', order('bid', 40, 1, { orderGroupId: group.orderGroupId })).order.status, 'resting');
    assert.deepEqual(
      events.filter((e) => e.type === 'order_group').map((e) => (e.type === 'order_group' ? e.kind : '')),
      ['created', 'triggered', 'reset'],
    );
  });

  test('matches older than 15 seconds leave the window', () => {
    const { engine, clock } = testEngine();
    const group = engine.createOrderGroup('a', 500 as Count);
    engine.createOrder('a', order('bid', 50, 4, { orderGroupId: group.orderGroupId }));
    engine.createOrder('b', order('ask', 50, 4));
    clock.advanceBy(15_000);
    engine.createOrder('a', order('bid', 50, 4, { orderGroupId: group.orderGroupId }));
    engine.createOrder('b', order('ask', 50, 4));
    const view = engine.getOrderGroup('a', group.orderGroupId);
    assert.equal(view.triggered, false);
    assert.equal(view.matchedInWindow, 400);
  });

  test('an incoming group order stops matching when its own fills trigger the group', () => {
    const { engine } = testEngine();
    const group = engine.createOrderGroup('a', 100 as Count);
    engine.createOrder('b', order('ask', 50, 1));
    engine.createOrder('b', order('ask', 51, 1));
    engine.createOrder('c', order('ask', 51, 4));
    const result = engine.createOrder('a', order('bid', 51, 6, { orderGroupId: group.orderGroupId }));
    assert.equal(result.order.fillCount, 200);
    assert.equal(result.order.status, 'canceled');
    assert.deepEqual(engine.getBook('M1'), { ticker: 'M1', yes: [], no: [{ price: 4900, count: 400 }] });
  });

  test('triggering, lowering the limit below the window and deleting cancel the resting group orders', () => {
    const { engine } = testEngine();
    const group = engine.createOrderGroup('a', 1000 as Count);
    const resting = engine.createOrder('a', order('bid', 40, 1, { orderGroupId: group.orderGroupId })).order;
    assert.deepEqual(engine.getOrderGroup('a', group.orderGroupId).orderIds, [resting.orderId]);
    engine.triggerOrderGroup('a', group.orderGroupId);
    assert.equal(engine.getOrder(resting.orderId).status, 'canceled');
    engine.resetOrderGroup('a', group.orderGroupId);
    engine.createOrder('a', order('bid', 50, 3, { orderGroupId: group.orderGroupId }));
    engine.createOrder('b', order('ask', 50, 3));
    const again = engine.createOrder('a', order('bid', 40, 1, { orderGroupId: group.orderGroupId })).order;
    engine.setOrderGroupLimit('a', group.orderGroupId, 200 as Count);
    assert.equal(engine.getOrder(again.orderId).status, 'canceled');
    engine.deleteOrderGroup('a', group.orderGroupId);
    rejection(() => engine.getOrderGroup('a', group.orderGroupId), 'not_found');
    rejection(() => engine.createOrderGroup('a', 0 as Count), 'invalid_order');
    rejection(() => engine.getOrderGroup('b', 'nope'), 'not_found');
  });
});
