import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BotStatus } from '../bot/index.js';
import type { Cash, Count, Fill, Price } from '../core/index.js';
import { DashboardFeed, FILLER_REASON, renderPage } from './index.js';

function status(nowMs: number, pnl: number, absPosition: number): BotStatus {
  return {
    nowMs,
    state: 'running',
    connected: true,
    tradingActive: true,
    markets: [
      {
        ticker: 'M',
        score: 1.5,
        state: 'running',
        nowMs,
        bestBid: 4_000 as Price,
        bestAsk: 4_400 as Price,
        orders: [
          { clientOrderId: 'b1', ticker: 'M', side: 'bid', price: 4_000 as Price, remaining: 500 as Count, filled: 0 as Count },
          { clientOrderId: 'b2', ticker: 'M', side: 'bid', price: 3_900 as Price, remaining: 500 as Count, filled: 0 as Count },
          { clientOrderId: 'a1', ticker: 'M', side: 'ask', price: 4_300 as Price, remaining: 0 as Count, filled: 500 as Count },
        ],
        position: 500 as Count,
        fills: 1,
        filledCount: 500,
        reasons: [],
        cycles: 1,
        health: { connected: true, paused: false, stale: false, errors: 0 },
      },
    ],
    retired: [],
    totals: { pnl, dailyPnl: pnl, earlierDailyPnl: 0, absPosition, fills: 1, restingOrders: 2 },
    killSwitch: { tripped: false },
    errors: 0,
  };
}

test('the feed converts units, picks our best resting quote per side and grows bounded chart series', () => {
  const feed = new DashboardFeed({ env: 'local', historyLength: 2, rateHeadroom: () => 0.5 });
  const seen: number[] = [];
  feed.subscribe((s) => seen.push(s.seq));
  feed.onStatus(status(1_000, 10_000, 500));
  feed.onStatus(status(2_000, -5_000, 700));
  feed.onStatus(status(3_000, 25_000, 900));
  const fill: Fill = {
    tradeId: 't',
    orderId: 'o',
    ticker: 'M',
    side: 'ask',
    price: 4_300 as Price,
    count: 500 as Count,
    isTaker: false,
    fee: 175 as Cash,
    tsMs: 2_500,
  };
  feed.onFill(fill);
  const s = feed.snapshot();
  assert.ok(s);
  assert.deepEqual(seen, [1, 2, 3]);
  assert.deepEqual(s.history, { t: [2, 3], pnl: [-0.5, 2.5], inventory: [7, 9] });
  const m = s.markets[0];
  assert.equal(m?.ourBidCents, 40);
  assert.equal(m?.ourBidContracts, 5);
  assert.equal(m?.ourAskCents, undefined, 'a fully filled order is not a quote');
  assert.equal(m?.positionContracts, 5);
  assert.equal(m?.score, 1.5);
  assert.equal(s.rateHeadroom, 0.5);
  assert.deepEqual(s.fills[0], { tsMs: 2_500, ticker: 'M', side: 'ask', priceCents: 43, contracts: 5, feeDollars: 0.0175, maker: true });
});

test("fixed markets show why they are traded and a score of 0; a selection names each market's rank", () => {
  const zero = status(1_000, 0, 0);
  const feed = new DashboardFeed({ env: 'local', chosen: new Map([['M', 'fallback: tightest spread']]) });
  feed.onStatus({ ...zero, markets: zero.markets.map((m) => ({ ...m, score: 0 })) });
  const m = feed.snapshot()?.markets[0];
  assert.equal(m?.score, 0);
  assert.equal(m?.chosen, 'fallback: tightest spread');
  const candidate = { ticker: 'M', score: 2, spreadCents: 4, midCents: 42, volatilityCents: 1, effectiveVolume: 10, sampled: true };
  feed.onSelection({
    atMs: 1_500,
    selected: [candidate] as never,
    candidates: [candidate, { ...candidate, ticker: 'N', score: 1 }] as never,
    scanned: 3,
    rejected: {},
    fillers: 0,
  });
  feed.onStatus(status(2_000, 0, 0));
  assert.equal(feed.snapshot()?.markets[0]?.chosen, 'score rank 1 of 2');
  assert.match(renderPage('', ''), /<th>chosen<\/th>/);
});

test('the page inlines the chart library and reads text only through textContent', () => {
  const page = renderPage('/*UPLOT*/', '.u{}');
  assert.match(page, /\/\*UPLOT\*\//);
  assert.doesNotMatch(page, /innerHTML/);
  assert.doesNotMatch(page, /<script src=/);
});

test('zero-score fillers of a selection say why they are traded; unwinding markets say they were dropped; mismatches are counted', () => {
  const feed = new DashboardFeed({ env: 'local' });
  const candidate = { ticker: 'M', score: 0, spreadCents: 2, midCents: 42, volatilityCents: 1, effectiveVolume: 0, sampled: true };
  feed.onSelection({ atMs: 1_000, selected: [candidate] as never, candidates: [candidate] as never, scanned: 1, rejected: {}, fillers: 1 });
  const base = status(2_000, 0, 0);
  feed.onStatus(base);
  assert.equal(feed.snapshot()?.markets[0]?.chosen, FILLER_REASON);
  assert.equal(feed.snapshot()?.positionMismatches, 0);
  const unwind = { ticker: 'M', policy: 'unwind' as const, sinceMs: 0, deadlineMs: 1, startPosition: 100 as Count };
  feed.onStatus({ ...base, markets: base.markets.map((m) => ({ ...m, unwind })), positionChecks: { checks: 3, mismatches: 1, pending: 0 } });
  assert.equal(feed.snapshot()?.markets[0]?.chosen, 'dropped: unwind until flat');
  assert.equal(feed.snapshot()?.positionMismatches, 1);
});
