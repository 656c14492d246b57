/**
 * `kalshi-mm import`: Convert third-party Kalshi data into the recording format.
 */
import type { Command } from '../command.js';

export const importCommand: Command = {
  name: 'import',
  summary: 'Convert third-party Kalshi data into the recording format',
  help: `Usage: kalshi-mm import [flags]\n\nConvert third-party Kalshi data into the recording format.\n`,
  // TODO(issue): replaced by the issue that owns this command.
  run: (_argv, io) => {
    io.stderr.write('kalshi-mm import: not built yet\n');
    return Promise.resolve(1);
  },
};
