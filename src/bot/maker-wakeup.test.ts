import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, MemoryLogger, type PortEvent } from '../core/index.js';
import { ClientOrderIds } from '../orders/index.js';
import { MarketMaker } from './maker.js';
import { TEST_PARAMS, START_MS, levels, portWith, settle } from './test-kit.test-helper.js';

const T = 'MKT-A';

function snapshot(yesBidCents: number, noBidCents: number, recvMs: number): PortEvent {
  return { type: 'book_snapshot', recvMs, ticker: T, yes: levels([yesBidCents, 100]), no: levels([noBidCents, 100]) };
}

test('a book event that arrives while a sending cycle is finishing is never lost, whatever the microtask it lands in', async () => {
  const lost: number[] = [];
  for (let k = 0; k < 60; k++) {
    const clock = new ManualClock(START_MS);
    const port = portWith(clock, T);
    const maker = new MarketMaker({ port, clock, logger: new MemoryLogger(), ticker: T, params: { ...TEST_PARAMS, minRequoteIntervalMs: 0 }, ids: new ClientOrderIds('t1'), timings: { heartbeatMs: 0, refreshBackoffMs: 5_000 } });
    await maker.start();
    await settle();
    port.setBook(T, levels([55, 100]), levels([35, 100]));
    void maker.onEvent(snapshot(55, 35, clock.nowMs()));
    for (let i = 0; i < k; i++) await Promise.resolve();
    port.setBook(T, levels([35, 100]), levels([55, 100]));
    void maker.onEvent(snapshot(35, 55, clock.nowMs()));
    await settle();
    // The last cycle must have read the second book (fair price 40¢), not the first (60¢).
    if (maker.status().diagnostics?.fairCents !== 40) lost.push(k);
  }
  assert.deepEqual(lost, [], 'the second book was quoted after every offset');
});
