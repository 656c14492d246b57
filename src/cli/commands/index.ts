/** Every command of the kalshi-mm binary, in the order `--help` lists them. */
import type { Command } from '../command.js';
import { exchangeCommand } from './exchange.js';
import { runCommand } from './run.js';
import { backtestCommand } from './backtest.js';
import { optimizeCommand } from './optimize.js';
import { bestCommand } from './best.js';
import { reportCommand } from './report.js';
import { synthCommand } from './synth.js';
import { importCommand } from './import.js';
import { recordCommand } from './record.js';
import { scanCommand } from './scan.js';

export const commands: readonly Command[] = [
  exchangeCommand,
  runCommand,
  backtestCommand,
  optimizeCommand,
  bestCommand,
  reportCommand,
  synthCommand,
  importCommand,
  recordCommand,
  scanCommand,
];
