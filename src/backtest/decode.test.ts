import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatCount, formatPrice, parseCount, parsePrice, RecordingFormatError, WireFormatError, type Count, type Price } from '../core/index.js';
import { fastCount, fastPrice, LineDecoder } from './decode.js';
import type { RecordingLine } from '../record/index.js';

test('the fast price parser agrees with core/decimal on every canonical price and rejects what it rejects', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 10_000 }), (units) => fastPrice(formatPrice(units as Price), 'p') === units));
  for (const bad of ['1.0001', '2.0000', '0.5x00', '-0.100', '', '0.56', '0.56000', 'abc', ' 0.5600']) {
    let expected: unknown;
    try {
      expected = parsePrice(bad, 'p');
    } catch (error) {
      expected = error instanceof WireFormatError ? 'error' : error;
    }
    let actual: unknown;
    try {
      actual = fastPrice(bad, 'p');
    } catch (error) {
      actual = error instanceof WireFormatError ? 'error' : error;
    }
    assert.deepEqual(actual, expected, bad);
  }
});

test('the fast count parser agrees with core/decimal, signed and unsigned', () => {
  fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (units) => fastCount(formatCount(units as Count), 'c', true) === units));
  fc.assert(fc.property(fc.integer({ min: 0, max: 1e12 }), (units) => fastCount(formatCount(units as Count), 'c', false) === units));
  assert.throws(() => fastCount('-1.00', 'c', false), WireFormatError);
  assert.equal(fastCount('-0.00', 'c', true), 0);
  assert.equal(fastCount('10', 'c', false), parseCount('10', 'c'));
  assert.throws(() => fastCount('1.0x', 'c', false), WireFormatError);
});

const line = (type: string, msg: unknown, n = 2): RecordingLine => ({ recvMs: 5_000, type, sid: undefined, seq: undefined, msg, line: n });

test('a gap line makes its market stale, or every market without a ticker', () => {
  const d = new LineDecoder('x.jsonl');
  assert.deepEqual(d.decode(line('gap', { market_ticker: 'M', reason: 'seq' })), { type: 'stale', recvMs: 5_000, ticker: 'M', reason: 'seq' });
  assert.deepEqual(d.decode(line('gap', {})), { type: 'stale', recvMs: 5_000, reason: 'gap' });
});

test("a trade's taker side comes from taker_book_side, else from taker_outcome_side (a NO taker sells YES)", () => {
  const d = new LineDecoder('x.jsonl');
  const side = (msg: Record<string, unknown>): unknown => {
    const e = d.decode(line('trade', { market_ticker: 'M', yes_price_dollars: '0.4500', count_fp: '3.00', ...msg }));
    return e?.type === 'trade' ? e.trade.takerSide : e;
  };
  assert.equal(side({ taker_book_side: 'ask', taker_outcome_side: 'no' }), 'ask');
  assert.equal(side({ taker_book_side: 'bid' }), 'bid');
  assert.equal(side({ taker_outcome_side: 'no' }), 'ask');
  assert.equal(side({ taker_outcome_side: 'yes' }), 'bid');
  assert.equal(side({ taker_side: 'no' }), 'ask', 'the deprecated field as the last resort');
  assert.throws(() => side({}), (e: unknown) => e instanceof RecordingFormatError && /x.jsonl:2: trade: msg.taker_book_side/.test(e.message));
});

test('a book delta on the NO leg keeps its NO price and signed size', () => {
  const d = new LineDecoder('x.jsonl');
  const e = d.decode(line('orderbook_delta', { market_ticker: 'M', side: 'no', price_dollars: '0.5500', delta_fp: '-2.50' }));
  assert.deepEqual(e, { type: 'book_delta', recvMs: 5_000, ticker: 'M', side: 'no', price: 5_500, delta: -250 });
});
