/**
 * `kalshi-mm exchange`: Start the local Kalshi-compatible exchange (REST + WebSocket).
 */
import type { Command } from '../command.js';

export const exchangeCommand: Command = {
  name: 'exchange',
  summary: 'Start the local Kalshi-compatible exchange (REST + WebSocket)',
  help: `Usage: kalshi-mm exchange [flags]\n\nStart the local Kalshi-compatible exchange (REST + WebSocket).\n`,
  // TODO(issue): replaced by the issue that owns this command.
  run: (_argv, io) => {
    io.stderr.write('kalshi-mm exchange: not built yet\n');
    return Promise.resolve(1);
  },
};
