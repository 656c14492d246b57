/**
 * The replay: reads a recording once (streaming, tie rule applied), decodes each line into port
 * events and feeds every run — one per (market, parameter set) — its simulator and agent in
 * replay-time order. All parameter sets share the single parse, which is what makes a grid cheap.
 */
import { DONE, L2Book, SeededRng, type Logger, type PortEvent } from '../core/index.js';
import { ReplayClock } from './replay-clock.js';
import { lineMentions, readRecordingBatches, TieRuleOrderer, type RecordingLine } from '../record/index.js';
import type { AgentFactory, BacktestAgent, RunParams } from './agent.js';
import { LineDecoder, tickerOf } from './decode.js';
import { BacktestExchange } from './exchange-port.js';
import { ConstantJitterLatency, DEFAULT_LATENCY, feeModelFor, queueModelFromName, type ConstantJitterOptions, type CrossFillModel, type FeeModel, type QueueModelName } from './models/index.js';
import { finalResult, snapshotOf, type BacktestResult, type MetricsSnapshot } from './result.js';
import { SimulatorCore } from './simulator.js';
import type { AccountSettings } from './sim-account.js';
import type { MarketMetrics } from './metrics.js';
import { scanSpans, type MarketSpan } from './scan.js';

/**
 * Lines between two progress reports: often enough that a small file replayed with a large grid (a
 * few days of top-of-book lines, minutes of work) still shows progress, rare enough to cost nothing.
 */
const PROGRESS_EVERY_LINES = 10_000;

/** Model settings shared by every run of a replay. */
export interface ModelSettings {
  readonly queue: QueueModelName;
  readonly queueExponent?: number;
  readonly latency: ConstantJitterOptions;
  readonly fees: FeeModel;
  /** How much fills when the recorded book crosses our order (fill rule 6). */
  readonly crossFills: CrossFillModel;
  /** Seed of the latency jitter (each run forks its own stream from it). */
  readonly seed: number;
  /** Starting cash (collateral enforced when set) and balance precision; default unlimited, cents. */
  readonly account?: AccountSettings;
}

/** Default models: risk-averse queue, 50 ms + ≤20 ms latency, maker fees charged, crossing fills up to the displayed size. */
export const DEFAULT_MODELS: ModelSettings = { queue: 'risk-averse', latency: DEFAULT_LATENCY, fees: feeModelFor(), crossFills: 'displayed', seed: 1 };

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
  /**
   * The trading config's `maxMarketSpreadCents`: a wider (or one-sided) recorded book marks nothing in
   * the metrics, as in the risk manager (metrics.ts). Default the risk default, 30.
   */
  readonly maxMarketSpreadCents?: number;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** Called every 10 000 lines and at the end with the number of lines read. */
  readonly onProgress?: (lines: number) => void;
}

interface Run<P extends RunParams> {
  readonly ticker: string;
  readonly params: P;
  readonly clock: ReplayClock;
  readonly sim: SimulatorCore;
  readonly port: BacktestExchange;
  readonly agent: BacktestAgent;
  readonly metrics: MarketMetrics;

  holdoutAt: number | undefined;
  search: MetricsSnapshot | undefined;
  /** `port.reads` when the runner last looked (see readSinceLastLook). */
  readsSeen: number;
}

/** Returns one result per (market, parameter set), in market order of first appearance, then parameter order. */
export async function replay<P extends RunParams>(options: ReplayOptions<P>): Promise<BacktestResult<P>[]> {
  const models = options.models ?? DEFAULT_MODELS;
  const spans = options.holdoutFraction ? await scanSpans(options.file, options.signal) : new Map<string, MarketSpan>();
  const wanted = options.tickers ? new Set(options.tickers) : undefined;
  const runsByTicker = new Map<string, Run<P>[]>();
  const order: string[] = [];
  const decoder = new LineDecoder(options.file);
  // One recorded book per market, shared by all its runs (see SimulatorOptions.sharedBooks).
  const books = new Map<string, L2Book>();
  const makeRuns = (ticker: string, startMs: number): Run<P>[] => {
    books.set(ticker, new L2Book(ticker));
    const runs = options.params.map((params) => createRun(ticker, params, startMs, models, options, books));
    const span = spans.get(ticker);
    if (span && options.holdoutFraction) {
      const at = span.lastMs - Math.round((span.lastMs - span.firstMs) * options.holdoutFraction);
      for (const run of runs) run.holdoutAt = at;
    }
    runsByTicker.set(ticker, runs);
    order.push(ticker);
    return runs;
  };
  const batches = readRecordingBatches(options.file, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(wanted ? { keepLine: lineMentions(wanted) } : {}),
  });
  let count = 0;
  let nextProgress = PROGRESS_EVERY_LINES;
  const orderer = new TieRuleOrderer<RecordingLine>();
  const process = async (lines: readonly RecordingLine[]): Promise<void> => {
    for (const line of lines) {
      const event = decoder.decode(line);
      if (event === undefined) continue;
      const ticker = tickerOf(event);
      if (ticker === undefined) {
        const all = [...runsByTicker.values()].flat();
        await dispatch(all, event, books.values());
        continue;
      }
      if (wanted && !wanted.has(ticker)) continue;
      const runs = runsByTicker.get(ticker) ?? makeRuns(ticker, event.recvMs);
      const book = books.get(ticker);
      await dispatch(runs, event, book ? [book] : []);
    }
    count += lines.length;
    if (count >= nextProgress) {
      nextProgress = count + PROGRESS_EVERY_LINES;
      options.onProgress?.(count);
    }
  };
  for await (const batch of batches) await process(orderer.push(batch));
  await process(orderer.end());
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

function createRun<P extends RunParams>(ticker: string, params: P, startMs: number, models: ModelSettings, options: ReplayOptions<P>, books: Map<string, L2Book>): Run<P> {
  const clock = new ReplayClock(startMs);
  // The jitter stream depends on the market and the parameters, not on how a grid was split among workers.
  const rng = new SeededRng(models.seed).fork(`${ticker}#${JSON.stringify(params)}`);
  const sim = new SimulatorCore({
    clock,
    queue: queueModelFromName(models.queue, models.queueExponent),
    latency: new ConstantJitterLatency(models.latency, rng),
    fees: models.fees,
    crossFills: models.crossFills,
    metrics: { series: options.series === true, ...(options.maxMarketSpreadCents === undefined ? {} : { maxMarketSpreadCents: options.maxMarketSpreadCents }) },
    sharedBooks: books,
    ...(models.account === undefined ? {} : { account: models.account }),
  });
  // The runner hands the outbox to the agent (drain), so the port's REST reads leave out what is still queued.
  sim.delivered = 0;
  const port = new BacktestExchange(sim);
  const agent = options.agent({ port, clock, ticker, params, logger: options.logger.child({ ticker, gamma: params.gamma, kappa: params.kappa }) });
  return { ticker, params, clock, sim, port, agent, metrics: sim.market(ticker).metrics, holdoutAt: undefined, search: undefined, readsSeen: 0 };
}

/**
 * Delivers one recorded event to `runs`: first every run's clock moves to the event's time (firing
 * due timers against the book as it was), then the shared book takes the event once, then each run's
 * simulator and agent see it. Awaits only when an agent returned a promise.
 */
async function dispatch<P extends RunParams>(runs: readonly Run<P>[], event: PortEvent, books: Iterable<L2Book>): Promise<void> {
  const waiting = moveAllTo(runs, event.recvMs);
  if (waiting !== undefined) await waiting;
  applyToBooks(runs, event, books);
  for (const run of runs) {
    const pending = deliver(run, event);
    if (pending !== undefined) await pending;
  }
}

function applyToBooks<P extends RunParams>(runs: readonly Run<P>[], event: PortEvent, books: Iterable<L2Book>): void {
  switch (event.type) {
    case 'book_snapshot':
      for (const run of runs) run.sim.beforeBookEvent(event);
      for (const book of books) book.applySnapshot(event.yes, event.no);
      return;
    case 'book_delta':
      for (const book of books) book.applyDelta(event.side, event.price, event.delta);
      return;
    case 'stale':
      for (const book of books) book.markStale();
      return;
    default:
      return;
  }
}

/**
 * Moves every run's clock to `t`. Runs with timers due on the way fire them in rounds — each run its
 * next due time per round — and the round awaits the work the trading-core timers started (a requote
 * awaiting the port), all runs' at once. Returns a promise only when there were timers.
 */
function moveAllTo<P extends RunParams>(runs: readonly Run<P>[], t: number): Promise<void> | undefined {
  let due: Run<P>[] | undefined;
  for (const run of runs) {
    if (t <= run.clock.nowMs()) continue;
    run.sim.settleQueues();
    const next = run.clock.nextTimerMs();
    if (next !== undefined && next <= t) (due ??= []).push(run);
    else advance(run, t);
  }
  return due === undefined ? undefined : fireTimers(due, t);
}

async function fireTimers<P extends RunParams>(due: Run<P>[], t: number): Promise<void> {
  while (due.length > 0) {
    // The trading core's timer callbacks return the promise of the work they start (DONE when it
    // finished at once); awaiting those is enough. A callback that returned none (e.g. a sleep's
    // resolve), port use not covered by a returned promise, or a REST read (a market refresh runs
    // beside the cycle) may have left work we cannot see: then one settle serves the whole round.
    let unknownWork = false;
    const work: Promise<unknown>[] = [];
    for (const run of due) {
      const unawaited = run.clock.externalUnawaited;
      const actions = run.port.actions;
      advance(run, run.clock.nextTimerMs() ?? t);
      const pending = run.clock.pending;
      if (run.clock.externalUnawaited !== unawaited || (run.port.actions !== actions && pending.length === 0)) unknownWork = true;
      for (const p of pending) work.push(p);
      pending.length = 0;
    }
    if (work.length > 0) await Promise.all(work);
    for (const run of due) if (readSinceLastLook(run)) unknownWork = true;
    if (unknownWork) await settle();
    const still: Run<P>[] = [];
    for (const run of due) {
      const pending = drain(run);
      if (pending !== undefined) await pending;
      const next = run.clock.nextTimerMs();
      if (next !== undefined && next <= t) still.push(run);
      else advance(run, t);
    }
    due = still;
  }
}

/** True when the run's agent read from the port since the last look (and notes that it looked). */
function readSinceLastLook<P extends RunParams>(run: Run<P>): boolean {
  const reads = run.port.reads;
  if (reads === run.readsSeen) return false;
  run.readsSeen = reads;
  return true;
}

/**
 * Resolves after every pending microtask has run. The port's promises are already resolved, so any
 * async chain the trading core started (even one it did not return to us) completes within this.
 */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function advance<P extends RunParams>(run: Run<P>, t: number): void {
  if (run.holdoutAt !== undefined && run.search === undefined && t >= run.holdoutAt) {
    run.search = snapshotOf(run.sim.market(run.ticker), run.clock.nowMs());
  }
  run.clock.advanceTo(t);
  run.metrics.advance(t);
}

/** Applies `event` to the run's simulator, then hands the agent the event as it sees it (a snapshot with our orders added). */
function deliver<P extends RunParams>(run: Run<P>, event: PortEvent): Promise<void> | undefined {
  return react(run, run.sim.onMarketEvent(event), 0);
}

/**
 * Hands `event` to the agent, then delivers the account events queued from `from` on. An agent that
 * returns its promise is done when it resolves, unless it used the port in a way the promise may not
 * cover (an order-entry call without a promise, or a REST read): then every pending task settles first.
 */
function react<P extends RunParams>(run: Run<P>, event: PortEvent, from: number): Promise<void> | undefined {
  const actions = run.port.actions;
  const result = run.agent.onEvent(event);
  if (result !== undefined && result !== DONE) return result.then(() => (readSinceLastLook(run) ? settleThenDrain(run, from) : drain(run, from)));
  if (run.port.actions !== actions || readSinceLastLook(run)) return settleThenDrain(run, from);
  return drain(run, from);
}

async function settleThenDrain<P extends RunParams>(run: Run<P>, from = 0): Promise<void> {
  await settle();
  const pending = drain(run, from);
  if (pending !== undefined) await pending;
}

/** Delivers the simulator's queued account events to the agent, including those its reactions cause. */
function drain<P extends RunParams>(run: Run<P>, from = 0): Promise<void> | undefined {
  const outbox = run.sim.outbox;
  if (outbox.length === 0) return undefined;
  for (let i = from; i < outbox.length; i++) {
    const event = outbox[i] as PortEvent;
    if (event.type === 'fill') run.port.recordFill(event.fill);
    run.sim.delivered = i + 1;
    const actions = run.port.actions;
    const result = run.agent.onEvent(event);
    if (result !== undefined && result !== DONE) return result.then(() => (readSinceLastLook(run) ? settleThenDrain(run, i + 1) : drain(run, i + 1)));
    if (run.port.actions !== actions || readSinceLastLook(run)) return settleThenDrain(run, i + 1);
  }
  outbox.length = 0;
  run.sim.delivered = 0;
  return undefined;
}
