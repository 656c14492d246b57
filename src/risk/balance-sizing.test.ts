import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TickGrid, type Cash, type Count, type DesiredQuotes, type FeeSchedule, type Fill, type Price } from '../core/index.js';
import type { MarketSnapshot } from '../marketdata/index.js';
import { RiskManager } from './risk-manager.js';
import { lockAfter, lockNow, quoteCollateral, splitSide } from './side-collateral.js';
import { largestAffordable } from './sizing.js';
import { DEFAULT_RISK_LIMITS, type RestingOrder, type RiskLimits } from './types.js';

// Every figure below is worked by hand from the exchange's rule (core/collateral.ts): a side locks its
// leg cost netted against the opposite position, plus per order the maker fee on the whole count
// (0.0175 × C × P × (1 − P), rounded up to $0.0001) and $0.01 of rounding reserve. $0.0001 units.
const MAKER_FEES: FeeSchedule = { feeType: 'quadratic_with_maker_fees', multiplier: 10_000 };
const NOW = 1_000_000;
const limits: RiskLimits = { ...DEFAULT_RISK_LIMITS, sizeVolScaling: 0, maxPositionContracts: 1_000, maxMarketExposureDollars: 1_000 };

const snap = (): MarketSnapshot => ({
  ticker: 'T',
  nowMs: NOW,
  grid: TickGrid.linearCent(),
  fees: MAKER_FEES,
  hasMetadata: true,
  status: 'active',
  bestBidSize: 0 as Count,
  bestAskSize: 0 as Count,
  mid: 5000,
  tradesInVolWindow: 0,
  sigmaLogOddsPerSqrtSec: 0.004,
  kappaPerCent: 1.5,
  arrivalPerSec: 0.01,
  effectiveTrades: 0,
  volume24h: 0 as Count,
  volume1h: 0 as Count,
  buyVolume1h: 0 as Count,
  sellVolume1h: 0 as Count,
  stale: false,
});

const want = (bid: [cents: number, contracts: number] | undefined, ask: [cents: number, contracts: number] | undefined): DesiredQuotes => ({
  ticker: 'T',
  ...(bid ? { bid: { side: 'bid' as const, price: (bid[0] * 100) as Price, count: (bid[1] * 100) as Count } } : {}),
  ...(ask ? { ask: { side: 'ask' as const, price: (ask[0] * 100) as Price, count: (ask[1] * 100) as Count } } : {}),
});

const order = (side: 'bid' | 'ask', cents: number, contracts: number, inFlight?: RestingOrder['inFlight']): RestingOrder => ({
  side,
  price: (cents * 100) as Price,
  remaining: (contracts * 100) as Count,
  ...(inFlight ? { inFlight } : {}),
});

let seq = 0;
const fill = (side: 'bid' | 'ask', cents: number, contracts: number, fee = 0): Fill => ({
  tradeId: `f${++seq}`,
  orderId: 'o',
  ticker: 'T',
  side,
  price: (cents * 100) as Price,
  count: (contracts * 100) as Count,
  isTaker: false,
  fee: fee as Cash,
  tsMs: NOW,
});

/** A risk manager whose view of our orders is `resting` (mutable by the test). */
function riskWith(resting: RestingOrder[], over: Partial<RiskLimits> = {}): RiskManager {
  return new RiskManager({ ...limits, ...over }, { restingOrders: () => resting });
}

describe('balance sizing follows the exchange’s collateral rule', () => {
  test('an ask that closes a long position still needs its fee and rounding reserve beside the bid’s', () => {
    const risk = riskWith([]);
    risk.setBalance(10_200 as Cash);
    risk.onFill(fill('bid', 25, 3)); // long 3: cash 10200 − 7500 = 2700
    const s = risk.sizeQuotes(want([25, 1], [28, 3]), snap());
    // Bid 1 @ 25¢: 2500 + fee 33 + 100 = 2633 ≤ 2700. Ask 3 @ 28¢ against YES 3: lock max(0, 3×0.72 − 3) = 0,
    // fee 0.010584 → 106, + 100 = 206 > 2700 − 2633 = 67: the exchange would refuse it, so it is cut.
    assert.equal(s.quotes.bid?.count, 100);
    assert.equal(s.quotes.ask, undefined);
    assert.equal(s.askCut, 'balance');
  });

  test('a bid that closes a NO position is charged net of the $1 each closed pair returns', () => {
    const risk = riskWith([]);
    risk.setBalance(30_000 as Cash); // $3
    risk.onFill(fill('ask', 60, 5)); // short 5 YES (long NO at 40¢): cash 30000 − 20000 = 10000
    const s = risk.sizeQuotes(want([55, 8], undefined), snap());
    // Bid 8 @ 55¢ against NO 5: lock max(0, 8×0.55 − 5) = 0; fee 0.03465 → 347, + 100 = 447 ≤ 10000.
    assert.equal(s.quotes.bid?.count, 800);
    assert.equal(s.bidCut, undefined);
  });

  test('both sides resting: a side fits beside the collateral the other side holds', () => {
    const resting = [order('bid', 50, 10)];
    const risk = riskWith(resting);
    risk.setBalance(60_000 as Cash); // $6
    const s = risk.sizeQuotes(want([50, 10], [52, 10]), snap());
    // Bid 10 @ 50¢ rests: 50000 + fee 0.04375 → 438 + 100 = 50538; 9462 left. Ask 1 @ 52¢: 4800 + 44 + 100
    // = 4944 fits; 2: 9600 + 88 + 100 = 9788 does not.
    assert.equal(s.quotes.bid?.count, 1_000);
    assert.equal(s.quotes.ask?.count, 100);
    assert.equal(s.askCut, 'balance');
  });

  test('an amend up is sized at the worse of the resting and new terms (the simulator holds both while in flight)', () => {
    const risk = riskWith([order('bid', 20, 4)]);
    risk.setBalance(10_000 as Cash); // $1
    const s = risk.sizeQuotes(want([18, 5], [23, 5]), snap());
    // Keeper 4 @ 20¢ amended to c @ 18¢ holds max(4, c) @ 20¢: 5 → 10000 + 140 + 100 > 10000; 4 → 8000 + 112
    // + 100 = 8212. The ask then has 1788: one NO at 77¢ (7700) does not fit.
    assert.equal(s.quotes.bid?.count, 400);
    assert.equal(s.bidCut, 'balance');
    assert.equal(s.quotes.ask, undefined);
  });

  test('an amend down frees collateral for the other side only once it has landed', () => {
    const resting = [order('bid', 50, 10)];
    const risk = riskWith(resting);
    risk.setBalance(60_000 as Cash);
    assert.equal(risk.sizeQuotes(want([45, 10], [52, 10]), snap()).quotes.ask?.count, 100); // bid still 10 @ 50¢
    resting[0] = order('bid', 45, 10); // the amend landed: 45000 + 434 + 100 = 45534, 14466 left
    // Ask 2: 9600 + 88 + 100 = 9788 fits; 3: 14400 + 132 + 100 = 14632 does not.
    assert.equal(risk.sizeQuotes(want([45, 10], [52, 10]), snap()).quotes.ask?.count, 200);
  });

  test('an order whose cancel is in flight keeps its collateral', () => {
    const risk = riskWith([order('ask', 60, 10, 'cancel')]);
    risk.setBalance(50_000 as Cash); // $5
    const s = risk.sizeQuotes(want([50, 10], undefined), snap());
    // The cancelling ask still locks 10 × 40¢ = 40000 + fee 0.042 → 420 + 100 = 40520; 9480 left for the
    // bid: 1 @ 50¢ = 5000 + 44 + 100 fits, 2 = 10000 + … does not.
    assert.equal(s.quotes.bid?.count, 100);
  });

  test('after a fill: the cash flow, the smaller resting order and the new position all count', () => {
    const resting = [order('bid', 50, 10)];
    const risk = riskWith(resting);
    risk.setBalance(60_000 as Cash);
    risk.onFill(fill('bid', 50, 4, 200)); // −20000 − fee 200: cash 39800, long 4
    resting[0] = order('bid', 50, 6);
    const s = risk.sizeQuotes(want([50, 6], [52, 10]), snap());
    // Bid 6 @ 50¢: 30000 + 263 + 100 = 30363; 9437 left. Ask 10 @ 52¢ against YES 4: max(0, 4.80 − 4) = 8000,
    // + fee 0.04368 → 437 + 100 = 8537 fits.
    assert.equal(s.quotes.bid?.count, 600);
    assert.equal(s.quotes.ask?.count, 1_000);
    assert.equal(s.askCut, undefined);
  });

  test('orders that may take also hold the taker fee reserve', () => {
    const risk = riskWith([], { postOnly: false });
    risk.setBalance(10_650 as Cash);
    // Bid 2 @ 50¢: 10000 + maker fee 88 + 100 + taker fee 0.035 → 350 + 100 = 10638 ≤ 10650; post-only it would
    // fit 2 as well, but at 10637 only 1 fits.
    assert.equal(risk.sizeQuotes(want([50, 2], undefined), snap()).quotes.bid?.count, 200);
    const tight = riskWith([], { postOnly: false });
    tight.setBalance(10_637 as Cash);
    assert.equal(tight.sizeQuotes(want([50, 2], undefined), snap()).quotes.bid?.count, 100);
  });

  test('without a view of the orders, the quotes sized the cycle before stand in for them', () => {
    const risk = new RiskManager(limits);
    risk.setBalance(60_000 as Cash);
    risk.sizeQuotes(want([50, 10], undefined), snap()); // bid 10 @ 50¢ sized: 50538
    assert.equal(risk.sizeQuotes(want([50, 10], [52, 10]), snap()).quotes.ask?.count, 100);
  });
});

describe('side collateral helpers', () => {
  const context = { position: 0, fees: MAKER_FEES, takerReserve: false };

  test('a side’s netting credit applies once to its total, not once per order', () => {
    const short = { ...context, position: -100 };
    // Two bids of 1 @ 60¢ against NO 1: 12000 − 10000 = 2000 (+ 2 × (42 + 100)), not 0 + 0.
    const two = [order('bid', 60, 1), order('bid', 60, 1)].map((o) => ({ side: o.side, price: o.price, count: o.remaining }));
    assert.equal(lockNow({ side: 'bid', others: two }, short), 2_000 + 2 * (42 + 100));
    assert.equal(quoteCollateral({ side: 'bid', price: 6000 as Price, count: 100 as Count }, short), 142);
  });

  test('splitSide keeps the order closest to the wanted price and counts the others as staying', () => {
    const sides = splitSide('bid', 5000 as Price, [order('bid', 47, 1), order('bid', 49, 2), order('bid', 50, 1, 'cancel'), order('ask', 55, 1)], undefined);
    assert.deepEqual(sides.keeper, { side: 'bid', price: 4900, count: 200 });
    assert.deepEqual(sides.others.map((o) => o.price), [4700, 5000]);
    // An amend in flight counts at the worse of its shown terms and the quote sized before.
    const inFlight = splitSide('bid', 5000 as Price, [order('bid', 49, 2, 'amend')], { side: 'bid', price: 5100 as Price, count: 100 as Count });
    assert.deepEqual(inFlight.keeper, { side: 'bid', price: 5100, count: 200 });
    assert.equal(lockAfter(inFlight, { side: 'bid', price: 4800 as Price, count: 300 as Count }, context), 15_300 + 132 + 100);
  });

  test('largestAffordable returns the largest whole count that fits, 0 when one contract does not', () => {
    const lock = (c: Count): number => c * 50 + 100; // 50¢ a contract + $0.01
    assert.equal(largestAffordable(10_100, 1_000, lock), 200);
    assert.equal(largestAffordable(10_099, 1_000, lock), 100);
    assert.equal(largestAffordable(5_099, 1_000, lock), 0);
    assert.equal(largestAffordable(1_000_000, 1_050, lock), 1_000);
  });
});
