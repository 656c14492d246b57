/**
 * What the replay drives: a trading core fed `PortEvent`s in replay-time order, talking to the
 * simulated exchange through the `ExchangePort` it was built with. In production runs this is the
 * bot's `MarketMaker` (see `maker-agent.ts`); tests may pass a scripted agent.
 */
import type { Clock, ExchangePort, Logger, PortEvent } from '../core/index.js';

/** The parameters one run is given: a gamma × kappa grid point plus any fixed overrides. */
export interface RunParams {
  readonly gamma: number;
  readonly kappa: number;
}

/** Everything an agent needs to be built for one market and one parameter set. */
export interface AgentContext<P extends RunParams = RunParams> {
  readonly port: ExchangePort;
  readonly clock: Clock;
  readonly ticker: string;
  readonly params: P;
  readonly logger: Logger;
}

/** A trading core under test. `onEvent` may return a promise; the replay waits for it before going on. */
export interface BacktestAgent {
  onEvent(event: PortEvent): void | Promise<void>;
  /** Called once after the last event (e.g. to cancel quotes); optional. */
  finish?(): void | Promise<void>;
}

/** Builds the agent of one run. */
export type AgentFactory<P extends RunParams = RunParams> = (context: AgentContext<P>) => BacktestAgent;
