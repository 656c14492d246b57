/**
 * The market generator: per market a hidden fair probability (bounded logit random walk with jumps,
 * resolving to 0/1 at close) and background agents that trade on a MatchingEngine as ordinary
 * accounts: liquidity providers, Poisson noise takers, informed takers.
 */
import type { Clock, Rng } from '../../core/index.js';
import type { MatchingEngine } from '../matching/index.js';
import type { UniverseDefinition } from './universe.js';

/** Options of a MarketSimulator. */
export interface MarketSimulatorOptions {
  readonly engine: MatchingEngine;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly universe: UniverseDefinition;
  /** Simulation start (engine time, Unix ms); market close times count from here. */
  readonly startMs: number;
  /** Time compression: 60 runs an hour of market activity per minute of clock time. Default 1. */
  readonly speed?: number;
  /** Settle markets with their drawn result when they close. Default true. */
  readonly autoSettle?: boolean;
}

/** The generator (API published early; the agents land next). */
export class MarketSimulator {
  constructor(readonly options: MarketSimulatorOptions) {}

  /** Steps fair values and agents up to engine time `nowMs` (idempotent for past times). */
  advanceTo(_nowMs: number): void {}

  /** Returns the hidden fair YES probability of a market. */
  fairProbability(_ticker: string): number {
    return 0.5;
  }

  /** Moves a market's hidden fair probability (admin "move fair value"). */
  setFairProbability(_ticker: string, _probability: number): void {}

  /** Returns the engine account ids of the background agents. */
  agentAccountIds(): readonly string[] {
    return [];
  }
}
