import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MemoryLogger, type PortEvent } from '../core/index.js';
import { EventPump } from './event-pump.js';
import { parseWire, wsMessageSchema } from './wire/index.js';
import type { WsEvent } from './ws/types.js';

const fixtures = new URL('../../../test/fixtures/', import.meta.url);
const session = readFileSync(new URL('ws_session_head.jsonl', fixtures), 'utf8').split('\n').filter((l) => l.trim() !== '');
const MIA = 'KXNEXTTEAMNBA-26LJAM-MIA';

function setup(subscribed: string[] = [MIA]) {
  const requested: string[][] = [];
  const pump = new EventPump({
    logger: new MemoryLogger(),
    isSubscribed: (t) => subscribed.includes(t),
    subscribedTickers: () => subscribed,
    requestSnapshots: (tickers) => requested.push([...tickers]),
  });
  const feed = (raw: unknown, recvMs = 1): PortEvent[] => pump.convert({ type: 'message', recvMs, message: parseWire(wsMessageSchema, raw) });
  return { pump, requested, feed };
}

const snapshot = JSON.parse(session.find((l) => l.includes('orderbook_snapshot') && l.includes(MIA)) ?? '{}') as Record<string, unknown>;
const delta = (price: string, count: string, side: 'yes' | 'no' = 'yes') => ({ type: 'orderbook_delta', sid: 1, seq: 9, msg: { market_ticker: MIA, price_dollars: price, delta_fp: count, side, ts_ms: 5 } });

describe('EventPump', () => {
  test('the captured session builds a valid book for every subscribed market', () => {
    const tickers = ['KXNEXTTEAMNBA-26LJAM-MIA', 'KXBTCD-26JUL0317-T60499.99', 'KXBTCD-26JUL0317-T60999.99', 'KXNEXTTEAMNBA-26LJAM-CLE'];
    const { pump } = setup(tickers);
    let deltas = 0;
    let stale = 0;
    for (const line of session) {
      for (const e of pump.convert({ type: 'message', recvMs: 1, message: parseWire(wsMessageSchema, JSON.parse(line)) })) {
        if (e.type === 'book_delta') deltas++;
        if (e.type === 'stale') stale++;
      }
    }
    assert.ok(deltas > 50);
    assert.equal(stale, 0, 'the real session never drives a level negative');
    const book = pump.books.get(MIA);
    assert.ok(book?.isValid);
    assert.ok((book.bestBid() ?? 0) < (book.bestAsk() ?? 0), 'the book is not crossed');
  });

  test('a delta that would go negative emits stale, asks for a snapshot, and drops deltas until it arrives', () => {
    const { pump, requested, feed } = setup();
    feed(snapshot);
    assert.deepEqual(feed(delta('0.1600', '-9999999.00')).map((e) => e.type), ['stale']);
    assert.deepEqual(requested, [[MIA]]);
    assert.deepEqual(feed(delta('0.1600', '1.00')), [], 'no delta on a stale book');
    assert.deepEqual(feed(snapshot).map((e) => e.type), ['book_snapshot']);
    assert.equal(pump.books.get(MIA)?.isValid, true);
    assert.deepEqual(feed(delta('0.1600', '1.00')).map((e) => e.type), ['book_delta']);
  });

  test('a seq gap marks the books of its subscription stale once', () => {
    const { feed, pump } = setup();
    feed(snapshot);
    const gap: WsEvent = { type: 'gap', recvMs: 3, sid: 1, channel: 'orderbook_delta', tickers: [MIA], reason: 'seq jumped from 3 to 5' };
    assert.deepEqual(pump.convert(gap), [{ type: 'stale', recvMs: 3, ticker: MIA, reason: 'gap: seq jumped from 3 to 5' }]);
    assert.deepEqual(pump.convert(gap), [], 'already stale');
  });

  test('a disconnect marks every book stale before the connection event', () => {
    const { feed, pump } = setup();
    feed(snapshot);
    assert.deepEqual(pump.convert({ type: 'connection', recvMs: 4, connected: false, attempt: 0 }).map((e) => e.type), ['stale', 'connection']);
    assert.equal(pump.books.get(MIA)?.isValid, false);
  });

  test('a delta with a bad price string makes the market stale instead of throwing', () => {
    const { feed, requested } = setup();
    feed(snapshot);
    assert.deepEqual(feed(delta('0.16001', '1.00')).map((e) => e.type), ['stale']);
    assert.deepEqual(requested, [[MIA]]);
  });

  test('market data of markets not subscribed is not forwarded', () => {
    const { feed } = setup(['OTHER']);
    assert.deepEqual(feed(snapshot), []);
  });
});
