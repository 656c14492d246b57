import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, type Count, type Price, type PublicTrade } from '../core/index.js';
import { FakePort, fakeMarket } from '../orders/fake-port.test-helper.js';
import { fillUnscored, rankCandidates, RescanBackoff, rejectReason, scanMarkets, scoreMarket, tradeStats, type SelectionResult } from './selection.js';
import { TEST_PARAMS } from './test-kit.test-helper.js';

const NOW = 1_000_000;

function trades(ticker: string, spec: [number, number, 'bid' | 'ask'][]): PublicTrade[] {
  return spec.map(([cents, n, takerSide], i) => ({ tradeId: `${ticker}-${i}`, ticker, price: (cents * 100) as Price, count: (n * 100) as Count, takerSide, tsMs: NOW - 1_000 * (i + 1) }));
}

describe('market selection', () => {
  test('filters reject closed, one-sided, too wide, extreme, soon-closing and thin markets', () => {
    const ok = fakeMarket('OK', { yesBid: 4_800 as Price, yesAsk: 5_200 as Price, closeTimeMs: NOW + 86_400_000 });
    assert.equal(rejectReason(ok, NOW, TEST_PARAMS), undefined);
    assert.equal(rejectReason({ ...ok, status: 'closed' }, NOW, TEST_PARAMS), 'not_active');
    const { yesAsk: _ask, ...oneSided } = ok;
    assert.equal(rejectReason(oneSided, NOW, TEST_PARAMS), 'one_sided');
    assert.equal(rejectReason({ ...ok, yesBid: 2_000 as Price, yesAsk: 8_000 as Price }, NOW, TEST_PARAMS), 'spread_too_wide');
    assert.equal(rejectReason({ ...ok, yesBid: 5_000 as Price, yesAsk: 5_000 as Price }, NOW, TEST_PARAMS), 'spread_too_narrow');
    assert.equal(rejectReason({ ...ok, yesBid: 100 as Price, yesAsk: 300 as Price }, NOW, TEST_PARAMS), 'price_out_of_range');
    assert.equal(rejectReason({ ...ok, closeTimeMs: NOW + 60_000 }, NOW, TEST_PARAMS), 'closes_soon');
    assert.equal(rejectReason({ ...ok, volume24h: 50 as Count }, NOW, TEST_PARAMS), 'low_volume');
  });

  test('trade statistics split volume by aggressor and take the price standard deviation in cents', () => {
    const stats = tradeStats(trades('X', [[50, 10, 'bid'], [52, 5, 'ask'], [48, 5, 'ask']]));
    assert.equal(stats.buyVolume, 10);
    assert.equal(stats.sellVolume, 10);
    assert.equal(stats.trades, 3);
    assert.ok(Math.abs((stats.volatilityCents ?? 0) - 2) < 1e-12, 'std dev of 50, 52, 48 is 2¢');
  });

  test('the score is the opportunity score of the sampled flow, volatility and spread', () => {
    const market = fakeMarket('X', { yesBid: 4_800 as Price, yesAsk: 5_200 as Price });
    const c = scoreMarket(market, { buyVolume: 30, sellVolume: 10, volatilityCents: 1.9, trades: 4 }, TEST_PARAMS);
    // V_eff = 40 × (1 − 20/40) = 20; σ + ε = 2; spread 4¢ = target → preference 1.
    assert.ok(Math.abs(c.score - 10) < 1e-9, `score ${c.score}`);
    assert.equal(c.effectiveVolume, 20);
    const wide = scoreMarket({ ...market, yesAsk: 5_500 as Price }, { buyVolume: 30, sellVolume: 10, volatilityCents: 1.9, trades: 4 }, TEST_PARAMS);
    assert.ok(wide.score < c.score, 'a spread away from the target scores lower');
  });

  test('markets already traded keep their place against a slightly better newcomer', () => {
    const market = fakeMarket('A');
    const a = { ...scoreMarket(market, { buyVolume: 10, sellVolume: 10, volatilityCents: 1, trades: 2 }, TEST_PARAMS), ticker: 'A' };
    const b = { ...a, ticker: 'B', score: a.score * 1.1 };
    const c = { ...a, ticker: 'C', score: a.score * 1.2 };
    assert.deepEqual(rankCandidates([a, b, c], new Set(), TEST_PARAMS).map((x) => x.ticker), ['C', 'B']);
    assert.deepEqual(rankCandidates([a, b, c], new Set(['A']), TEST_PARAMS).map((x) => x.ticker), ['A', 'C']);
  });

  test("a traded market is scored on others' spread, not on the one our own quotes make", async () => {
    const clock = new ManualClock(NOW);
    const port = new FakePort(clock);
    port.markets.set('A', fakeMarket('A', { yesBid: 4_900 as Price, yesAsk: 5_100 as Price }));
    port.trades.set('A', trades('A', [[50, 10, 'bid'], [51, 10, 'ask']]));
    const plain = await scanMarkets({ port, clock, params: TEST_PARAMS, current: new Set(['A']) });
    assert.equal(plain.candidates[0]?.spreadCents, 2);
    const others = await scanMarkets({ port, clock, params: TEST_PARAMS, current: new Set(['A']), othersTop: new Map([['A', { bid: 4_200 as Price, ask: 5_800 as Price }]]) });
    assert.equal(others.candidates[0]?.spreadCents, 16);
    const gone = await scanMarkets({ port, clock, params: TEST_PARAMS, current: new Set(['A']), othersTop: new Map([['A', { bid: 4_200 as Price }]]) });
    assert.deepEqual(gone.rejected, { one_sided: 1 }, 'only our ask on that side: one-sided for the selection');
  });

  test('a scan pages through open markets, samples trades and keeps the best N', async () => {
    const clock = new ManualClock(NOW);
    const port = new FakePort(clock);
    for (const [t, n] of [['A', 40], ['B', 20], ['C', 5]] as const) {
      port.markets.set(t, fakeMarket(t, { yesBid: 4_800 as Price, yesAsk: 5_200 as Price }));
      port.trades.set(t, trades(t, [[50, n, 'bid'], [51, n, 'ask'], [49, n, 'bid'], [50, n, 'ask']]));
    }
    port.markets.set('D', fakeMarket('D', { status: 'closed' }));
    const result = await scanMarkets({ port, clock, params: TEST_PARAMS });
    assert.equal(result.scanned, 3, 'the open filter is passed to the port');
    assert.deepEqual(result.selected.map((c) => c.ticker), ['A', 'B']);
    assert.ok(result.selected.every((c) => c.sampled));
  });

  test('an under-filled selection is topped up with zero-score markets: traded now, then tightest, then busiest, then by ticker', () => {
    const zero = (ticker: string, spreadCents: number, volume24h = 0) => ({
      ...scoreMarket(fakeMarket(ticker, { yesBid: 5_000 as Price, yesAsk: (5_000 + spreadCents * 100) as Price, volume24h: volume24h as Count }), undefined, TEST_PARAMS),
      sampled: true,
    });
    const scored = { ...zero('S', 4), score: 3 };
    const pool = [scored, zero('W', 6), zero('T2', 2), zero('T1', 2), { ...zero('V', 2, 5_000), score: 0 }, zero('Q', 9)];
    assert.ok(pool.slice(1).every((c) => c.score === 0), 'no volume: score 0');
    const params = { ...TEST_PARAMS, maxMarkets: 4 };
    const ranked = rankCandidates(pool, new Set(), params);
    assert.deepEqual(ranked.map((c) => c.ticker), ['S'], 'a zero score never ranks');
    assert.deepEqual(fillUnscored(ranked, pool, new Set(), 4).map((c) => c.ticker), ['S', 'V', 'T1', 'T2']);
    assert.deepEqual(fillUnscored(ranked, pool, new Set(['Q']), 4).map((c) => c.ticker), ['S', 'Q', 'V', 'T1'], 'a zero-score market quoted now keeps its slot');
    assert.deepEqual(fillUnscored([scored, scored, scored, scored], pool, new Set(), 4).length, 4, 'a full selection takes no filler');
  });

  test('a scan of a fresh exchange (no trades, no volume) selects maxMarkets markets when asked to fill', async () => {
    const clock = new ManualClock(NOW);
    const port = new FakePort(clock);
    for (const [t, spread] of [['A', 6], ['B', 2], ['C', 4], ['D', 3]] as const)
      port.markets.set(t, fakeMarket(t, { yesBid: 4_800 as Price, yesAsk: (4_800 + spread * 100) as Price, volume24h: 0 as Count }));
    const params = { ...TEST_PARAMS, maxMarkets: 3, selectMinVolume24hContracts: 0 };
    const plain = await scanMarkets({ port, clock, params });
    assert.deepEqual(plain.selected, [], 'without filling nothing scores');
    const filled = await scanMarkets({ port, clock, params, fillUnscored: true });
    assert.deepEqual(filled.selected.map((c) => c.ticker), ['B', 'D', 'C']);
    assert.equal(filled.fillers, 3);
  });

  test('rescans come sooner while under-filled, doubling up to the refresh interval, and return to it once full', () => {
    const backoff = new RescanBackoff({ maxMarkets: 2, marketRefreshIntervalMs: 60_000, selectRescanBackoffMs: 5_000 });
    const result = (scored: number, fillers: number): SelectionResult => ({
      atMs: NOW,
      selected: Array.from({ length: scored + fillers }, () => scoreMarket(fakeMarket('X'), undefined, TEST_PARAMS)),
      candidates: [],
      scanned: 0,
      rejected: {},
      fillers,
    });
    assert.deepEqual([result(0, 2), result(1, 1), undefined, result(0, 0), result(1, 0)].map((r) => backoff.next(r)), [5_000, 10_000, 20_000, 40_000, 60_000]);
    assert.equal(backoff.next(result(2, 0)), 60_000, 'full: the refresh interval');
    assert.equal(backoff.next(result(1, 1)), 5_000, 'under-filled again: the backoff starts over');
  });
});
