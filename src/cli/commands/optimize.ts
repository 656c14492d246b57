/**
 * `kalshi-mm optimize`: the γ × κ grid over every market of one or more recordings, on worker
 * threads; writes DIR/market_results.json and DIR/overall_results.json.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { CASH_SCALE, UsageError } from '../../core/index.js';
import { aggregate, gridOf, parseRange } from '../../backtest/grid.js';
import { runGrid, type GridProgress } from '../../backtest/grid-pool.js';
import type { PlainSettings } from '../../backtest/grid-job.js';
import { requireInputFile } from '../files.js';
import type { Command, CommandIo } from '../command.js';
import { integerFlag, numberFlag, parseFlags } from '../args.js';
import { agentFromFlags, configFromFlags, MODEL_FLAGS, MODEL_HELP, modelsFromFlags, stderrLogger } from './backtest.js';
import { configFlagOptions } from '../../config/index.js';

const HELP = `Usage: kalshi-mm optimize --data FILE [--data FILE ...] --out DIR [--gammas A:B:STEP] [--kappas A:B:STEP] [--workers N] [--holdout F]

Run the quoting agent over every market of the recordings for each (γ, κ) of the grid. Each worker
reads each file once and replays its share of the grid in that single pass. Writes
  DIR/market_results.json   one record per file × market × (γ, κ)  (fields as backtest --json)
  DIR/overall_results.json  one record per (γ, κ), aggregated over markets (mean/total cash and PnL)
  DIR/run.json              the files, the grid, the holdout and the settings of this run
and removes DIR/best_overall.json, DIR/best_by_market.json and DIR/report.html of earlier results.
With --holdout F the last fraction F of each market's time is kept out of the search figures and
reported separately under "holdout" (so overfitting shows). Progress goes to stderr.

  --data FILE       recording (repeatable; extra positional arguments are files too)
  --out DIR         output directory                                      (required)
  --gammas R        γ values, start:end:step or one number                default 0.05:1.0:0.05
  --kappas R        κ values                                              default 0.5:5.0:0.5
  --workers N       worker threads                                        default: available cores
  --holdout F       held-out fraction of each market's time, 0 ≤ F < 1    default 0
  --report          also write DIR/report.html (heatmap)
  Trading-config flags (as kalshi-mm run) apply to every run; --gamma/--kappa are replaced by the grid.

${MODEL_HELP}`;

/** Files `best` and `report` derive from the results; optimize removes them with the results they describe. */
const DERIVED_FILES = ['best_overall.json', 'best_by_market.json', 'report.html'] as const;

export const optimizeCommand: Command = {
  name: 'optimize',
  summary: 'Grid-search gamma x kappa over recordings',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      { ...configFlagOptions(), data: { type: 'string', multiple: true }, out: { type: 'string' }, gammas: { type: 'string' }, kappas: { type: 'string' }, workers: { type: 'string' }, holdout: { type: 'string' }, report: { type: 'boolean' }, ...MODEL_FLAGS },
      true,
    );
    const files = [...(values.data ?? []), ...positionals];
    if (files.length === 0) throw new UsageError('--data FILE is required');
    // The same recording twice would count each of its markets twice in every total and mean.
    const seen = new Set<string>();
    for (const file of files) {
      requireInputFile(values.data?.includes(file) ? '--data' : 'recording', file, io.cwd);
      const key = resolve(file);
      if (seen.has(key)) throw new UsageError(`--data: ${file} is given twice`);
      seen.add(key);
    }
    if (!values.out) throw new UsageError('--out DIR is required');
    let gammas: number[];
    let kappas: number[];
    try {
      gammas = parseRange(values.gammas ?? '0.05:1.0:0.05', 'gammas');
      kappas = parseRange(values.kappas ?? '0.5:5.0:0.5', 'kappas');
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    if (gammas.some((g) => g <= 0) || kappas.some((k) => k <= 0)) throw new UsageError('--gammas and --kappas must be positive');
    const holdout = numberFlag(values.holdout, 'holdout', 0);
    if (!(holdout >= 0 && holdout < 1)) throw new UsageError(`--holdout: expected a fraction in [0, 1), was ${holdout}`);
    const workers = integerFlag(values.workers, 'workers', availableParallelism());
    if (workers < 1) throw new UsageError(`--workers: expected at least 1, was ${workers}`);
    const models = modelsFromFlags(values);
    const config = configFromFlags(values);
    const settings: PlainSettings = {
      queue: models.queue,
      ...(models.queueExponent === undefined ? {} : { queueExponent: models.queueExponent }),
      latency: models.latency,
      feeType: models.fees.schedule.feeType,
      feeMultiplier: models.fees.schedule.multiplier / 10_000,
      crossFills: models.crossFills,
      seed: models.seed,
      ...(models.account?.startingCash === undefined ? {} : { startingCashDollars: models.account.startingCash / CASH_SCALE }),
      ...(models.account?.precision === undefined ? {} : { balancePrecision: models.account.precision === 1 ? ('direct' as const) : ('cent' as const) }),
      config,
      agent: agentFromFlags(values.agent),
    };
    const params = gridOf(gammas, kappas);
    const progress = progressReporter(io);
    const records = await runGrid({ files, params, settings, holdoutFraction: holdout, workers, logger: stderrLogger(io.stderr), signal: io.signal, onProgress: progress.update });
    progress.finish();
    const overall = aggregate(records);
    mkdirSync(values.out, { recursive: true });
    // Picks and pages made from the results about to be replaced would describe another grid beside
    // these results; a reader of best_overall.json must never get a stale pick.
    const stale = DERIVED_FILES.filter((name) => existsSync(join(values.out as string, name)));
    for (const name of stale) rmSync(join(values.out, name));
    if (stale.length > 0) io.stderr.write(`optimize: removed ${stale.join(', ')} of the previous results in ${values.out}\n`);
    writeFileSync(join(values.out, 'market_results.json'), `${JSON.stringify(records, null, 1)}\n`);
    writeFileSync(join(values.out, 'overall_results.json'), `${JSON.stringify(overall, null, 1)}\n`);
    writeFileSync(
      join(values.out, 'run.json'),
      `${JSON.stringify({ files, gammas, kappas, holdoutFraction: holdout, settings }, null, 1)}\n`,
    );
    if (values.report) {
      const { renderGridReport } = await import('../../backtest/report.js');
      writeFileSync(join(values.out, 'report.html'), renderGridReport(overall, { title: `optimize: ${files.length} file(s), ${params.length} parameter sets` }));
    }
    const markets = new Set(records.map((r) => `${r.file}|${r.market}`)).size;
    io.stdout.write(`${records.length} results (${markets} markets × ${params.length} parameter sets) written to ${values.out}\n`);
    return 0;
  },
};

/**
 * A progress bar with ETA on a terminal; otherwise a quiet line per finished job and per 10 % of the
 * lines. Progress is lines read over all jobs' lines (each worker reads each file once), so a long
 * grid over a small file still moves; the ETA assumes the remaining lines cost what the read ones did.
 */
function progressReporter(io: CommandIo): { update: (p: GridProgress) => void; finish: () => void } {
  const tty = (io.stderr as NodeJS.WriteStream).isTTY === true;
  const started = performance.now();
  let lastDone = -1;
  let lastTenth = 0;
  let lastDraw = 0;
  return {
    update(p) {
      const elapsed = (performance.now() - started) / 1000;
      const fraction = p.totalLines > 0 ? Math.min(1, p.lines / p.totalLines) : p.jobsDone / p.jobs;
      const eta = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : undefined;
      const etaText = eta === undefined ? 'ETA --' : `ETA ${Math.round(eta)} s`;
      const percent = `${Math.floor(fraction * 100)}%`;
      if (tty) {
        const now = performance.now();
        if (now - lastDraw < 100 && p.jobsDone === lastDone) return;
        lastDraw = now;
        lastDone = p.jobsDone;
        const width = 30;
        const filled = Math.round(fraction * width);
        io.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent} ${p.jobsDone}/${p.jobs} jobs, ${p.lines}/${p.totalLines} lines, ${Math.round(elapsed)} s, ${etaText}  `);
        return;
      }
      const tenth = Math.floor(fraction * 10);
      if (p.jobsDone === lastDone && tenth <= lastTenth) return;
      lastDone = p.jobsDone;
      lastTenth = Math.max(lastTenth, tenth);
      io.stderr.write(`optimize: ${percent}, ${p.jobsDone}/${p.jobs} jobs done, ${p.lines}/${p.totalLines} lines, ${Math.round(elapsed)} s elapsed, ${etaText}\n`);
    },
    finish() {
      if (tty) io.stderr.write('\n');
    },
  };
}
