/**
 * The market-data and quoting path on real recorded Kalshi data (test/fixtures/recordings, see its
 * README for provenance): every quote on every book event is checked against the grid invariants, and
 * the classic 60 s volatility is checked against a brute-force recomputation on real trade prints.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LineDecoder } from '../backtest/index.js';
import type { Count, PortEvent } from '../core/index.js';
import { MarketDataCache, sampleStdDev } from '../marketdata/index.js';
import { readRecording } from '../record/index.js';
import { computeQuotes } from './quote.js';
import { DEFAULT_STRATEGY_PARAMS, type StrategyMode } from './types.js';

const FIXTURES = 'test/fixtures/recordings';

async function events(file: string): Promise<PortEvent[]> {
  const path = `${FIXTURES}/${file}`;
  const decoder = new LineDecoder(path);
  const out: PortEvent[] = [];
  for await (const line of readRecording(path)) {
    const event = decoder.decode(line);
    if (event) out.push(event);
  }
  return out;
}

describe('replay of real recordings', () => {
  test('every quote computed on a real top-of-book stream is on the grid, in range and never crosses', async () => {
    const cache = new MarketDataCache();
    let quoted = 0;
    let step = 0;
    for (const event of await events('bbo-excerpt.jsonl')) {
      for (const ticker of cache.apply(event)) {
        const snapshot = cache.snapshot(ticker, event.recvMs);
        if (!snapshot || snapshot.stale) continue;
        const mode: StrategyMode = (['binary', 'textbook', 'glft'] as const)[step % 3] ?? 'binary';
        const position = (((step % 7) - 3) * 1_000) as Count;
        step++;
        const { quotes } = computeQuotes({ snapshot, position }, { ...DEFAULT_STRATEGY_PARAMS, mode, stopBeforeCloseMs: 0 });
        for (const q of [quotes.bid, quotes.ask]) {
          if (!q) continue;
          quoted++;
          assert.ok(snapshot.grid.isValid(q.price), `${ticker} ${q.side} ${q.price} off grid`);
        }
        if (quotes.bid && snapshot.bestAsk !== undefined) assert.ok(quotes.bid.price < snapshot.bestAsk, `${ticker} bid crosses`);
        if (quotes.ask && snapshot.bestBid !== undefined) assert.ok(quotes.ask.price > snapshot.bestBid, `${ticker} ask crosses`);
        if (quotes.bid && quotes.ask) assert.ok(quotes.bid.price < quotes.ask.price);
      }
    }
    assert.ok(quoted > 100, `only ${quoted} quotes were produced`);
  });

  test('the 60 s trade-price std dev equals a brute-force recomputation on real prints', async () => {
    const cache = new MarketDataCache();
    const seen: { t: number; cents: number }[] = [];
    let last: number | undefined;
    let checked = 0;
    for (const event of await events('trades-excerpt.jsonl')) {
      cache.apply(event);
      if (event.type !== 'trade') continue;
      seen.push({ t: event.recvMs, cents: event.trade.price / 100 });
      const window = seen.filter((s) => s.t > event.recvMs - 60_000 && s.t <= event.recvMs).map((s) => s.cents);
      const expected = sampleStdDev(window) ?? last;
      last = expected;
      const actual = cache.snapshot(event.trade.ticker, event.recvMs)?.tradeStdDevCents;
      if (expected === undefined) assert.equal(actual, undefined);
      else {
        assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `at ${event.recvMs}: expected ${expected}, was ${actual}`);
        checked++;
      }
    }
    assert.ok(checked > 10, `only ${checked} trades had a defined std dev`);
  });
});
