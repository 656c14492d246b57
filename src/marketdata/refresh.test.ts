import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiError,
  DEFAULT_FEE_SCHEDULE,
  TickGrid,
  TransportError,
  type BookSnapshot,
  type Clock,
  type Count,
  type ExchangePort,
  type Market,
  type Price,
  type PublicTrade,
} from '../core/index.js';
import { MarketDataCache } from './cache.js';
import { refreshMarket } from './refresh.js';

/** A clock whose sleeps resolve at once and are recorded (so retries need no real time). */
class RecordingClock implements Clock {
  now = 10_000;
  readonly sleeps: number[] = [];
  nowMs(): number {
    return this.now;
  }
  setTimer(): { cancel(): void } {
    return { cancel: () => undefined };
  }
  sleep(delayMs: number): Promise<void> {
    this.sleeps.push(delayMs);
    this.now += delayMs;
    return Promise.resolve();
  }
}

const market: Market = {
  ticker: 'T',
  eventTicker: 'E',
  title: 't',
  status: 'active',
  openTimeMs: 0,
  closeTimeMs: 1e12,
  grid: TickGrid.linearCent(),
  fees: DEFAULT_FEE_SCHEDULE,
  result: '',
  volume: 0 as Count,
  volume24h: 0 as Count,
  openInterest: 0 as Count,
};
const book: BookSnapshot = { ticker: 'T', yes: [{ price: 4000 as Price, count: 100 as Count }], no: [{ price: 5000 as Price, count: 100 as Count }] };
const trades: PublicTrade[] = [
  { tradeId: 'b', ticker: 'T', price: 4200 as Price, count: 100 as Count, takerSide: 'bid', tsMs: 9_000 },
  { tradeId: 'a', ticker: 'T', price: 4100 as Price, count: 100 as Count, takerSide: 'ask', tsMs: 8_000 },
];

function fakePort(failures: Error[]): ExchangePort & { bookCalls: number } {
  const port = {
    bookCalls: 0,
    getMarket: () => Promise.resolve(market),
    getOrderBook: () => {
      port.bookCalls++;
      const failure = failures.shift();
      return failure ? Promise.reject(failure) : Promise.resolve(book);
    },
    listTrades: async function* () {
      yield* trades;
    },
  };
  return port as unknown as ExchangePort & { bookCalls: number };
}

describe('refreshMarket', () => {
  test('loads metadata, the book and recent trades into a missing market', async () => {
    const cache = new MarketDataCache();
    const clock = new RecordingClock();
    const result = await refreshMarket(cache, 'T', fakePort([]), { clock, tradesLookbackMs: 60_000 });
    assert.deepEqual(result, { ticker: 'T', attempts: 1, tradesApplied: 2 });
    const v = cache.snapshot('T', clock.now);
    assert.equal(v?.stale, false);
    assert.equal(v?.mid, 4500);
    assert.equal(v?.hasMetadata, true);
    assert.equal(v?.tradesInVolWindow, 2);
  });

  test('retries retryable errors with doubling backoff on the injected clock', async () => {
    const cache = new MarketDataCache();
    const clock = new RecordingClock();
    const port = fakePort([new TransportError('reset'), new ApiError(503, 'unavailable', 'x', 'GET', '/orderbook')]);
    const result = await refreshMarket(cache, 'T', port, { clock, baseDelayMs: 100 });
    assert.equal(result.attempts, 3);
    assert.deepEqual(clock.sleeps, [100, 200]);
    assert.equal(cache.needsRefresh('T', clock.now), false);
  });

  test('throws a non-retryable error at once and leaves the market stale', async () => {
    const cache = new MarketDataCache();
    const clock = new RecordingClock();
    const port = fakePort([new ApiError(404, 'not_found', 'no market', 'GET', '/orderbook')]);
    await assert.rejects(refreshMarket(cache, 'T', port, { clock }), ApiError);
    assert.equal(port.bookCalls, 1);
    assert.equal(cache.needsRefresh('T', clock.now), true);
  });

  test('MarketDataCache.refresh is the same helper', async () => {
    const cache = new MarketDataCache();
    const clock = new RecordingClock();
    assert.equal((await cache.refresh('T', fakePort([]), { clock })).attempts, 1);
    assert.equal(cache.needsRefresh('T', clock.now), false);
  });

  test('gives up after maxAttempts and throws the last error', async () => {
    const cache = new MarketDataCache();
    const clock = new RecordingClock();
    const port = fakePort([new TransportError('1'), new TransportError('2'), new TransportError('3')]);
    await assert.rejects(refreshMarket(cache, 'T', port, { clock, maxAttempts: 2 }), /2/);
    assert.equal(port.bookCalls, 2);
  });
});
