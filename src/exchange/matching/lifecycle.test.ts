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
