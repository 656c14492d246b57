import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BookSide, Count, DesiredQuotes, Price } from '../core/index.js';
import { planActions } from './plan.js';
import type { InFlight, LiveOrder, PlanParams } from './types.js';

const T = 'M';
const side = fc.constantFrom<BookSide>('bid', 'ask');
const inFlight = fc.option(fc.constantFrom<InFlight>('create', 'amend', 'decrease', 'cancel'), { freq: 3, nil: undefined });
const liveOrder = fc.record({
  side,
  price: fc.integer({ min: 1, max: 99 }),
  remaining: fc.integer({ min: 1, max: 20 }),
  filled: fc.integer({ min: 0, max: 10 }),
  inFlight,
  known: fc.boolean(),
});
const quote = fc.option(fc.record({ price: fc.integer({ min: 1, max: 99 }), count: fc.integer({ min: 0, max: 20 }) }), { nil: undefined });
const params = fc.record({ threshold: fc.integer({ min: 0, max: 3 }), tolerance: fc.integer({ min: 0, max: 5 }), amend: fc.boolean() });

test('planActions: one action per order at most, none on busy sides, and the plan reaches the desired quotes', () => {
  fc.assert(
    fc.property(fc.array(liveOrder, { maxLength: 5 }), quote, quote, params, (specs, bidQ, askQ, p) => {
      const live: LiveOrder[] = specs.map((s, i) => ({
        clientOrderId: `c${i}`,
        ...(s.known || s.inFlight === 'cancel' ? { orderId: `o${i}` } : {}),
        ticker: T,
        side: s.side,
        price: (s.price * 100) as Price,
        remaining: (s.remaining * 100) as Count,
        filled: (s.filled * 100) as Count,
        ...(s.inFlight !== undefined ? { inFlight: s.inFlight } : {}),
      }));
      const desired: DesiredQuotes = {
        ticker: T,
        ...(bidQ ? { bid: { side: 'bid' as const, price: (bidQ.price * 100) as Price, count: (bidQ.count * 100) as Count } } : {}),
        ...(askQ ? { ask: { side: 'ask' as const, price: (askQ.price * 100) as Price, count: (askQ.count * 100) as Count } } : {}),
      };
      const plan: PlanParams = { requoteThresholdPrice: p.threshold * 100, sizeTolerance: (p.tolerance * 100) as Count, amend: p.amend };
      const actions = planActions(live, desired, plan);

      const touched = actions.flatMap((a) => (a.kind === 'create' ? [] : [a.clientOrderId]));
      assert.equal(new Set(touched).size, touched.length, 'two actions on one order');
      for (const id of touched) assert.equal(live.find((o) => o.clientOrderId === id)?.inFlight, undefined, 'an action on a busy order');

      for (const s of ['bid', 'ask'] as const) {
        const mine = live.filter((o) => o.side === s && o.inFlight !== 'cancel');
        const busy = mine.some((o) => o.inFlight !== undefined || o.orderId === undefined);
        const onSide = actions.filter((a) => a.side === s);
        if (busy) {
          assert.deepEqual(onSide, [], `no action on a busy ${s} side`);
          continue;
        }
        // Apply the plan to this side.
        let after = mine.map((o) => ({ ...o }));
        for (const a of onSide) {
          if (a.kind === 'cancel') after = after.filter((o) => o.clientOrderId !== a.clientOrderId);
          else if (a.kind === 'create') after.push({ clientOrderId: 'new', orderId: 'new', ticker: T, side: s, price: a.price, remaining: a.count, filled: 0 as Count });
          else if (a.kind === 'amend') after = after.map((o) => (o.clientOrderId === a.clientOrderId ? { ...o, price: a.price, remaining: (a.count - o.filled) as Count } : o));
          else after = after.map((o) => (o.clientOrderId === a.clientOrderId ? { ...o, remaining: a.reduceTo } : o));
        }
        const want = s === 'bid' ? desired.bid : desired.ask;
        if (!want || want.count === 0) {
          assert.deepEqual(after, [], `an unwanted ${s} survived`);
          continue;
        }
        if (!p.amend && after.length === 0) continue; // size increase without amend: cancel now, create next cycle
        assert.equal(after.length, 1, `exactly one ${s} order after the plan`);
        const o = after[0];
        assert.ok(o);
        assert.ok(Math.abs(o.price - want.price) <= plan.requoteThresholdPrice, 'price within the threshold');
        assert.ok(o.remaining <= want.count, 'never more than desired (risk may have cut it)');
        assert.ok(o.remaining >= want.count - plan.sizeTolerance, 'not short by more than the tolerance');
      }
    }),
    { numRuns: 2_000 },
  );
});
