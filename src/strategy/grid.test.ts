import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_FEE_SCHEDULE, FEE_MULTIPLIER_SCALE, TickGrid, type FeeSchedule, type Price } from '../core/index.js';
import { placeOnGrid, requiredEdgeCents } from './grid.js';

const base = {
  grid: TickGrid.linearCent(),
  fees: DEFAULT_FEE_SCHEDULE,
  fairCents: 50,
  inventory: 0,
  minEdgeCents: 0,
  feeAware: false,
  postOnly: true,
  minPriceCents: 1,
  maxPriceCents: 99,
};
const makerSeries: FeeSchedule = { feeType: 'quadratic_with_maker_fees', multiplier: FEE_MULTIPLIER_SCALE };

describe('requiredEdgeCents', () => {
  test('is the minimum edge alone when not fee-aware', () => {
    assert.equal(requiredEdgeCents(makerSeries, 50, true, 0.3, false), 0.3);
  });
  test('adds the 1.75¢ taker fee at 50¢ for the side that adds inventory', () => {
    assert.ok(Math.abs(requiredEdgeCents(DEFAULT_FEE_SCHEDULE, 50, true, 0.25, true) - 2) < 1e-12);
    assert.equal(requiredEdgeCents(DEFAULT_FEE_SCHEDULE, 50, false, 0.25, true), 0.25);
  });
  test('counts only the configured share of the taker unwind fee (0 = unwind passively)', () => {
    assert.ok(Math.abs(requiredEdgeCents(DEFAULT_FEE_SCHEDULE, 50, true, 0.25, true, 0.5) - 1.125) < 1e-12);
    assert.equal(requiredEdgeCents(DEFAULT_FEE_SCHEDULE, 50, true, 0.25, true, 0), 0.25);
  });
  test('adds the 0.4375¢ maker fee on series that charge makers, on both sides', () => {
    assert.ok(Math.abs(requiredEdgeCents(makerSeries, 50, false, 0, true) - 0.4375) < 1e-12);
    assert.ok(Math.abs(requiredEdgeCents(makerSeries, 50, true, 0, true) - (0.4375 + 1.75)) < 1e-12);
  });
});

describe('placeOnGrid', () => {
  test('rounds a bid down and an ask up (toward the passive side)', () => {
    const g = placeOnGrid({ ...base, bidCents: 48.9, askCents: 51.1 });
    assert.equal(g.bid, 4800);
    assert.equal(g.ask, 5200);
  });

  test('never crosses the opposite best when post-only', () => {
    const g = placeOnGrid({ ...base, bidCents: 53, askCents: 56, fairCents: 50, bestBid: 4900 as Price, bestAsk: 5100 as Price, minEdgeCents: -10 });
    assert.equal(g.bid, 5000); // 53¢ would take the 51¢ ask: kept one tick below it
    const a = placeOnGrid({ ...base, bidCents: 40, askCents: 47, fairCents: 50, bestBid: 4900 as Price, bestAsk: 5100 as Price, minEdgeCents: -10 });
    assert.equal(a.ask, 5000);
  });

  test('withholds both sides when the bid would meet the ask after rounding', () => {
    const g = placeOnGrid({ ...base, bidCents: 53, askCents: 47, fairCents: 50, bestBid: 4900 as Price, bestAsk: 5100 as Price, minEdgeCents: -10 });
    assert.equal(g.bid, undefined);
    assert.equal(g.ask, undefined);
    assert.equal(g.bidWithheld, 'crossed_after_rounding');
    assert.equal(g.askWithheld, 'crossed_after_rounding');
  });

  test('may cross the book when post-only is off (the caller asked for it)', () => {
    const g = placeOnGrid({ ...base, postOnly: false, bidCents: 53, fairCents: 60, bestAsk: 5100 as Price });
    assert.equal(g.bid, 5300);
  });

  test('keeps a bid strictly below the best ask on a fine grid', () => {
    const fine = new TickGrid([{ start: 0 as Price, end: 10_000 as Price, step: 10 }]);
    const g = placeOnGrid({ ...base, grid: fine, bidCents: 60, bestAsk: 5150 as Price, fairCents: 60, minEdgeCents: -20 });
    assert.equal(g.bid, 5140);
  });

  test('keeps the minimum edge from the fair price', () => {
    const g = placeOnGrid({ ...base, bidCents: 49.9, askCents: 50.1, minEdgeCents: 1.5 });
    assert.equal(g.bid, 4800); // ≤ 48.5 → 48
    assert.equal(g.ask, 5200); // ≥ 51.5 → 52
    assert.equal(g.bidEdgeCents, 1.5);
  });

  test('withholds a bid below the minimum price and moves an ask below it up to the floor', () => {
    const g = placeOnGrid({ ...base, fairCents: 1.5, bidCents: 0.4, askCents: 0.9, minPriceCents: 1, postOnly: false });
    assert.equal(g.bid, undefined);
    assert.equal(g.bidWithheld, 'below_min_price');
    assert.equal(g.ask, 200); // max(0.9, fair 1.5) → 2¢ on the cent grid
  });

  test('withholds an ask above the maximum price and moves a bid above it down to the ceiling', () => {
    const g = placeOnGrid({ ...base, fairCents: 99.5, bidCents: 99.6, askCents: 99.9, maxPriceCents: 99, postOnly: false, minEdgeCents: -1 });
    assert.equal(g.bid, 9900);
    assert.equal(g.ask, undefined);
    assert.equal(g.askWithheld, 'above_max_price');
  });

  test('lands on the right band of a non-uniform grid', () => {
    const grid = new TickGrid([
      { start: 0 as Price, end: 1_000 as Price, step: 10 },
      { start: 1_000 as Price, end: 9_000 as Price, step: 100 },
      { start: 9_000 as Price, end: 10_000 as Price, step: 10 },
    ]);
    const low = placeOnGrid({ ...base, grid, fairCents: 5, bidCents: 4.567, askCents: 5.432, minPriceCents: 0.1, maxPriceCents: 99.9 });
    assert.equal(low.bid, 450);
    assert.equal(low.ask, 550);
    const mid = placeOnGrid({ ...base, grid, fairCents: 50, bidCents: 49.5, askCents: 50.5 });
    assert.equal(mid.bid, 4900);
    assert.equal(mid.ask, 5100);
  });
});
