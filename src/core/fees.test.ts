import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FeeRoundingAccumulator, tradeFee, DEFAULT_FEE_SCHEDULE, type FeeSchedule } from './fees.js';
import type { Cash, Count, Price } from './money.js';

const makerSeries: FeeSchedule = { feeType: 'quadratic_with_maker_fees', multiplier: 10_000 };

describe('fees (kalshi-api.md §10)', () => {
  test('100 contracts at $0.50 as taker pay $1.75', () => {
    assert.equal(tradeFee(DEFAULT_FEE_SCHEDULE, 'taker', 10_000 as Count, 5000 as Price), 17_500);
  });

  test('100 contracts at $0.05 as taker pay $0.3325 before cent rounding', () => {
    assert.equal(tradeFee(DEFAULT_FEE_SCHEDULE, 'taker', 10_000 as Count, 500 as Price), 3325);
  });

  test('makers pay a quarter of the taker fee on maker-fee series and nothing on plain quadratic', () => {
    assert.equal(tradeFee(makerSeries, 'maker', 10_000 as Count, 5000 as Price), 4375);
    assert.equal(tradeFee(DEFAULT_FEE_SCHEDULE, 'maker', 10_000 as Count, 5000 as Price), 0);
    assert.equal(tradeFee({ feeType: 'quadratic_with_combo_maker_fees', multiplier: 10_000 }, 'maker', 10_000 as Count, 5000 as Price), 8750);
  });

  test('the multiplier scales the fee and a fractional fee rounds up to $0.0001', () => {
    assert.equal(tradeFee({ feeType: 'quadratic', multiplier: 5000 }, 'taker', 10_000 as Count, 5000 as Price), 8750);
    assert.equal(tradeFee(DEFAULT_FEE_SCHEDULE, 'taker', 1 as Count, 5000 as Price), 2, '0.0175 × 0.01 = $0.000175 → $0.0002');
  });

  test('fees are symmetric in P and 1 − P and never exceed the unrounded value by a unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 1_000_000 }), (price, count) => {
        const a = tradeFee(DEFAULT_FEE_SCHEDULE, 'taker', count as Count, price as Price);
        const b = tradeFee(DEFAULT_FEE_SCHEDULE, 'taker', count as Count, (10_000 - price) as Price);
        assert.equal(a, b);
        const exact = (0.07 * (count / 100) * (price / 10_000) * (1 - price / 10_000)) * 10_000;
        assert.ok(a >= exact - 1e-6 && a < exact + 1 + 1e-6);
      }),
    );
  });

  test('the cent-precision accumulator rebates $0.01 once overpayment passes $0.01', () => {
    const acc = new FeeRoundingAccumulator(100);
    const first = acc.apply(-5000 as Cash, 175 as Cash);
    assert.equal(first.balanceChange, -5200, 'floored to the cent');
    assert.equal(first.fee, 200);
    let rebated = false;
    for (let i = 0; i < 5; i++) if (acc.apply(-5000 as Cash, 175 as Cash).balanceChange > -5200) rebated = true;
    assert.ok(rebated);
  });
});
