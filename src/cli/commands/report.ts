/**
 * `kalshi-mm report`: Write an HTML report with charts for results.
 */
import type { Command } from '../command.js';

export const reportCommand: Command = {
  name: 'report',
  summary: 'Write an HTML report with charts for results',
  help: `Usage: kalshi-mm report [flags]\n\nWrite an HTML report with charts for results.\n`,
  // TODO(issue): replaced by the issue that owns this command.
  run: (_argv, io) => {
    io.stderr.write('kalshi-mm report: not built yet\n');
    return Promise.resolve(1);
  },
};
