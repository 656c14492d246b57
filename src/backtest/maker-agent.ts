/**
 * The agents `kalshi-mm backtest` and `optimize` run, built from the trading config (`config/`), with
 * γ and κ of the run overriding the config's:
 *  - `maker` (default): the bot's `MarketMaker` — the same trading core as live (market data,
 *    strategy, risk, order manager) — driven by the replay's events, clock and simulated port;
 *  - `reference`: the small A-S quoter of `reference-agent.ts` (for comparisons and benchmarks).
 */
import type { Cash } from '../core/index.js';
import type { TradingConfig } from '../config/index.js';
import { marketStateOptions } from '../config/index.js';
import { MarketMaker } from '../bot/index.js';
import { RiskManager } from '../risk/index.js';
import { DEFAULT_MARKET_STATE_OPTIONS } from '../marketdata/index.js';
import type { AgentFactory, RunParams } from './agent.js';
import { referenceAgentFactory } from './reference-agent.js';

/** The agents the CLI can run. */
export const AGENT_NAMES = ['maker', 'reference'] as const;
export type AgentName = (typeof AGENT_NAMES)[number];

/** Options of the default agent. */
export interface DefaultAgentOptions {
  readonly config: TradingConfig;
  /** Default `maker`. */
  readonly agent?: AgentName;
  /**
   * The account's starting cash when the backtest enforces collateral: the maker's risk manager is
   * told it at start, as the live supervisor does from `getBalance`, so quotes are sized to what the
   * account can pay (between polls the risk manager follows our fills; the periodic poll is not replayed).
   */
  readonly startingCash?: Cash;
}

/** The name of the agent `defaultAgentFactory` builds by default, reported with results. */
export const DEFAULT_AGENT_NAME: AgentName = 'maker';

/** Returns the factory of the agent the CLI runs. */
export function defaultAgentFactory(options: DefaultAgentOptions): AgentFactory<RunParams> {
  const config = options.config;
  if ((options.agent ?? DEFAULT_AGENT_NAME) === 'reference') {
    return referenceAgentFactory({ sizeContracts: config.quoteSizeContracts, requoteMs: config.minRequoteIntervalMs });
  }
  return (context) => {
    const params = { ...config, gamma: context.params.gamma, kappa: context.params.kappa };
    // The risk manager sizes against the collateral the maker's orders hold, so it reads them.
    const risk = new RiskManager(params, { logger: context.logger, restingOrders: () => maker.orders.orders() });
    const maker: MarketMaker = new MarketMaker({
      port: context.port,
      clock: context.clock,
      logger: context.logger,
      ticker: context.ticker,
      params,
      risk,
      marketState: { ...DEFAULT_MARKET_STATE_OPTIONS, ...marketStateOptions(params) },
    });
    if (options.startingCash !== undefined) maker.risk.setBalance(options.startingCash);
    return maker;
  };
}
