// The maker's heartbeat in a quiet market (heartbeat.ts): it backs off, comes back on activity and
// still acts on time-based deadlines within a second.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, MemoryLogger, type PortEvent, type Price } from '../core/index.js';
import { DEFAULT_MARKET_STATE_OPTIONS } from '../marketdata/index.js';
import { fakeMarket } from '../orders/fake-port.test-helper.js';
import { ClientOrderIds } from '../orders/index.js';
import { MarketMaker } from './maker.js';
import { TEST_PARAMS, START_MS, advance, levels, portWith, settle } from './test-kit.test-helper.js';

const T = 'MKT-Q';

async function started(overrides: Partial<typeof TEST_PARAMS>, options: { closeTimeMs?: number; staleAfterMs?: number } = {}) {
  const clock = new ManualClock(START_MS);
  const port = portWith(clock, T);
  if (options.closeTimeMs !== undefined) port.markets.set(T, fakeMarket(T, { yesBid: 4_500 as Price, yesAsk: 5_500 as Price, closeTimeMs: options.closeTimeMs }));
  const bookTimes: number[] = [];
  const getOrderBook = port.getOrderBook.bind(port);
  port.getOrderBook = (ticker: string) => (bookTimes.push(clock.nowMs()), getOrderBook(ticker));
  const maker = new MarketMaker({
    port,
    clock,
    logger: new MemoryLogger(),
    ticker: T,
    params: { ...TEST_PARAMS, ...overrides },
    ids: new ClientOrderIds('hb'),
    timings: { heartbeatMs: 1_000, refreshBackoffMs: 5_000 },
    marketState: { ...DEFAULT_MARKET_STATE_OPTIONS, staleAfterMs: options.staleAfterMs ?? DEFAULT_MARKET_STATE_OPTIONS.staleAfterMs },
  });
  await maker.start();
  await settle();
  return { clock, port, maker, bookTimes };
}

function snapshot(yesBidCents: number, noBidCents: number, recvMs: number): PortEvent {
  return { type: 'book_snapshot', recvMs, ticker: T, yes: levels([yesBidCents, 100]), no: levels([noBidCents, 100]) };
}

describe('MarketMaker heartbeat in a quiet market', () => {
  test('backs off toward quietHeartbeatMaxMs while nothing happens, and beats every second again after a book event', async () => {
    const quiet = await started({ quietHeartbeatMaxMs: 8_000 });
    const every = await started({ quietHeartbeatMaxMs: 1_000 });
    for (const m of [quiet, every]) await advance(m.clock, 60_000, 500);
    const quietCycles = quiet.maker.status().cycles;
    assert.equal(every.maker.status().cycles, 61, 'without back-off: the start cycle and one per second');
    // 1, 2, 4, then 8 s apart (a quote that moves with the decaying σ brings one back to 1 s).
    assert.ok(quietCycles >= 8 && quietCycles <= 20, `${quietCycles} cycles in 60 s`);
    assert.equal(quiet.port.resting(T).length, 2, 'still quoting both sides');
    quiet.port.setBook(T, levels([50, 100]), levels([40, 100]));
    await quiet.maker.onEvent(snapshot(50, 40, quiet.clock.nowMs()));
    const before = quiet.maker.status().cycles;
    await advance(quiet.clock, 2_000, 250);
    // The event's own cycle (at once, or at the end of the requote interval), then heartbeats a second
    // apart again: the pending one, up to 8 s away, was brought back.
    assert.ok(quiet.maker.status().cycles - before >= 2, `${quiet.maker.status().cycles - before} cycles in the 2 s after the event`);
  });

  test('a backed-off heartbeat still stops quoting by the stop before close', async () => {
    // Close in 10 min, stop 5 min before; no widening window, no staleness: only the deadline acts.
    const closeTimeMs = START_MS + 600_000;
    const { clock, port } = await started({ quietHeartbeatMaxMs: 8_000, widenBeforeCloseMs: 0, stopBeforeCloseMs: 300_000 }, { closeTimeMs, staleAfterMs: 3_600_000 });
    await advance(clock, 298_000, 500);
    assert.equal(port.resting(T).length, 2, 'quoting until the stop');
    await advance(clock, 3_000, 250);
    assert.equal(port.resting(T).length, 0, 'quotes pulled within a second of close − stopBeforeCloseMs');
  });

  test('a backed-off heartbeat refreshes a market within a second of it going stale by age', async () => {
    const { clock, bookTimes } = await started({ quietHeartbeatMaxMs: 30_000 }, { staleAfterMs: 100_000 });
    await advance(clock, 110_000, 500);
    const refresh = bookTimes.find((t) => t > START_MS);
    assert.ok(refresh !== undefined, 'the stale market was refreshed');
    assert.ok(refresh - START_MS > 100_000 && refresh - START_MS <= 101_001, `refreshed at +${refresh - START_MS} ms (stale after +100 000)`);
  });
});
