import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cents, contracts, toCash } from '../core/index.js';
import { MarketMetrics } from './metrics.js';

const T0 = 1_000_000;
const SOLD_10_AT_9 = { side: 'ask' as const, price: cents(9), count: contracts(10), fee: toCash(0), isTaker: true };

/** A metrics object that sold 10 at 9¢ at T0 into a 9¢ × 11¢ book (mid 10¢; cash +$0.90, no fee). */
function shortTen(options: { maxMarketSpreadCents?: number } = {}): MarketMetrics {
  const m = new MarketMetrics(options);
  m.advance(T0);
  m.onBook(T0, cents(9), cents(11));
  m.onFill(T0, SOLD_10_AT_9, toCash(9_000));
  return m;
}

test('a one-sided or too-wide book holds the equity at the last markable mid', () => {
  const m = shortTen();
  m.advance(T0 + 1_000);
  m.onBook(T0 + 1_000, cents(9), undefined);
  m.advance(T0 + 2_000);
  m.onBook(T0 + 2_000, cents(1), cents(99));
  assert.equal(m.maxDrawdown, 1_000, 'only the spread crossed at 10¢: $0.10');
  assert.equal(m.lastMark, cents(10));
  assert.equal(m.mark, undefined);
  assert.equal(m.mid, cents(50), 'the recorded mid itself is kept (the chart draws it)');
  m.advance(T0 + 3_000);
  m.onBook(T0 + 3_000, cents(12), cents(14));
  assert.equal(m.maxDrawdown, 4_000, 'at 13¢ the short is $0.40 down');
});

test('the series draws the recorded mid but equity at the last markable mid', () => {
  const m = new MarketMetrics({ series: true, sampleEveryMs: 1 });
  m.advance(T0);
  m.onBook(T0, cents(9), cents(11));
  m.onFill(T0, SOLD_10_AT_9, toCash(9_000));
  m.advance(T0 + 1_000);
  m.onBook(T0 + 1_000, cents(1), cents(99));
  const last = m.series[m.series.length - 1];
  assert.deepEqual([last?.tMs, last?.mid, last?.equity], [T0 + 1_000, cents(50), -1_000]);
});

test('a spread exactly maxMarketSpreadCents wide marks; one tick wider does not', () => {
  const m = shortTen({ maxMarketSpreadCents: 20 });
  m.advance(T0 + 1_000);
  m.onBook(T0 + 1_000, cents(10), cents(30));
  assert.equal(m.lastMark, cents(20));
  m.advance(T0 + 2_000);
  m.onBook(T0 + 2_000, cents(10), cents(31));
  assert.equal(m.lastMark, cents(20));
  assert.equal(m.mark, undefined);
});

test('a markout due while the book is hollow takes the first markable mid after its horizon', () => {
  const m = shortTen();
  m.advance(T0 + 500);
  m.onBook(T0 + 500, cents(1), cents(99));
  // The 1 s horizon passes while hollow; a one-sided step and a 40¢-wide step do not resolve it either.
  m.advance(T0 + 2_000);
  m.onBook(T0 + 2_000, cents(9), undefined);
  m.advance(T0 + 3_000);
  m.onBook(T0 + 3_000, cents(10), cents(50));
  assert.equal(m.markouts()[0], null);
  m.advance(T0 + 4_000);
  m.onBook(T0 + 4_000, cents(12), cents(14));
  assert.equal(m.markouts()[0], -cents(4), 'sold at 9¢, first markable mid 13¢');
  // The 10 s horizon falls in a markable book: its mid then, as before.
  m.advance(T0 + 20_000);
  assert.equal(m.markouts()[1], -cents(4));
});

test('a markout whose horizon is followed by no markable mid stays unresolved, not marked at the hollow mid', () => {
  const m = shortTen();
  m.advance(T0 + 500);
  m.onBook(T0 + 500, cents(1), cents(99));
  m.advance(T0 + 120_000);
  assert.deepEqual(m.markouts(), [null, null, null]);
});
