/**
 * The replay: reads a recording once (streaming, tie rule applied), decodes each line into port
 * events and feeds every run — one per (market, parameter set) — its simulator and agent in
 * replay-time order. All parameter sets share the single parse, which is what makes a grid cheap.
 */
import { ManualClock, SeededRng, type Logger, type PortEvent } from '../core/index.js';
import { applyTieRule, lineMentions, readRecording } from '../record/index.js';
import type { AgentFactory, BacktestAgent, RunParams } from './agent.js';
import { LineDecoder, tickerOf } from './decode.js';
import { BacktestExchange } from './exchange-port.js';
import { ConstantJitterLatency, DEFAULT_LATENCY, feeModelFor, queueModelFromName, type ConstantJitterOptions, type FeeModel, type QueueModelName } from './models/index.js';
import { finalResult, snapshotOf, type BacktestResult, type MetricsSnapshot } from './result.js';
import { SimulatorCore } from './simulator.js';
import { scanSpans, type MarketSpan } from './scan.js';

/** Model settings shared by every run of a replay. */
export interface ModelSettings {
  readonly queue: QueueModelName;
  readonly queueExponent?: number;
  readonly latency: ConstantJitterOptions;
  readonly fees: FeeModel;
  readonly fillOnCross: boolean;
  /** Seed of the latency jitter (each run forks its own stream from it). */
  readonly seed: number;
}

/** Default models: risk-averse queue, 50 ms + ≤20 ms latency, maker fees charged, crossing fills on. */
export const DEFAULT_MODELS: ModelSettings = { queue: 'risk-averse', latency: DEFAULT_LATENCY, fees: feeModelFor(), fillOnCross: true, seed: 1 };

/** Options of `replay`. */
export interface ReplayOptions<P extends RunParams> {
  readonly file: string;
  /** Markets to run; undefined = every market in the file. */
  readonly tickers?: readonly string[];
  readonly params: readonly P[];
  readonly agent: AgentFactory<P>;
  readonly models?: ModelSettings;
  /** Keep last fraction of each market's time out of the search results (reported separately). */
  readonly holdoutFraction?: number;
  /** Keep time series for charts. */
  readonly series?: boolean;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** Called every ~100k lines with the number of lines read. */
  readonly onProgress?: (lines: number) => void;
}

interface Run<P extends RunParams> {
  readonly ticker: string;
  readonly params: P;
  readonly clock: ManualClock;
  readonly sim: SimulatorCore;
  readonly port: BacktestExchange;
  readonly agent: BacktestAgent;

  holdoutAt: number | undefined;
  search: MetricsSnapshot | undefined;
}

/** Returns one result per (market, parameter set), in market order of first appearance, then parameter order. */
export async function replay<P extends RunParams>(options: ReplayOptions<P>): Promise<BacktestResult<P>[]> {
  const models = options.models ?? DEFAULT_MODELS;
  const spans = options.holdoutFraction ? await scanSpans(options.file, options.signal) : new Map<string, MarketSpan>();
  const wanted = options.tickers ? new Set(options.tickers) : undefined;
  const runsByTicker = new Map<string, Run<P>[]>();
  const order: string[] = [];
  const decoder = new LineDecoder(options.file);
  const makeRuns = (ticker: string, startMs: number): Run<P>[] => {
    const runs = options.params.map((params, i) => createRun(ticker, params, i, startMs, models, options));
    const span = spans.get(ticker);
    if (span && options.holdoutFraction) {
      const at = span.lastMs - Math.round((span.lastMs - span.firstMs) * options.holdoutFraction);
      for (const run of runs) run.holdoutAt = at;
    }
    runsByTicker.set(ticker, runs);
    order.push(ticker);
    return runs;
  };
  const lines = readRecording(options.file, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(wanted ? { keepLine: lineMentions(wanted) } : {}),
  });
  let count = 0;
  for await (const line of applyTieRule(lines)) {
    if (++count % 100_000 === 0) options.onProgress?.(count);
    for (const event of decoder.decode(line)) {
      const ticker = tickerOf(event);
      if (ticker === undefined) {
        for (const runs of runsByTicker.values()) for (const run of runs) await step(run, event);
        continue;
      }
      if (wanted && !wanted.has(ticker)) continue;
      const runs = runsByTicker.get(ticker) ?? makeRuns(ticker, event.recvMs);
      for (const run of runs) await step(run, event);
    }
  }
  options.onProgress?.(count);
  const results: BacktestResult<P>[] = [];
  for (const ticker of order) {
    for (const run of runsByTicker.get(ticker) ?? []) {
      await run.agent.finish?.();
      await drain(run);
      results.push(finalResult({ ticker, params: run.params, sim: run.sim, clock: run.clock, models, search: run.search, series: options.series === true }));
    }
  }
  return results;
}

function createRun<P extends RunParams>(ticker: string, params: P, index: number, startMs: number, models: ModelSettings, options: ReplayOptions<P>): Run<P> {
  const clock = new ManualClock(startMs);
  const rng = new SeededRng(models.seed).fork(`${ticker}#${index}`);
  const sim = new SimulatorCore({
    clock,
    queue: queueModelFromName(models.queue, models.queueExponent),
    latency: new ConstantJitterLatency(models.latency, rng),
    fees: models.fees,
    fillOnCross: models.fillOnCross,
    metrics: { series: options.series === true },
  });
  const port = new BacktestExchange(sim);
  const agent = options.agent({ port, clock, ticker, params, logger: options.logger.child({ ticker, gamma: params.gamma, kappa: params.kappa }) });
  return { ticker, params, clock, sim, port, agent, holdoutAt: undefined, search: undefined };
}

/** Moves a run to `event.recvMs` (firing timers one by one), applies the event and delivers it. */
async function step<P extends RunParams>(run: Run<P>, event: PortEvent): Promise<void> {
  const t = event.recvMs;
  if (t > run.clock.nowMs()) {
    run.sim.settleQueues();
    for (let next = run.clock.nextTimerMs(); next !== undefined && next <= t; next = run.clock.nextTimerMs()) {
      run.clock.advanceTo(next);
      await drain(run);
    }
    if (run.holdoutAt !== undefined && run.search === undefined && t >= run.holdoutAt) {
      run.search = snapshotOf(run.sim.market(run.ticker), run.clock.nowMs());
    }
    run.clock.advanceTo(t);
    run.sim.market(run.ticker).metrics.advance(t);
  }
  run.sim.onMarketEvent(event);
  const result = run.agent.onEvent(event);
  if (result !== undefined) await result;
  await drain(run);
}

/** Delivers the simulator's queued account events to the agent, including those its reactions cause. */
async function drain<P extends RunParams>(run: Run<P>): Promise<void> {
  const outbox = run.sim.outbox;
  for (let i = 0; i < outbox.length; i++) {
    const event = outbox[i] as PortEvent;
    if (event.type === 'fill') run.port.recordFill(event.fill);
    const result = run.agent.onEvent(event);
    if (result !== undefined) await result;
  }
  outbox.length = 0;
}
