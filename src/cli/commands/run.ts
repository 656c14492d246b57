/**
 * `kalshi-mm run`: Run the market-making bot (local exchange by default).
 */
import type { Command } from '../command.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'Run the market-making bot (local exchange by default)',
  help: `Usage: kalshi-mm run [flags]\n\nRun the market-making bot (local exchange by default).\n`,
  // TODO(issue): replaced by the issue that owns this command.
  run: (_argv, io) => {
    io.stderr.write('kalshi-mm run: not built yet\n');
    return Promise.resolve(1);
  },
};
