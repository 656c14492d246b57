/**
 * `kalshi-mm best`: Pick the best parameters from optimize results.
 */
import type { Command } from '../command.js';

export const bestCommand: Command = {
  name: 'best',
  summary: 'Pick the best parameters from optimize results',
  help: `Usage: kalshi-mm best [flags]\n\nPick the best parameters from optimize results.\n`,
  // TODO(issue): replaced by the issue that owns this command.
  run: (_argv, io) => {
    io.stderr.write('kalshi-mm best: not built yet\n');
    return Promise.resolve(1);
  },
};
