/**
 * `kalshi-mm scan`: Scan open markets: spreads, volume, high/low, opportunity score.
 */
import type { Command } from '../command.js';

export const scanCommand: Command = {
  name: 'scan',
  summary: 'Scan open markets: spreads, volume, high/low, opportunity score',
  help: `Usage: kalshi-mm scan [flags]\n\nScan open markets: spreads, volume, high/low, opportunity score.\n`,
  // TODO(issue): replaced by the issue that owns this command.
  run: (_argv, io) => {
    io.stderr.write('kalshi-mm scan: not built yet\n');
    return Promise.resolve(1);
  },
};
