/**
 * Fee schedules of markets (kalshi-api.md §10.1): a market's fees come from its series
 * (`fee_type`, `fee_multiplier`), overridden by its event (`fee_type_override`,
 * `fee_multiplier_override`). Markets carry neither, so the schedule costs an event and a series
 * look-up. Both are cached (series are shared by many events), and `prime()` loads the events of a
 * whole scan from the paginated `/events` list (200 per call) instead of one call per event.
 */
import { DEFAULT_FEE_SCHEDULE, type FeeSchedule, type Logger } from '../core/index.js';
import type { KalshiRestClient } from './rest/client.js';
import * as w from './wire/index.js';
import type { z } from 'zod';

type WireEvent = z.output<typeof w.eventSchema>;
type WireSeries = z.output<typeof w.seriesSchema>;

/** A market's fee schedule and, when known, its series. */
export interface MarketFees {
  readonly fees: FeeSchedule;
  readonly seriesTicker?: string;
}

/** Cached fee schedules per event. */
export class FeeSchedules {
  private readonly events = new Map<string, Promise<WireEvent>>();
  private readonly series = new Map<string, Promise<WireSeries>>();

  constructor(
    private readonly rest: KalshiRestClient,
    private readonly logger: Logger,
  ) {}

  /** Loads every event of this status into the cache (one call per 200 events). Failures are logged. */
  async prime(status: 'unopened' | 'open' | 'closed' | 'settled'): Promise<void> {
    try {
      for await (const event of this.rest.iterateEvents({ status, limit: 200 })) {
        if (!this.events.has(event.event_ticker)) this.events.set(event.event_ticker, Promise.resolve(event));
      }
    } catch (error) {
      this.logger.warn({ status, error: error instanceof Error ? error.message : 'unknown' }, 'event list unavailable; looking events up one by one');
    }
  }

  /**
   * Returns the fee schedule of an event's markets. When the event or series cannot be read, logs a
   * warning and returns taker-only quadratic fees (the schedule of most series) without caching the
   * failure, so the next call tries again.
   */
  async of(eventTicker: string): Promise<MarketFees> {
    try {
      const event = await this.cached(this.events, eventTicker, async () => (await this.rest.getEvent(eventTicker)).event);
      const series = await this.cached(this.series, event.series_ticker, async () => (await this.rest.getSeries(event.series_ticker)).series);
      return { fees: w.feeScheduleFromWire(series, event), seriesTicker: event.series_ticker };
    } catch (error) {
      this.logger.warn({ eventTicker, error: error instanceof Error ? error.message : 'unknown' }, 'fee schedule unavailable; assuming taker-only quadratic fees');
      return { fees: DEFAULT_FEE_SCHEDULE };
    }
  }

  private cached<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    let value = cache.get(key);
    if (!value) {
      value = load();
      cache.set(key, value);
      const loading = value;
      loading.catch(() => {
        if (cache.get(key) === loading) cache.delete(key);
      });
    }
    return value;
  }
}
