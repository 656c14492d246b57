/**
 * `kalshi-mm record`: Record order books and trades for replay.
 */
import type { Command } from '../command.js';

export const recordCommand: Command = {
  name: 'record',
  summary: 'Record order books and trades for replay',
  help: `Usage: kalshi-mm record [flags]\n\nRecord order books and trades for replay.\n`,
  // TODO(issue): replaced by the issue that owns this command.
  run: (_argv, io) => {
    io.stderr.write('kalshi-mm record: not built yet\n');
    return Promise.resolve(1);
  },
};
