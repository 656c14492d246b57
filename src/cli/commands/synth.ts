/**
 * `kalshi-mm synth`: Write a synthetic recording from the market generator.
 */
import type { Command } from '../command.js';

export const synthCommand: Command = {
  name: 'synth',
  summary: 'Write a synthetic recording from the market generator',
  help: `Usage: kalshi-mm synth [flags]\n\nWrite a synthetic recording from the market generator.\n`,
  // TODO(issue): replaced by the issue that owns this command.
  run: (_argv, io) => {
    io.stderr.write('kalshi-mm synth: not built yet\n');
    return Promise.resolve(1);
  },
};
