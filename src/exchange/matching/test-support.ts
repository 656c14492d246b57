/**
 * Builders shared by the engine's tests and benchmarks (and usable by other folders' tests): an
 * engine on a ManualClock with one or more linear-cent markets and funded accounts, and a terse
 * order-request builder.
 */
import {
  DEFAULT_FEE_SCHEDULE,
  ManualClock,
  TickGrid,
  type Cash,
  type Count,
  type FeeSchedule,
  type Price,
} from '../../core/index.js';
import { MatchingEngine } from './engine.js';
import type { EngineEvent, EngineOrderRequest, MarketDefinition } from './types.js';

/** Start time of test engines: 2026-01-01T00:00:00Z. */
export const TEST_START_MS = 1_767_225_600_000;

/** Returns a market definition with sensible defaults (linear cent grid, taker-only fees, closes in a day). */
export function testMarket(ticker: string, overrides: Partial<MarketDefinition> = {}): MarketDefinition {
  return {
    ticker,
    eventTicker: `${ticker}-EV`,
    seriesTicker: 'KXTEST',
    title: `Test market ${ticker}`,
    grid: TickGrid.linearCent(),
    fees: DEFAULT_FEE_SCHEDULE,
    openTimeMs: TEST_START_MS,
    closeTimeMs: TEST_START_MS + 86_400_000,
    status: 'active',
    ...overrides,
  };
}

/** A test engine with its clock and recorded events. */
export interface TestEngine {
  readonly engine: MatchingEngine;
  readonly clock: ManualClock;
  readonly events: EngineEvent[];
}

/** Options of `testEngine`. */
export interface TestEngineOptions {
  readonly tickers?: readonly string[];
  readonly accounts?: readonly string[];
  /** Starting balance of each account; default $1,000. */
  readonly balance?: number;
  readonly fees?: FeeSchedule;
  readonly precision?: 1 | 100;
}

/** Returns an engine with markets (default `M1`) and accounts (default `a`, `b`, `c`) and an event log. */
export function testEngine(options: TestEngineOptions = {}): TestEngine {
  const clock = new ManualClock(TEST_START_MS);
  const engine = new MatchingEngine({ clock, balancePrecision: options.precision ?? 100 });
  const events: EngineEvent[] = [];
  engine.subscribe((event) => events.push(event));
  for (const ticker of options.tickers ?? ['M1']) engine.addMarket(testMarket(ticker, options.fees ? { fees: options.fees } : {}));
  for (const id of options.accounts ?? ['a', 'b', 'c']) engine.addAccount(id, (options.balance ?? 10_000_000) as Cash);
  return { engine, clock, events };
}

let clientSeq = 0;

/**
 * Returns an order request: `side` at `cents` (whole cents) for `whole` contracts, GTC, not post-only,
 * `taker_at_cross`, a fresh client id; `overrides` replace any field.
 */
export function order(side: 'bid' | 'ask', cents: number, whole: number, overrides: Partial<EngineOrderRequest> = {}): EngineOrderRequest {
  return {
    ticker: 'M1',
    side,
    price: (cents * 100) as Price,
    count: (whole * 100) as Count,
    timeInForce: 'good_till_canceled',
    postOnly: false,
    selfTradePrevention: 'taker_at_cross',
    clientOrderId: `c-${++clientSeq}`,
    ...overrides,
  };
}
