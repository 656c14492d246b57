import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WireFormatError, type Count, type OrderRequest, type Price } from '../../core/index.js';
import {
  encodeOrderGroupLimit,
  encodeOrderRequest,
  getOrderGroupResponseSchema,
  getOrderGroupsResponseSchema,
  isWsDataMessage,
  orderGroupDetailFromWire,
  orderGroupFromWire,
  parseWire,
  portEventFromWs,
  wsMessageSchema,
} from './index.js';

const request: OrderRequest = {
  ticker: 'T-A',
  side: 'bid',
  price: 4_500 as Price,
  count: 300 as Count,
  timeInForce: 'good_till_canceled',
  postOnly: true,
  selfTradePrevention: 'maker',
  clientOrderId: 'c1',
};

function groupUpdate(msg: Record<string, unknown>): unknown {
  return { type: 'order_group_updates', sid: 9, seq: 3, msg };
}

describe('order-group wire schemas and conversion', () => {
  test('a create request carries order_group_id only when the order has a group', () => {
    assert.equal(encodeOrderRequest({ ...request, orderGroupId: 'og-7' })['order_group_id'], 'og-7');
    assert.equal('order_group_id' in encodeOrderRequest(request), false);
  });

  test('a group limit is sent as an exact contracts_limit_fp string', () => {
    assert.deepEqual(encodeOrderGroupLimit(1_050 as Count), { contracts_limit_fp: '10.50' });
  });

  test('an order_group_updates message becomes an order_group event with its limit and time', () => {
    const message = parseWire(wsMessageSchema, groupUpdate({ event_type: 'triggered', order_group_id: 'og-7', contracts_limit_fp: '5.00', ts_ms: 1_700_000_000_123 }));
    assert.ok(isWsDataMessage(message));
    assert.deepEqual(portEventFromWs(message, 42), { type: 'order_group', recvMs: 42, orderGroupId: 'og-7', kind: 'triggered', contractsLimit: 500, tsMs: 1_700_000_000_123 });
  });

  test('an order_group_updates message without the optional limit and time still converts', () => {
    const message = parseWire(wsMessageSchema, groupUpdate({ event_type: 'deleted', order_group_id: 'og-7' }));
    assert.ok(isWsDataMessage(message));
    assert.deepEqual(portEventFromWs(message, 42), { type: 'order_group', recvMs: 42, orderGroupId: 'og-7', kind: 'deleted' });
  });

  test('an unknown event_type is an error naming msg.event_type', () => {
    assert.throws(
      () => parseWire(wsMessageSchema, groupUpdate({ event_type: 'exploded', order_group_id: 'og-7' })),
      (e: unknown) => e instanceof WireFormatError && e.path === 'msg.event_type',
    );
  });

  test('a bad contracts_limit_fp is an error naming the field', () => {
    const message = parseWire(wsMessageSchema, groupUpdate({ event_type: 'created', order_group_id: 'og-7', contracts_limit_fp: '5e3' }));
    assert.ok(isWsDataMessage(message));
    assert.throws(() => portEventFromWs(message, 0), (e: unknown) => e instanceof WireFormatError && e.path === 'msg.contracts_limit_fp');
    const list = parseWire(getOrderGroupsResponseSchema, { order_groups: [{ id: 'a', contracts_limit_fp: '1.00', is_auto_cancel_enabled: false }, { id: 'b', contracts_limit_fp: 'x', is_auto_cancel_enabled: false }] });
    assert.throws(() => list.order_groups?.map((g, i) => orderGroupFromWire(g, `order_groups[${i}]`)), (e: unknown) => e instanceof WireFormatError && e.path === 'order_groups[1].contracts_limit_fp');
  });

  test('a group reply missing is_auto_cancel_enabled is an error naming it', () => {
    assert.throws(() => parseWire(getOrderGroupResponseSchema, { contracts_limit_fp: '1.00', orders: [] }), (e: unknown) => e instanceof WireFormatError && e.path === 'is_auto_cancel_enabled');
  });

  test('a single-group reply converts with the id asked for and its order ids', () => {
    const body = parseWire(getOrderGroupResponseSchema, { is_auto_cancel_enabled: true, contracts_limit_fp: '2.50', orders: ['o1', 'o2'] });
    assert.deepEqual(orderGroupDetailFromWire('og-7', body), { orderGroupId: 'og-7', contractsLimit: 250, autoCancelEnabled: true, orderIds: ['o1', 'o2'] });
  });
});
