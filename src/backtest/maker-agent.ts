/**
 * The agent `kalshi-mm backtest` and `optimize` run, built from the trading config (`config/`), with
 * γ and κ of the run overriding the config's. The design is to run the bot's MarketMaker — the same
 * trading core as live — against the simulator's port; until that module is published this returns
 * the reference A-S quoter (quote size `quoteSizeContracts`, re-quotes at most every
 * `minRequoteIntervalMs`), and every result says which agent ran (`agent`).
 */
import type { TradingConfig } from '../config/index.js';
import type { AgentFactory, RunParams } from './agent.js';
import { referenceAgentFactory } from './reference-agent.js';

/** Options of the default agent. */
export interface DefaultAgentOptions {
  readonly config: TradingConfig;
}

/** The name of the agent `defaultAgentFactory` builds, reported with results. */
export const DEFAULT_AGENT_NAME = 'reference-as';

/** Returns the factory of the agent the CLI runs. */
export function defaultAgentFactory(options: DefaultAgentOptions): AgentFactory<RunParams> {
  return referenceAgentFactory({ sizeContracts: options.config.quoteSizeContracts, requoteMs: options.config.minRequoteIntervalMs });
}
