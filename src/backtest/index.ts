/**
 * The backtester: replay of recordings through the trading core against an in-process simulated
 * exchange (queue, latency and fee models), metrics, grid search, pickers and HTML reports.
 */
export * from './agent.js';
export { LineDecoder, tickerOf } from './decode.js';
export { BacktestExchange, type BacktestExchangeOptions } from './exchange-port.js';
export * from './models/index.js';
export { MarketMetrics, MARKOUT_HORIZONS_MS, type SeriesPoint, type FillRecord } from './metrics.js';
export { SimulatorCore, type SimulatorOptions, type SimMarket } from './simulator.js';
export { SimAccount, UNLIMITED_STARTING_CASH, type AccountSettings } from './sim-account.js';
export { replay, DEFAULT_MODELS, type ModelSettings, type ReplayOptions } from './runner.js';
export type { BacktestResult, Valuation, HoldoutFigures } from './result.js';
export { SynthEncoder } from './synth.js';
export { referenceAgentFactory, referenceQuotes, VOL_WINDOW_MS, type ReferenceAgentOptions } from './reference-agent.js';
export { defaultAgentFactory, DEFAULT_AGENT_NAME, AGENT_NAMES, type AgentName, type DefaultAgentOptions } from './maker-agent.js';
