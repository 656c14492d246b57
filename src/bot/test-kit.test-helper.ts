/** Shared set-up of the bot tests: default params, a fake port with one market, and settling helpers. */
import type { ManualClock, BookLevel, Count, Price } from '../core/index.js';
import { FakePort, fakeMarket } from '../orders/fake-port.test-helper.js';
import { DEFAULT_RISK_LIMITS } from '../risk/index.js';
import { DEFAULT_STRATEGY_PARAMS } from '../strategy/index.js';
import { DEFAULT_SELECTION_FILTERS } from './selection.js';
import { DEFAULT_SUPERVISOR_POLICY, type BotParams } from './supervisor-types.js';

/** Default bot params for tests: the config defaults, 1 s minimum requote interval, threshold 0 ticks. */
export const TEST_PARAMS: BotParams = {
  ...DEFAULT_STRATEGY_PARAMS,
  ...DEFAULT_RISK_LIMITS,
  ...DEFAULT_SELECTION_FILTERS,
  ...DEFAULT_SUPERVISOR_POLICY,
  requoteThresholdTicks: 0,
  minRequoteIntervalMs: 1_000,
  maxMarkets: 2,
  marketRefreshIntervalMs: 300_000,
  targetSpreadCents: 4,
  scoreSpreadWidthCents: 3,
  scoreEpsilonCents: 0.1,
  scoreOneSidedDiscount: 1,
  scoreVolumeWindow: '1h',
};

/** Returns book levels from [cents, contracts] pairs. */
export function levels(...pairs: [number, number][]): BookLevel[] {
  return pairs.map(([c, n]) => ({ price: (c * 100) as Price, count: (n * 100) as Count }));
}

/** A fake port with `tickers` open, each with a 45¢ × 55¢ book (YES bid 45, NO bid 45). */
export function portWith(clock: ManualClock, ...tickers: string[]): FakePort {
  const port = new FakePort(clock);
  for (const t of tickers) {
    port.markets.set(t, fakeMarket(t, { yesBid: 4_500 as Price, yesAsk: 5_500 as Price }));
    port.setBook(t, levels([45, 100]), levels([45, 100]));
  }
  return port;
}

/**
 * Lets pending promise chains (and the fake port's event stream) run. Everything in these tests is
 * promise-driven (the clock is manual), so draining the microtask queue a few hundred times is enough.
 */
export async function settle(rounds = 500): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/** Advances the manual clock by `ms` in steps of `stepMs`, settling after each step. */
export async function advance(clock: ManualClock, ms: number, stepMs = 250): Promise<void> {
  const end = clock.nowMs() + ms;
  while (clock.nowMs() < end) {
    clock.advanceTo(Math.min(end, clock.nowMs() + stepMs));
    await settle();
  }
}

export const START_MS = 1_000_000;
