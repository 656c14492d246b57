/**
 * Conformance of the local exchange with Kalshi's official TypeScript SDK (kalshi-typescript
 * 3.30.0): the SDK, given its own axios instance (never the global one, kalshi-api.md §16 trap 11)
 * and the local basePath, drives every REST endpoint of the minimum faithful subset (§15) and the
 * answers are checked field by field.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import axios, { AxiosError, type AxiosInstance } from 'axios';
import { AccountApi, Configuration, EventsApi, ExchangeApi, MarketApi, OrderGroupsApi, OrdersApi, PortfolioApi } from 'kalshi-typescript';
import type { LocalCredentials } from '../../src/exchange/index.js';
import { privateKeyOf, startTestExchange, type TestExchange } from './exchange-support.js';

interface Sdk {
  readonly http: AxiosInstance;
  readonly market: MarketApi;
  readonly orders: OrdersApi;
  readonly portfolio: PortfolioApi;
  readonly exchange: ExchangeApi;
  readonly account: AccountApi;
  readonly events: EventsApi;
  readonly groups: OrderGroupsApi;
}

async function sdkFor(credentials: LocalCredentials): Promise<Sdk> {
  const configuration = new Configuration({ apiKey: credentials.keyId, privateKeyPem: await privateKeyOf(credentials), basePath: credentials.rest });
  const http = axios.create();
  // The SDK is CommonJS; its AxiosInstance type is the CJS declaration of the same axios package.
  const sdkHttp = http as unknown as ConstructorParameters<typeof MarketApi>[2];
  return {
    http,
    market: new MarketApi(configuration, credentials.rest, sdkHttp),
    orders: new OrdersApi(configuration, credentials.rest, sdkHttp),
    portfolio: new PortfolioApi(configuration, credentials.rest, sdkHttp),
    exchange: new ExchangeApi(configuration, credentials.rest, sdkHttp),
    account: new AccountApi(configuration, credentials.rest, sdkHttp),
    events: new EventsApi(configuration, credentials.rest, sdkHttp),
    groups: new OrderGroupsApi(configuration, credentials.rest, sdkHttp),
  };
}

async function failure(promise: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AxiosError && error.response) return { status: error.response.status, body: error.response.data };
    throw error;
  }
  assert.fail('expected the call to fail');
}

const order = (ticker: string, side: 'bid' | 'ask', price: string, count: string, clientOrderId: string) => ({
  ticker,
  side,
  price,
  count,
  time_in_force: 'good_till_canceled' as const,
  self_trade_prevention_type: 'taker_at_cross' as const,
  client_order_id: clientOrderId,
});

describe('the local exchange through the official kalshi-typescript SDK', () => {
  let t: TestExchange;
  let alice: Sdk;
  let bob: Sdk;

  before(async () => {
    t = await startTestExchange();
    alice = await sdkFor(t.exchange.credentials);
    bob = await sdkFor(t.exchange.accounts[0]!);
  });
  after(async () => t.cleanup());

  test('exchange status, schedule and user data timestamp answer with Kalshi fields', async () => {
    const status = (await alice.exchange.getExchangeStatus()).data;
    assert.equal(status.exchange_active, true);
    assert.equal(status.trading_active, true);
    assert.ok(Array.isArray((await alice.exchange.getExchangeSchedule()).data.schedule.maintenance_windows));
    assert.match((await alice.exchange.getUserDataTimestamp()).data.as_of_time, /^\d{4}-\d\d-\d\dT/);
  });

  test('markets list with status filter, tickers filter and cursor pagination', async () => {
    const open = (await alice.market.getMarkets(100, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, 'open')).data;
    assert.deepEqual(open.markets.map((m) => m.ticker).sort(), ['T-A', 'T-B', 'T-D']);
    assert.equal(open.cursor, '');
    const first = (await alice.market.getMarkets(2)).data;
    assert.equal(first.markets.length, 2);
    assert.notEqual(first.cursor, '');
    const second = (await alice.market.getMarkets(2, first.cursor)).data;
    assert.equal(second.markets.length, 1);
    assert.equal(second.cursor, '');
    const settled = (await alice.market.getMarkets(100, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, 'settled')).data;
    assert.equal(settled.markets.length, 0);
  });

  test('one market carries price_ranges, price_level_structure and dollar strings', async () => {
    const market = (await alice.market.getMarket('T-D')).data.market;
    assert.equal(market.status, 'active');
    assert.equal(market.price_level_structure, 'deci_cent');
    assert.deepEqual(market.price_ranges, [{ start: '0.0000', end: '1.0000', step: '0.0010' }]);
    assert.equal(market.yes_bid_dollars, '0.0000');
    assert.equal(market.yes_ask_dollars, '1.0000');
    assert.equal(market.volume_fp, '0.00');
    const missing = await failure(alice.market.getMarket('NOPE'));
    assert.equal(missing.status, 404);
    assert.deepEqual(Object.keys((missing.body as { error: object }).error).sort(), ['code', 'message']);
  });

  test('series and events describe the listed markets', async () => {
    const series = (await alice.market.getSeries('KXLOCAL')).data.series;
    assert.equal(series.fee_type, 'quadratic');
    assert.equal(series.fee_multiplier, 1);
    const event = (await alice.events.getEvent('KXLOCAL-EV1')).data;
    assert.equal(event.event.series_ticker, 'KXLOCAL');
    assert.deepEqual(event.markets.map((m) => m.ticker).sort(), ['T-A', 'T-B']);
    const events = (await alice.events.getEvents()).data;
    assert.equal(events.events.length, 2);
    const open = (await alice.events.getEvents(200, undefined, true, undefined, 'open')).data;
    assert.equal(open.events.length, 2);
    assert.equal(open.events[0]!.markets?.length, 2, 'nested markets when asked');
    assert.equal((await alice.events.getEvents(200, undefined, false, undefined, 'settled')).data.events.length, 0);
  });

  test('an order rests, shows in the book and queue, trades, amends, decreases and cancels', async () => {
    const created = await alice.orders.createOrderV2(order('T-A', 'bid', '0.40', '10', 'a-1'));
    assert.equal(created.status, 201);
    assert.equal(created.data.client_order_id, 'a-1');
    assert.equal(created.data.fill_count, '0.00');
    assert.equal(created.data.remaining_count, '10.00');
    assert.equal(typeof created.data.ts_ms, 'number');
    const id = created.data.order_id;

    const book = (await alice.market.getMarketOrderbook('T-A')).data.orderbook_fp;
    assert.deepEqual(book.yes_dollars, [['0.4000', '10.00']]);
    assert.deepEqual(book.no_dollars, []);
    const books = (await alice.market.getMarketOrderbooks(['T-A', 'T-B'])).data.orderbooks;
    assert.deepEqual(books.map((b) => b.ticker), ['T-A', 'T-B']);
    assert.equal((await alice.orders.getOrderQueuePosition(id)).data.queue_position_fp, '0.00');
    const queue = (await alice.orders.getOrderQueuePositions('T-A')).data.queue_positions;
    assert.deepEqual(queue, [{ order_id: id, market_ticker: 'T-A', queue_position_fp: '0.00' }]);

    const taken = await bob.orders.createOrderV2({ ...order('T-A', 'ask', '0.40', '4', 'b-1'), time_in_force: 'immediate_or_cancel' });
    assert.equal(taken.data.fill_count, '4.00');
    assert.equal(taken.data.remaining_count, '0.00');
    assert.equal(taken.data.average_fill_price, '0.4000');

    const resting = (await alice.orders.getOrder(id)).data.order;
    assert.equal(resting.status, 'resting');
    assert.equal(resting.fill_count_fp, '4.00');
    assert.equal(resting.remaining_count_fp, '6.00');
    assert.equal(resting.book_side, 'bid');
    assert.equal(resting.outcome_side, 'yes');
    assert.equal(resting.yes_price_dollars, '0.4000');
    assert.equal(resting.no_price_dollars, '0.6000');

    const fills = (await alice.portfolio.getFills('T-A')).data.fills;
    assert.equal(fills.length, 1);
    assert.equal(fills[0]!.count_fp, '4.00');
    assert.equal(fills[0]!.is_taker, false);
    assert.equal(fills[0]!.order_id, id);
    const bobFills = (await bob.portfolio.getFills()).data.fills;
    assert.equal(bobFills[0]!.is_taker, true);
    // Taker fee 0.07 × 4 × 0.40 × 0.60 = $0.0672; a cent-precision account also pays the rounding
    // fee up to the cent (kalshi-api.md §10.2), so the fill reports $0.0700.
    assert.equal(bobFills[0]!.fee_cost, '0.0700');

    const trades = (await alice.market.getTrades(100, undefined, 'T-A')).data.trades;
    assert.equal(trades.length, 1);
    assert.equal(trades[0]!.taker_book_side, 'ask');
    assert.equal(trades[0]!.taker_outcome_side, 'no');
    assert.equal(trades[0]!.yes_price_dollars, '0.4000');

    const positions = (await alice.portfolio.getPositions()).data;
    assert.equal(positions.market_positions[0]!.position_fp, '4.00');
    assert.equal(positions.market_positions[0]!.market_exposure_dollars, '1.6000');
    assert.equal(positions.event_positions[0]!.event_ticker, 'KXLOCAL-EV1');
    assert.equal((await bob.portfolio.getPositions()).data.market_positions[0]!.position_fp, '-4.00');

    const amended = (await alice.orders.amendOrderV2(id, { ticker: 'T-A', side: 'bid', price: '0.41', count: '9' })).data;
    assert.equal(amended.remaining_count, '5.00');
    assert.equal(amended.fill_count, '4.00');
    const decreased = (await alice.orders.decreaseOrderV2(id, { reduce_by: '1' })).data;
    assert.equal(decreased.remaining_count, '4.00');
    const cancelled = (await alice.orders.cancelOrderV2(id)).data;
    assert.equal(cancelled.reduced_by, '4.00');
    const after = (await alice.orders.getOrder(id)).data.order;
    assert.equal(after.status, 'canceled');
    assert.equal(after.fill_count_fp, '4.00');
    const gone = await failure(alice.orders.cancelOrderV2(id));
    assert.equal(gone.status, 404);
    const listed = (await alice.orders.getOrders('T-A', undefined, undefined, undefined, 'canceled')).data.orders;
    assert.deepEqual(listed.map((o) => o.order_id), [id]);
  });

  test('a repeated client_order_id is refused with 409 order_already_exists and makes no second order', async () => {
    await alice.orders.createOrderV2(order('T-B', 'bid', '0.10', '1', 'dup-1'));
    const repeat = await failure(alice.orders.createOrderV2(order('T-B', 'bid', '0.10', '1', 'dup-1')));
    assert.equal(repeat.status, 409);
    assert.equal((repeat.body as { error: { code: string } }).error.code, 'order_already_exists');
    const orders = (await alice.orders.getOrders('T-B')).data.orders.filter((o) => o.client_order_id === 'dup-1');
    assert.equal(orders.length, 1);
  });

  test('off-grid prices and malformed bodies get Kalshi-shaped 400s', async () => {
    const offGrid = await failure(alice.orders.createOrderV2(order('T-A', 'bid', '0.405', '1', 'grid-1')));
    assert.equal(offGrid.status, 400);
    assert.equal((offGrid.body as { error: { code: string } }).error.code, 'invalid_price');
    const onDeci = await alice.orders.createOrderV2(order('T-D', 'bid', '0.405', '1', 'grid-2'));
    assert.equal(onDeci.status, 201);
    const bad = await failure(alice.orders.createOrderV2({ ...order('T-A', 'bid', '0.40', '1', 'grid-3'), time_in_force: 'good_till_time' as never }));
    assert.equal(bad.status, 400);
    assert.match((bad.body as { error: { message: string } }).error.message, /time_in_force/);
    const postOnly = await failure(bob.orders.createOrderV2({ ...order('T-D', 'ask', '0.30', '1', 'po-1'), post_only: true }));
    assert.equal(postOnly.status, 400);
    assert.deepEqual((postOnly.body as { error: { code: string; details: string } }).error.details, 'post only cross');
  });

  test('batched create answers 201 with per-item errors and batched cancel reduces each order', async () => {
    const batch = await alice.orders.batchCreateOrdersV2({ orders: [order('T-B', 'bid', '0.20', '2', 'bat-1'), order('T-B', 'bid', '0.205', '2', 'bat-2')] });
    assert.equal(batch.status, 201);
    const [ok, bad] = batch.data.orders;
    assert.equal(ok!.remaining_count, '2.00');
    assert.equal(bad!.error?.code, 'invalid_price');
    const cancel = await alice.orders.batchCancelOrdersV2({ orders: [{ order_id: ok!.order_id! }, { order_id: 'missing' }] });
    assert.equal(cancel.data.orders[0]!.reduced_by, '2.00');
    assert.equal(cancel.data.orders[1]!.error?.code, 'not_found');
  });

  test('cancel all answers 204 and leaves no resting order', async () => {
    await alice.orders.createOrderV2(order('T-B', 'bid', '0.05', '1', 'all-1'));
    const response = await alice.orders.cancelAllOrders();
    assert.equal(response.status, 204);
    const resting = (await alice.orders.getOrders(undefined, undefined, undefined, undefined, 'resting')).data.orders;
    assert.equal(resting.length, 0);
  });

  test('an order group cancels its orders when its 15 s matched limit is reached, until reset', async () => {
    const created = await alice.groups.createOrderGroup({ contracts_limit: 2 });
    assert.equal(created.status, 201);
    const groupId = created.data.order_group_id;
    const first = (await alice.orders.createOrderV2({ ...order('T-B', 'bid', '0.30', '5', 'grp-1'), order_group_id: groupId })).data;
    assert.equal((await alice.orders.getOrder(first.order_id)).data.order.order_group_id, groupId);
    assert.deepEqual((await alice.groups.getOrderGroup(groupId)).data.orders, [first.order_id]);
    await bob.orders.createOrderV2({ ...order('T-B', 'ask', '0.30', '3', 'grp-b1'), time_in_force: 'immediate_or_cancel' });
    const after = (await alice.orders.getOrder(first.order_id)).data.order;
    assert.equal(after.status, 'canceled', 'matching 3 contracts took the window over the limit of 2');
    assert.equal(after.fill_count_fp, '3.00');
    const listed = (await alice.groups.getOrderGroups()).data.order_groups ?? [];
    assert.deepEqual(listed.map((g) => [g.id, g.contracts_limit_fp, g.is_auto_cancel_enabled]), [[groupId, '2.00', true]]);
    const refused = await failure(alice.orders.createOrderV2({ ...order('T-B', 'bid', '0.30', '1', 'grp-2'), order_group_id: groupId }));
    assert.equal(refused.status, 400);
    await alice.groups.resetOrderGroup(groupId);
    const again = await alice.orders.createOrderV2({ ...order('T-B', 'bid', '0.30', '1', 'grp-3'), order_group_id: groupId });
    assert.equal(again.status, 201);
    await alice.groups.updateOrderGroupLimit(groupId, { contracts_limit_fp: '10.00' });
    assert.equal((await alice.groups.getOrderGroup(groupId)).data.contracts_limit_fp, '10.00');
    await alice.groups.deleteOrderGroup(groupId);
    assert.equal((await alice.orders.getOrder(again.data.order_id)).data.order.status, 'canceled');
    assert.equal((await failure(alice.groups.getOrderGroup(groupId))).status, 404);
  });

  test('the public tape pages newest first with a cursor', async () => {
    const first = (await alice.market.getTrades(1)).data;
    assert.equal(first.trades.length, 1);
    assert.equal(first.trades[0]!.ticker, 'T-B', 'the newest trade comes first');
    assert.notEqual(first.cursor, '');
    const second = (await alice.market.getTrades(1, first.cursor)).data;
    assert.equal(second.trades[0]!.ticker, 'T-A');
    assert.equal(second.cursor, '');
  });

  test('balance, account limits and endpoint costs', async () => {
    const balance = (await alice.portfolio.getBalance()).data;
    assert.equal(typeof balance.balance, 'number');
    assert.match(balance.balance_dollars, /^\d+\.\d{4}$/);
    assert.ok(balance.balance < 1_000_000 && balance.balance > 990_000, `balance was ${balance.balance} cents`);
    const limits = (await alice.account.getAccountApiLimits()).data;
    assert.equal(limits.usage_tier, 'prestige');
    assert.deepEqual(limits.write, { refill_rate: 8000, bucket_capacity: 16000 });
    const costs = (await alice.account.getAccountEndpointCosts()).data;
    assert.equal(costs.default_cost, 10);
    assert.ok(costs.endpoint_costs.some((c) => c.method === 'DELETE' && c.path === '/trade-api/v2/portfolio/events/orders/{order_id}' && c.cost === 2));
  });

  test('candlesticks summarise trades per period', async () => {
    const nowS = Math.floor(Date.now() / 1000);
    const candles = (await alice.market.getMarketCandlesticks('KXLOCAL', 'T-A', nowS - 600, nowS + 120, 1)).data;
    assert.equal(candles.ticker, 'T-A');
    const traded = candles.candlesticks.find((c) => c.volume_fp !== '0.00');
    assert.equal(traded?.price.close_dollars, '0.4000');
  });

  test('settlement pays the winning side and is listed in settlements', async () => {
    t.exchange.settle('T-A', 'yes');
    const settlements = (await alice.portfolio.getSettlements()).data.settlements;
    assert.equal(settlements.length, 1);
    assert.equal(settlements[0]!.market_result, 'yes');
    assert.equal(settlements[0]!.yes_count_fp, '4.00');
    assert.equal(settlements[0]!.revenue, 400);
    assert.equal((await alice.market.getMarket('T-A')).data.market.status, 'finalized');
    const positions = (await alice.portfolio.getPositions()).data;
    assert.ok(positions.market_positions.every((p) => p.ticker !== 'T-A'));
    const closed = await failure(alice.orders.createOrderV2(order('T-A', 'bid', '0.40', '1', 'late-1')));
    assert.equal(closed.status, 400);
    assert.equal((closed.body as { error: { code: string } }).error.code, 'market_closed');
  });
});
