/**
 * The trading configuration: ONE zod schema, the single source of truth for names, types, units
 * (`.meta({ unit })`), ranges, defaults and descriptions. `--help`, `docs/configuration.md`, the env
 * names (`KMM_<SNAKE_CASE>`) and the flags (`--kebab-case`) are all derived from it (`fields.ts`).
 * The field names and units equal those of `StrategyParams` (strategy/), `RiskLimits` (risk/) and the
 * market-data options, so the composition root passes one object to all of them.
 */
import { z } from 'zod';

const SEC = 1_000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const ms = (min: number, max: number, def: number, description: string) =>
  z.number().int().min(min).max(max).default(def).describe(description).meta({ unit: 'ms' });
const num = (unit: string) => ({
  range: (min: number, max: number, def: number, description: string) => z.number().min(min).max(max).default(def).describe(description).meta({ unit }),
  positive: (max: number, def: number, description: string) => z.number().gt(0).max(max).default(def).describe(description).meta({ unit }),
});
const int = (unit: string, min: number, max: number, def: number, description: string) =>
  z.number().int().min(min).max(max).default(def).describe(description).meta({ unit });
const flag = (def: boolean, description: string) => z.boolean().default(def).describe(description).meta({ unit: 'boolean' });

/** The trading config's fields, as a strict object (unknown keys are errors). */
export const TradingConfigObject = z
  .object({
    // Strategy
    mode: z.enum(['textbook', 'binary', 'glft']).default('binary').describe('Quoting model: textbook Avellaneda–Stoikov, the binary-contract mode, or GLFT with inventory bounds').meta({ unit: 'enum' }),
    gamma: num('1/¢').positive(10, 0.1, 'Risk aversion γ of the CARA utility −e^(−γ·W), wealth W in cents'),
    kappa: num('1/¢').positive(100, 1.5, 'Order-arrival decay κ in λ(δ) = A·e^(−κ·δ), distance δ in cents; the prior when estimateKappa'),
    estimateKappa: flag(false, 'Estimate κ (and GLFT A) online from trades, shrunk toward kappa / glftArrivalRatePerSec'),
    sigmaEstimator: z.enum(['auto', 'trade_stdev', 'log_odds_ewma']).default('auto').describe('σ source: auto = 60 s trade std dev for textbook, log-odds EWMA for binary and GLFT').meta({ unit: 'enum' }),
    tradeSigmaPriorWeight: num('dof').range(0, 1_000, 3, 'Shrinks the 60 s trade std dev toward the log-odds σ with this many pseudo degrees of freedom; 0 = the classic σ exactly'),
    fixedSigmaCentsPerSqrtSec: z.number().gt(0).max(100).optional().describe('Fixed price volatility σ; unset = estimate it').meta({ unit: '¢/√s' }),
    volWindowMs: ms(SEC, HOUR, 60 * SEC, 'Window of the classic trade-price standard deviation'),
    textbookHorizonSec: num('s').positive(365 * 86_400, 60, 'T − t of the textbook mode (60 s = one vol window reproduces the original design)'),
    riskHorizonSec: num('s').positive(365 * 86_400, 900, 'Binary mode: cap on T − t in the variance term (expected holding time)'),
    quoteSizeContracts: int('contracts', 1, 100_000, 10, 'Contracts per quote before volatility scaling; also the lot of binary/GLFT inventory'),
    minSpreadCents: num('¢').range(0, 50, 1, 'Narrowest total model spread (binary mode)'),
    targetSpreadCents: num('¢').range(0, 99, 4, 'Target market spread of the opportunity score'),
    minEdgeCents: num('¢').range(0, 50, 0.25, 'Least distance of a quote from the fair price beyond fees'),
    feeAware: flag(true, 'Keep maker fee + taker fee to unwind (side adding inventory) inside the edge'),
    unwindFeeFraction: num('0–1').range(0, 1, 1, 'Share of the taker unwind fee kept in the edge: 1 = unwind by taking, 0 = unwind passively'),
    postOnly: flag(true, 'Quotes never cross the opposite best'),
    useMicroPrice: flag(false, 'Fair price = size-weighted micro-price instead of the mid'),
    stopBeforeCloseMs: ms(0, 7 * DAY, 5 * MIN, 'No quoting (and cancel) within this time of close'),
    widenBeforeCloseMs: ms(0, 30 * DAY, HOUR, 'Binary mode: the spread widens linearly over this window before close'),
    closeWideningFactor: num('×').range(0, 10, 1, 'Binary mode: extra spread at close, as a multiple of the model spread'),
    glftArrivalRatePerSec: num('1/s').positive(1_000, 0.01, 'GLFT A: fills per second at zero distance (prior when estimateKappa)'),
    glftMaxInventoryLots: num('lots').positive(1_000, 5, 'GLFT inventory bound Q; the side that would pass it is not quoted'),
    maxMarketSpreadCents: num('¢').range(1, 99, 30, "Pull our quotes while others' spread (our orders excluded) is wider than this, and quote again once it narrows; one-sided books are never quoted; 99 = no limit"),
    minPriceCents: num('¢').range(0.01, 99.99, 1, 'Lowest price quoted (the grid minimum applies too)'),
    maxPriceCents: num('¢').range(0.01, 99.99, 99, 'Highest price quoted (the grid maximum applies too)'),
    // Market data
    staleAfterMs: ms(SEC, DAY, 2 * MIN, 'A market without any event for this long is stale (refreshed from REST, not quoted)'),
    ewmaHalfLifeSec: num('s').positive(7 * 86_400, 600, 'Half-life of the log-odds EWMA volatility'),
    sigmaPriorLogOddsPerSqrtSec: num('1/√s').positive(10, 0.005, 'Starting log-odds volatility before any mid change'),
    sigmaFloorLogOddsPerSqrtSec: num('1/√s').range(0, 10, 0.001, 'Lowest log-odds volatility'),
    intensityPriorWeight: num('trades').positive(1_000_000, 10, 'Weight of the κ and A priors, in pseudo-trades'),
    intensityHalfLifeSec: num('s').positive(30 * 86_400, 1_800, 'Half-life of the online κ and A estimates'),
    // Risk
    maxPositionContracts: int('contracts', 1, 10_000_000, 100, 'Largest |position| in one market'),
    maxMarketExposureDollars: num('$').positive(100_000_000, 100, 'Largest dollars at risk (cost of contracts held) in one market'),
    maxPortfolioContracts: int('contracts', 1, 100_000_000, 500, 'Largest Σ|position| over all markets'),
    maxPortfolioExposureDollars: num('$').positive(1_000_000_000, 500, 'Largest Σ dollars at risk over all markets'),
    maxLossPerMarketDollars: num('$').positive(100_000_000, 50, 'A market whose PnL (realized + marked − fees) reaches −this stops quoting'),
    maxDailyLossDollars: num('$').positive(1_000_000_000, 200, 'When the UTC day’s PnL reaches −this, all quoting stops until the next day'),
    volCacheTtlMs: ms(0, DAY, 30 * SEC, 'How long a market’s sizing volatility is reused'),
    sizeVolScaling: num('exponent').range(0, 4, 0.5, 'β in size = base × (σ_ref/σ)^β; 0 = fixed size'),
    sizeVolReferenceCentsPerSqrtSec: num('¢/√s').positive(100, 0.1, 'σ_ref: the volatility at which the size multiplier is 1'),
    minSizeMultiplier: num('×').range(0, 100, 0.25, 'Lowest volatility size multiplier'),
    maxSizeMultiplier: num('×').positive(100, 2, 'Highest volatility size multiplier'),
    // Exchange-side circuit breaker (Kalshi order groups, kalshi-api.md §9)
    orderGroupContractsLimit: int('contracts', 0, 1_000_000, 100, 'Kalshi order group: contracts our orders may match in any rolling 15 s; past it the exchange cancels them all and quoting pauses; 0 = no group'),
    orderGroupResetAfterMs: ms(0, DAY, MIN, 'Cool-down after the order group triggers: quoting resumes when the bot resets the group this long after; 0 = wait for the operator to reset it'),
    // Maker and selection
    requoteThresholdTicks: int('ticks', 0, 100, 1, 'Leave a resting quote alone while within this many ticks of the desired price'),
    minRequoteIntervalMs: ms(0, HOUR, SEC, 'Least time between two requotes of one market'),
    quietHeartbeatMaxMs: ms(SEC, HOUR, 10 * SEC, 'A market with no event and no quote change re-plans less often, the interval doubling from 1 s up to this; close, staleness and day deadlines still act within 1 s; 1 s = every second'),
    maxMarkets: int('markets', 1, 1_000, 5, 'Most markets quoted at once'),
    marketRefreshIntervalMs: ms(SEC, DAY, 5 * MIN, 'How often market selection is re-run'),
    selectRescanBackoffMs: ms(100, DAY, 5 * SEC, 'While fewer than maxMarkets markets score above 0, the next rescan comes this soon, doubling each time up to marketRefreshIntervalMs'),
    dropPolicy: z.enum(['unwind', 'keep', 'cancel']).default('unwind').describe('A market leaving the selection with a position, or a position found in a market not selected (inherited): unwind = quote only the reducing side until flat; keep = quote it as before until flat (inherited: hold, not quoted); cancel = cancel our orders and hold the position').meta({ unit: 'enum' }),
    unwindDeadlineMs: ms(SEC, 7 * DAY, 15 * MIN, 'Longest time a dropped or inherited market is unwound or kept (dropPolicy) before its quotes are cancelled'),
    positionReconcileIntervalMs: ms(SEC, DAY, MIN, "How often positions are compared with the exchange's (a mismatch adopts the exchange's)"),
    scoreVolumeWindow: z.enum(['1h', '24h']).default('1h').describe('Volume window of the opportunity score').meta({ unit: 'enum' }),
    scoreSpreadWidthCents: num('¢').positive(100, 3, 'σ_s of the opportunity score: how fast it falls away from the target spread'),
    scoreEpsilonCents: num('¢').positive(100, 0.1, 'ε of the opportunity score, added to the volatility'),
    scoreOneSidedDiscount: num('0–1').range(0, 1, 1, 'λ of the opportunity score: weight of the one-sided-flow discount'),
    // Market selection filters and sampling
    selectMinVolume24hContracts: num('contracts').range(0, 1_000_000_000, 100, 'Selection: least 24 h volume of a market to quote'),
    selectMinSpreadCents: num('¢').range(0, 99, 1, 'Selection: least current spread (a 0-spread market leaves no edge)'),
    selectMaxSpreadCents: num('¢').range(0, 99, 20, 'Selection: largest current spread (wider = no two-sided interest)'),
    selectMinTimeToCloseMs: ms(0, 365 * DAY, HOUR, 'Selection: least time to close (quoting stops near close anyway)'),
    selectMinMidCents: num('¢').range(0, 100, 5, 'Selection: lowest mid (near 0 or 100 the edge is smaller than a tick)'),
    selectMaxMidCents: num('¢').range(0, 100, 95, 'Selection: highest mid'),
    selectRetainBonus: num('×').range(1, 100, 1.25, 'Selection: score multiplier of markets already quoted, so near-equal markets do not churn'),
    selectSampleFactor: num('× maxMarkets').range(1, 100, 3, 'Selection: markets whose trades are sampled for the score, as a multiple of maxMarkets'),
    selectMaxTradesPerMarket: int('trades', 1, 1_000_000, 1_000, 'Selection: most recent trades read per sampled market'),
    selectFallbackVolatilityCents: num('¢').positive(100, 1, 'Selection: volatility assumed in the preliminary score, before trades are sampled'),
  })
  .strict();

/** The schema with the cross-field rules (ranges that depend on each other). */
export const TradingConfigSchema = TradingConfigObject.superRefine((c, ctx) => {
  if (c.minPriceCents >= c.maxPriceCents) {
    ctx.addIssue({ code: 'custom', path: ['minPriceCents'], message: `must be below maxPriceCents (${c.maxPriceCents}), was ${c.minPriceCents}` });
  }
  if (c.minSizeMultiplier > c.maxSizeMultiplier) {
    ctx.addIssue({ code: 'custom', path: ['minSizeMultiplier'], message: `must be at most maxSizeMultiplier (${c.maxSizeMultiplier}), was ${c.minSizeMultiplier}` });
  }
  if (c.sigmaFloorLogOddsPerSqrtSec > c.sigmaPriorLogOddsPerSqrtSec) {
    ctx.addIssue({ code: 'custom', path: ['sigmaFloorLogOddsPerSqrtSec'], message: `must be at most sigmaPriorLogOddsPerSqrtSec (${c.sigmaPriorLogOddsPerSqrtSec}), was ${c.sigmaFloorLogOddsPerSqrtSec}` });
  }
  if (c.selectMinSpreadCents > c.selectMaxSpreadCents) {
    ctx.addIssue({ code: 'custom', path: ['selectMinSpreadCents'], message: `must be at most selectMaxSpreadCents (${c.selectMaxSpreadCents}), was ${c.selectMinSpreadCents}` });
  }
  if (c.selectMinMidCents > c.selectMaxMidCents) {
    ctx.addIssue({ code: 'custom', path: ['selectMinMidCents'], message: `must be at most selectMaxMidCents (${c.selectMaxMidCents}), was ${c.selectMinMidCents}` });
  }
  if (c.maxPositionContracts > c.maxPortfolioContracts) {
    ctx.addIssue({ code: 'custom', path: ['maxPositionContracts'], message: `must be at most maxPortfolioContracts (${c.maxPortfolioContracts}), was ${c.maxPositionContracts}` });
  }
});

/** The validated trading config. */
export type TradingConfig = z.infer<typeof TradingConfigObject>;

/** A config field's name. */
export type TradingConfigKey = keyof TradingConfig;
