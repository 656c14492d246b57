// Runs one of the backtesting commands the way cli/main.ts does (exit codes 0/1/2, message on
// stderr), without loading every other command of the binary.
import { PassThrough } from 'node:stream';
import { UsageError } from '../../src/core/index.js';
import type { Command } from '../../src/cli/command.js';
import { backtestCommand } from '../../src/cli/commands/backtest.js';
import { bestCommand } from '../../src/cli/commands/best.js';
import { importCommand } from '../../src/cli/commands/import.js';
import { optimizeCommand } from '../../src/cli/commands/optimize.js';
import { reportCommand } from '../../src/cli/commands/report.js';
import { synthCommand } from '../../src/cli/commands/synth.js';

const COMMANDS: readonly Command[] = [backtestCommand, bestCommand, importCommand, optimizeCommand, reportCommand, synthCommand];

/** Runs `kalshi-mm <argv>` for the backtesting commands; resolves to exit code, stdout and stderr. */
export async function runCommand(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: [Buffer[], Buffer[]] = [[], []];
  out.on('data', (c: Buffer) => chunks[0].push(c));
  err.on('data', (c: Buffer) => chunks[1].push(c));
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new Error(`not a backtesting command: ${String(name)}`);
  let code: number;
  try {
    code = await command.run(rest, { stdout: out, stderr: err, env: {}, cwd: process.cwd(), signal: new AbortController().signal });
  } catch (error) {
    err.write(`kalshi-mm: ${error instanceof Error ? error.message : String(error)}\n`);
    code = error instanceof UsageError ? 2 : 1;
  }
  return { code, out: Buffer.concat(chunks[0]).toString('utf8'), err: Buffer.concat(chunks[1]).toString('utf8') };
}
