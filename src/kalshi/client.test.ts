import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { ApiError, ManualClock, MemoryLogger, OrderRejectedError, type Count, type Market, type Price } from '../core/index.js';
import { ExchangeClient } from './client.js';
import { credentialsFromPem } from './credentials.js';

const fixtures = new URL('../../../test/fixtures/', import.meta.url);
const market = (JSON.parse(readFileSync(new URL('http_get_market.json', fixtures), 'utf8')) as { market: Record<string, unknown> }).market;
const credentials = credentialsFromPem('client-test-key', generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());

function client(route: (method: string, path: string) => { status: number; body?: unknown }, logger = new MemoryLogger()): ExchangeClient {
  const fetchStub = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const reply = route(init?.method ?? 'GET', url.pathname.replace('/trade-api/v2', ''));
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), { status: reply.status });
  }) as typeof fetch;
  return new ExchangeClient({ restBaseUrl: 'http://127.0.0.1:9/trade-api/v2', wsUrl: 'ws://127.0.0.1:9/trade-api/ws/v2', credentials, clock: new ManualClock(0), logger, fetch: fetchStub });
}

const notFound = { status: 404, body: { error: { code: 'not_found', message: 'missing' } } };

describe('ExchangeClient (REST side, stubbed fetch)', () => {
  test('a market with an unrepresentable value is left out of a listing with an error log, not the whole scan', async () => {
    const logger = new MemoryLogger();
    const bad = { ...market, ticker: 'BAD', yes_bid_dollars: '0.16001' };
    const c = client((method, path) => (path === '/markets' ? { status: 200, body: { markets: [market, bad, { ...market, ticker: 'OK2' }], cursor: '' } } : notFound), logger);
    const tickers: string[] = [];
    for await (const m of c.listMarkets({ tickers: ['x'] })) tickers.push(m.ticker);
    assert.deepEqual(tickers, ['KXNEXTTEAMNBA-26LJAM-MIA', 'OK2']);
    assert.ok(logger.records.some((r) => r.level === 'error' && r.fields['ticker'] === 'BAD'));
    await assert.rejects(
      client((_m, path) => (path.startsWith('/markets/') ? { status: 200, body: { market: bad } } : notFound)).getMarket('BAD'),
      /yes_bid_dollars/,
    );
  });

  test('fee schedules come from the series with the event override', async () => {
    const c = client((_m, path) => {
      if (path.startsWith('/markets/')) return { status: 200, body: { market } };
      if (path === '/events/KXNEXTTEAMNBA-26LJAM') return { status: 200, body: { event: { event_ticker: 'KXNEXTTEAMNBA-26LJAM', series_ticker: 'KXNEXTTEAMNBA', fee_multiplier_override: 0.5 } } };
      if (path === '/series/KXNEXTTEAMNBA') return { status: 200, body: { series: { ticker: 'KXNEXTTEAMNBA', fee_type: 'quadratic_with_maker_fees', fee_multiplier: 1 } } };
      return notFound;
    });
    const m: Market = await c.getMarket('KXNEXTTEAMNBA-26LJAM-MIA');
    assert.deepEqual(m.fees, { feeType: 'quadratic_with_maker_fees', multiplier: 5000 });
    assert.equal(m.seriesTicker, 'KXNEXTTEAMNBA');
  });

  test('business refusals become OrderRejectedError with Kalshi code; a 404 cancel stays an ApiError', async () => {
    const c = client((method) => (method === 'POST' ? { status: 409, body: { error: { code: 'trading_is_paused', message: 'paused' } } } : notFound));
    await assert.rejects(
      c.createOrder({ ticker: 'KX', side: 'bid', price: 5000 as Price, count: 100 as Count, timeInForce: 'good_till_canceled', postOnly: true, selfTradePrevention: 'taker_at_cross', clientOrderId: 'c1' }),
      (e: unknown) => e instanceof OrderRejectedError && e.reason === 'trading_is_paused' && e.cause instanceof ApiError,
    );
    await assert.rejects(c.cancelOrder('o-1', 'KX'), (e: unknown) => e instanceof ApiError && e.status === 404);
  });

  test('an amend answer without remaining_count (optional on Kalshi, §5.2) is completed from the order, not read as 0 resting', async () => {
    const order = {
      order_id: 'o-1',
      client_order_id: 'kmm-c1',
      ticker: 'KX',
      book_side: 'bid',
      status: 'resting',
      yes_price_dollars: '0.4500',
      fill_count_fp: '6.00',
      remaining_count_fp: '4.00',
      initial_count_fp: '10.00',
      taker_fees_dollars: '0.0000',
      maker_fees_dollars: '0.0000',
    };
    const c = client((method, path) => {
      if (method === 'POST' && path === '/portfolio/events/orders/o-1/amend') return { status: 200, body: { order_id: 'o-1', client_order_id: 'kmm-c1', ts_ms: 5 } };
      if (method === 'GET' && path === '/portfolio/orders/o-1') return { status: 200, body: { order } };
      return notFound;
    });
    const ack = await c.amendOrder({ orderId: 'o-1', ticker: 'KX', side: 'bid', price: 4500 as Price, count: 1000 as Count });
    assert.deepEqual({ fillCount: ack.fillCount, remainingCount: ack.remainingCount }, { fillCount: 600, remainingCount: 400 });
  });

  test('forEnvironment uses the recommended hosts of kalshi-api.md §1', async () => {
    const seen: string[] = [];
    const fetchStub = (async (input: string | URL | Request) => {
      seen.push(String(input));
      return new Response(JSON.stringify({ exchange_active: true, trading_active: true }), { status: 200 });
    }) as typeof fetch;
    const demo = ExchangeClient.forEnvironment('demo', { credentials, clock: new ManualClock(0), fetch: fetchStub });
    assert.deepEqual(await demo.getExchangeStatus(), { exchangeActive: true, tradingActive: true });
    assert.equal(seen[0], 'https://external-api.demo.kalshi.co/trade-api/v2/exchange/status');
  });
});
