import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WireFormatError } from './errors.js';
import { TickGrid } from './tick-grid.js';
import type { Price } from './money.js';

const p = (v: number): Price => v as Price;
/** tapered_deci_cent (kalshi-api.md §3.2): 0.001 below 0.10 and above 0.90, 0.01 between. */
const tapered = new TickGrid([
  { start: p(0), end: p(1000), step: 10 },
  { start: p(1000), end: p(9000), step: 100 },
  { start: p(9000), end: p(10_000), step: 10 },
]);
/** center_deci_edge_centi_cent: 0.0001 below 0.01 and above 0.99, 0.001 between. */
const centi = new TickGrid([
  { start: p(0), end: p(100), step: 1 },
  { start: p(100), end: p(9900), step: 10 },
  { start: p(9900), end: p(10_000), step: 1 },
]);
const grids = [TickGrid.linearCent(), tapered, centi];

describe('tick grid', () => {
  test('band endpoints $0 and $1 are not order prices', () => {
    const cent = TickGrid.linearCent();
    assert.equal(cent.isValid(0), false);
    assert.equal(cent.isValid(10_000), false);
    assert.equal(cent.minPrice, 100);
    assert.equal(cent.maxPrice, 9900);
  });

  test('validity follows each band’s step', () => {
    assert.equal(tapered.isValid(50), true);
    assert.equal(tapered.isValid(1050), false);
    assert.equal(tapered.isValid(1100), true);
    assert.equal(tapered.isValid(9010), true);
  });

  test('next up and down cross band boundaries with the right step', () => {
    assert.equal(tapered.nextUp(990), 1000);
    assert.equal(tapered.nextUp(1000), 1100);
    assert.equal(tapered.nextDown(1000), 990);
    assert.equal(tapered.nextDown(9000), 8900);
    assert.equal(tapered.nextUp(9000), 9010);
    assert.equal(tapered.nextUp(tapered.maxPrice), undefined);
    assert.equal(tapered.nextDown(tapered.minPrice), undefined);
  });

  test('rounding goes toward the passive side: bids down, asks up', () => {
    assert.equal(tapered.roundPassive(1234.7, 'bid'), 1200);
    assert.equal(tapered.roundPassive(1234.7, 'ask'), 1300);
    assert.equal(tapered.roundPassive(55.5, 'bid'), 50);
    assert.equal(tapered.roundPassive(55.5, 'ask'), 60);
    assert.equal(TickGrid.linearCent().roundPassive(50, 'bid'), undefined, 'no valid bid at or below $0.005');
  });

  test('bands that are not contiguous or whose step does not divide them are refused', () => {
    assert.throws(() => new TickGrid([{ start: p(0), end: p(5000), step: 100 }, { start: p(6000), end: p(10_000), step: 100 }]), WireFormatError);
    assert.throws(() => new TickGrid([{ start: p(0), end: p(10_000), step: 300 }]), WireFormatError);
    assert.throws(() => new TickGrid([]), WireFormatError);
  });

  test('passive rounding lands on the grid, on the passive side, and no valid price lies between', () => {
    fc.assert(
      fc.property(fc.constantFrom(...grids), fc.double({ min: 0, max: 10_000, noNaN: true }), (grid, model) => {
        const bid = grid.roundPassive(model, 'bid');
        const ask = grid.roundPassive(model, 'ask');
        if (bid !== undefined) {
          assert.ok(grid.isValid(bid) && bid <= model);
          const up = grid.nextUp(bid);
          assert.ok(up === undefined || up > model);
        }
        if (ask !== undefined) {
          assert.ok(grid.isValid(ask) && ask >= model);
          const down = grid.nextDown(ask);
          assert.ok(down === undefined || down < model);
        }
      }),
    );
  });

  test('nextUp and nextDown are inverse on valid prices', () => {
    fc.assert(
      fc.property(fc.constantFrom(...grids), fc.integer({ min: 0, max: 10_000 }), (grid, raw) => {
        const price = grid.floor(raw);
        if (price === undefined) return;
        const up = grid.nextUp(price);
        if (up !== undefined) assert.equal(grid.nextDown(up), price);
        const down = grid.nextDown(price);
        if (down !== undefined) assert.equal(grid.nextUp(down), price);
      }),
    );
  });
});
