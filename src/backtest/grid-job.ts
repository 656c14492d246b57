/**
 * One unit of grid work — a recording and a slice of the parameter grid — in a form that crosses a
 * worker boundary (plain data), and the function that runs it. `kalshi-mm optimize` splits the grid
 * into one slice per worker, so each worker parses each file once and replays its whole slice in
 * that single pass.
 */
import { CASH_SCALE, toCash, type FeeType, type Logger } from '../core/index.js';
import type { AccountSettings } from './sim-account.js';
import type { TradingConfig } from '../config/index.js';
import type { RunParams } from './agent.js';
import type { MarketRecord } from './grid.js';
import { defaultAgentFactory, type AgentName } from './maker-agent.js';
import { feeModelFor, type ConstantJitterOptions, type CrossFillModel, type QueueModelName } from './models/index.js';
import { replay, type ModelSettings } from './runner.js';

/** Model and agent settings as plain data. */
export interface PlainSettings {
  readonly queue: QueueModelName;
  readonly queueExponent?: number;
  readonly latency: ConstantJitterOptions;
  readonly feeType: FeeType;
  readonly feeMultiplier: number;
  readonly crossFills: CrossFillModel;
  readonly seed: number;
  /** Starting cash in dollars (collateral enforced); absent = not enforced. */
  readonly startingCashDollars?: number;
  /** Balance precision; absent = cents. */
  readonly balancePrecision?: 'cent' | 'direct';
  /** The trading config (plain JSON); γ and κ come from each job's parameter sets. */
  readonly config: TradingConfig;
  readonly agent: AgentName;
}

/** One job: replay `file` once for every parameter set of `params`. */
export interface GridJob {
  readonly file: string;
  readonly params: readonly RunParams[];
  readonly settings: PlainSettings;
  readonly holdoutFraction: number;
}

/** Returns the model settings of plain settings. */
export function modelsOf(settings: PlainSettings): ModelSettings {
  return {
    queue: settings.queue,
    ...(settings.queueExponent === undefined ? {} : { queueExponent: settings.queueExponent }),
    latency: settings.latency,
    fees: feeModelFor(settings.feeType, settings.feeMultiplier),
    crossFills: settings.crossFills,
    seed: settings.seed,
    ...accountOf(settings),
  };
}

/** Returns the account settings of plain settings (none when both are absent, as before they existed). */
function accountOf(settings: PlainSettings): { account?: AccountSettings } {
  if (settings.startingCashDollars === undefined && settings.balancePrecision === undefined) return {};
  return {
    account: {
      ...(settings.startingCashDollars === undefined ? {} : { startingCash: toCash(Math.round(settings.startingCashDollars * CASH_SCALE), 'startingCashDollars') }),
      ...(settings.balancePrecision === undefined ? {} : { precision: settings.balancePrecision === 'direct' ? 1 : 100 }),
    },
  };
}

/** Runs one job; returns one record per market × parameter set (no time series). */
export async function runGridJob(job: GridJob, logger: Logger, onProgress?: (lines: number) => void): Promise<MarketRecord[]> {
  const models = modelsOf(job.settings);
  const startingCash = models.account?.startingCash;
  const results = await replay({
    file: job.file,
    params: job.params,
    agent: defaultAgentFactory({ config: job.settings.config, agent: job.settings.agent, ...(startingCash === undefined ? {} : { startingCash }) }),
    models,
    holdoutFraction: job.holdoutFraction,
    maxMarketSpreadCents: job.settings.config.maxMarketSpreadCents,
    logger,
    ...(onProgress ? { onProgress } : {}),
  });
  return results.map((r) => ({ ...r, file: job.file }));
}
