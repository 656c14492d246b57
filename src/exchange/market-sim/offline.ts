/**
 * Runs the market generator offline: a MatchingEngine and a MarketSimulator on a ManualClock that
 * jumps from one action to the next, streaming every engine event (for `kalshi-mm synth` and tests).
 * The same seed and options give the same events, byte for byte.
 */
import { ManualClock, SeededRng } from '../../core/index.js';
import { MatchingEngine, type EngineEvent } from '../matching/index.js';
import { MarketSimulator } from './simulator.js';
import { defaultUniverse, type UniverseDefinition } from './universe.js';

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
  /** Called once the simulator exists, before any agent acts (e.g. to read hidden fair values in `onEvent`). */
  readonly onStart?: (simulator: MarketSimulator, engine: MatchingEngine) => void;
  /** As in MarketSimulatorOptions. Default true. */
  readonly rollover?: boolean;
}

/** What an offline run produced. */
export interface OfflineRunResult {
  readonly endMs: number;
  readonly eventCount: number;
  /** The engine after the run (for inspection: trades, settlements, audit). */
  readonly engine: MatchingEngine;
  readonly simulator: MarketSimulator;
}

/**
 * Runs the universe from `startMs` for `hours` of engine time, calling `onEvent` for each engine
 * event (market listings first). Returns when the time is up or nothing is left to do.
 */
export function runOffline(options: OfflineRunOptions): OfflineRunResult {
  const clock = new ManualClock(options.startMs);
  const engine = new MatchingEngine({ clock });
  let eventCount = 0;
  engine.subscribe((event) => {
    eventCount++;
    options.onEvent(event, clock.nowMs());
  });
  const simulator = new MarketSimulator({
    engine,
    clock,
    rng: new SeededRng(options.seed),
    universe: options.universe ?? defaultUniverse(),
    startMs: options.startMs,
    speed: options.speed ?? 1,
    rollover: options.rollover ?? true,
  });
  options.onStart?.(simulator, engine);
  const endMs = options.startMs + options.hours * 3_600_000;
  for (;;) {
    const next = simulator.nextActionMs();
    if (next > endMs) break;
    clock.advanceTo(Math.max(next, clock.nowMs()));
    simulator.advanceTo(clock.nowMs());
  }
  clock.advanceTo(endMs);
  engine.processTime();
  return { endMs, eventCount, engine, simulator };
}
