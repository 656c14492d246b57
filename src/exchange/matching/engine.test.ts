import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TickGrid, type Cash, type Count, type Price } from '../../core/index.js';
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

describe('matching', () => {
  test('a crossing ask trades with the resting bid at the resting price and reports the taker side', () => {
    const { engine, events } = testEngine();
    engine.createOrder('a', order('bid', 50, 10));
    const result = engine.createOrder('b', order('ask', 45, 4));
    assert.equal(result.fills.length, 1);
    assert.equal(result.fills[0]?.price, 5000);
    assert.equal(result.fills[0]?.count, 400);
    assert.equal(result.order.status, 'executed');
    const trades = engine.listTrades('M1');
    assert.equal(trades.length, 1);
    assert.equal(trades[0]?.takerSide, 'ask');
    assert.deepEqual(engine.getBook('M1'), { ticker: 'M1', yes: [{ price: 5000, count: 600 }], no: [] });
    assert.ok(events.some((e) => e.type === 'trade'));
  });

  test('price-time priority: the better price fills first, then the earlier order at a price', () => {
    const { engine } = testEngine();
    const first = engine.createOrder('a', order('bid', 50, 1)).order;
    const second = engine.createOrder('b', order('bid', 50, 1)).order;
    const better = engine.createOrder('b', order('bid', 51, 1)).order;
    const fills = engine.createOrder('c', order('ask', 50, 2)).fills;
    assert.deepEqual(fills.map((f) => f.price), [5100, 5000]);
    assert.equal(engine.getOrder(better.orderId).status, 'executed');
    assert.equal(engine.getOrder(first.orderId).status, 'executed');
    assert.equal(engine.getOrder(second.orderId).status, 'resting');
  });

  test('the public book lists YES bids at YES prices and asks as NO bids at NO prices, ascending, with depth', () => {
    const { engine } = testEngine();
    engine.createOrder('a', order('bid', 40, 1));
    engine.createOrder('a', order('bid', 42, 2));
    engine.createOrder('b', order('ask', 45, 3));
    engine.createOrder('b', order('ask', 47, 4));
    assert.deepEqual(engine.getBook('M1'), {
      ticker: 'M1',
      yes: [
        { price: 4000, count: 100 },
        { price: 4200, count: 200 },
      ],
      no: [
        { price: 5300, count: 400 },
        { price: 5500, count: 300 },
      ],
    });
    assert.deepEqual(engine.getBook('M1', 1).no, [{ price: 5500, count: 300 }]);
    const market = engine.getMarket('M1');
    assert.equal(market.yesBid, 4200);
    assert.equal(market.yesAsk, 4500);
  });
});

describe('validation', () => {
  test('prices off the grid, and $0 or $1, are rejected with invalid_price', () => {
    const { engine } = testEngine();
    rejection(() => engine.createOrder('a', order('bid', 50, 1, { price: 5050 as Price })), 'invalid_price');
    rejection(() => engine.createOrder('a', order('bid', 0, 1)), 'invalid_price');
    rejection(() => engine.createOrder('a', order('ask', 100, 1)), 'invalid_price');
  });

  test('a tapered grid accepts sub-cent prices only in its fine bands', () => {
    const { engine } = testEngine();
    const grid = new TickGrid([
      { start: 0 as Price, end: 1000 as Price, step: 10 },
      { start: 1000 as Price, end: 9000 as Price, step: 100 },
      { start: 9000 as Price, end: 10_000 as Price, step: 10 },
    ]);
    engine.addMarket(testMarket('T1', { grid }));
    assert.equal(engine.createOrder('a', order('bid', 0, 1, { ticker: 'T1', price: 50 as Price })).order.status, 'resting');
    rejection(() => engine.createOrder('a', order('bid', 0, 1, { ticker: 'T1', price: 5010 as Price })), 'invalid_price');
  });

  test('counts that are zero, negative or not on the 0.01 grid are rejected with invalid_order_size', () => {
    const { engine } = testEngine();
    rejection(() => engine.createOrder('a', order('bid', 50, 0)), 'invalid_order_size');
    rejection(() => engine.createOrder('a', order('bid', 50, 1, { count: -100 as Count })), 'invalid_order_size');
    rejection(() => engine.createOrder('a', order('bid', 50, 1, { count: 1.5 as Count })), 'invalid_order_size');
  });

  test('a fractional count of 0.01 contract trades', () => {
    const { engine } = testEngine();
    engine.createOrder('a', order('bid', 50, 1, { count: 1 as Count }));
    const fills = engine.createOrder('b', order('ask', 50, 1)).fills;
    assert.equal(fills[0]?.count, 1);
  });

  test('a repeated client order id is rejected with order_already_exists and never makes a second order', () => {
    const { engine } = testEngine();
    const first = engine.createOrder('a', order('bid', 50, 1, { clientOrderId: 'same' }));
    rejection(() => engine.createOrder('a', order('bid', 51, 1, { clientOrderId: 'same' })), 'order_already_exists');
    assert.equal(engine.listOrders('a').length, 1);
    assert.equal(engine.findOrderByClientId('a', 'same')?.orderId, first.order.orderId);
    assert.equal(engine.createOrder('b', order('bid', 50, 1, { clientOrderId: 'same' })).order.status, 'resting');
  });

  test('an order the account cannot afford is rejected with available_balance_too_low', () => {
    const { engine } = testEngine({ balance: 10_000 });
    rejection(() => engine.createOrder('a', order('bid', 60, 2)), 'available_balance_too_low');
    assert.equal(engine.createOrder('a', order('bid', 60, 1)).order.status, 'resting');
  });
});

describe('order types', () => {
  test('a crossing post-only order is rejected with invalid_order "post only cross"; a passive one rests', () => {
    const { engine } = testEngine();
    engine.createOrder('a', order('ask', 55, 1));
    rejection(() => engine.createOrder('b', order('bid', 55, 1, { postOnly: true })), 'invalid_order', 'post only cross');
    assert.equal(engine.createOrder('b', order('bid', 54, 1, { postOnly: true })).order.status, 'resting');
  });

  test('IOC fills what it can and cancels the rest without resting', () => {
    const { engine } = testEngine();
    engine.createOrder('a', order('ask', 55, 2));
    const result = engine.createOrder('b', order('bid', 56, 5, { timeInForce: 'immediate_or_cancel' }));
    assert.equal(result.order.fillCount, 200);
    assert.equal(result.order.remainingCount, 0);
    assert.equal(result.order.status, 'canceled');
    assert.deepEqual(engine.getBook('M1').yes, []);
  });

  test('FOK that cannot fill completely is cancelled with no fills and the book unchanged', () => {
    const { engine } = testEngine();
    engine.createOrder('a', order('ask', 55, 2));
    const result = engine.createOrder('b', order('bid', 56, 3, { timeInForce: 'fill_or_kill' }));
    assert.equal(result.fills.length, 0);
    assert.equal(result.order.status, 'canceled');
    assert.deepEqual(engine.getBook('M1').no, [{ price: 4500, count: 200 }]);
    const full = engine.createOrder('b', order('bid', 56, 2, { timeInForce: 'fill_or_kill' }));
    assert.equal(full.order.fillCount, 200);
  });

  test('FOK that would self-cross behaves like IOC: fills before the own order stand', () => {
    const { engine } = testEngine();
    engine.createOrder('a', order('ask', 54, 1));
    engine.createOrder('b', order('ask', 55, 1));
    const result = engine.createOrder('b', order('bid', 56, 5, { timeInForce: 'fill_or_kill' }));
    assert.equal(result.order.fillCount, 100);
    assert.equal(result.order.status, 'canceled');
    assert.equal(result.order.lastUpdateReason, 'SelfTradeCancel');
  });

  test('self-trade prevention taker_at_cross cancels the incoming order at the self-cross and keeps earlier fills', () => {
    const { engine } = testEngine();
    engine.createOrder('b', order('ask', 54, 1));
    const own = engine.createOrder('a', order('ask', 55, 1)).order;
    engine.createOrder('b', order('ask', 56, 1));
    const result = engine.createOrder('a', order('bid', 56, 3, { selfTradePrevention: 'taker_at_cross' }));
    assert.equal(result.order.fillCount, 100);
    assert.equal(result.order.status, 'canceled');
    assert.equal(engine.getOrder(own.orderId).status, 'resting');
  });

  test('self-trade prevention maker cancels the own resting order and keeps matching', () => {
    const { engine } = testEngine();
    const own = engine.createOrder('a', order('ask', 55, 1)).order;
    engine.createOrder('b', order('ask', 56, 1));
    const result = engine.createOrder('a', order('bid', 56, 2, { selfTradePrevention: 'maker' }));
    assert.equal(result.order.fillCount, 100);
    assert.equal(result.fills[0]?.price, 5600);
    const cancelled = engine.getOrder(own.orderId);
    assert.equal(cancelled.status, 'canceled');
    assert.equal(cancelled.lastUpdateReason, 'SelfTradeCancel');
    assert.equal(result.order.status, 'resting');
  });

  test('reduce-only is capped by the position, refused when it cannot reduce, and trimmed when the position shrinks', () => {
    const { engine } = testEngine();
    rejection(() => engine.createOrder('a', order('ask', 50, 1, { reduceOnly: true })), 'invalid_order');
    engine.createOrder('b', order('ask', 50, 3));
    engine.createOrder('a', order('bid', 50, 3));
    const reduce = engine.createOrder('a', order('ask', 70, 10, { reduceOnly: true })).order;
    assert.equal(reduce.remainingCount, 300);
    engine.createOrder('c', order('bid', 60, 2));
    engine.createOrder('a', order('ask', 60, 2));
    const trimmed = engine.getOrder(reduce.orderId);
    assert.equal(trimmed.remainingCount, 100);
    assert.equal(trimmed.lastUpdateReason, 'ReduceOnlyCancel');
  });

  test('an expiring GTC order is cancelled when the clock passes its expiration', () => {
    const { engine, clock, events } = testEngine();
    const expiry = TEST_START_MS / 1000 + 60;
    const resting = engine.createOrder('a', order('bid', 50, 1, { expirationTimeS: expiry })).order;
    clock.advanceBy(59_000);
    engine.processTime();
    assert.equal(engine.getOrder(resting.orderId).status, 'resting');
    clock.advanceBy(1_000);
    engine.processTime();
    const expired = engine.getOrder(resting.orderId);
    assert.equal(expired.status, 'canceled');
    assert.equal(expired.lastUpdateReason, 'ExpiryCancel');
    assert.ok(events.some((e) => e.type === 'book_delta' && e.delta === -100));
  });

  test('expirations in the past, or on IOC orders, are rejected', () => {
    const { engine } = testEngine();
    rejection(() => engine.createOrder('a', order('bid', 50, 1, { expirationTimeS: TEST_START_MS / 1000 })), 'invalid_order');
    rejection(() => engine.createOrder('a', order('bid', 50, 1, { timeInForce: 'immediate_or_cancel', expirationTimeS: TEST_START_MS / 1000 + 60 })), 'invalid_order');
  });
});

describe('amend, decrease, cancel', () => {
  test('an amend that lowers the size keeps queue priority', () => {
    const { engine } = testEngine();
    const first = engine.createOrder('a', order('bid', 50, 5)).order;
    engine.createOrder('b', order('bid', 50, 5));
    engine.amendOrder('a', { orderId: first.orderId, ticker: 'M1', side: 'bid', price: 5000 as Price, count: 300 as Count });
    assert.equal(engine.queuePosition('a', first.orderId), 0);
    assert.equal(engine.getOrder(first.orderId).remainingCount, 300);
  });

  test('an amend that raises the size or changes the price goes to the back of the queue', () => {
    const { engine } = testEngine();
    const first = engine.createOrder('a', order('bid', 50, 5)).order;
    engine.createOrder('b', order('bid', 50, 5));
    engine.amendOrder('a', { orderId: first.orderId, ticker: 'M1', side: 'bid', price: 5000 as Price, count: 600 as Count });
    assert.equal(engine.queuePosition('a', first.orderId), 500);
    engine.createOrder('b', order('bid', 49, 2));
    engine.amendOrder('a', { orderId: first.orderId, ticker: 'M1', side: 'bid', price: 4900 as Price, count: 600 as Count });
    assert.equal(engine.queuePosition('a', first.orderId), 200);
    assert.deepEqual(engine.getBook('M1').yes, [
      { price: 4900, count: 800 },
      { price: 5000, count: 500 },
    ]);
  });

  test('amend count is the new total including fills', () => {
    const { engine } = testEngine();
    const bid = engine.createOrder('a', order('bid', 50, 5)).order;
    engine.createOrder('b', order('ask', 50, 2));
    const amended = engine.amendOrder('a', { orderId: bid.orderId, ticker: 'M1', side: 'bid', price: 5000 as Price, count: 400 as Count });
    assert.equal(amended.oldOrder.remainingCount, 300);
    assert.equal(amended.order.fillCount, 200);
    assert.equal(amended.order.remainingCount, 200);
    rejection(() => engine.amendOrder('a', { orderId: bid.orderId, ticker: 'M1', side: 'bid', price: 5000 as Price, count: 200 as Count }), 'invalid_order_size');
    rejection(() => engine.amendOrder('a', { orderId: bid.orderId, ticker: 'M1', side: 'ask', price: 5000 as Price, count: 500 as Count }), 'order_side_mismatch');
  });

  test('an amend to a crossing price trades', () => {
    const { engine } = testEngine();
    engine.createOrder('b', order('ask', 55, 1));
    const bid = engine.createOrder('a', order('bid', 50, 1)).order;
    const amended = engine.amendOrder('a', { orderId: bid.orderId, ticker: 'M1', side: 'bid', price: 5500 as Price, count: 100 as Count });
    assert.equal(amended.fills.length, 1);
    assert.equal(amended.order.status, 'executed');
    assert.deepEqual(engine.getBook('M1'), { ticker: 'M1', yes: [], no: [] });
  });

  test('decrease by or to a count keeps priority, and decreasing to zero cancels', () => {
    const { engine } = testEngine();
    const first = engine.createOrder('a', order('bid', 50, 5)).order;
    engine.createOrder('b', order('bid', 50, 5));
    assert.equal(engine.decreaseOrder('a', { orderId: first.orderId, reduceBy: 100 as Count }).reducedBy, 100);
    assert.equal(engine.decreaseOrder('a', { orderId: first.orderId, reduceTo: 100 as Count }).reducedBy, 300);
    assert.equal(engine.queuePosition('a', first.orderId), 0);
    const last = engine.decreaseOrder('a', { orderId: first.orderId, reduceTo: 0 as Count });
    assert.equal(last.reducedBy, 100);
    assert.equal(last.order.status, 'canceled');
  });

  test('a cancelled order stays queryable as canceled with its fills; cancelling again is not_found', () => {
    const { engine } = testEngine();
    const bid = engine.createOrder('a', order('bid', 50, 5)).order;
    engine.createOrder('b', order('ask', 50, 2));
    const cancel = engine.cancelOrder('a', bid.orderId);
    assert.equal(cancel.reducedBy, 300);
    const view = engine.getOrder(bid.orderId);
    assert.equal(view.status, 'canceled');
    assert.equal(view.fillCount, 200);
    rejection(() => engine.cancelOrder('a', bid.orderId), 'not_found');
    rejection(() => engine.cancelOrder('b', 'nope'), 'not_found');
  });

  test('cancel-all removes every resting order of the account only', () => {
    const { engine } = testEngine();
    engine.createOrder('a', order('bid', 40, 1));
    engine.createOrder('a', order('ask', 60, 1));
    engine.createOrder('b', order('bid', 41, 1));
    assert.equal(engine.cancelAll('a').length, 2);
    assert.deepEqual(engine.getBook('M1'), { ticker: 'M1', yes: [{ price: 4100, count: 100 }], no: [] });
  });
});

describe('accounting', () => {
  test('a taker fill pays the quadratic fee rounded up, then the cent rounding of the balance change', () => {
    const { engine } = testEngine();
    engine.createOrder('a', order('ask', 50, 1));
    const before = engine.getBalance('b').cash;
    const fill = engine.createOrder('b', order('bid', 50, 1)).fills[0];
    // 0.07 × 1 × 0.5 × 0.5 = $0.0175; $0.50 + $0.0175 = $0.5175 floored to −$0.52: fee $0.02.
    assert.equal(fill?.fee, 200);
    assert.equal(engine.getBalance('b').cash, before - 5200);
    assert.equal(engine.getPositions('a')[0]?.feesPaid, 0);
  });

  test('a direct-member account pays the exact trade fee rounded up to $0.0001', () => {
    const { engine } = testEngine({ precision: 1 });
    engine.createOrder('a', order('ask', 5, 1));
    const fill = engine.createOrder('b', order('bid', 5, 1)).fills[0];
    // 0.07 × 0.05 × 0.95 = 0.003325 → $0.0034.
    assert.equal(fill?.fee, 34);
  });

  test('makers pay the maker fee on series that charge it', () => {
    const { engine } = testEngine({ fees: { feeType: 'quadratic_with_maker_fees', multiplier: 10_000 }, precision: 1 });
    engine.createOrder('a', order('ask', 50, 100));
    engine.createOrder('b', order('bid', 50, 100));
    // 0.0175 × 100 × 0.25 = $0.4375.
    assert.equal(engine.listFills('a')[0]?.fee, 4375);
    assert.equal(engine.listFills('b')[0]?.fee, 17_500);
  });

  test('a bid locks price × count and an ask locks (1 − price) × count until they fill or are cancelled', () => {
    const { engine } = testEngine({ precision: 1 });
    const bid = engine.createOrder('a', order('bid', 30, 10)).order;
    assert.equal(engine.getBalance('a').locked, 30_000);
    engine.cancelOrder('a', bid.orderId);
    assert.equal(engine.getBalance('a').locked, 0);
    engine.createOrder('a', order('ask', 30, 10));
    assert.equal(engine.getBalance('a').locked, 70_000);
  });

  test('an order that closes a position needs no collateral and releases $1 per closed pair', () => {
    const { engine } = testEngine({ balance: 40_000, precision: 1 });
    engine.createOrder('a', order('bid', 40, 5));
    engine.createOrder('b', order('ask', 40, 5));
    assert.equal(engine.getBalance('a').cash, 20_000);
    engine.createOrder('a', order('ask', 60, 5));
    assert.equal(engine.getBalance('a').locked, 0);
    engine.createOrder('c', order('bid', 60, 5));
    assert.equal(engine.getBalance('a').cash, 50_000);
    const position = engine.getPositions('a')[0];
    assert.equal(position?.position, 0);
    assert.equal(position?.realizedPnl, 10_000);
  });

  test('settlement pays $1 per winning contract, records settlements and clears positions', () => {
    const { engine } = testEngine({ precision: 1 });
    engine.createOrder('a', order('bid', 30, 10));
    engine.createOrder('b', order('ask', 30, 10));
    const cashA = engine.getBalance('a').cash;
    const cashB = engine.getBalance('b').cash;
    engine.settleMarket('M1', 'yes');
    assert.equal(engine.getBalance('a').cash, cashA + 100_000);
    assert.equal(engine.getBalance('b').cash, cashB);
    const settlement = engine.listSettlements('a')[0];
    assert.equal(settlement?.yesCount, 1000);
    assert.equal(settlement?.revenue, 100_000);
    assert.equal(engine.listSettlements('b')[0]?.noCount, 1000);
    assert.deepEqual(engine.getPositions('a'), []);
    assert.equal(engine.getMarket('M1').status, 'finalized');
    const audit = engine.audit();
    assert.equal(audit.accountCash + audit.exchangeIncome + audit.escrow, audit.deposits);
  });
});

describe('events', () => {
  test('own book deltas carry the client order id, and a trade reports fills, orders and positions', () => {
    const { engine, events } = testEngine();
    engine.createOrder('a', order('bid', 50, 2, { clientOrderId: 'mine' }));
    const delta = events.find((e) => e.type === 'book_delta');
    assert.deepEqual(delta && { ...delta, tsMs: 0 }, { type: 'book_delta', tsMs: 0, ticker: 'M1', side: 'yes', price: 5000, delta: 200, accountId: 'a', clientOrderId: 'mine' });
    events.length = 0;
    engine.createOrder('b', order('ask', 50, 1));
    const types = events.map((e) => e.type);
    assert.deepEqual(types, ['book_delta', 'trade', 'fill', 'fill', 'order', 'position', 'position', 'order']);
    const makerOrder = events.find((e) => e.type === 'order' && e.accountId === 'a');
    assert.equal(makerOrder?.type === 'order' ? makerOrder.order.lastUpdateReason : undefined, 'Trade');
  });

  test('a listener may query the engine while events are delivered without changing its state', () => {
    const { engine, clock } = testEngine();
    const statuses: string[] = [];
    engine.subscribe((event) => {
      if (event.type === 'order') statuses.push(engine.getMarket('M1').status);
    });
    const bid = engine.createOrder('a', order('bid', 40, 1)).order;
    clock.advanceBy(86_400_000);
    engine.processTime();
    assert.equal(engine.getOrder(bid.orderId).lastUpdateReason, 'CloseCancel');
    assert.deepEqual(statuses, ['active', 'active']);
  });

  test('an ask resting at p shows as a NO bid at 1 − p in deltas', () => {
    const { engine, events } = testEngine();
    engine.createOrder('a', order('ask', 30, 1));
    const delta = events.find((e) => e.type === 'book_delta');
    assert.equal(delta?.type === 'book_delta' ? `${delta.side}@${delta.price}` : '', 'no@7000');
  });
});

describe('balances', () => {
  test('cash never includes a fractional cent for a cent-precision account', () => {
    const { engine } = testEngine({ balance: 1_000_000 });
    engine.createOrder('a', order('ask', 37, 3));
    engine.createOrder('b', order('bid', 37, 3, { count: 233 as Count }));
    assert.equal(engine.getBalance('b').cash % 100, 0);
    assert.equal(engine.getBalance('a').cash % 100, 0);
    assert.equal((engine.getBalance('a').cash as Cash) > 0, true);
  });
});
