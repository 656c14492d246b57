/**
 * Kalshi order groups (kalshi-api.md §9) through `ExchangeClient` against the local exchange over real
 * sockets: every REST call, `order_group_id` on creates, and the `order_group_updates` channel as
 * `order_group` PortEvents — including that fills past the limit cancel the group's resting orders and
 * that the group then refuses new orders until it is reset.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ApiError, MemoryLogger, OrderRejectedError, type Count, type OrderRequest, type PortEvent, type Price } from '../../src/core/index.js';
import { connectKalshi } from '../../src/cli/connection.js';
import type { ExchangeClient } from '../../src/kalshi/index.js';
import { rest, startTestExchange, type TestExchange } from '../conformance/exchange-support.js';

type GroupEvent = Extract<PortEvent, { type: 'order_group' }>;

/** Pulls events until a matching `order_group` one, failing after `timeoutMs` of real time. */
async function nextGroupEvent(events: AsyncIterator<PortEvent>, kind: GroupEvent['kind'], timeoutMs = 5_000): Promise<GroupEvent> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no order_group ${kind} event within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([events.next(), timeout]);
      if (next.done) throw new Error('event stream ended');
      if (next.value.type === 'order_group' && next.value.kind === kind) return next.value;
    }
  } finally {
    clearTimeout(timer);
  }
}

function bid(price: number, contracts: number, clientOrderId: string, orderGroupId?: string): OrderRequest {
  return {
    ticker: 'T-A',
    side: 'bid',
    price: price as Price,
    count: (contracts * 100) as Count,
    timeInForce: 'good_till_canceled',
    postOnly: true,
    selfTradePrevention: 'maker',
    clientOrderId,
    ...(orderGroupId !== undefined ? { orderGroupId } : {}),
  };
}

describe('order groups through ExchangeClient against the local exchange', () => {
  let t: TestExchange;
  let client: ExchangeClient;
  let close: () => Promise<void>;
  let events: AsyncIterator<PortEvent>;
  let groupId = '';
  const controller = new AbortController();

  /** The other account sells `contracts` YES at `price` immediately (only our bids can take it). */
  async function sell(price: string, contracts: number): Promise<void> {
    const other = t.exchange.accounts[0];
    assert.ok(other);
    const reply = await rest(other, 'POST', '/portfolio/events/orders', {
      body: { ticker: 'T-A', side: 'ask', price, count: String(contracts), time_in_force: 'immediate_or_cancel', self_trade_prevention_type: 'taker_at_cross' },
    });
    assert.ok(reply.status < 300, JSON.stringify(reply.body));
  }

  before(async () => {
    t = await startTestExchange();
    const connection = await connectKalshi({ credentials: join(t.dir, 'credentials.json') }, { env: {}, cwd: t.dir }, { logger: new MemoryLogger() });
    client = connection.port;
    close = () => connection.close();
    events = client.events(controller.signal)[Symbol.asyncIterator]();
  });

  after(async () => {
    controller.abort();
    await close();
    await t.cleanup();
  });

  test('a created group is announced on the stream, listed and read back with its limit', async () => {
    const group = await client.createOrderGroup(500 as Count);
    groupId = group.orderGroupId;
    const created = await nextGroupEvent(events, 'created');
    assert.equal(created.orderGroupId, groupId);
    assert.equal(created.contractsLimit, 500);
    const listed = (await client.listOrderGroups()).find((g) => g.orderGroupId === groupId);
    assert.deepEqual(listed, { orderGroupId: groupId, contractsLimit: 500, autoCancelEnabled: false });
    const read = await client.getOrderGroup(groupId);
    assert.equal(read.contractsLimit, 500);
    assert.deepEqual(read.orderIds, []);
  });

  test('an order created with the group id joins the group', async () => {
    const ack = await client.createOrder(bid(4_500, 4, 'og-1', groupId));
    assert.deepEqual((await client.getOrderGroup(groupId)).orderIds, [ack.orderId]);
    const raw = await client.rest.getOrder(ack.orderId);
    assert.equal(raw.order.order_group_id, groupId);
  });

  test('fills past the limit within 15 s trigger the group: its resting orders are cancelled and new ones refused', async () => {
    const second = await client.createOrder(bid(4_400, 4, 'og-2', groupId));
    const outside = await client.createOrder(bid(4_300, 1, 'og-3'));
    await sell('0.45', 4); // 4 contracts matched: at the limit of 5, not past it
    assert.equal((await client.getOrderGroup(groupId)).autoCancelEnabled, false);
    await sell('0.44', 2); // 6 contracts in the window > 5: the group triggers
    const triggered = await nextGroupEvent(events, 'triggered');
    assert.equal(triggered.orderGroupId, groupId);
    const secondNow = await client.getOrder(second.orderId);
    assert.equal(secondNow.status, 'canceled');
    assert.equal(secondNow.fillCount, 200);
    assert.equal((await client.getOrder(outside.orderId)).status, 'resting', 'orders outside the group are untouched');
    assert.equal((await client.getOrderGroup(groupId)).autoCancelEnabled, true);
    await assert.rejects(client.createOrder(bid(4_200, 1, 'og-4', groupId)), (e: unknown) => e instanceof OrderRejectedError && e.reason === 'invalid_order');
    await client.cancelOrder(outside.orderId, 'T-A');
  });

  test('a reset lets the group trade again', async () => {
    await client.resetOrderGroup(groupId);
    assert.equal((await nextGroupEvent(events, 'reset')).orderGroupId, groupId);
    const ack = await client.createOrder(bid(4_200, 1, 'og-5', groupId));
    assert.equal((await client.getOrder(ack.orderId)).status, 'resting');
  });

  test('a manual trigger cancels the resting orders and a lowered limit is announced', async () => {
    const resting = (await client.getOrderGroup(groupId)).orderIds ?? [];
    assert.equal(resting.length, 1);
    await client.triggerOrderGroup(groupId);
    await nextGroupEvent(events, 'triggered');
    assert.equal((await client.getOrder(resting[0] ?? '')).status, 'canceled');
    await client.setOrderGroupLimit(groupId, 250 as Count);
    assert.equal((await nextGroupEvent(events, 'limit_updated')).contractsLimit, 250);
    await assert.rejects(client.setOrderGroupLimit(groupId, 0 as Count), OrderRejectedError);
  });

  test('a deleted group is announced and then unknown (404)', async () => {
    await client.deleteOrderGroup(groupId);
    assert.equal((await nextGroupEvent(events, 'deleted')).orderGroupId, groupId);
    await assert.rejects(client.getOrderGroup(groupId), (e: unknown) => e instanceof ApiError && e.status === 404);
    assert.equal((await client.listOrderGroups()).some((g) => g.orderGroupId === groupId), false);
  });
});
