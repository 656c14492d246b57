/**
 * `kalshi-mm best`: picks parameters from an optimize output directory.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../core/index.js';
import { bestByMarket, pickByCash, pickByPnl, type MarketRecord, type OverallRecord } from '../../backtest/grid.js';
import { requireInputDirectory } from '../files.js';
import type { Command } from '../command.js';
import { parseFlags } from '../args.js';

const HELP = `Usage: kalshi-mm best --results DIR

Read DIR/market_results.json and DIR/overall_results.json (from kalshi-mm optimize) and write
  DIR/best_overall.json    the (γ, κ) with the highest mean cash across markets (the original design's
                           pick, "byCash"), and the pick by mean PnL ("byPnl"), each with its
                           held-out figures when the grid was run with --holdout
  DIR/best_by_market.json  per market of each file (as optimize counts markets), the record with the
                           highest cash (ties: smallest |inventory|)
`;

/** Returns the parsed JSON array in `path`, or throws UsageError naming the file. */
function readArray<T>(path: string): T[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${path}: cannot read results (${error instanceof Error ? error.message : String(error)}); run kalshi-mm optimize first`, { cause: error });
  }
  if (!Array.isArray(value)) throw new UsageError(`${path}: expected a JSON array of results`);
  return value as T[];
}

export const bestCommand: Command = {
  name: 'best',
  summary: 'Pick the best parameters from optimize results',
  help: HELP,
  run(argv, io) {
    const { values } = parseFlags(argv, { results: { type: 'string' } });
    if (!values.results) throw new UsageError('--results DIR is required');
    requireInputDirectory('--results', values.results, io.cwd);
    const records = readArray<MarketRecord>(join(values.results, 'market_results.json'));
    const overall = readArray<OverallRecord>(join(values.results, 'overall_results.json'));
    const byCash = pickByCash(overall);
    const byPnl = pickByPnl(overall);
    if (!byCash || !byPnl) throw new UsageError(`${values.results}: no results to pick from`);
    const best = { byCash, byPnl, criterion: 'byCash = highest mean cash across markets (original design); byPnl = highest mean PnL (settled or marked)' };
    writeFileSync(join(values.results, 'best_overall.json'), `${JSON.stringify(best, null, 1)}\n`);
    writeFileSync(join(values.results, 'best_by_market.json'), `${JSON.stringify(bestByMarket(records), null, 1)}\n`);
    const line = (name: string, r: OverallRecord): string =>
      `${name}: gamma=${r.gamma} kappa=${r.kappa} mean cash ${r.meanCash} $, mean PnL ${r.meanPnl} $ over ${r.markets} markets${r.holdout ? `; holdout mean PnL ${r.holdout.meanPnl} $` : ''}\n`;
    io.stdout.write(line('best by cash', byCash) + line('best by PnL ', byPnl));
    return Promise.resolve(0);
  },
};
