import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatCount, formatPrice, parseCount, parsePrice, WireFormatError, type Count, type Price } from '../core/index.js';
import { fastCount, fastPrice } from './decode.js';

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
