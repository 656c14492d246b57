import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_FEE_SCHEDULE, TickGrid, type Count, type Price } from '../core/index.js';
import type { MarketSnapshot } from '../marketdata/index.js';
import { sigmaCentsPerSqrtSec } from './inputs.js';
import { computeQuotes } from './quote.js';
import { DEFAULT_STRATEGY_PARAMS, type StrategyParams } from './types.js';

const NOW = 1_000_000;
type Overrides = { [K in keyof MarketSnapshot]?: MarketSnapshot[K] | undefined };
const snapshot = (over: Overrides = {}): MarketSnapshot => ({
  ticker: 'T',
  nowMs: NOW,
  grid: TickGrid.linearCent(),
  fees: DEFAULT_FEE_SCHEDULE,
  hasMetadata: true,
  closeTimeMs: NOW + 86_400_000,
  status: 'active',
  bestBid: 4500 as Price,
  bestAsk: 5500 as Price,
  bestBidSize: 1000 as Count,
  bestAskSize: 1000 as Count,
  mid: 5000,
  spread: 1000,
  microPrice: 5000,
  tradesInVolWindow: 0,
  sigmaLogOddsPerSqrtSec: 0.004,
  kappaPerCent: 0.8,
  arrivalPerSec: 0.02,
  effectiveTrades: 3,
  volume24h: 0 as Count,
  volume1h: 0 as Count,
  buyVolume1h: 0 as Count,
  sellVolume1h: 0 as Count,
  stale: false,
  ...over,
}) as MarketSnapshot;
// Fee-blind, edge-free parameters show the model's own prices on the grid.
const raw: StrategyParams = { ...DEFAULT_STRATEGY_PARAMS, feeAware: false, minEdgeCents: 0 };

describe('computeQuotes gating', () => {
  const cases: [string, Overrides, string][] = [
    ['a stale market', { stale: true, staleReason: 'seq gap' }, 'stale_market'],
    ['a market that is not active', { status: 'closed' }, 'market_not_active'],
    ['a one-sided book', { mid: undefined, bestAsk: undefined }, 'no_two_sided_book'],
    ['a market within stopBeforeClose of its close', { closeTimeMs: NOW + 299_000 }, 'near_close'],
    ['a binary-mode market without a close time', { closeTimeMs: undefined }, 'no_close_time'],
    // Only the 1¢ / 99¢ backstops left: the mid (50¢) says nothing about the price.
    ['a hollow book (1¢ × 99¢)', { bestBid: 100 as Price, bestAsk: 9_900 as Price, mid: 5_000, spread: 9_800, microPrice: 5_000 }, 'wide_market'],
    ['a book 1¢ wider than maxMarketSpreadCents', { bestBid: 3_400 as Price, bestAsk: 6_500 as Price, mid: 4_950, spread: 3_100, microPrice: 4_950 }, 'wide_market'],
  ];
  for (const [name, over, reason] of cases) {
    test(`quotes nothing for ${name} and says why`, () => {
      const d = computeQuotes({ snapshot: snapshot(over), position: 0 as Count }, raw);
      assert.equal(d.quotes.bid, undefined);
      assert.equal(d.quotes.ask, undefined);
      assert.equal(d.diagnostics.bidWithheld, reason);
      assert.equal(d.diagnostics.askWithheld, reason);
    });
  }
});

test('a book exactly maxMarketSpreadCents wide is quoted, and the limit is the parameter', () => {
  const at = { bestBid: 3_500 as Price, bestAsk: 6_500 as Price, mid: 5_000, spread: 3_000, microPrice: 5_000 };
  const d = computeQuotes({ snapshot: snapshot(at), position: 0 as Count }, raw);
  assert.equal(raw.maxMarketSpreadCents, 30);
  assert.ok(d.quotes.bid && d.quotes.ask, `both sides quoted at a 30¢ spread (${d.diagnostics.bidWithheld ?? ''})`);
  const narrower = computeQuotes({ snapshot: snapshot(at), position: 0 as Count }, { ...raw, maxMarketSpreadCents: 29 });
  assert.equal(narrower.quotes.bid, undefined);
  assert.equal(narrower.quotes.ask, undefined);
  assert.equal(narrower.diagnostics.bidWithheld, 'wide_market');
});

describe('computeQuotes', () => {
  test('textbook mode puts the exact A-S prices on the grid (σ from the 60 s trade std dev)', () => {
    const params: StrategyParams = { ...raw, mode: 'textbook', gamma: 0.1, kappa: 1.5, textbookHorizonSec: 60, tradeSigmaPriorWeight: 0 };
    // σ_w = 1¢ over 60 s → σ² · 60 s = 1¢²: r = 50 − 10·0.1·1 = 49, δ = 1.39077…
    const d = computeQuotes({ snapshot: snapshot({ tradeStdDevCents: 1 }), position: 1_000 as Count }, params);
    assert.ok(Math.abs((d.diagnostics.reservationCents ?? 0) - 49) < 1e-9);
    assert.ok(Math.abs((d.diagnostics.varianceCents2 ?? 0) - 1) < 1e-9);
    assert.equal(d.quotes.bid?.price, 4800); // 48.30 → 48
    assert.equal(d.quotes.ask?.price, 5000); // 49.70 → 50
    assert.equal(d.quotes.bid?.count, 1_000);
  });

  test('a larger γ widens the binary spread and skews harder for the same inventory', () => {
    const position = 2_000 as Count; // two lots long
    const low = computeQuotes({ snapshot: snapshot(), position }, { ...raw, gamma: 0.05 }).diagnostics;
    const high = computeQuotes({ snapshot: snapshot(), position }, { ...raw, gamma: 0.5 }).diagnostics;
    assert.ok((high.reservationCents ?? 0) < (low.reservationCents ?? 0));
    assert.ok((50 - (high.reservationCents ?? 0)) > 5 * (50 - (low.reservationCents ?? 0)));
  });

  for (const mode of ['textbook', 'binary', 'glft'] as const) {
    test(`${mode} mode skews quotes toward flat: long lowers them, short raises them`, () => {
      const params = { ...raw, mode, gamma: 0.3 };
      const s = snapshot({ tradeStdDevCents: 2 });
      const flat = computeQuotes({ snapshot: s, position: 0 as Count }, params).diagnostics;
      const long = computeQuotes({ snapshot: s, position: 3_000 as Count }, params).diagnostics;
      const short = computeQuotes({ snapshot: s, position: -3_000 as Count }, params).diagnostics;
      assert.ok((long.modelBidCents ?? 0) < (flat.modelBidCents ?? 0) && (long.modelAskCents ?? 0) < (flat.modelAskCents ?? 0));
      assert.ok((short.modelBidCents ?? 0) > (flat.modelBidCents ?? 0) && (short.modelAskCents ?? 0) > (flat.modelAskCents ?? 0));
    });
  }

  test('fee-aware quotes keep the taker fee to unwind on the side that adds inventory', () => {
    const params: StrategyParams = { ...DEFAULT_STRATEGY_PARAMS, minEdgeCents: 0 };
    const flat = computeQuotes({ snapshot: snapshot(), position: 0 as Count }, params);
    assert.ok((flat.quotes.bid?.price ?? 10_000) <= 5000 - 175); // 1.75¢ taker fee at 50¢
    assert.ok((flat.quotes.ask?.price ?? 0) >= 5000 + 175);
    const long = computeQuotes({ snapshot: snapshot(), position: 5_000 as Count }, params);
    assert.ok(Math.abs((long.diagnostics.askEdgeCents ?? 1) - 0) < 1e-12); // selling reduces: no unwind fee
  });

  test('uses the online κ when estimateKappa is on', () => {
    const d = computeQuotes({ snapshot: snapshot(), position: 0 as Count }, { ...raw, estimateKappa: true });
    assert.equal(d.diagnostics.kappaPerCent, 0.8);
  });

  test('GLFT withholds the side past the inventory bound and says so', () => {
    const d = computeQuotes({ snapshot: snapshot(), position: 5_000 as Count }, { ...raw, mode: 'glft', glftMaxInventoryLots: 5 });
    assert.equal(d.quotes.bid, undefined);
    assert.equal(d.diagnostics.bidWithheld, 'inventory_bound');
    assert.ok(d.quotes.ask !== undefined);
  });

  test('uses the micro-price as fair price when asked', () => {
    const d = computeQuotes({ snapshot: snapshot({ microPrice: 5200 }), position: 0 as Count }, { ...raw, useMicroPrice: true });
    assert.equal(d.diagnostics.fairCents, 52);
  });
});

describe('sigmaCentsPerSqrtSec', () => {
  test('turns the 60 s trade std dev into a rate: 1¢ over 60 s is 1/√60 ¢/√s', () => {
    const s = sigmaCentsPerSqrtSec(snapshot({ tradeStdDevCents: 1 }), 0.5, { ...raw, sigmaEstimator: 'trade_stdev', tradeSigmaPriorWeight: 0 });
    assert.ok(Math.abs(s - 1 / Math.sqrt(60)) < 1e-12);
  });
  test('shrinks a thin-window trade std dev toward the log-odds σ (hand-computed)', () => {
    // n = 3 trades → 2 dof; classic 6¢/√60 s; σ₀ = 25·0.004 = 0.1 ¢/√s; w = 2: σ² = (2·0.6 + 2·0.01)/4.
    const s = sigmaCentsPerSqrtSec(snapshot({ tradeStdDevCents: 6, tradesInVolWindow: 3 }), 0.5, { ...raw, sigmaEstimator: 'trade_stdev', tradeSigmaPriorWeight: 2 });
    assert.ok(Math.abs(s - Math.sqrt((2 * 0.6 + 2 * 0.01) / 4)) < 1e-12);
    const none = sigmaCentsPerSqrtSec(snapshot({ tradeStdDevCents: 6, tradesInVolWindow: 1 }), 0.5, { ...raw, sigmaEstimator: 'trade_stdev', tradeSigmaPriorWeight: 2 });
    assert.ok(Math.abs(none - 0.1) < 1e-12); // a cached value with < 2 trades in the window: the prior alone
  });
  test('maps the log-odds σ by the delta method: 100·p(1 − p)·σ_x', () => {
    const s = sigmaCentsPerSqrtSec(snapshot(), 0.3, { ...raw, sigmaEstimator: 'log_odds_ewma' });
    assert.ok(Math.abs(s - 100 * 0.21 * 0.004) < 1e-12);
  });
  test('falls back to the log-odds σ when the trade std dev was never computed', () => {
    const s = sigmaCentsPerSqrtSec(snapshot(), 0.5, { ...raw, sigmaEstimator: 'trade_stdev' });
    assert.ok(Math.abs(s - 25 * 0.004) < 1e-12);
  });
  test('a fixed σ wins over every estimate', () => {
    assert.equal(sigmaCentsPerSqrtSec(snapshot({ tradeStdDevCents: 3 }), 0.5, { ...raw, fixedSigmaCentsPerSqrtSec: 0.7 }), 0.7);
  });
});
