/**
 * `kalshi-mm report`: an HTML report (γ × κ heatmap) of an optimize output directory.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../core/index.js';
import type { OverallRecord } from '../../backtest/grid.js';
import { renderGridReport } from '../../backtest/report.js';
import { requireInputDirectory } from '../files.js';
import type { Command } from '../command.js';
import { parseFlags } from '../args.js';

const HELP = `Usage: kalshi-mm report DIR [--out FILE]

Write a self-contained HTML page (charts inlined, opens offline) for the optimize results in DIR: a
γ × κ heatmap of mean PnL and PnL-vs-γ lines per κ. Default output: DIR/report.html.
For a single run, use kalshi-mm backtest --report FILE.
`;

export const reportCommand: Command = {
  name: 'report',
  summary: 'Write an HTML report of optimize results',
  help: HELP,
  run(argv, io) {
    const { values, positionals } = parseFlags(argv, { out: { type: 'string' }, results: { type: 'string' } }, true);
    const dir = values.results ?? positionals[0];
    if (!dir) throw new UsageError('the results directory is required: kalshi-mm report DIR');
    requireInputDirectory(values.results === undefined ? 'results directory' : '--results', dir, io.cwd);
    const path = join(dir, 'overall_results.json');
    let overall: OverallRecord[];
    try {
      overall = JSON.parse(readFileSync(path, 'utf8')) as OverallRecord[];
    } catch (error) {
      throw new UsageError(`${path}: cannot read results (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
    const out = values.out ?? join(dir, 'report.html');
    writeFileSync(out, renderGridReport(overall, { title: `kalshi-mm optimize results: ${dir}` }));
    io.stdout.write(`report written to ${out}\n`);
    return Promise.resolve(0);
  },
};
