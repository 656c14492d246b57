/**
 * The risk manager's balance sizing against the matching engine's collateral check: for random
 * positions, own resting orders (some with a cancel in flight), balances and desired quotes, every
 * request the maker would send for the sized quotes passes `checkBalance`, whichever side's request
 * lands first. Amends are checked at the worse of the old and new terms and held there, as the
 * backtest simulator does while one is in flight (stricter than the live rule), and cancelling orders
 * keep their lock throughout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TickGrid, type BookSide, type Cash, type Count, type FeeSchedule, type Price } from '../../src/core/index.js';
import { AccountState, checkBalance, refreshLock, trackResting } from '../../src/exchange/matching/index.js';
import type { MarketSnapshot } from '../../src/marketdata/index.js';
import { DEFAULT_RISK_LIMITS, RiskManager, type RestingOrder } from '../../src/risk/index.js';

const TICKER = 'T';
const FEES: readonly FeeSchedule[] = [
  { feeType: 'quadratic', multiplier: 10_000 },
  { feeType: 'quadratic_with_maker_fees', multiplier: 10_000 },
  { feeType: 'quadratic_with_combo_maker_fees', multiplier: 5_000 },
];

const restingArb = fc.record({
  side: fc.constantFrom<BookSide>('bid', 'ask'),
  cents: fc.integer({ min: 1, max: 99 }),
  contracts: fc.integer({ min: 1, max: 20 }),
  cancelling: fc.boolean(),
});

const scenario = fc.record({
  position: fc.integer({ min: -20, max: 20 }),
  resting: fc.array(restingArb, { maxLength: 3 }),
  freeCents: fc.integer({ min: 0, max: 2_000 }),
  fees: fc.integer({ min: 0, max: FEES.length - 1 }),
  precision: fc.constantFrom<1 | 100>(1, 100),
  bidCents: fc.option(fc.integer({ min: 1, max: 98 }), { nil: undefined }),
  spreadCents: fc.integer({ min: 1, max: 10 }),
  askWanted: fc.boolean(),
  contracts: fc.integer({ min: 1, max: 30 }),
  bidFirst: fc.boolean(),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;
interface Terms {
  readonly side: BookSide;
  readonly price: Price;
  readonly remaining: Count;
}

const snapshot = (fees: FeeSchedule): MarketSnapshot => ({
  ticker: TICKER,
  nowMs: 0,
  grid: TickGrid.linearCent(),
  fees,
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

/** The planner's keeper on a side: the order closest to the wanted price, then the larger. */
function keeperOf(orders: readonly RestingOrder[], side: BookSide, wanted: Price): RestingOrder | undefined {
  let best: RestingOrder | undefined;
  for (const o of orders) {
    if (o.side !== side || o.inFlight === 'cancel') continue;
    const d = Math.abs(o.price - wanted);
    if (best === undefined || d < Math.abs(best.price - wanted) || (d === Math.abs(best.price - wanted) && o.remaining > best.remaining)) best = o;
  }
  return best;
}

function worse(a: Terms, b: Terms): Terms {
  const price = (a.side === 'bid' ? Math.max(a.price, b.price) : Math.min(a.price, b.price)) as Price;
  return { side: a.side, price, remaining: Math.max(a.remaining, b.remaining) as Count };
}

function run(s: Scenario): void {
  const fees = FEES[s.fees] as FeeSchedule;
  const account = new AccountState('a', 0 as Cash, { precision: s.precision });
  account.position(TICKER, 0).position = s.position * 100;
  const views: RestingOrder[] = s.resting.map((r) => ({
    side: r.side,
    price: (r.cents * 100) as Price,
    remaining: (r.contracts * 100) as Count,
    ...(r.cancelling ? { inFlight: 'cancel' as const } : {}),
  }));
  for (const v of views) trackResting(account, TICKER, v, fees, 1);
  refreshLock(account, TICKER, fees);
  account.cash = account.locked + s.freeCents * 100;

  const limits = { ...DEFAULT_RISK_LIMITS, sizeVolScaling: 0, maxPositionContracts: 1_000, maxMarketExposureDollars: 100_000, maxPortfolioContracts: 10_000, maxPortfolioExposureDollars: 100_000 };
  const risk = new RiskManager(limits, { restingOrders: () => views });
  risk.syncPosition({ ticker: TICKER, position: (s.position * 100) as Count, exposure: 0 as Cash, realizedPnl: 0 as Cash, feesPaid: 0 as Cash });
  risk.setBalance(account.cash as Cash);
  const count = (s.contracts * 100) as Count;
  const bidPrice = s.bidCents === undefined ? undefined : ((s.bidCents * 100) as Price);
  const askPrice = (Math.min(99, (s.bidCents ?? 50) + s.spreadCents) * 100) as Price;
  const sized = risk.sizeQuotes(
    {
      ticker: TICKER,
      ...(bidPrice === undefined ? {} : { bid: { side: 'bid' as const, price: bidPrice, count } }),
      ...(s.askWanted ? { ask: { side: 'ask' as const, price: askPrice, count } } : {}),
    },
    snapshot(fees),
  ).quotes;

  const sides: BookSide[] = s.bidFirst ? ['bid', 'ask'] : ['ask', 'bid'];
  for (const side of sides) {
    const quote = side === 'bid' ? sized.bid : sized.ask;
    if (quote === undefined) continue; // its orders are cancelled: nothing to check, their locks stay
    const wanted: Terms = { side, price: quote.price, remaining: quote.count };
    const keeper = keeperOf(views, side, quote.price);
    const placed = keeper ? worse(keeper, wanted) : wanted;
    assert.doesNotThrow(
      () => checkBalance(account, TICKER, fees, placed, keeper, false),
      `${side} ${JSON.stringify(placed)} replacing ${JSON.stringify(keeper)}: cash ${account.cash}, locked ${account.locked}`,
    );
    if (keeper) trackResting(account, TICKER, keeper, fees, -1);
    trackResting(account, TICKER, placed, fees, 1);
    refreshLock(account, TICKER, fees);
  }
}

test('every request for the sized quotes passes the engine’s balance check, in either order of arrival', () => {
  fc.assert(fc.property(scenario, run), { numRuns: 3_000, seed: 20_261_125 });
});
