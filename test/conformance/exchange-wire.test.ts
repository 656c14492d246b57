/**
 * The local exchange's answers parsed by kalshi-mm's own wire layer (src/kalshi/wire): every REST
 * body through its zod schema and domain converter, every WebSocket frame through the message
 * union and `portEventFromWs`. The server and our client therefore agree on every field they share.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  balanceFromWire,
  fillFromWire,
  getBalanceResponseSchema,
  getEventResponseSchema,
  getExchangeStatusResponseSchema,
  getFillsResponseSchema,
  getMarketResponseSchema,
  getMarketsResponseSchema,
  getOrderbookResponseSchema,
  getOrderResponseSchema,
  getOrdersResponseSchema,
  getPositionsResponseSchema,
  getQueuePositionsResponseSchema,
  getSettlementsResponseSchema,
  getTradesResponseSchema,
  getAccountLimitsResponseSchema,
  getEndpointCostsResponseSchema,
  getCandlesticksResponseSchema,
  getSeriesResponseSchema,
  createOrderV2ResponseSchema,
  cancelOrderV2ResponseSchema,
  amendOrderV2ResponseSchema,
  decreaseOrderV2ResponseSchema,
  batchCreateOrdersV2ResponseSchema,
  batchCancelOrdersV2ResponseSchema,
  errorResponseSchema,
  KNOWN_WS_TYPES,
  marketFromWire,
  bookFromWire,
  orderFromWire,
  parseWire,
  portEventFromWs,
  positionFromWire,
  settlementFromWire,
  tradeFromWire,
  wsMessageSchema,
} from '../../src/kalshi/wire/index.js';
import { rest, startTestExchange, TestSocket, type TestExchange } from './exchange-support.js';

const create = (ticker: string, side: 'bid' | 'ask', price: string, count: string, clientOrderId: string, tif = 'good_till_canceled') => ({
  ticker,
  side,
  price,
  count,
  time_in_force: tif,
  self_trade_prevention_type: 'taker_at_cross',
  client_order_id: clientOrderId,
});

describe('the local exchange read by kalshi-mm\'s own wire layer', () => {
  let t: TestExchange;
  let socket: TestSocket;
  before(async () => {
    t = await startTestExchange();
    socket = await TestSocket.connect(t.exchange.credentials);
    socket.send({ id: 1, cmd: 'subscribe', params: { channels: ['orderbook_delta', 'ticker', 'trade', 'fill', 'user_orders', 'market_positions', 'market_lifecycle_v2'], market_tickers: ['T-A', 'T-D'] } });
    await socket.waitFor((f) => f.type === 'subscribed' && f.msg?.['channel'] === 'market_lifecycle_v2');
  });
  after(async () => {
    socket.close();
    await t.cleanup();
  });

  const get = async <T>(schema: Parameters<typeof parseWire>[0], path: string, who = 0): Promise<T> => {
    const answer = await rest(who === 0 ? t.exchange.credentials : t.exchange.accounts[0]!, 'GET', path);
    assert.equal(answer.status, 200, `${path}: ${JSON.stringify(answer.body)}`);
    return parseWire(schema, answer.body, path) as T;
  };

  test('order mutations and portfolio reads parse and convert', async () => {
    const send = async (method: string, path: string, body: unknown, schema: Parameters<typeof parseWire>[0], who = 0): Promise<Record<string, unknown>> => {
      const answer = await rest(who === 0 ? t.exchange.credentials : t.exchange.accounts[0]!, method, path, { body });
      assert.ok(answer.status >= 200 && answer.status < 300, `${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return parseWire(schema, answer.body, path) as Record<string, unknown>;
    };
    const created = await send('POST', '/portfolio/events/orders', create('T-A', 'bid', '0.45', '10', 'w-1'), createOrderV2ResponseSchema);
    const orderId = String(created['order_id']);
    await send('POST', '/portfolio/events/orders', create('T-A', 'ask', '0.45', '3', 'w-2', 'immediate_or_cancel'), createOrderV2ResponseSchema, 1);
    await send('POST', `/portfolio/events/orders/${orderId}/amend`, { ticker: 'T-A', side: 'bid', price: '0.44', count: '9' }, amendOrderV2ResponseSchema);
    await send('POST', `/portfolio/events/orders/${orderId}/decrease`, { reduce_to: '5' }, decreaseOrderV2ResponseSchema);
    await send('POST', '/portfolio/events/orders/batched', { orders: [create('T-D', 'bid', '0.123', '1.5', 'w-3'), create('T-D', 'bid', '0.1234', '1', 'w-4')] }, batchCreateOrdersV2ResponseSchema);
    const order = await get<{ order: Parameters<typeof orderFromWire>[0] }>(getOrderResponseSchema, `/portfolio/orders/${orderId}`);
    const domain = orderFromWire(order.order, 'order');
    assert.equal(domain.fillCount, 300);
    assert.equal(domain.remainingCount, 500);
    assert.equal(domain.price, 4400);
    const queue = await get<{ queue_positions: unknown[] }>(getQueuePositionsResponseSchema, '/portfolio/orders/queue_positions?market_tickers=T-A,T-D');
    assert.equal(queue.queue_positions.length, 2);
    const orders = await get<{ orders: Parameters<typeof orderFromWire>[0][] }>(getOrdersResponseSchema, '/portfolio/orders');
    for (const [i, o] of orders.orders.entries()) orderFromWire(o, `orders[${i}]`);
    const fills = await get<{ fills: Parameters<typeof fillFromWire>[0][] }>(getFillsResponseSchema, '/portfolio/fills');
    assert.equal(fillFromWire(fills.fills[0]!, 'fills[0]').count, 300);
    const positions = await get<{ market_positions: Parameters<typeof positionFromWire>[0][] }>(getPositionsResponseSchema, '/portfolio/positions');
    assert.equal(positionFromWire(positions.market_positions[0]!, 'p').position, 300);
    const balance = await get<Parameters<typeof balanceFromWire>[0]>(getBalanceResponseSchema, '/portfolio/balance');
    assert.ok(balanceFromWire(balance).balance > 0);
    const cancelled = await send('DELETE', `/portfolio/events/orders/${orderId}`, undefined, cancelOrderV2ResponseSchema);
    assert.equal(cancelled['reduced_by'], '5.00');
    await send('DELETE', '/portfolio/events/orders/batched', { orders: [{ order_id: 'nope' }] }, batchCancelOrdersV2ResponseSchema);
    await get(getAccountLimitsResponseSchema, '/account/limits');
    await get(getEndpointCostsResponseSchema, '/account/endpoint_costs');
  });

  test('market data parses and converts to the same grids, books and trades', async () => {
    await get(getExchangeStatusResponseSchema, '/exchange/status');
    const markets = await get<{ markets: Parameters<typeof marketFromWire>[0][] }>(getMarketsResponseSchema, '/markets');
    for (const [i, m] of markets.markets.entries()) marketFromWire(m, `markets[${i}]`);
    const deci = await get<{ market: Parameters<typeof marketFromWire>[0] }>(getMarketResponseSchema, '/markets/T-D');
    assert.equal(marketFromWire(deci.market, 'market').grid.isValid(1230), true);
    assert.equal(marketFromWire(deci.market, 'market').grid.isValid(1234), false);
    const book = await get<{ orderbook_fp: Parameters<typeof bookFromWire>[1] }>(getOrderbookResponseSchema, '/markets/T-D/orderbook');
    assert.deepEqual(bookFromWire('T-D', book.orderbook_fp, 'book').yes, [{ price: 1230, count: 150 }]);
    const trades = await get<{ trades: Parameters<typeof tradeFromWire>[0][] }>(getTradesResponseSchema, '/markets/trades?ticker=T-A');
    assert.equal(tradeFromWire(trades.trades[0]!, 'trades[0]').takerSide, 'ask');
    await get(getSeriesResponseSchema, '/series/KXLOCAL');
    await get(getEventResponseSchema, '/events/KXLOCAL-EV1?with_nested_markets=true');
    const nowS = Math.floor(Date.now() / 1000);
    await get(getCandlesticksResponseSchema, `/series/KXLOCAL/markets/T-A/candlesticks?start_ts=${nowS - 300}&end_ts=${nowS + 60}&period_interval=1`);
  });

  test('settlements and errors parse', async () => {
    t.exchange.settle('T-A', 'no');
    const settlements = await get<{ settlements: Parameters<typeof settlementFromWire>[0][] }>(getSettlementsResponseSchema, '/portfolio/settlements');
    assert.equal(settlementFromWire(settlements.settlements[0]!, 's').result, 'no');
    const missing = await rest(t.exchange.credentials, 'GET', '/markets/NOPE');
    parseWire(errorResponseSchema, missing.body);
  });

  test('every WebSocket frame received parses and converts', async () => {
    await socket.waitFor((f) => f.type === 'market_lifecycle_v2' && f.msg?.['event_type'] === 'settled');
    const types = new Set<string>();
    for (const [i, frame] of socket.frames.entries()) {
      assert.ok(KNOWN_WS_TYPES.has(String(frame.type)), `frame ${i} has type ${String(frame.type)}`);
      const message = parseWire(wsMessageSchema, frame, `frames[${i}]`);
      types.add(message.type);
      if (message.type !== 'subscribed' && message.type !== 'ok' && message.type !== 'unsubscribed' && message.type !== 'error') portEventFromWs(message, Date.now());
    }
    for (const type of ['orderbook_snapshot', 'orderbook_delta', 'ticker', 'trade', 'fill', 'user_order', 'market_position', 'market_lifecycle_v2']) assert.ok(types.has(type), `saw ${type}`);
  });
});
