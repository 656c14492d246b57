import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WireFormatError } from './errors.js';
import { cashFromMicros, cents, complement, contracts, costOf, notionalMicros, toCount, toPrice, type Count, type Price } from './money.js';

describe('money', () => {
  test('checked constructors refuse fractions, NaN and out-of-range values', () => {
    for (const bad of [-1, 10_001, 0.5, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => toPrice(bad), WireFormatError);
    assert.throws(() => toCount(-1), WireFormatError);
    assert.equal(toCount(-1, 'delta', true), -1);
    assert.equal(cents(56), 5600);
    assert.equal(contracts(3), 300);
  });

  test('the complement of a YES price is the NO price', () => {
    assert.equal(complement(5600 as Price), 4400);
  });

  test('price × count is exact in micros and costs round up to $0.0001', () => {
    assert.equal(notionalMicros(5600 as Price, 1000 as Count), 5_600_000);
    assert.equal(costOf(5600 as Price, 1000 as Count), 56_000, '10 contracts at $0.56 = $5.60');
    assert.equal(costOf(1 as Price, 1 as Count), 1, '$0.000001 rounds up to $0.0001');
  });

  test('cashFromMicros rounds as stated: floor, ceil and half-even', () => {
    assert.equal(cashFromMicros(150, 'floor'), 1);
    assert.equal(cashFromMicros(150, 'ceil'), 2);
    assert.equal(cashFromMicros(150, 'half-even'), 2);
    assert.equal(cashFromMicros(250, 'half-even'), 2);
    assert.equal(cashFromMicros(-150, 'floor'), -2);
    assert.equal(cashFromMicros(-150, 'ceil'), -1);
  });

  test('floor ≤ half-even ≤ ceil, and they differ by at most one unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (micros) => {
        const f = cashFromMicros(micros, 'floor');
        const h = cashFromMicros(micros, 'half-even');
        const c = cashFromMicros(micros, 'ceil');
        assert.ok(f <= h && h <= c && c - f <= 1);
        assert.ok(f * 100 <= micros && micros <= c * 100);
      }),
    );
  });
});
