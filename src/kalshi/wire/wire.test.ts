import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WireFormatError, type Count, type Price } from '../../core/index.js';
import {
  bookFromWire,
  encodeAmendRequest,
  encodeDecreaseRequest,
  encodeOrderRequest,
  feeScheduleFromWire,
  encodeOrderbook,
  encodeWsOrderbookDelta,
  getMarketResponseSchema,
  getMarketsResponseSchema,
  getOrderbookResponseSchema,
  getPositionsResponseSchema,
  marketFromWire,
  parseWire,
  portEventFromWs,
  positionFromWire,
  wsMessageSchema,
  type WsDataMessage,
} from './index.js';

const fixtures = new URL('../../../../test/fixtures/', import.meta.url);
function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, fixtures), 'utf8'));
}

describe('REST schemas and conversion', () => {
  test('a market converts to a domain market with its tapered grid and empty extra fields ignored', () => {
    const body = parseWire(getMarketResponseSchema, fixture('http_get_market.json'));
    const market = marketFromWire(body.market, 'market');
    assert.equal(market.ticker, 'KXNEXTTEAMNBA-26LJAM-MIA');
    assert.equal(market.yesBid, 1600);
    assert.equal(market.yesAsk, 1700);
    assert.equal(market.volume, 104352);
    assert.equal(market.grid.isValid(50), true, '0.0050 is on the 0.001 band');
    assert.equal(market.grid.isValid(1550), false, '0.1550 is off the cent band');
    assert.equal(market.closeTimeMs, Date.parse('2027-06-30T14:00:00Z'));
  });

  test('a missing required field is a WireFormatError naming its path', () => {
    const market = (fixture('http_get_market.json') as { market: Record<string, unknown> }).market;
    const { yes_bid_dollars: _drop, ...broken } = market;
    const body = { markets: [market, market, market, broken], cursor: '' };
    assert.throws(
      () => parseWire(getMarketsResponseSchema, body),
      (e: unknown) => e instanceof WireFormatError && e.path === 'markets[3].yes_bid_dollars' && /was missing/.test(e.message),
    );
  });

  test('a malformed price string is a WireFormatError naming the field and value', () => {
    const market = { ...(fixture('http_get_market.json') as { market: Record<string, unknown> }).market, yes_ask_dollars: '0.56001' };
    const body = parseWire(getMarketsResponseSchema, { markets: [market] });
    assert.throws(
      () => marketFromWire(body.markets[0]!, 'markets[0]'),
      (e: unknown) => e instanceof WireFormatError && e.path === 'markets[0].yes_ask_dollars' && e.message.includes('"0.56001"'),
    );
  });

  test('the captured REST order book keeps both bid lists ascending and round-trips through the encoder', () => {
    const raw = fixture('http_get_market_orderbook.json') as { body: unknown };
    const parsed = parseWire(getOrderbookResponseSchema, raw.body);
    const book = bookFromWire('KXNEXTTEAMNBA-26LJAM-MIA', parsed.orderbook_fp, 'orderbook_fp');
    assert.equal(book.yes.at(-1)?.price, 1600);
    assert.equal(book.no.at(-1)?.price, 8300);
    assert.equal(book.yes[0]?.count, 140647486);
    assert.deepEqual(encodeOrderbook(book), raw.body);
  });

  test('captured positions parse with 6-decimal money aggregates', () => {
    const raw = fixture('http_get_portfolio_positions.json') as { body: unknown };
    const parsed = parseWire(getPositionsResponseSchema, raw.body);
    const positions = (parsed.market_positions ?? []).map((p, i) => positionFromWire(p, `market_positions[${i}]`));
    assert.equal(positions[0]?.ticker, 'KXNEXTTEAMNBA-26LJAM-MIA');
    assert.equal(positions[0]?.realizedPnl, 500);
    assert.equal(positions[0]?.position, 0);
  });
});

describe('WebSocket schemas and conversion', () => {
  test('every line of the captured session parses, and data lines convert to domain events', () => {
    const lines = readFileSync(new URL('ws_session_head.jsonl', fixtures), 'utf8').split('\n').filter((l) => l.trim() !== '');
    const counts = new Map<string, number>();
    for (const line of lines) {
      const message = parseWire(wsMessageSchema, JSON.parse(line));
      counts.set(message.type, (counts.get(message.type) ?? 0) + 1);
      if (message.type === 'orderbook_snapshot' || message.type === 'orderbook_delta' || message.type === 'fill') {
        assert.ok(portEventFromWs(message, 1), `converts ${message.type}`);
      }
    }
    assert.ok((counts.get('orderbook_delta') ?? 0) > 50);
    assert.equal(counts.get('subscribed'), 2, 'orderbook_delta and fill');
  });

  test('a captured fill becomes a domain fill with its fee rounded to $0.0001 and its post-position', () => {
    const [raw] = fixture('ws_fill.json') as unknown[];
    const event = portEventFromWs(parseWire(wsMessageSchema, raw) as WsDataMessage, 7);
    assert.ok(event?.type === 'fill');
    assert.equal(event.fill.side, 'bid');
    assert.equal(event.fill.price, 1700);
    assert.equal(event.fill.count, 552);
    assert.equal(event.fill.fee, 546);
    assert.equal(event.fill.postPosition, 552);
    assert.equal(event.fill.tsMs, 1782873388379);
  });

  test('a delta encodes to the captured wire message exactly', () => {
    const [raw] = fixture('ws_orderbook_delta.json') as Record<string, unknown>[];
    const message = parseWire(wsMessageSchema, raw);
    assert.ok(message.type === 'orderbook_delta');
    const event = portEventFromWs(message, 0);
    assert.ok(event?.type === 'book_delta');
    const encoded = encodeWsOrderbookDelta(
      { ticker: event.ticker, side: event.side, price: event.price, delta: event.delta, tsMs: event.tsMs ?? 0, marketId: message.msg.market_id ?? '' },
      { sid: message.sid, seq: message.seq ?? 0 },
    );
    const expected = raw as { msg: Record<string, unknown> };
    assert.equal((encoded.msg as Record<string, unknown>).price_dollars, expected.msg.price_dollars);
    assert.equal((encoded.msg as Record<string, unknown>).delta_fp, expected.msg.delta_fp);
    assert.equal((encoded.msg as Record<string, unknown>).ts_ms, expected.msg.ts_ms);
    assert.equal(encoded.seq, (raw as { seq: number }).seq);
  });

  test('an unknown message type is refused by the union with the type named', () => {
    assert.throws(
      () => parseWire(wsMessageSchema, { type: 'orderbook_deltaa', sid: 1, msg: {} }),
      (e: unknown) => e instanceof WireFormatError && e.path === 'type',
    );
  });

  test('a delta with a mistyped side names msg.side', () => {
    assert.throws(
      () => parseWire(wsMessageSchema, { type: 'orderbook_delta', sid: 1, seq: 3, msg: { market_ticker: 'A', price_dollars: '0.5000', delta_fp: '1.00', side: 'bid' } }),
      (e: unknown) => e instanceof WireFormatError && e.path === 'msg.side',
    );
  });

  test('a lifecycle grid change carries the new grid', () => {
    const message = parseWire(wsMessageSchema, {
      type: 'market_lifecycle_v2',
      sid: 4,
      seq: 9,
      msg: { market_ticker: 'A', event_type: 'price_level_structure_updated', price_ranges: [{ start: '0.0000', end: '1.0000', step: '0.0010' }] },
    });
    assert.ok(message.type === 'market_lifecycle_v2');
    const event = portEventFromWs(message, 0);
    assert.ok(event?.type === 'market');
    assert.equal(event.grid?.isValid(5 as Price), false);
    assert.equal(event.grid?.isValid(10 as Price), true);
  });
});

describe('fees and request bodies', () => {
  test('a series fee schedule applies unless the event overrides it (§10.1)', () => {
    const series = { ticker: 'KXHIGHNY', fee_type: 'quadratic_with_maker_fees' as const, fee_multiplier: 0.5 };
    assert.deepEqual(feeScheduleFromWire(series), { feeType: 'quadratic_with_maker_fees', multiplier: 5000 });
    const event = { event_ticker: 'E', series_ticker: 'KXHIGHNY', fee_type_override: 'quadratic', fee_multiplier_override: 1 };
    assert.deepEqual(feeScheduleFromWire(series, event), { feeType: 'quadratic', multiplier: 10_000 });
    assert.throws(() => feeScheduleFromWire({ ...series, fee_multiplier: 0.123456 }), WireFormatError);
    assert.throws(() => feeScheduleFromWire(series, { ...event, fee_type_override: 'mystery' }), (e: unknown) => e instanceof WireFormatError && e.path === 'event.fee_type_override');
  });

  test('a V2 create body has Kalshi field names, 4-decimal price, 2-decimal count and the required TIF and STP', () => {
    const body = encodeOrderRequest({ ticker: 'KX-A', side: 'ask', price: 5600 as Price, count: 1050 as Count, timeInForce: 'good_till_canceled', postOnly: true, selfTradePrevention: 'maker', clientOrderId: 'c-1', expirationTimeS: 1_800_000_000 });
    assert.deepEqual(body, {
      ticker: 'KX-A',
      side: 'ask',
      count: '10.50',
      price: '0.5600',
      time_in_force: 'good_till_canceled',
      self_trade_prevention_type: 'maker',
      client_order_id: 'c-1',
      post_only: true,
      expiration_time: 1_800_000_000,
    });
  });

  test('amend sends the total count and decrease exactly one of reduce_by / reduce_to', () => {
    assert.deepEqual(encodeAmendRequest({ orderId: 'o', ticker: 'KX-A', side: 'bid', price: 5500 as Price, count: 300 as Count }), { ticker: 'KX-A', side: 'bid', price: '0.5500', count: '3.00' });
    assert.deepEqual(encodeDecreaseRequest({ orderId: 'o', ticker: 'KX-A', reduceBy: 100 as Count }), { reduce_by: '1.00', market_ticker: 'KX-A' });
    assert.deepEqual(encodeDecreaseRequest({ orderId: 'o', ticker: 'KX-A', reduceTo: 0 as Count }), { reduce_to: '0.00', market_ticker: 'KX-A' });
  });
});
