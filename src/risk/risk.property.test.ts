import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_FEE_SCHEDULE, TickGrid, type Cash, type Count, type Price } from '../core/index.js';
import type { MarketSnapshot } from '../marketdata/index.js';
import { MarketLedger } from './ledger.js';
import { fillCashFlow, RiskManager } from './risk-manager.js';
import { DEFAULT_RISK_LIMITS } from './types.js';

const market = fc.record({
  position: fc.integer({ min: -40, max: 40 }),
  entryCents: fc.integer({ min: 1, max: 99 }),
  bidCents: fc.integer({ min: 1, max: 98 }),
  spreadCents: fc.integer({ min: 1, max: 20 }),
  size: fc.integer({ min: 1, max: 200 }),
  askFills: fc.boolean(),
});

const scenario = fc.record({
  markets: fc.array(market, { minLength: 1, maxLength: 5 }),
  positionSlack: fc.integer({ min: 0, max: 100 }),
  marketDollarSlack: fc.integer({ min: 0, max: 100 }),
  portfolioContractSlack: fc.integer({ min: 0, max: 300 }),
  portfolioDollarSlack: fc.integer({ min: 0, max: 300 }),
  balanceDollars: fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
});

const snapshot = (ticker: string): MarketSnapshot => ({
  ticker,
  nowMs: 0,
  grid: TickGrid.linearCent(),
  fees: DEFAULT_FEE_SCHEDULE,
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

test('no fill of the sized quotes — even one side in every market at once — breaches a limit or the balance', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      // Start from positions, then set each limit at the current usage plus some slack.
      const ledgers = s.markets.map((m, i) => {
        const l = new MarketLedger(`M${i}`);
        if (m.position !== 0) l.trade(m.position * 100, m.entryCents * 100);
        return l;
      });
      const maxAbs = Math.max(...ledgers.map((l) => Math.abs(l.position) / 100));
      const maxExposure = Math.max(...ledgers.map((l) => l.exposureCash() / 10_000));
      const sumAbs = ledgers.reduce((a, l) => a + Math.abs(l.position) / 100, 0);
      const sumExposure = ledgers.reduce((a, l) => a + l.exposureCash() / 10_000, 0);
      const limits = {
        ...DEFAULT_RISK_LIMITS,
        sizeVolScaling: 0,
        maxPositionContracts: Math.ceil(maxAbs) + s.positionSlack,
        maxMarketExposureDollars: Math.ceil(maxExposure) + s.marketDollarSlack,
        maxPortfolioContracts: Math.ceil(sumAbs) + Math.ceil(maxAbs) + s.positionSlack + s.portfolioContractSlack,
        maxPortfolioExposureDollars: Math.ceil(sumExposure) + s.portfolioDollarSlack,
      };
      const risk = new RiskManager(limits);
      s.markets.forEach((m, i) => {
        if (m.position !== 0) risk.onFill({ tradeId: `p${i}`, orderId: 'o', ticker: `M${i}`, side: m.position > 0 ? 'bid' : 'ask', price: (m.entryCents * 100) as Price, count: (Math.abs(m.position) * 100) as Count, isTaker: false, fee: 0 as Cash, tsMs: 0 });
      });
      if (s.balanceDollars !== undefined) risk.setBalance((s.balanceDollars * 10_000) as Cash);
      let cashSpent = 0;
      s.markets.forEach((m, i) => {
        const ticker = `M${i}`;
        const ask = Math.min(99, m.bidCents + m.spreadCents);
        const count = (m.size * 100) as Count;
        const sized = risk.sizeQuotes(
          { ticker, bid: { side: 'bid', price: (m.bidCents * 100) as Price, count }, ask: { side: 'ask', price: (ask * 100) as Price, count } },
          snapshot(ticker),
        ).quotes;
        const ledger = ledgers[i] as MarketLedger;
        const side = m.askFills ? sized.ask : sized.bid;
        if (side) {
          // The exchange's cash flow of the fill: the leg cost, and $1 back per YES+NO pair it closes.
          const flow = fillCashFlow(ledger.position, { tradeId: `f${i}`, orderId: 'q', ticker, side: side.side, price: side.price, count: side.count, isTaker: false, fee: 0 as Cash, tsMs: 0 });
          cashSpent -= flow;
          ledger.trade(side.side === 'bid' ? side.count : -side.count, side.price);
        }
      });
      for (const l of ledgers) {
        assert.ok(Math.abs(l.position) <= limits.maxPositionContracts * 100, `${l.ticker} position ${l.position}`);
        assert.ok(l.exposureCash() <= limits.maxMarketExposureDollars * 10_000, `${l.ticker} exposure ${l.exposureCash()}`);
      }
      const totalAbs = ledgers.reduce((a, l) => a + Math.abs(l.position), 0);
      const totalExposure = ledgers.reduce((a, l) => a + l.exposureCash(), 0);
      assert.ok(totalAbs <= limits.maxPortfolioContracts * 100, `portfolio contracts ${totalAbs}`);
      assert.ok(totalExposure <= limits.maxPortfolioExposureDollars * 10_000, `portfolio exposure ${totalExposure}`);
      if (s.balanceDollars !== undefined) assert.ok(cashSpent <= s.balanceDollars * 10_000, `spent ${cashSpent}`);
    }),
    { numRuns: 2_000, seed: 424_242 },
  );
});
