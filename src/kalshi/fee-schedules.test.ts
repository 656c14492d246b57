import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, DEFAULT_FEE_SCHEDULE, MemoryLogger } from '../core/index.js';
import { FeeSchedules } from './fee-schedules.js';
import type { KalshiRestClient } from './rest/client.js';

function stubRest(calls: string[], failSeriesOnce = false) {
  let failed = false;
  const events: Record<string, { event_ticker: string; series_ticker: string; fee_multiplier_override?: number }> = {
    'KXHIGHNY-25DEC05': { event_ticker: 'KXHIGHNY-25DEC05', series_ticker: 'KXHIGHNY' },
    'KXHIGHNY-25DEC06': { event_ticker: 'KXHIGHNY-25DEC06', series_ticker: 'KXHIGHNY', fee_multiplier_override: 0.5 },
  };
  return {
    getEvent: async (ticker: string) => {
      calls.push(`event ${ticker}`);
      const event = events[ticker];
      if (!event) throw new ApiError(404, 'not_found', 'no event', 'GET', `/events/${ticker}`);
      return { event };
    },
    getSeries: async (ticker: string) => {
      calls.push(`series ${ticker}`);
      if (failSeriesOnce && !failed) {
        failed = true;
        throw new ApiError(503, 'service_unavailable', 'down', 'GET', `/series/${ticker}`);
      }
      return { series: { ticker, fee_type: 'quadratic_with_maker_fees', fee_multiplier: 1 } };
    },
    iterateEvents: async function* () {
      calls.push('events page');
      yield* Object.values(events);
    },
  } as unknown as KalshiRestClient;
}

describe('FeeSchedules', () => {
  test('events of one series share one series look-up, and event overrides apply', async () => {
    const calls: string[] = [];
    const fees = new FeeSchedules(stubRest(calls), new MemoryLogger());
    assert.deepEqual(await fees.of('KXHIGHNY-25DEC05'), { fees: { feeType: 'quadratic_with_maker_fees', multiplier: 10_000 }, seriesTicker: 'KXHIGHNY' });
    assert.deepEqual((await fees.of('KXHIGHNY-25DEC06')).fees, { feeType: 'quadratic_with_maker_fees', multiplier: 5000 });
    await fees.of('KXHIGHNY-25DEC05');
    assert.deepEqual(calls, ['event KXHIGHNY-25DEC05', 'series KXHIGHNY', 'event KXHIGHNY-25DEC06']);
  });

  test('priming loads events from the list so a scan needs no per-event call', async () => {
    const calls: string[] = [];
    const fees = new FeeSchedules(stubRest(calls), new MemoryLogger());
    await fees.prime('open');
    await fees.of('KXHIGHNY-25DEC05');
    await fees.of('KXHIGHNY-25DEC06');
    assert.deepEqual(calls, ['events page', 'series KXHIGHNY']);
  });

  test('a failed look-up falls back to default fees with a warning and is retried next time', async () => {
    const calls: string[] = [];
    const logger = new MemoryLogger();
    const fees = new FeeSchedules(stubRest(calls, true), logger);
    assert.deepEqual(await fees.of('KXHIGHNY-25DEC05'), { fees: DEFAULT_FEE_SCHEDULE });
    assert.equal(logger.records.filter((r) => r.level === 'warn').length, 1);
    assert.equal((await fees.of('KXHIGHNY-25DEC05')).seriesTicker, 'KXHIGHNY');
    assert.equal(calls.filter((c) => c === 'series KXHIGHNY').length, 2);
  });
});
