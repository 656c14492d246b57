import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ORDER_ROUNDING_RESERVE, orderFeeReserve, sideCollateral } from './collateral.js';
import { DEFAULT_FEE_SCHEDULE, type FeeSchedule } from './fees.js';
import type { Count, Price } from './money.js';

const MAKER_FEES: FeeSchedule = { feeType: 'quadratic_with_maker_fees', multiplier: 10_000 };

describe('sideCollateral', () => {
  test('locks the leg cost rounded up to $0.0001', () => {
    // 3 contracts at 33.33¢: 99.99¢ exactly; 1.5 contracts at 33.33¢: 49.995¢ → 50.00¢ ($0.0001 up).
    assert.equal(sideCollateral(3_333 * 300, 300, 0), 9_999);
    assert.equal(sideCollateral(3_333 * 150, 150, 0), 5_000);
  });

  test('nets $1 per contract that closes the opposite position, never below 0', () => {
    assert.equal(sideCollateral(5_500 * 800, 800, 500), 0); // 8 × 55¢ − 5 × $1 < 0
    assert.equal(sideCollateral(6_000 * 200, 200, 100), 2_000); // 2 × 60¢ − $1
    assert.equal(sideCollateral(6_000 * 200, 200, -100), 12_000); // no opposite position to close
  });
});

describe('orderFeeReserve', () => {
  test('reserves the maker fee on the whole count plus $0.01 on a cent-precision account', () => {
    // 0.0175 × 10 × 0.5 × 0.5 = $0.04375 → $0.0438.
    assert.equal(orderFeeReserve(MAKER_FEES, 100, 5_000 as Price, 1_000 as Count), 438 + ORDER_ROUNDING_RESERVE);
    assert.equal(orderFeeReserve(MAKER_FEES, 1, 5_000 as Price, 1_000 as Count), 438);
    assert.equal(orderFeeReserve(DEFAULT_FEE_SCHEDULE, 100, 5_000 as Price, 1_000 as Count), ORDER_ROUNDING_RESERVE);
    // Taker: 0.07 × 10 × 0.25 = $0.175.
    assert.equal(orderFeeReserve(DEFAULT_FEE_SCHEDULE, 100, 5_000 as Price, 1_000 as Count, 'taker'), 1_750 + ORDER_ROUNDING_RESERVE);
  });
});
