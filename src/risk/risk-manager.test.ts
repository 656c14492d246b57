import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_FEE_SCHEDULE,
  MemoryLogger,
  TickGrid,
  type Cash,
  type Count,
  type DesiredQuotes,
  type Fill,
  type Price,
} from '../core/index.js';
import type { MarketSnapshot } from '../marketdata/index.js';
import { RiskManager } from './risk-manager.js';
import { VolatilityCache, sideCapacity, volatilitySizeMultiplier } from './sizing.js';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from './types.js';

const DAY = 86_400_000;
const NOW = 10 * DAY + 1_000;
const limits: RiskLimits = { ...DEFAULT_RISK_LIMITS, sizeVolScaling: 0 };
const snap = (ticker = 'T', over: Partial<MarketSnapshot> = {}): MarketSnapshot => ({
  ticker,
  nowMs: NOW,
  grid: TickGrid.linearCent(),
  fees: DEFAULT_FEE_SCHEDULE,
  hasMetadata: true,
  closeTimeMs: NOW + DAY,
  status: 'active',
  bestBid: 4900 as Price,
  bestAsk: 5100 as Price,
  bestBidSize: 100 as Count,
  bestAskSize: 100 as Count,
  mid: 5000,
  spread: 200,
  microPrice: 5000,
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
  ...over,
});
const quotes = (ticker: string, bidCents: number, askCents: number, contracts = 10): DesiredQuotes => ({
  ticker,
  bid: { side: 'bid', price: (bidCents * 100) as Price, count: (contracts * 100) as Count },
  ask: { side: 'ask', price: (askCents * 100) as Price, count: (contracts * 100) as Count },
});
let fillSeq = 0;
const fill = (ticker: string, side: 'bid' | 'ask', cents: number, contracts: number): Fill => ({
  tradeId: `f${++fillSeq}`,
  orderId: 'o',
  ticker,
  side,
  price: (cents * 100) as Price,
  count: (contracts * 100) as Count,
  isTaker: false,
  fee: 0 as Cash,
  tsMs: NOW,
});

describe('RiskManager.check', () => {
  test('lets a healthy market quote', () => {
    assert.deepEqual(new RiskManager(limits).check('T', NOW, snap()), {
      canQuote: true,
      cancelOrders: false,
      cancelAll: false,
      reasons: [],
    });
  });

  test('a tripped kill switch stops everything and asks to cancel every order until reset', () => {
    const logger = new MemoryLogger();
    const risk = new RiskManager(limits, { logger });
    risk.tripKillSwitch('operator', NOW);
    const c = risk.check('T', NOW, snap());
    assert.equal(c.canQuote, false);
    assert.equal(c.cancelAll, true);
    assert.deepEqual(c.reasons, ['kill_switch']);
    assert.equal(risk.killSwitch().reason, 'operator');
    assert.equal(logger.records[0]?.level, 'error');
    risk.resetKillSwitch();
    assert.equal(risk.check('T', NOW, snap()).canQuote, true);
  });

  test('stops quoting near close, on a stale market and on a closed one', () => {
    const risk = new RiskManager(limits);
    assert.deepEqual(risk.check('T', NOW, snap('T', { closeTimeMs: NOW + 300_000 })).reasons, ['near_close']);
    assert.deepEqual(risk.check('T', NOW, snap('T', { stale: true })).reasons, ['stale_market']);
    const closed = risk.check('T', NOW, snap('T', { status: 'closed' }));
    assert.deepEqual(closed.reasons, ['market_closed']);
    assert.equal(closed.cancelOrders, false); // after close even cancels fail (kalshi-api.md §16.16)
  });

  test('halts a market whose loss reaches its limit, and keeps it halted after a recovery', () => {
    const risk = new RiskManager({ ...limits, maxLossPerMarketDollars: 5 });
    risk.onFill(fill('T', 'bid', 60, 50));
    assert.equal(risk.check('T', NOW, snap('T', { mid: 5100 })).canQuote, true); // −$4.50 marked
    const c = risk.check('T', NOW, snap('T', { mid: 5000 })); // −$5.00
    assert.deepEqual(c.reasons, ['market_loss_limit']);
    assert.equal(c.cancelOrders, true);
    assert.equal(risk.check('T', NOW, snap('T', { mid: 7000 })).canQuote, false);
    assert.equal(risk.check('U', NOW, snap('U')).canQuote, true);
    risk.resetMarketHalt('T');
    assert.equal(risk.check('T', NOW, snap('T', { mid: 7000 })).canQuote, true);
  });

  test("a hollow book's mid marks nothing: no loss-limit halt from the 1¢ × 99¢ backstops' 50¢", () => {
    const risk = new RiskManager({ ...limits, maxLossPerMarketDollars: 3, maxDailyLossDollars: 3 });
    risk.onFill(fill('T', 'ask', 10, 10)); // short 10 at 10¢
    const tight = snap('T', { bestBid: 900 as Price, bestAsk: 1100 as Price, mid: 1000, spread: 200 });
    assert.equal(risk.check('T', NOW, tight).canQuote, true);
    const before = risk.figures().find((f) => f.ticker === 'T');
    // The top was swept: only the backstops are left. Marked at 50¢ the short would be −$4.
    const hollow = snap('T', { bestBid: 100 as Price, bestAsk: 9_900 as Price, mid: 5_000, spread: 9_800, microPrice: 5_000 });
    const c = risk.check('T', NOW, hollow);
    assert.deepEqual(c.reasons, [], 'neither the market nor the daily loss limit trips');
    assert.deepEqual(risk.figures().find((f) => f.ticker === 'T'), before, 'the position keeps its last mark');
    // A book exactly maxMarketSpreadCents wide is a price again.
    risk.check('T', NOW, snap('T', { bestBid: 500 as Price, bestAsk: 3_500 as Price, mid: 2_000, spread: 3_000 }));
    assert.equal(risk.figures().find((f) => f.ticker === 'T')?.unrealizedPnl, -10_000, 'short 10 from 10¢ marked at 20¢: −$1');
  });

  test('the daily loss limit halts every market until the next UTC day', () => {
    const risk = new RiskManager({ ...limits, maxDailyLossDollars: 8, maxLossPerMarketDollars: 100 });
    risk.check('A', NOW, snap('A'));
    risk.onFill(fill('A', 'bid', 60, 50));
    risk.onFill(fill('B', 'bid', 60, 50));
    risk.check('A', NOW, snap('A', { mid: 5200 })); // −$4
    const c = risk.check('B', NOW, snap('B', { mid: 5200 })); // −$8 in all
    assert.ok(c.reasons.includes('daily_loss_limit'));
    assert.equal(risk.check('C', NOW, snap('C')).canQuote, false);
    assert.equal(risk.dailyPnl(NOW), -80_000);
    assert.equal(risk.check('C', 11 * DAY, snap('C', { nowMs: 11 * DAY, closeTimeMs: 12 * DAY })).canQuote, true);
  });

  test('PnL carried from earlier runs today counts toward the daily limit, and only on its own UTC day', () => {
    const risk = new RiskManager({ ...limits, maxDailyLossDollars: 8, maxLossPerMarketDollars: 100 });
    risk.carryDailyPnl(NOW, -60_000); // earlier runs today: −$6
    assert.equal(risk.dailyPnl(NOW), -60_000);
    assert.equal(risk.earlierDailyPnl(NOW), -60_000);
    assert.equal(risk.check('A', NOW, snap('A')).canQuote, true, '−$6 is within $8');
    risk.onFill(fill('A', 'bid', 60, 50));
    const c = risk.check('A', NOW, snap('A', { mid: 5600 })); // this run −$2: −$8 in all
    assert.equal(risk.dailyPnl(NOW), -80_000);
    assert.ok(c.reasons.includes('daily_loss_limit'), 'the carried −$6 plus this run\'s −$2 reach the $8 limit');
    // The next UTC day starts from zero: yesterday's carry is gone.
    assert.equal(risk.dailyPnl(11 * DAY), 0);
    assert.equal(risk.earlierDailyPnl(11 * DAY), 0);
    assert.equal(risk.check('C', 11 * DAY, snap('C', { nowMs: 11 * DAY, closeTimeMs: 12 * DAY })).canQuote, true);
  });

  test('with a carry, a position found at start is taken over at its first mark: the earlier run counted it until then', () => {
    const held = { ticker: 'A', position: 5_000 as Count, exposure: 300_000 as Cash, realizedPnl: 0 as Cash, feesPaid: 0 as Cash };
    const carried = new RiskManager({ ...limits, maxDailyLossDollars: 100, maxLossPerMarketDollars: 100 });
    carried.carryDailyPnl(NOW, -40_000); // the killed run marked long 50 from 60¢ down to 52¢: −$4
    carried.syncPosition(held);
    assert.equal(carried.dailyPnl(NOW), -40_000, 'the supervisor\'s first tick, before any book');
    carried.check('A', NOW, snap('A', { mid: 5200 }));
    assert.equal(carried.dailyPnl(NOW), -40_000, 'the −$4 is not counted again');
    carried.check('A', NOW, snap('A', { mid: 5000 }));
    assert.equal(carried.dailyPnl(NOW), -50_000, 'a later move counts');
    // Without earlier runs today the position counts from its cost, as before.
    const first = new RiskManager({ ...limits, maxDailyLossDollars: 100, maxLossPerMarketDollars: 100 });
    first.syncPosition(held);
    assert.equal(first.dailyPnl(NOW), 0);
    first.check('A', NOW, snap('A', { mid: 5200 }));
    assert.equal(first.dailyPnl(NOW), -40_000);
  });

  test('a carry for another UTC day than the current one is not counted', () => {
    const risk = new RiskManager({ ...limits, maxDailyLossDollars: 8 });
    risk.carryDailyPnl(NOW - DAY, -100_000);
    assert.equal(risk.dailyPnl(NOW), 0);
    assert.equal(risk.check('A', NOW, snap('A')).canQuote, true);
  });

  test('counts a fill reported twice (WS and REST) once', () => {
    const risk = new RiskManager(limits);
    const f = fill('T', 'bid', 50, 3);
    risk.onFill(f);
    risk.onFill(f);
    assert.equal(risk.position('T'), 300);
  });
});

describe('RiskManager.sizeQuotes', () => {
  test('cuts the bid so a fill cannot pass the position limit, and leaves the reducing ask whole', () => {
    const risk = new RiskManager({ ...limits, maxPositionContracts: 100 });
    risk.onFill(fill('T', 'bid', 50, 95));
    const s = risk.sizeQuotes(quotes('T', 49, 51), snap());
    assert.equal(s.quotes.bid?.count, 500);
    assert.equal(s.bidCut, 'position_limit');
    assert.equal(s.quotes.ask?.count, 1_000);
  });

  test('removes a side that has no room at all', () => {
    const risk = new RiskManager({ ...limits, maxPositionContracts: 100 });
    risk.onFill(fill('T', 'ask', 50, 100));
    const s = risk.sizeQuotes(quotes('T', 49, 51), snap());
    assert.equal(s.quotes.ask, undefined);
    assert.equal(s.askCut, 'position_limit');
  });

  test('cuts by the market dollar limit: $3 at 49¢ buys 6 contracts', () => {
    const risk = new RiskManager({ ...limits, maxMarketExposureDollars: 3 });
    const s = risk.sizeQuotes(quotes('T', 49, 51), snap());
    assert.equal(s.quotes.bid?.count, 600);
    assert.equal(s.bidCut, 'market_exposure_limit');
    assert.equal(s.quotes.ask?.count, 600); // selling YES at 51¢ risks 49¢ per contract
  });

  test('cuts by the balance, counting both sides of the market as collateral', () => {
    const risk = new RiskManager(limits);
    risk.setBalance(50_000 as Cash); // $5
    const s = risk.sizeQuotes(quotes('T', 49, 51), snap());
    assert.equal(s.quotes.bid?.count, 1_000); // $4.90
    assert.equal(s.quotes.ask, undefined); // $0.10 left
    assert.equal(s.askCut, 'balance');
  });

  test('counts the other markets’ positions and resting quotes against the portfolio limit', () => {
    const risk = new RiskManager({ ...limits, maxPortfolioContracts: 100, maxPositionContracts: 100 });
    risk.onFill(fill('A', 'bid', 50, 60));
    risk.sizeQuotes(quotes('B', 49, 51, 30), snap('B'));
    const s = risk.sizeQuotes(quotes('C', 49, 51, 30), snap('C'));
    assert.equal(s.quotes.bid?.count, 1_000); // 100 − 60 − 30
    assert.equal(s.bidCut, 'portfolio_contract_limit');
    risk.releaseQuotes('B');
    assert.equal(risk.sizeQuotes(quotes('C', 49, 51, 30), snap('C')).quotes.bid?.count, 3_000);
  });

  test('scales size with volatility: larger when calm, smaller when volatile', () => {
    const risk = new RiskManager({ ...DEFAULT_RISK_LIMITS, sizeVolScaling: 1, sizeVolReferenceCentsPerSqrtSec: 0.1, volCacheTtlMs: 0 });
    const calm = risk.sizeQuotes(quotes('T', 49, 51), snap('T', { sigmaLogOddsPerSqrtSec: 0.002 })); // σ = 0.05¢/√s
    const wild = risk.sizeQuotes(quotes('T', 49, 51), snap('T', { sigmaLogOddsPerSqrtSec: 0.016 })); // σ = 0.4¢/√s
    assert.equal(calm.sizeMultiplier, 2);
    assert.equal(calm.quotes.bid?.count, 2_000);
    assert.equal(wild.sizeMultiplier, 0.25);
    assert.equal(wild.quotes.bid?.count, 200); // 2.5 contracts floored to whole
  });

  test('reuses a market’s sizing volatility until its TTL expires', () => {
    const risk = new RiskManager({ ...DEFAULT_RISK_LIMITS, sizeVolScaling: 1, volCacheTtlMs: 30_000 });
    const first = risk.sizeQuotes(quotes('T', 49, 51), snap('T', { sigmaLogOddsPerSqrtSec: 0.004 }));
    const cached = risk.sizeQuotes(quotes('T', 49, 51), snap('T', { nowMs: NOW + 29_999, sigmaLogOddsPerSqrtSec: 0.016 }));
    const fresh = risk.sizeQuotes(quotes('T', 49, 51), snap('T', { nowMs: NOW + 30_000, sigmaLogOddsPerSqrtSec: 0.016 }));
    assert.equal(cached.sigmaCentsPerSqrtSec, first.sigmaCentsPerSqrtSec);
    assert.ok(fresh.sigmaCentsPerSqrtSec > first.sigmaCentsPerSqrtSec);
  });
});

describe('sizing helpers', () => {
  test('volatilitySizeMultiplier is (σ_ref/σ)^β clamped', () => {
    assert.equal(volatilitySizeMultiplier(0.1, 0.1, 0.5, 0.25, 2), 1);
    assert.ok(Math.abs(volatilitySizeMultiplier(0.4, 0.1, 0.5, 0.25, 2) - 0.5) < 1e-12);
    assert.equal(volatilitySizeMultiplier(0, 0.1, 0.5, 0.25, 2), 2);
    assert.equal(volatilitySizeMultiplier(5, 0.1, 0, 0.25, 2), 1);
  });

  test('sideCapacity always allows the reducing part even when every limit is exhausted', () => {
    const c = sideCapacity({
      reduce: 700,
      sameDirectionPosition: 0,
      sameDirectionExposure: 0,
      costPerContract: 5000,
      maxPosition: 0,
      maxMarketExposure: 0,
      portfolioContractsUsed: 10_000,
      maxPortfolioContracts: 0,
      portfolioExposureUsed: 0,
      maxPortfolioExposure: 0,
    });
    assert.equal(c.count, 700);
  });

  test('VolatilityCache recomputes after the TTL', () => {
    const cache = new VolatilityCache(10);
    let calls = 0;
    const compute = () => ++calls;
    assert.equal(cache.get('T', 0, compute), 1);
    assert.equal(cache.get('T', 9, compute), 1);
    assert.equal(cache.get('T', 10, compute), 2);
    cache.invalidate('T');
    assert.equal(cache.get('T', 11, compute), 3);
  });
});

describe('balance tracking', () => {
  test('fills move the balance: buying pays the price, closing a NO position returns 1 − p, fees are paid', () => {
    const risk = new RiskManager(limits);
    risk.setBalance(100_000 as Cash); // $10
    risk.onFill({ ...fill('T', 'bid', 40, 10), fee: 70 as Cash }); // −$4.00 − fee
    let s = risk.sizeQuotes(quotes('U', 50, 51, 20), snap('U'));
    assert.equal(s.quotes.bid?.count, 1_100); // $5.993 / 50¢ → 11 contracts
    risk.onFill(fill('T', 'ask', 45, 10)); // closes the 10 YES: +$4.50
    risk.releaseQuotes('U');
    s = risk.sizeQuotes(quotes('U', 50, 51, 30), snap('U'));
    assert.equal(s.quotes.bid?.count, 2_000); // $10.493 / 50¢ → 20 contracts
  });
});

describe('position sync and the daily loss', () => {
  test('PnL brought in by the first sync of a market is not today’s loss; a later sync’s change is', () => {
    const risk = new RiskManager({ ...limits, maxDailyLossDollars: 10, maxLossPerMarketDollars: 1_000 });
    risk.check('T', NOW, snap('T'));
    risk.syncPosition({ ticker: 'T', position: 0 as Count, exposure: 0 as Cash, realizedPnl: -500_000 as Cash, feesPaid: 0 as Cash });
    assert.equal(risk.dailyPnl(NOW), 0);
    assert.equal(risk.check('T', NOW, snap('T')).canQuote, true);
    risk.syncPosition({ ticker: 'T', position: 0 as Count, exposure: 0 as Cash, realizedPnl: -650_000 as Cash, feesPaid: 0 as Cash });
    assert.equal(risk.dailyPnl(NOW), -150_000);
    assert.deepEqual(risk.check('T', NOW, snap('T')).reasons, ['daily_loss_limit']);
  });
});

describe('RiskManager.settle', () => {
  test('a settled market closes at its payout: the winner realizes $1 a contract, the loser its cost, and the day counts it', () => {
    const risk = new RiskManager(limits);
    risk.onFill(fill('Y', 'bid', 40, 10)); // long 10 YES at 40¢, settles YES: +$6.00
    risk.onFill(fill('N', 'ask', 70, 5)); // short 5 YES (long NO at 30¢), settles YES: −$1.50
    risk.onFill(fill('S', 'ask', 20, 4)); // short 4 YES (long NO at 80¢), settles NO: +$0.80
    risk.check('Y', NOW, snap('Y'));
    const dayBefore = risk.dailyPnl(NOW);
    risk.settle('Y', 'yes');
    risk.settle('N', 'yes');
    risk.settle('S', 'no');
    risk.settle('Y', 'yes'); // a second lifecycle message changes nothing
    const byTicker = new Map(risk.figures().map((f) => [f.ticker, f]));
    assert.deepEqual(
      ['Y', 'N', 'S'].map((t) => [byTicker.get(t)?.position, byTicker.get(t)?.realizedPnl, byTicker.get(t)?.unrealizedPnl]),
      [
        [0, 60_000, 0],
        [0, -15_000, 0],
        [0, 8_000, 0],
      ],
    );
    assert.equal(
      risk.dailyPnl(NOW) - dayBefore,
      60_000 - 15_000 + 8_000 - 10 * 1_000,
      'Y was marked at 50¢ before: +$1 of its $6 was already in the day',
    );
  });

  test('an unknown or scalar result leaves the position alone', () => {
    const risk = new RiskManager(limits);
    risk.onFill(fill('T', 'bid', 40, 10));
    risk.settle('T', 'scalar');
    risk.settle('T', undefined);
    assert.equal(risk.position('T'), 1_000);
  });
});
