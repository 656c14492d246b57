/**
 * Market universes for the generator: the default one (twelve markets across four events, three
 * tick structures, thin to busy liquidity, closes from 20 minutes to 3 days at speed 1) and one
 * parsed from a JSON definition (`--markets FILE`).
 */
import { z } from 'zod';
import { ConfigError, DEFAULT_FEE_SCHEDULE, PRICE_SCALE, TickGrid, type FeeSchedule, type Price } from '../../core/index.js';
import type { MarketDefinition } from '../matching/index.js';

/** Tick structures the generator can list (kalshi-api.md §3.2). */
export type PriceLevelStructure = 'linear_cent' | 'deci_cent' | 'tapered_deci_cent';

/** How much background activity a market gets. */
export type LiquidityProfile = 'thin' | 'normal' | 'busy';

/** One market of a universe. Times are relative to the simulation start, at speed 1. */
export interface SimMarketSpec {
  readonly ticker: string;
  readonly eventTicker: string;
  readonly seriesTicker: string;
  readonly title: string;
  readonly priceLevelStructure: PriceLevelStructure;
  readonly fees: FeeSchedule;
  /** Time from start to close at speed 1. */
  readonly closeAfterMs: number;
  /** Fair YES probability at start, in (0, 1). */
  readonly initialProbability: number;
  /** Diffusion of the fair value in logit space, per square-root hour. */
  readonly volatilityPerSqrtHour: number;
  /** Expected jumps per hour and their standard deviation in logit space. */
  readonly jumpsPerHour: number;
  readonly jumpStdDev: number;
  readonly liquidity: LiquidityProfile;
}

/** A set of markets to simulate. */
export interface UniverseDefinition {
  readonly markets: readonly SimMarketSpec[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const MAKER_FEES: FeeSchedule = { feeType: 'quadratic_with_maker_fees', multiplier: 10_000 };

/** Returns the tick grid of a structure. */
export function gridFor(structure: PriceLevelStructure): TickGrid {
  const p = (dollars: number): Price => Math.round(dollars * PRICE_SCALE) as Price;
  switch (structure) {
    case 'linear_cent':
      return TickGrid.linearCent();
    case 'deci_cent':
      return new TickGrid([{ start: p(0), end: p(1), step: 10 }]);
    case 'tapered_deci_cent':
      return new TickGrid([
        { start: p(0), end: p(0.1), step: 10 },
        { start: p(0.1), end: p(0.9), step: 100 },
        { start: p(0.9), end: p(1), step: 10 },
      ]);
  }
}

function spec(
  base: Pick<SimMarketSpec, 'ticker' | 'eventTicker' | 'seriesTicker' | 'title'>,
  rest: Partial<Omit<SimMarketSpec, 'ticker' | 'eventTicker' | 'seriesTicker' | 'title'>>,
): SimMarketSpec {
  return {
    priceLevelStructure: 'linear_cent',
    fees: DEFAULT_FEE_SCHEDULE,
    closeAfterMs: 6 * HOUR,
    initialProbability: 0.5,
    volatilityPerSqrtHour: 0.25,
    jumpsPerHour: 0.2,
    jumpStdDev: 0.5,
    liquidity: 'normal',
    ...base,
    ...rest,
  };
}

/**
 * Returns the default universe: a weather event (four brackets, busy to thin, closes in 8 h), a
 * crypto hourly event (three deci-cent strikes, busy, closes in 20 min to 2 h), a Fed decision
 * (three tapered markets with maker fees, closes in 3 days) and a game (two markets, 5 h).
 */
export function defaultUniverse(): UniverseDefinition {
  const weather = { eventTicker: 'KXHIGHNY-26JAN01', seriesTicker: 'KXHIGHNY' };
  const crypto = { eventTicker: 'KXBTCD-26JAN0117', seriesTicker: 'KXBTCD' };
  const fed = { eventTicker: 'KXFED-26JAN', seriesTicker: 'KXFED' };
  const game = { eventTicker: 'KXNBAGAME-26JAN01BOSLAL', seriesTicker: 'KXNBAGAME' };
  return {
    markets: [
      spec({ ...weather, ticker: 'KXHIGHNY-26JAN01-B36.5', title: 'Highest temperature in NYC on Jan 1: 36° to 37°' }, { closeAfterMs: 8 * HOUR, initialProbability: 0.22, liquidity: 'busy', volatilityPerSqrtHour: 0.35 }),
      spec({ ...weather, ticker: 'KXHIGHNY-26JAN01-B38.5', title: 'Highest temperature in NYC on Jan 1: 38° to 39°' }, { closeAfterMs: 8 * HOUR, initialProbability: 0.41, liquidity: 'busy', volatilityPerSqrtHour: 0.35 }),
      spec({ ...weather, ticker: 'KXHIGHNY-26JAN01-B40.5', title: 'Highest temperature in NYC on Jan 1: 40° to 41°' }, { closeAfterMs: 8 * HOUR, initialProbability: 0.27, liquidity: 'normal', volatilityPerSqrtHour: 0.35 }),
      spec({ ...weather, ticker: 'KXHIGHNY-26JAN01-T42', title: 'Highest temperature in NYC on Jan 1: above 42°' }, { closeAfterMs: 8 * HOUR, initialProbability: 0.06, liquidity: 'thin', volatilityPerSqrtHour: 0.3 }),
      spec({ ...crypto, ticker: 'KXBTCD-26JAN0117-T94999.99', title: 'Bitcoin above $95,000 at 5pm EST?' }, { priceLevelStructure: 'deci_cent', closeAfterMs: 20 * MINUTE, initialProbability: 0.55, liquidity: 'busy', volatilityPerSqrtHour: 1.2, jumpsPerHour: 1 }),
      spec({ ...crypto, ticker: 'KXBTCD-26JAN0117-T95999.99', title: 'Bitcoin above $96,000 at 5pm EST?' }, { priceLevelStructure: 'deci_cent', closeAfterMs: 45 * MINUTE, initialProbability: 0.3, liquidity: 'busy', volatilityPerSqrtHour: 1.0, jumpsPerHour: 1 }),
      spec({ ...crypto, ticker: 'KXBTCD-26JAN0117-T96999.99', title: 'Bitcoin above $97,000 at 5pm EST?' }, { priceLevelStructure: 'deci_cent', closeAfterMs: 2 * HOUR, initialProbability: 0.12, liquidity: 'normal', volatilityPerSqrtHour: 0.8, jumpsPerHour: 0.5 }),
      spec({ ...fed, ticker: 'KXFED-26JAN-T3.75', title: 'Fed funds upper bound above 3.75% after the January meeting?' }, { priceLevelStructure: 'tapered_deci_cent', fees: MAKER_FEES, closeAfterMs: 72 * HOUR, initialProbability: 0.93, liquidity: 'normal', volatilityPerSqrtHour: 0.1, jumpsPerHour: 0.05, jumpStdDev: 1 }),
      spec({ ...fed, ticker: 'KXFED-26JAN-T3.50', title: 'Fed funds upper bound above 3.50% after the January meeting?' }, { priceLevelStructure: 'tapered_deci_cent', fees: MAKER_FEES, closeAfterMs: 72 * HOUR, initialProbability: 0.64, liquidity: 'busy', volatilityPerSqrtHour: 0.12, jumpsPerHour: 0.05, jumpStdDev: 1 }),
      spec({ ...fed, ticker: 'KXFED-26JAN-T3.25', title: 'Fed funds upper bound above 3.25% after the January meeting?' }, { priceLevelStructure: 'tapered_deci_cent', fees: MAKER_FEES, closeAfterMs: 72 * HOUR, initialProbability: 0.08, liquidity: 'thin', volatilityPerSqrtHour: 0.1, jumpsPerHour: 0.05, jumpStdDev: 1 }),
      spec({ ...game, ticker: 'KXNBAGAME-26JAN01BOSLAL-BOS', title: 'Boston at Los Angeles: Boston wins?' }, { closeAfterMs: 5 * HOUR, initialProbability: 0.58, liquidity: 'normal', volatilityPerSqrtHour: 0.5, jumpsPerHour: 0.6 }),
      spec({ ...game, ticker: 'KXNBAGAME-26JAN01BOSLAL-LAL', title: 'Boston at Los Angeles: Los Angeles wins?' }, { closeAfterMs: 5 * HOUR, initialProbability: 0.42, liquidity: 'thin', volatilityPerSqrtHour: 0.5, jumpsPerHour: 0.6 }),
    ],
  };
}

const feeSchema = z
  .object({
    feeType: z.enum(['quadratic', 'quadratic_with_maker_fees', 'quadratic_with_combo_maker_fees', 'flat']),
    multiplier: z.number().int().min(0).describe('fee multiplier × 10,000'),
  })
  .strict();

const marketSchema = z
  .object({
    ticker: z.string().min(1),
    eventTicker: z.string().min(1),
    seriesTicker: z.string().min(1),
    title: z.string().min(1),
    priceLevelStructure: z.enum(['linear_cent', 'deci_cent', 'tapered_deci_cent']).default('linear_cent'),
    fees: feeSchema.default(DEFAULT_FEE_SCHEDULE),
    closeAfterMs: z.number().int().positive(),
    initialProbability: z.number().gt(0).lt(1).default(0.5),
    volatilityPerSqrtHour: z.number().min(0).max(10).default(0.25),
    jumpsPerHour: z.number().min(0).max(100).default(0.2),
    jumpStdDev: z.number().min(0).max(5).default(0.5),
    liquidity: z.enum(['thin', 'normal', 'busy']).default('normal'),
  })
  .strict();

const universeSchema = z
  .object({ markets: z.array(marketSchema).min(1) })
  .strict()
  .refine((u) => new Set(u.markets.map((m) => m.ticker)).size === u.markets.length, { message: 'tickers must be unique', path: ['markets'] });

/**
 * Returns a universe parsed from a JSON value (e.g. the contents of `--markets FILE`); omitted
 * fields take the defaults of `defaultUniverse`'s markets.
 * @throws ConfigError naming every bad field.
 */
export function parseUniverse(json: unknown): UniverseDefinition {
  const result = universeSchema.safeParse(json);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message })));
  }
  return result.data;
}

/** Returns the engine definition of a spec, listed at `startMs` and closing after `closeAfterMs / speed`. */
export function toMarketDefinition(market: SimMarketSpec, startMs: number, speed = 1): MarketDefinition {
  return {
    ticker: market.ticker,
    eventTicker: market.eventTicker,
    seriesTicker: market.seriesTicker,
    title: market.title,
    grid: gridFor(market.priceLevelStructure),
    fees: market.fees,
    openTimeMs: startMs,
    closeTimeMs: startMs + Math.max(1, Math.round(market.closeAfterMs / speed)),
    status: 'active',
    priceLevelStructure: market.priceLevelStructure,
  };
}
