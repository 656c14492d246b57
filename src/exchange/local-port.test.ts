import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, type Count, type PortEvent, type Price } from '../core/index.js';
import { LocalPort } from './local-port.js';
import { EngineRejection } from './matching/index.js';
import { order, testEngine } from './matching/test-support.js';

function setup(): { port: LocalPort; engine: ReturnType<typeof testEngine>['engine']; clock: ReturnType<typeof testEngine>['clock'] } {
  const { engine, clock } = testEngine();
  return { port: new LocalPort({ engine, accountId: 'a', clock }), engine, clock };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('LocalPort', () => {
  test('a create retried with the same client id returns the existing order instead of a second one', async () => {
    const { port } = setup();
    const first = await port.createOrder(order('bid', 40, 2, { clientOrderId: 'retry-me' }));
    const again = await port.createOrder(order('bid', 40, 2, { clientOrderId: 'retry-me' }));
    assert.equal(again.orderId, first.orderId);
    assert.equal((await port.getOrders({ status: 'resting' })).length, 1);
  });

  test('cancelling an order that is already gone throws ApiError 404', async () => {
    const { port } = setup();
    const ack = await port.createOrder(order('bid', 40, 1));
    await port.cancelOrder(ack.orderId, 'M1');
    await assert.rejects(port.cancelOrder(ack.orderId, 'M1'), (error: unknown) => error instanceof ApiError && error.status === 404);
    await assert.rejects(port.getMarket('NOPE'), (error: unknown) => error instanceof ApiError && error.status === 404);
  });

  test('business refusals surface as OrderRejectedError with Kalshi codes, per item in batches', async () => {
    const { port } = setup();
    await port.createOrder(order('ask', 50, 1));
    await assert.rejects(port.createOrder(order('bid', 50, 1, { postOnly: true })), (error: unknown) => error instanceof EngineRejection && error.reason === 'invalid_order');
    const results = await port.createOrders([order('bid', 45, 1), order('bid', 45, 1, { price: 4550 as Price })]);
    assert.equal(results[0]?.ok, true);
    assert.equal(results[1]?.ok === false ? results[1].errorCode : '', 'invalid_price');
  });

  test('events start with a snapshot, then deltas, trades, our fills, orders and positions', async () => {
    const { port, engine } = setup();
    engine.createOrder('b', order('ask', 55, 3));
    const controller = new AbortController();
    const seen: PortEvent[] = [];
    const reading = (async () => {
      for await (const event of port.events(controller.signal)) {
        seen.push(event);
        if (event.type === 'order') controller.abort();
      }
    })();
    await port.subscribeMarkets(['M1']);
    await port.createOrder(order('bid', 55, 1, { clientOrderId: 'mine' }));
    await reading;
    const types = seen.map((e) => e.type);
    assert.equal(types[0], 'book_snapshot');
    assert.deepEqual(types, ['book_snapshot', 'book_delta', 'trade', 'fill', 'position', 'order']);
    const snapshot = seen[0];
    assert.deepEqual(snapshot?.type === 'book_snapshot' ? snapshot.no : [], [{ price: 4500, count: 300 }]);
  });

  test('amend, decrease and portfolio queries go through to the engine for this account only', async () => {
    const { port, engine } = setup();
    const ack = await port.createOrder(order('bid', 40, 5));
    await port.amendOrder({ orderId: ack.orderId, ticker: 'M1', side: 'bid', price: 4100 as Price, count: 400 as Count });
    const decreased = await port.decreaseOrder({ orderId: ack.orderId, ticker: 'M1', reduceBy: 100 as Count });
    assert.equal(decreased.remainingCount, 300);
    engine.createOrder('b', order('ask', 41, 1));
    assert.equal((await port.getPositions())[0]?.position, 100);
    assert.equal((await collect(port.listFills({ ticker: 'M1' }))).length, 1);
    assert.equal((await collect(port.listMarkets({ status: 'open' }))).length, 1);
    assert.equal((await collect(port.listTrades({ ticker: 'M1' }))).length, 1);
    const balance = await port.getBalance();
    assert.equal(balance.portfolioValue > 0, true);
    await port.cancelAll();
    assert.equal((await port.getOrders({ status: 'resting' })).length, 0);
    engine.settleMarket('M1', 'yes');
    assert.equal((await collect(port.listSettlements()))[0]?.revenue, 10_000);
  });

  test('a snapshot from a subscribe made before reading events is delivered first', async () => {
    const { port, engine } = setup();
    engine.createOrder('b', order('bid', 45, 2));
    await port.subscribeMarkets(['M1']);
    engine.createOrder('b', order('bid', 46, 1));
    const seen: PortEvent[] = [];
    const controller = new AbortController();
    for await (const event of port.events(controller.signal)) {
      seen.push(event);
      if (seen.length === 2) controller.abort();
    }
    assert.equal(seen[0]?.type, 'book_snapshot');
    assert.equal(seen[1]?.type === 'book_delta' ? seen[1].price : 0, 4600);
  });

  test('aborting a stream whose reader is paused at its yield detaches it at once: later events go to the next stream', async () => {
    const { port, engine } = setup();
    const controller = new AbortController();
    const earlier = port.events(controller.signal)[Symbol.asyncIterator]();
    await port.subscribeMarkets(['M1']);
    assert.equal((await earlier.next()).value?.type, 'book_snapshot');
    // The consumer stops reading without calling return(): its generator stays suspended at the yield.
    controller.abort();
    engine.createOrder('b', order('bid', 47, 1));
    const seen: PortEvent[] = [];
    const later = new AbortController();
    for await (const event of port.events(later.signal)) {
      seen.push(event);
      later.abort();
    }
    assert.equal(seen[0]?.type === 'book_delta' ? seen[0].price : 0, 4700, 'the delta after the abort went to the backlog, not the aborted reader');
    assert.equal((await earlier.next()).done, true, 'the aborted stream ends');
  });

  test('a stream whose signal is already aborted ends at once and leaves the backlog to the next stream', async () => {
    const { port } = setup();
    await port.subscribeMarkets(['M1']);
    assert.deepEqual(await collect(port.events(AbortSignal.abort())), []);
    const controller = new AbortController();
    const seen: PortEvent[] = [];
    for await (const event of port.events(controller.signal)) {
      seen.push(event);
      controller.abort();
    }
    assert.equal(seen[0]?.type, 'book_snapshot');
  });

  test('close ends the event stream', async () => {
    const { port } = setup();
    const reading = collect(port.events());
    await port.close();
    assert.deepEqual(await reading, []);
  });

  test('order groups: fills past the limit within 15 s cancel the group and refuse new orders until reset, announced as events', async () => {
    const { port, engine, clock } = setup();
    const seen: PortEvent[] = [];
    const controller = new AbortController();
    const reading = (async () => {
      for await (const event of port.events(controller.signal)) {
        if (event.type !== 'order_group') continue;
        seen.push(event);
        if (event.kind === 'deleted') controller.abort();
      }
    })();
    const group = await port.createOrderGroup(300 as Count);
    const first = await port.createOrder(order('bid', 40, 2, { clientOrderId: 'g1', orderGroupId: group.orderGroupId }));
    const second = await port.createOrder(order('bid', 39, 2, { clientOrderId: 'g2', orderGroupId: group.orderGroupId }));
    assert.deepEqual((await port.getOrderGroup(group.orderGroupId)).orderIds, [first.orderId, second.orderId]);
    engine.createOrder('b', order('ask', 40, 2, { timeInForce: 'immediate_or_cancel' }));
    clock.advanceBy(15_001); // the first 2 contracts leave the window
    engine.createOrder('b', order('ask', 39, 1, { timeInForce: 'immediate_or_cancel' }));
    assert.equal((await port.getOrder(second.orderId)).status, 'resting', '1 contract in the window is within 3');
    engine.createOrder('b', order('ask', 39, 1, { timeInForce: 'immediate_or_cancel' }));
    clock.advanceBy(1_000);
    await port.setOrderGroupLimit(group.orderGroupId, 100 as Count); // 2 matched in the window > 1: triggers
    assert.equal((await port.getOrder(second.orderId)).status, 'executed');
    await assert.rejects(port.createOrder(order('bid', 20, 1, { orderGroupId: group.orderGroupId })), (e: unknown) => e instanceof EngineRejection && e.reason === 'invalid_order');
    assert.equal((await port.listOrderGroups())[0]?.autoCancelEnabled, true);
    await port.resetOrderGroup(group.orderGroupId);
    const third = await port.createOrder(order('bid', 20, 1, { clientOrderId: 'g3', orderGroupId: group.orderGroupId }));
    await port.triggerOrderGroup(group.orderGroupId);
    assert.equal((await port.getOrder(third.orderId)).status, 'canceled');
    await port.deleteOrderGroup(group.orderGroupId);
    await assert.rejects(port.getOrderGroup(group.orderGroupId), (e: unknown) => e instanceof ApiError && e.status === 404);
    await reading;
    assert.deepEqual(
      seen.map((e) => (e.type === 'order_group' ? `${e.kind}:${e.contractsLimit ?? ''}` : '')),
      ['created:300', 'limit_updated:100', 'triggered:100', 'reset:100', 'triggered:100', 'deleted:100'],
    );
  });
});
