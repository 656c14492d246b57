/**
 * `kalshi-mm backtest`: Backtest one market on a recording.
 */
import type { Command } from '../command.js';

export const backtestCommand: Command = {
  name: 'backtest',
  summary: 'Backtest one market on a recording',
  help: `Usage: kalshi-mm backtest [flags]\n\nBacktest one market on a recording.\n`,
  // TODO(issue): replaced by the issue that owns this command.
  run: (_argv, io) => {
    io.stderr.write('kalshi-mm backtest: not built yet\n');
    return Promise.resolve(1);
  },
};
