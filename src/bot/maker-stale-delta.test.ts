// A book delta below the others' best asks for no cycle (own-book.ts `belowOthersTop`), unless it is
// what ends the market's staleness by age: then the quotes pulled while it was stale come back at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, MemoryLogger, TransportError, type Count, type Price } from '../core/index.js';
import { DEFAULT_MARKET_STATE_OPTIONS } from '../marketdata/index.js';
import { ClientOrderIds } from '../orders/index.js';
import { MarketMaker } from './maker.js';
import { TEST_PARAMS, START_MS, advance, portWith, settle } from './test-kit.test-helper.js';

const T = 'MKT-S';

test('a delta below the top that ends staleness by age brings the quotes back at once, not at the next backed-off heartbeat', async () => {
  const clock = new ManualClock(START_MS);
  const port = portWith(clock, T);
  const maker = new MarketMaker({
    port,
    clock,
    logger: new MemoryLogger(),
    ticker: T,
    params: { ...TEST_PARAMS, quietHeartbeatMaxMs: 60_000 },
    ids: new ClientOrderIds('sd'),
    timings: { heartbeatMs: 1_000, refreshBackoffMs: 5_000 },
    marketState: { ...DEFAULT_MARKET_STATE_OPTIONS, staleAfterMs: 5_000 },
  });
  await maker.start();
  await settle();
  assert.equal(port.resting(T).length, 2, 'quoting both sides');
  // The REST refresh of a stale market keeps failing: only the stream can make it fresh again.
  port.getOrderBook = () => Promise.reject(new TransportError('connection reset'));
  await advance(clock, 40_000);
  assert.equal(port.resting(T).length, 0, 'stale by age: quotes pulled');
  assert.equal(maker.status().health.stale, true);
  // A YES bid joins at 40¢, below the others' best bid of 45¢: the market is fresh again.
  await maker.onEvent({ type: 'book_delta', recvMs: clock.nowMs(), ticker: T, side: 'yes', price: 4_000 as Price, delta: 100 as Count });
  await settle();
  assert.equal(maker.status().health.stale, false);
  assert.equal(port.resting(T).length, 2, 'quoting again without waiting for a heartbeat');
});
