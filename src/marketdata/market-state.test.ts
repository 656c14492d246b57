import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TickGrid, type Count, type PortEvent, type Price } from '../core/index.js';
import { MarketDataCache } from './cache.js';
import { MarketState, microPrice } from './market-state.js';
import { DEFAULT_MARKET_STATE_OPTIONS } from './types.js';

const lvl = (cents: number, contracts: number) => ({ price: (cents * 100) as Price, count: (contracts * 100) as Count });
const snapshot = (recvMs: number, ticker = 'T'): PortEvent => ({ type: 'book_snapshot', recvMs, ticker, yes: [lvl(47, 3), lvl(48, 10)], no: [lvl(48, 5)] });
const trade = (recvMs: number, cents: number, id: string, ticker = 'T'): PortEvent => ({
  type: 'trade',
  recvMs,
  trade: { tradeId: id, ticker, price: (cents * 100) as Price, count: 100 as Count, takerSide: 'bid', tsMs: recvMs },
});

describe('MarketState', () => {
  test('reports best bid/ask, sizes, mid, spread and micro-price from the bids-only book', () => {
    const s = new MarketState('T', DEFAULT_MARKET_STATE_OPTIONS);
    s.apply(snapshot(1_000));
    const v = s.snapshot(1_000);
    assert.equal(v.bestBid, 4800);
    assert.equal(v.bestAsk, 5200); // 1 − best NO bid 48¢
    assert.equal(v.bestBidSize, 1000);
    assert.equal(v.bestAskSize, 500);
    assert.equal(v.mid, 5000);
    assert.equal(v.spread, 400);
    // (48·5 + 52·10) / 15 = 50.666…¢: leans toward the thinner ask.
    assert.ok(Math.abs((v.microPrice ?? 0) - 5066.666666666667) < 1e-9);
    assert.equal(v.lastUpdateMs, 1_000);
  });

  test('applies deltas and updates the top of book', () => {
    const s = new MarketState('T', DEFAULT_MARKET_STATE_OPTIONS);
    s.apply(snapshot(0));
    s.apply({ type: 'book_delta', recvMs: 10, ticker: 'T', side: 'yes', price: 4900 as Price, delta: 200 as Count });
    assert.equal(s.snapshot(10).bestBid, 4900);
    assert.equal(s.snapshot(10).bestBidSize, 200);
  });

  test('is stale before any snapshot, after a stale event until the next snapshot, and after silence', () => {
    const s = new MarketState('T', { ...DEFAULT_MARKET_STATE_OPTIONS, staleAfterMs: 30_000 });
    assert.equal(s.isStale(0), true);
    assert.equal(s.staleReason(0), 'no book snapshot yet');
    s.apply(snapshot(1_000));
    assert.equal(s.isStale(1_000), false);
    s.apply({ type: 'stale', recvMs: 2_000, ticker: 'T', reason: 'seq gap' });
    assert.equal(s.staleReason(2_000), 'seq gap');
    assert.equal(s.snapshot(2_000).mid, undefined);
    s.apply(snapshot(3_000));
    assert.equal(s.isStale(3_000), false);
    assert.equal(s.isStale(33_000), false);
    assert.equal(s.isStale(33_001), true);
  });

  test('a delta that would make a level negative makes the market stale', () => {
    const s = new MarketState('T', DEFAULT_MARKET_STATE_OPTIONS);
    s.apply(snapshot(0));
    s.apply({ type: 'book_delta', recvMs: 5, ticker: 'T', side: 'no', price: 4800 as Price, delta: -600 as Count });
    assert.equal(s.isStale(5), true);
  });

  test('feeds trades to the 60 s volatility, the volume and κ, ignoring duplicate trade ids', () => {
    const s = new MarketState('T', DEFAULT_MARKET_STATE_OPTIONS);
    s.apply(snapshot(0));
    s.apply(trade(1_000, 50, 'a'));
    s.apply(trade(2_000, 52, 'b'));
    s.apply(trade(2_000, 52, 'b'));
    s.apply(trade(3_000, 51, 'c'));
    const v = s.snapshot(3_000);
    assert.equal(v.tradeStdDevCents, 1);
    assert.equal(v.tradesInVolWindow, 3);
    assert.equal(v.volume1h, 300);
    assert.equal(v.high1h, 5200);
    assert.notEqual(v.kappaPerCent, DEFAULT_MARKET_STATE_OPTIONS.kappaPriorPerCent);
  });

  test('market events set status, close time and grid', () => {
    const s = new MarketState('T', DEFAULT_MARKET_STATE_OPTIONS);
    const grid = new TickGrid([{ start: 0 as Price, end: 10_000 as Price, step: 10 }]);
    s.apply({ type: 'market', recvMs: 0, ticker: 'T', status: 'closed', closeTimeMs: 99, grid });
    const v = s.snapshot(0);
    assert.equal(v.status, 'closed');
    assert.equal(v.closeTimeMs, 99);
    assert.equal(v.grid, grid);
  });

  test('microPrice is the mid when both sizes are zero', () => {
    assert.equal(microPrice(4000 as Price, 4200 as Price, 0 as Count, 0 as Count), 4100);
  });
});

describe('MarketDataCache', () => {
  test('routes events by ticker and returns the tickers that changed', () => {
    const cache = new MarketDataCache();
    assert.deepEqual(cache.apply(snapshot(0, 'A')), ['A']);
    assert.deepEqual(cache.apply(trade(1, 50, 'x', 'B')), ['B']);
    assert.deepEqual(cache.apply({ type: 'fill', recvMs: 1, fill: {} as never }), []);
    assert.equal(cache.snapshot('A', 0)?.mid, 5000);
    assert.equal(cache.get('C'), undefined);
    assert.equal(cache.needsRefresh('C', 0), true);
  });

  test('a stale event without a ticker and a lost connection mark every market stale', () => {
    const cache = new MarketDataCache();
    cache.apply(snapshot(0, 'A'));
    cache.apply(snapshot(0, 'B'));
    assert.deepEqual([...cache.apply({ type: 'stale', recvMs: 1, reason: 'reconnect' })].sort(), ['A', 'B']);
    assert.equal(cache.needsRefresh('A', 1), true);
    cache.apply(snapshot(2, 'A'));
    cache.apply(snapshot(2, 'B'));
    cache.apply({ type: 'connection', recvMs: 3, connected: false });
    assert.equal(cache.get('B')?.isStale(3), true);
    assert.deepEqual(cache.apply({ type: 'connection', recvMs: 4, connected: true }), []);
  });
});
