/**
 * The agent `kalshi-mm backtest` and `optimize` run. The design is to run the bot's MarketMaker —
 * the same trading core as live — against the simulator's port; until that module is published this
 * returns the reference A-S quoter, and says so in every result (`agent`).
 */
import type { AgentFactory, RunParams } from './agent.js';
import { referenceAgentFactory } from './reference-agent.js';

/** Options of the default agent. */
export interface DefaultAgentOptions {
  readonly sizeContracts: number;
  readonly requoteMs: number;
}

/** The name of the agent `defaultAgentFactory` builds, reported with results. */
export const DEFAULT_AGENT_NAME = 'reference-as';

/** Returns the factory of the agent the CLI runs. */
export function defaultAgentFactory(options: DefaultAgentOptions): AgentFactory<RunParams> {
  return referenceAgentFactory(options);
}
