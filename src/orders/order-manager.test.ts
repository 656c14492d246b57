import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as flush } from 'node:timers/promises';
import { ManualClock, MemoryLogger, OrderRejectedError, TransportError, type Count, type DesiredQuotes, type OrderRequest, type Price } from '../core/index.js';
import { ClientOrderIds } from './client-ids.js';
import { FakePort } from './fake-port.test-helper.js';
import { OrderManager } from './order-manager.js';
import type { OrderLogEvent } from './log-events.js';

const T = 'MKT-A';

function setup(options: { foreign?: 'cancel' | 'leave'; orderGroupId?: string } = {}) {
  const port = new FakePort();
  const clock = new ManualClock(1_000);
  const events: OrderLogEvent[] = [];
  const manager = new OrderManager({
    port,
    ticker: T,
    clock,
    logger: new MemoryLogger(),
    ids: new ClientOrderIds('run1'),
    plan: { requoteThresholdPrice: 0, sizeTolerance: 0 as Count, amend: true },
    retry: { attempts: 3, baseDelayMs: 50 },
    foreignOrders: options.foreign ?? 'leave',
    listener: (e) => events.push(e),
    ...(options.orderGroupId !== undefined ? { orderGroupId: options.orderGroupId } : {}),
  });
  return { port, clock, manager, events };
}

/** Resolves `work`, advancing the manual clock whenever it waits on a timer (retry back-off). */
async function run<T>(work: Promise<T>, clock: ManualClock): Promise<T> {
  let done = false;
  const result = work.finally(() => {
    done = true;
  });
  while (!done) {
    await flush();
    const next = clock.nextTimerMs();
    if (next !== undefined) clock.advanceTo(next);
  }
  return result;
}

function quotes(bid?: [number, number], ask?: [number, number]): DesiredQuotes {
  return {
    ticker: T,
    ...(bid ? { bid: { side: 'bid' as const, price: bid[0] as Price, count: bid[1] as Count } } : {}),
    ...(ask ? { ask: { side: 'ask' as const, price: ask[0] as Price, count: ask[1] as Count } } : {}),
  };
}

describe('OrderManager', () => {
  test('every create carries the order group id when one is set, and none without', async () => {
    const grouped = setup({ orderGroupId: 'og-1' });
    await run(grouped.manager.sync(quotes([4_800, 1_000], [5_200, 1_000])), grouped.clock);
    const sent = grouped.port.callsOf('createOrder').map((c) => (c.args as OrderRequest).orderGroupId);
    assert.deepEqual(sent, ['og-1', 'og-1']);
    const plain = setup();
    await run(plain.manager.sync(quotes([4_800, 1_000])), plain.clock);
    assert.equal('orderGroupId' in (plain.port.callsOf('createOrder')[0]?.args as OrderRequest), false);
  });

  test('orders() is reused while nothing changed, and rebuilt when a fill changes an order', async () => {
    const { port, clock, manager } = setup();
    await run(manager.sync(quotes([4_800, 1_000])), clock);
    const first = manager.orders();
    assert.equal(manager.orders(), first, 'nothing changed: the same views');
    const orderId = port.resting(T)[0]?.orderId ?? '';
    manager.onEvent({ type: 'fill', recvMs: 0, fill: port.fill(orderId, 300) });
    const after = manager.orders();
    assert.notEqual(after, first);
    assert.equal(after[0]?.remaining, 700);
    assert.equal(first[0]?.remaining, 1_000, 'an earlier result is never changed in place');
  });

  test('a sync with the inputs of an earlier empty plan sends nothing, and a changed order is planned again', async () => {
    const { port, clock, manager } = setup();
    await run(manager.sync(quotes([4_800, 1_000])), clock);
    assert.deepEqual(await run(manager.sync(quotes([4_800, 1_000])), clock), []);
    assert.deepEqual(await run(manager.sync(quotes([4_800, 1_000])), clock), [], 'same inputs again: nothing');
    const orderId = port.resting(T)[0]?.orderId ?? '';
    manager.onEvent({ type: 'fill', recvMs: 0, fill: port.fill(orderId, 300) });
    const actions = await run(manager.sync(quotes([4_800, 1_000])), clock);
    assert.deepEqual(actions.map((a) => a.kind), ['amend'], 'the filled order is topped up');
    assert.equal(port.callsOf('amendOrder').length, 1);
  });

  test('desired quotes are placed as post-only GTC orders with our client ids', async () => {
    const { port, clock, manager } = setup();
    await run(manager.sync(quotes([4_800, 1_000], [5_200, 1_000])), clock);
    const resting = port.resting(T);
    assert.equal(resting.length, 2);
    const creates = port.callsOf('createOrder').map((c) => c.args as OrderRequest);
    assert.ok(creates.every((r) => r.postOnly && r.timeInForce === 'good_till_canceled'));
    assert.ok(creates.every((r) => r.clientOrderId.startsWith('kmm-run1-')));
    assert.deepEqual(manager.orders().map((o) => [o.side, o.price, o.remaining]).sort(), [['ask', 5_200, 1_000], ['bid', 4_800, 1_000]]);
  });

  test('the same quotes again send nothing, a price change amends in place', async () => {
    const { port, clock, manager } = setup();
    await run(manager.sync(quotes([4_800, 1_000])), clock);
    assert.deepEqual(await run(manager.sync(quotes([4_800, 1_000])), clock), []);
    await run(manager.sync(quotes([4_700, 1_000])), clock);
    assert.equal(port.callsOf('amendOrder').length, 1);
    assert.equal(port.resting(T)[0]?.price, 4_700);
    assert.equal(port.callsOf('createOrder').length, 1);
  });

  test('a retried create uses the same client order id and leaves a single order', async () => {
    const { port, clock, manager } = setup();
    port.loseNextCreateAnswer = new TransportError('socket hang up');
    await run(manager.sync(quotes([4_800, 1_000])), clock);
    const ids = port.callsOf('createOrder').map((c) => (c.args as OrderRequest).clientOrderId);
    assert.equal(ids.length, 2);
    assert.equal(ids[0], ids[1]);
    assert.equal(port.resting(T).length, 1);
    assert.equal(manager.orders()[0]?.orderId, port.resting(T)[0]?.orderId);
  });

  test('a create whose answers are all lost blocks its side, then reconcile adopts the order', async () => {
    const { port, clock, manager } = setup();
    port.failNext('createOrder', new TransportError('down'), new TransportError('down'), new TransportError('down'));
    await run(manager.sync(quotes([4_800, 1_000])), clock);
    assert.equal(port.resting(T).length, 0);
    assert.equal(manager.orders().length, 1, 'the unknown create is kept');
    // The order did reach the exchange after all (simulate by creating it with the same id).
    const clientOrderId = manager.orders()[0]?.clientOrderId ?? '';
    await port.createOrder({ ticker: T, side: 'bid', price: 4_800 as Price, count: 1_000 as Count, timeInForce: 'good_till_canceled', postOnly: true, selfTradePrevention: 'maker', clientOrderId });
    await run(manager.sync(quotes([4_800, 1_000])), clock);
    assert.equal(port.resting(T).length, 1, 'no second order');
    assert.equal(manager.orders()[0]?.orderId, port.resting(T)[0]?.orderId);
  });

  test('a post-only rejection leaves the side empty and is reported', async () => {
    const { port, clock, manager, events } = setup();
    port.failNext('createOrder', new OrderRejectedError('post_only_cross', 'post only cross'));
    await run(manager.sync(quotes([4_800, 1_000])), clock);
    assert.equal(manager.orders().length, 0);
    assert.ok(events.some((e) => e.type === 'failed' && !e.retryable));
    assert.equal(port.callsOf('createOrder').length, 1, 'a business refusal is not retried');
  });

  test('fills reduce the remaining count once, whether seen as fill or order event', async () => {
    const { port, clock, manager } = setup();
    await run(manager.sync(quotes([4_800, 1_000])), clock);
    const orderId = port.resting(T)[0]?.orderId ?? '';
    const fill = port.fill(orderId, 300);
    manager.onEvent({ type: 'fill', recvMs: 0, fill });
    manager.onEvent({ type: 'fill', recvMs: 0, fill });
    manager.onEvent({ type: 'order', recvMs: 0, order: port.orders.get(orderId) ?? assert.fail() });
    assert.equal(manager.orders()[0]?.remaining, 700);
    assert.equal(manager.orders()[0]?.filled, 300);
    // An amend after a partial fill sends the total (filled + wanted).
    await run(manager.sync(quotes([4_700, 1_000])), clock);
    assert.equal((port.callsOf('amendOrder')[0]?.args as { count: number }).count, 1_300);
  });

  test('a fill that arrives before the create ack is counted once, with or without its client id', async () => {
    for (const withClientId of [true, false]) {
      const { port, clock, manager } = setup();
      const syncing = manager.sync(quotes([4_800, 1_000]));
      const orderId = port.resting(T)[0]?.orderId ?? assert.fail('the create reached the port');
      const { clientOrderId: _id, ...bare } = port.fill(orderId, 300);
      const fill = withClientId ? { ...bare, clientOrderId: _id ?? '' } : bare;
      manager.onEvent({ type: 'fill', recvMs: 0, fill });
      await run(syncing, clock);
      manager.onEvent({ type: 'fill', recvMs: 0, fill });
      assert.deepEqual(manager.orders().map((o) => [o.remaining, o.filled]), [[700, 300]], `withClientId=${withClientId}`);
    }
  });

  test('a fully filled order is dropped and the next sync places a new one', async () => {
    const { port, clock, manager } = setup();
    await run(manager.sync(quotes([4_800, 1_000])), clock);
    const orderId = port.resting(T)[0]?.orderId ?? '';
    manager.onEvent({ type: 'fill', recvMs: 0, fill: port.fill(orderId, 1_000) });
    assert.equal(manager.orders().length, 0);
    await run(manager.sync(quotes([4_800, 1_000])), clock);
    assert.equal(port.resting(T).length, 1);
  });

  test('a shrink is sent as a decrease', async () => {
    const { port, clock, manager } = setup();
    await run(manager.sync(quotes(undefined, [5_200, 1_000])), clock);
    await run(manager.sync(quotes(undefined, [5_200, 400])), clock);
    assert.equal(port.callsOf('decreaseOrder').length, 1);
    assert.equal(port.resting(T)[0]?.remainingCount, 400);
  });

  test('reconcile adopts our orders from an earlier run and drops orders gone meanwhile', async () => {
    const { port, clock, manager, events } = setup();
    await run(manager.sync(quotes([4_800, 1_000])), clock);
    const ours = port.resting(T)[0]?.orderId ?? '';
    await port.cancelOrder(ours); // gone while we were disconnected
    await port.createOrder({ ticker: T, side: 'ask', price: 5_500 as Price, count: 500 as Count, timeInForce: 'good_till_canceled', postOnly: true, selfTradePrevention: 'maker', clientOrderId: 'kmm-old-x-a-1' });
    const result = await run(manager.reconcile(), clock);
    assert.deepEqual(result, { adopted: 1, cancelled: 0, dropped: 1 });
    assert.deepEqual(manager.orders().map((o) => o.clientOrderId), ['kmm-old-x-a-1']);
    assert.ok(events.some((e) => e.type === 'adopted'));
    // The adopted ask is not wanted: the next sync cancels it.
    await run(manager.sync(quotes([4_800, 1_000])), clock);
    assert.deepEqual(port.resting(T).map((o) => o.side), ['bid']);
  });

  test('reconcile cancels foreign orders when the policy says so and leaves them otherwise', async () => {
    for (const policy of ['cancel', 'leave'] as const) {
      const { port, clock, manager } = setup({ foreign: policy });
      await port.createOrder({ ticker: T, side: 'bid', price: 3_000 as Price, count: 100 as Count, timeInForce: 'good_till_canceled', postOnly: true, selfTradePrevention: 'maker', clientOrderId: 'by-hand-1' });
      const result = await run(manager.reconcile(), clock);
      assert.equal(result.cancelled, policy === 'cancel' ? 1 : 0);
      assert.equal(port.resting(T).length, policy === 'cancel' ? 0 : 1);
      assert.equal(manager.orders().length, 0);
    }
  });

  test('cancelAll leaves none of our orders resting even when the first cancel fails', async () => {
    const { port, clock, manager } = setup();
    await run(manager.sync(quotes([4_800, 1_000], [5_200, 1_000])), clock);
    port.failNext('cancelOrder', new TransportError('reset'), new TransportError('reset'), new TransportError('reset'));
    const left = await run(manager.cancelAll('shutdown'), clock);
    assert.equal(left, 0);
    assert.equal(port.resting(T).length, 0);
  });

  test('every request is announced as an intent before it is sent', async () => {
    const { port, clock, events } = setup();
    const manager2 = new OrderManager({ port, ticker: T, clock, logger: new MemoryLogger(), ids: new ClientOrderIds('run2'), listener: (e) => {
      if (e.type === 'intent') assert.equal(port.callsOf('createOrder').length, 0, 'intent precedes the send');
      events.push(e);
    } });
    await run(manager2.sync(quotes([4_800, 1_000])), clock);
    assert.deepEqual(events.map((e) => e.type), ['intent', 'ack']);
  });
});
