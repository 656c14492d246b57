import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FEE_MULTIPLIER_SCALE, TickGrid, type Count, type FeeType, type Price } from '../core/index.js';
import type { MarketSnapshot } from '../marketdata/index.js';
import { computeQuotes } from './quote.js';
import { DEFAULT_STRATEGY_PARAMS, type StrategyParams } from './types.js';

const GRIDS = [
  TickGrid.linearCent(),
  new TickGrid([{ start: 0 as Price, end: 10_000 as Price, step: 10 }]),
  new TickGrid([
    { start: 0 as Price, end: 1_000 as Price, step: 10 },
    { start: 1_000 as Price, end: 9_000 as Price, step: 100 },
    { start: 9_000 as Price, end: 10_000 as Price, step: 10 },
  ]),
];
const FEE_TYPES: FeeType[] = ['quadratic', 'quadratic_with_maker_fees', 'quadratic_with_combo_maker_fees'];

const scenario = fc.record({
  gridIndex: fc.integer({ min: 0, max: GRIDS.length - 1 }),
  bidFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  widthFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  position: fc.integer({ min: -50_000, max: 50_000 }),
  mode: fc.constantFrom('textbook', 'binary', 'glft') as fc.Arbitrary<StrategyParams['mode']>,
  gamma: fc.double({ min: 0.01, max: 2, noNaN: true }),
  kappa: fc.double({ min: 0.1, max: 10, noNaN: true }),
  sigmaX: fc.double({ min: 0, max: 0.2, noNaN: true }),
  tradeStdDev: fc.option(fc.double({ min: 0, max: 20, noNaN: true }), { nil: undefined }),
  feeType: fc.constantFrom(...FEE_TYPES),
  minEdgeCents: fc.double({ min: 0, max: 3, noNaN: true }),
  feeAware: fc.boolean(),
  minPriceCents: fc.double({ min: 0.1, max: 20, noNaN: true }),
  maxPriceCents: fc.double({ min: 80, max: 99.9, noNaN: true }),
  closeInSec: fc.integer({ min: 1, max: 30 * 86_400 }),
  useMicroPrice: fc.boolean(),
  bidSize: fc.integer({ min: 0, max: 100_000 }),
  askSize: fc.integer({ min: 0, max: 100_000 }),
});

test('quotes are always on the grid, in range, bid < ask, post-only never crosses, and keep their edge', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const grid = GRIDS[s.gridIndex] as TickGrid;
      // A valid two-sided book: best bid < best ask, both on the grid.
      const bid = grid.floor(grid.minPrice + s.bidFraction * (grid.maxPrice - grid.minPrice - 10)) ?? grid.minPrice;
      const ask = grid.ceil(bid + 1 + s.widthFraction * (grid.maxPrice - bid - 1)) ?? grid.maxPrice;
      fc.pre(bid < ask);
      const bidSize = s.bidSize as Count;
      const askSize = s.askSize as Count;
      const total = s.bidSize + s.askSize;
      const snapshot: MarketSnapshot = {
        ticker: 'T',
        nowMs: 0,
        grid,
        fees: { feeType: s.feeType, multiplier: FEE_MULTIPLIER_SCALE },
        hasMetadata: true,
        closeTimeMs: s.closeInSec * 1000,
        status: 'active',
        bestBid: bid,
        bestAsk: ask,
        bestBidSize: bidSize,
        bestAskSize: askSize,
        mid: (bid + ask) / 2,
        spread: ask - bid,
        microPrice: total === 0 ? (bid + ask) / 2 : (bid * s.askSize + ask * s.bidSize) / total,
        ...(s.tradeStdDev === undefined ? {} : { tradeStdDevCents: s.tradeStdDev }),
        tradesInVolWindow: 0,
        sigmaLogOddsPerSqrtSec: s.sigmaX,
        kappaPerCent: s.kappa,
        arrivalPerSec: 0.01,
        effectiveTrades: 0,
        volume24h: 0 as Count,
        volume1h: 0 as Count,
        buyVolume1h: 0 as Count,
        sellVolume1h: 0 as Count,
        stale: false,
      };
      const params: StrategyParams = {
        ...DEFAULT_STRATEGY_PARAMS,
        mode: s.mode,
        gamma: s.gamma,
        kappa: s.kappa,
        minEdgeCents: s.minEdgeCents,
        feeAware: s.feeAware,
        minPriceCents: s.minPriceCents,
        maxPriceCents: s.maxPriceCents,
        useMicroPrice: s.useMicroPrice,
        stopBeforeCloseMs: 0,
      };
      const { quotes, diagnostics } = computeQuotes({ snapshot, position: s.position as Count }, params);
      const low = Math.max(grid.minPrice, Math.ceil(s.minPriceCents * 100));
      const high = Math.min(grid.maxPrice, Math.floor(s.maxPriceCents * 100));
      const fair = diagnostics.fairCents ?? 0;
      if (quotes.bid) {
        assert.ok(grid.isValid(quotes.bid.price), `bid ${quotes.bid.price} off grid`);
        assert.ok(quotes.bid.price >= low && quotes.bid.price <= high, `bid ${quotes.bid.price} outside [${low}, ${high}]`);
        assert.ok(quotes.bid.price < ask, 'post-only bid crosses the best ask');
        assert.ok(quotes.bid.price / 100 <= fair - (diagnostics.bidEdgeCents ?? 0) + 1e-9, 'bid inside the required edge');
      }
      if (quotes.ask) {
        assert.ok(grid.isValid(quotes.ask.price), `ask ${quotes.ask.price} off grid`);
        assert.ok(quotes.ask.price >= low && quotes.ask.price <= high, `ask ${quotes.ask.price} outside [${low}, ${high}]`);
        assert.ok(quotes.ask.price > bid, 'post-only ask crosses the best bid');
        assert.ok(quotes.ask.price / 100 >= fair + (diagnostics.askEdgeCents ?? 0) - 1e-9, 'ask inside the required edge');
      }
      if (quotes.bid && quotes.ask) assert.ok(quotes.bid.price < quotes.ask.price, 'bid ≥ ask');
      if (!quotes.bid) assert.ok(diagnostics.bidWithheld !== undefined, 'a missing bid has a reason');
      if (!quotes.ask) assert.ok(diagnostics.askWithheld !== undefined, 'a missing ask has a reason');
    }),
    { numRuns: 3_000, seed: 20_260_705 },
  );
});
