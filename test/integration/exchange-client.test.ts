/**
 * kalshi-mm's own Kalshi client (`ExchangeClient`, reached through cli/connection's `connectKalshi`
 * and a credentials file) against the local exchange over real sockets: market data, order entry,
 * portfolio reads and the event stream.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { silentLogger, type Count, type PortEvent, type Price } from '../../src/core/index.js';
import { connectKalshi } from '../../src/cli/connection.js';
import type { ExchangeClient } from '../../src/kalshi/index.js';
import { rest, startTestExchange, type TestExchange } from '../conformance/exchange-support.js';

describe('ExchangeClient against the local exchange', () => {
  let t: TestExchange;
  let client: ExchangeClient;
  let close: () => Promise<void>;
  before(async () => {
    t = await startTestExchange();
    const connection = await connectKalshi({ credentials: join(t.dir, 'credentials.json') }, { env: {}, cwd: t.dir }, { logger: silentLogger });
    assert.equal(connection.embedded, undefined);
    client = connection.port;
    close = () => connection.close();
  });
  after(async () => {
    await close();
    await t.cleanup();
  });

  test('reads status, markets, books and grids', async () => {
    assert.deepEqual(await client.getExchangeStatus(), { exchangeActive: true, tradingActive: true });
    const tickers: string[] = [];
    for await (const market of client.listMarkets({ status: 'open' })) tickers.push(market.ticker);
    assert.deepEqual(tickers.sort(), ['T-A', 'T-B', 'T-D']);
    const deci = await client.getMarket('T-D');
    assert.equal(deci.grid.isValid(4050), true);
  });

  test('places, reads, amends and cancels orders, and sees its own events', async () => {
    const controller = new AbortController();
    const seen: PortEvent[] = [];
    const reading = (async () => {
      for await (const event of client.events(controller.signal)) seen.push(event);
    })();
    await client.subscribeMarkets(['T-A']);
    const ack = await client.createOrder({ ticker: 'T-A', side: 'bid', price: 4200 as Price, count: 500 as Count, timeInForce: 'good_till_canceled', postOnly: true, selfTradePrevention: 'taker_at_cross', clientOrderId: 'cl-1' });
    assert.equal(ack.remainingCount, 500);
    await rest(t.exchange.accounts[0]!, 'POST', '/portfolio/events/orders', { body: { ticker: 'T-A', side: 'ask', price: '0.42', count: '2', time_in_force: 'immediate_or_cancel', self_trade_prevention_type: 'taker_at_cross' } });
    const deadline = Date.now() + 5000;
    while (!seen.some((e) => e.type === 'fill') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const fill = seen.find((e) => e.type === 'fill');
    assert.ok(fill && fill.type === 'fill');
    assert.equal(fill.fill.count, 200);
    assert.equal(fill.fill.clientOrderId, 'cl-1');
    assert.ok(seen.some((e) => e.type === 'book_snapshot' && e.ticker === 'T-A'));
    assert.ok(seen.some((e) => e.type === 'book_delta' && e.ticker === 'T-A'));
    const order = await client.getOrder(ack.orderId);
    assert.equal(order.fillCount, 200);
    const amended = await client.amendOrder({ orderId: ack.orderId, ticker: 'T-A', side: 'bid', price: 4100 as Price, count: 600 as Count });
    assert.equal(amended.remainingCount, 400);
    const positions = await client.getPositions();
    assert.equal(positions.find((p) => p.ticker === 'T-A')?.position, 200);
    const cancelled = await client.cancelOrder(ack.orderId, 'T-A');
    assert.equal(cancelled.reducedBy, 400);
    const fills: unknown[] = [];
    for await (const f of client.listFills({ ticker: 'T-A' })) fills.push(f);
    assert.equal(fills.length, 1);
    controller.abort();
    await reading;
  });
});
