import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/index.js';
import { Poller, type PolledTrade, type PollSource } from './poller.js';
import type { RecordingSink } from './recorder.js';
import type { RecordingLineOut } from './writer.js';

const T0 = 1_800_000_000_000;

function trade(id: string, ms: number): PolledTrade {
  return {
    trade_id: id,
    ticker: 'A',
    count_fp: '1.00',
    yes_price_dollars: '0.5000',
    no_price_dollars: '0.5000',
    taker_side: 'yes',
    created_time: new Date(ms).toISOString(),
  };
}

describe('Poller', () => {
  test('writes a snapshot per market per poll and every trade once although polls overlap', async () => {
    const clock = new ManualClock(T0);
    const lines: RecordingLineOut[] = [];
    const sink: RecordingSink = { write: (l) => void lines.push(l), flush: () => Promise.resolve(), close: () => Promise.resolve() };
    let all: PolledTrade[] = [];
    const queries: number[] = [];
    const source: PollSource = {
      getOrderbook: () => Promise.resolve({ yes_dollars: [['0.4900', '10.00']], no_dollars: null }),
      // Newest first, two per page, filtered by whole seconds like the API.
      getTrades: (_t, minTsS, cursor) => {
        queries.push(minTsS);
        const list = all.filter((t) => Date.parse(t.created_time) >= minTsS * 1000).reverse();
        const start = cursor === undefined ? 0 : Number(cursor);
        return Promise.resolve({ trades: list.slice(start, start + 2), ...(start + 2 < list.length ? { cursor: String(start + 2) } : {}) });
      },
      fetchMarket: (ticker) => Promise.resolve({ ticker }),
    };
    const poller = new Poller({ source, sink, clock, tickers: ['A'] });
    all = [trade('old', T0 - 10_000), trade('t1', T0 + 100), trade('t2', T0 + 400)];
    clock.advanceBy(500);
    await poller.pollOnce();
    all = [...all, trade('t3', T0 + 900), trade('t4', T0 + 900)];
    clock.advanceBy(500);
    await poller.pollOnce();
    clock.advanceBy(500);
    await poller.pollOnce();
    const ids = lines.filter((l) => l.type === 'trade').map((l) => (l.msg as { trade_id: string }).trade_id);
    assert.deepEqual(ids, ['t1', 't2', 't3', 't4']);
    assert.equal(lines.filter((l) => l.type === 'orderbook_snapshot').length, 3);
    assert.deepEqual(lines.find((l) => l.type === 'orderbook_snapshot')?.msg, {
      market_ticker: 'A',
      yes_dollars_fp: [['0.4900', '10.00']],
      no_dollars_fp: [],
    });
    assert.ok(poller.stats.duplicatesSkipped > 0, 'the overlap re-read trades and skipped them');
    assert.ok(queries.every((q) => Number.isInteger(q)));
    const t1 = lines.find((l) => l.type === 'trade')?.msg as Record<string, unknown>;
    assert.deepEqual(t1, {
      trade_id: 't1',
      market_ticker: 'A',
      yes_price_dollars: '0.5000',
      no_price_dollars: '0.5000',
      count_fp: '1.00',
      taker_side: 'yes',
      ts: Math.floor((T0 + 100) / 1000),
      ts_ms: T0 + 100,
    });
    const times = lines.map((l) => l.recv_ms);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
  });
});
