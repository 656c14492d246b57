import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WireFormatError } from './errors.js';
import { formatCash, formatCount, formatDecimal, formatPrice, parseCash, parseCount, parseDecimal, parsePrice } from './decimal.js';
import { PRICE_SCALE, type Cash, type Count, type Price } from './money.js';

describe('decimal strings', () => {
  test('prices parse exactly from 2 and 4 decimals', () => {
    assert.equal(parsePrice('0.56', 'p'), 5600);
    assert.equal(parsePrice('0.5600', 'p'), 5600);
    assert.equal(parsePrice('0.0001', 'p'), 1);
    assert.equal(parsePrice('1.0000', 'p'), 10_000);
    assert.equal(parsePrice('0.560000', 'p'), 5600, 'trailing zeros beyond 4 decimals keep the value exact');
  });

  test('counts parse signed deltas and fractional contracts', () => {
    assert.equal(parseCount('10.00', 'c'), 1000);
    assert.equal(parseCount('5.52', 'c'), 552);
    assert.equal(parseCount('-54.00', 'c', true), -5400);
    assert.equal(parseCount('7', 'c'), 700);
  });

  for (const bad of ['0.56001', '1e3', '', 'abc', ' 0.5', '0.5 ', '.5', '5.', '+0.5', '0x10', 'NaN', 'Infinity', '1.2.3', '١']) {
    test(`the price string ${JSON.stringify(bad)} is a WireFormatError naming the field`, () => {
      assert.throws(() => parsePrice(bad, 'markets[3].yes_bid_dollars'), (e: unknown) => e instanceof WireFormatError && e.path === 'markets[3].yes_bid_dollars');
    });
  }

  test('out-of-range and negative prices are refused', () => {
    assert.throws(() => parsePrice('1.0001', 'p'), WireFormatError);
    assert.throws(() => parsePrice('-0.0100', 'p'), WireFormatError);
    assert.throws(() => parseCount('-1.00', 'c'), WireFormatError, 'unsigned counts refuse a sign');
    assert.throws(() => parseCount('0.001', 'c'), WireFormatError, 'a count finer than 0.01');
    assert.throws(() => parseDecimal('12345678901234567', { field: 'x', scaleDigits: 2 }), WireFormatError);
  });

  test('non-strings are refused, never coerced', () => {
    for (const value of [0.56, null, undefined, {}, ['0.56'], true]) {
      assert.throws(() => parsePrice(value, 'p'), WireFormatError);
    }
  });

  test('a parsed value is never negative zero', () => {
    assert.ok(Object.is(parseCount('-0.00', 'c', true), 0));
  });

  test('every price round-trips through its 4-decimal string', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: PRICE_SCALE }), (p) => {
        const text = formatPrice(p as Price);
        assert.match(text, /^[01]\.\d{4}$/);
        assert.equal(parsePrice(text, 'p'), p);
      }),
    );
  });

  test('every signed count round-trips through its 2-decimal string', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (c) => {
        const text = formatCount(c as Count);
        assert.match(text, /^-?\d+\.\d{2}$/);
        assert.equal(parseCount(text, 'c', true), c);
      }),
    );
  });

  test('cash round-trips through 4 and 6 decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (cash) => {
        assert.equal(parseCash(formatCash(cash as Cash), 'x'), cash);
        assert.equal(parseCash(formatCash(cash as Cash, 6), 'x'), cash);
      }),
    );
  });

  test('any string with more significant decimals than the scale is refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 9 }), (units, extra) => {
        const text = `0.${String(units).padStart(4, '0')}${extra}`;
        assert.throws(() => parsePrice(text, 'p'), WireFormatError);
      }),
    );
  });

  test('formatting with fewer decimals than the scale refuses to drop digits', () => {
    assert.equal(formatDecimal(5600, 4, 2), '0.56');
    assert.throws(() => formatDecimal(5601, 4, 2), WireFormatError);
  });
});
