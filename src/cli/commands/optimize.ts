/**
 * `kalshi-mm optimize`: Grid-search gamma x kappa over every market in recordings.
 */
import type { Command } from '../command.js';

export const optimizeCommand: Command = {
  name: 'optimize',
  summary: 'Grid-search gamma x kappa over every market in recordings',
  help: `Usage: kalshi-mm optimize [flags]\n\nGrid-search gamma x kappa over every market in recordings.\n`,
  // TODO(issue): replaced by the issue that owns this command.
  run: (_argv, io) => {
    io.stderr.write('kalshi-mm optimize: not built yet\n');
    return Promise.resolve(1);
  },
};
