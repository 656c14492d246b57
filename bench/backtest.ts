/**
 * Backtest benchmarks on a synthetic recording generated into a temp dir by the market generator
 * (the code `kalshi-mm synth` runs). Figures:
 * The agent is the bot's MarketMaker (the CLI default) unless a name says otherwise.
 *  - backtest_vs_parse: one backtest (`kalshi-mm backtest --market`, one market of the file) ÷ reading
 *    the same file with readline + JSON.parse of every line. Goal ≤ 1.5.
 *  - backtest_all_markets_vs_parse: every market of the file replayed (one parameter set each) ÷ the
 *    same baseline — the replay's full per-line cost, with no line skipped.
 *  - grid100_vs_single: 100 parameter sets in one pass ÷ one backtest, same market and file. Goal ≤ 10.
 *    `_reference_agent`: the same with the small A-S quoter; `_idle_agent`: with an agent that does
 *    nothing, i.e. the simulator's own cost.
 *  - events/s (recording lines per second; for the grid, market events × parameter sets per second).
 * Size: KALSHI_MM_BENCH_LINES (default 1 000 000 recorded lines — the "~1M events" — about
 * 2M engine events over 48 markets; the generator writes ~45 000 lines/s, so this module takes about
 * two minutes on two cores; set a smaller size for a quick look).
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultAgentFactory, referenceAgentFactory, replay, SynthEncoder, type AgentFactory, type RunParams } from '../src/backtest/index.js';
import { defaultTradingConfig } from '../src/config/index.js';
import type { Logger } from '../src/core/index.js';
import { defaultUniverse, runOffline, toMarketDefinition, type UniverseDefinition } from '../src/exchange/market-sim/index.js';
import { RecordingWriter } from '../src/record/index.js';

type Report = (name: string, value: number, unit: string) => void;

const MARKET = 'KXHIGHNY-26JAN01-B36.5';
const START_MS = Date.parse('2026-01-01T14:00:00Z');

function universe(count: number): UniverseDefinition {
  const base = defaultUniverse().markets;
  return { markets: Array.from({ length: count }, (_, i) => {
    const spec = base[i % base.length];
    if (!spec) throw new Error('empty default universe');
    const round = Math.floor(i / base.length);
    return round === 0 ? spec : { ...spec, ticker: `${spec.ticker}-S${round}`, eventTicker: `${spec.eventTicker}S${round}` };
  }) };
}

/** Writes a synthetic recording of about `targetLines` lines; returns the exact count. */
function generate(path: string, targetLines: number): number {
  const markets = universe(48);
  const encoder = new SynthEncoder(markets.markets.map((m) => toMarketDefinition(m, START_MS, 1)));
  const writer = RecordingWriter.openSync(path, { source: 'synthetic', created: new Date(START_MS).toISOString(), headerMs: START_MS });
  // ~98 000 lines per hour for 48 markets; the generator stops on its own at `hours`.
  const hours = Math.max(0.1, targetLines / 98_000);
  runOffline({ seed: 1, universe: markets, hours, startMs: START_MS, onEvent: (event, nowMs) => {
    for (const line of encoder.encode(event, nowMs)) writer.writeSync(line);
  } });
  void writer.close();
  return writer.lineCount;
}

async function timeIt(runs: number, body: () => Promise<unknown>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await body();
    best = Math.min(best, performance.now() - started);
  }
  return best / 1000;
}

async function parseAll(path: string): Promise<number> {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    JSON.parse(line);
    n++;
  }
  return n;
}

export async function run(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kmm-bench-backtest-'));
  try {
    const file = join(dir, 'synthetic.jsonl');
    const target = Number(process.env['KALSHI_MM_BENCH_LINES'] ?? 1_000_000);
    // Progress on stderr (stdout carries only the figures): the whole module takes minutes.
    const note = (text: string): void => void process.stderr.write(`bench backtest: ${text}\n`);
    note(`generating a synthetic recording of ~${target} lines`);
    const lines = generate(file, target);
    const noop = (): void => undefined;
    const logger: Logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => logger };
    const maker = defaultAgentFactory({ config: defaultTradingConfig() });
    const reference = referenceAgentFactory();
    const idle: AgentFactory = () => ({ onEvent: () => undefined });
    const single = [{ gamma: 0.1, kappa: 1.5 }];
    const grid: RunParams[] = [];
    for (let g = 1; g <= 10; g++) for (let k = 1; k <= 10; k++) grid.push({ gamma: g / 10, kappa: k / 2 });
    let marketEvents = 0;
    await replay({ file, tickers: [MARKET], params: single, agent: () => ({ onEvent: (e) => void (e.type === 'trade' || e.type.startsWith('book') || e.type === 'market' || e.type === 'stale' ? marketEvents++ : 0) }), logger });
    note('timing the parse baseline');
    const parse = await timeIt(2, () => parseAll(file));
    const measure = async (agent: AgentFactory): Promise<{ one: number; hundred: number }> => ({
      one: await timeIt(2, () => replay({ file, tickers: [MARKET], params: single, agent, logger })),
      hundred: await timeIt(1, () => replay({ file, tickers: [MARKET], params: grid, agent, logger })),
    });
    note('timing one backtest and a grid of 100 with the maker');
    const withMaker = await measure(maker);
    note('the same with the reference agent and an idle agent');
    const withReference = await measure(reference);
    const withIdle = await measure(idle);
    note('timing every market of the file');
    const all = await timeIt(1, () => replay({ file, params: single, agent: maker, logger }));
    report('backtest_recording_lines', lines, 'lines');
    report('backtest_market_events', marketEvents, 'events');
    report('backtest_vs_parse', withMaker.one / parse, 'ratio');
    report('grid100_vs_single', withMaker.hundred / withMaker.one, 'ratio');
    report('backtest_all_markets_vs_parse', all / parse, 'ratio');
    report('grid100_vs_single_reference_agent', withReference.hundred / withReference.one, 'ratio');
    report('grid100_vs_single_idle_agent', withIdle.hundred / withIdle.one, 'ratio');
    report('parse_events_per_s', lines / parse, 'lines/s');
    report('backtest_events_per_s', lines / withMaker.one, 'lines/s');
    report('backtest_all_markets_events_per_s', lines / all, 'lines/s');
    report('grid100_run_events_per_s', (marketEvents * grid.length) / withMaker.hundred, 'events/s');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
