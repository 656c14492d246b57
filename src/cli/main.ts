/**
 * The composition root: `kalshi-mm <command> [flags]`. Exit codes: 0 success, 1 error, 2 bad usage.
 */
import { KalshiMmError, UsageError } from '../core/errors.js';
import type { Command, CommandIo } from './command.js';
import { commands } from './commands/index.js';

const HELP = `kalshi-mm — market making for Kalshi event contracts

Usage: kalshi-mm <command> [flags]     (kalshi-mm <command> --help for its flags)

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Networked commands take --env local|demo|prod, --base-url URL and --credentials FILE; otherwise
KALSHI_API_KEY_ID + KALSHI_PRIVATE_KEY_PATH. The default, local, uses the exchange named in
.kalshi-mm/local/credentials.json if it answers, else starts an embedded one in-process.
`;

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io?: Partial<CommandIo>): Promise<number> {
  const controller = new AbortController();
  const ownSignal = io?.signal === undefined;
  // The first signal asks the command to stop. A bot's stop cancels its orders, which can take a
  // minute while the exchange fails; Node's default action on a second Ctrl-C would kill it with its
  // orders resting. So the second one only says so, and a third quits at once.
  let signals = 0;
  const onSignal = (): void => {
    signals += 1;
    if (signals === 1) controller.abort(new Error('interrupted'));
    else if (signals === 2)
      fullIo.stderr.write(
        'kalshi-mm: still stopping (a running bot is cancelling its orders); signal again to quit at once, which may leave orders resting\n',
      );
    else process.exit(130);
  };
  if (ownSignal) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  const fullIo: CommandIo = {
    stdout: io?.stdout ?? process.stdout,
    stderr: io?.stderr ?? process.stderr,
    env: io?.env ?? process.env,
    cwd: io?.cwd ?? process.cwd(),
    signal: io?.signal ?? controller.signal,
  };
  // Clock timers are unref'd so that they never hold a finished process open; while a command is still
  // running, this referenced timer keeps Node alive even when all it waits for is such a timer (a
  // rate-limit pause before any socket is open would otherwise exit silently with code 0).
  const keepAlive = setInterval(() => undefined, 1 << 30);
  try {
    return await dispatch(argv, fullIo);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    fullIo.stderr.write(`kalshi-mm: ${message}\n`);
    if (error instanceof UsageError) return 2;
    if (!(error instanceof KalshiMmError) && error instanceof Error && fullIo.env['KALSHI_MM_DEBUG'])
      fullIo.stderr.write(`${error.stack ?? ''}\n`);
    return 1;
  } finally {
    clearInterval(keepAlive);
    if (ownSignal) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}

async function dispatch(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.stdout.write('0.1.0\n');
    return 0;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}; see kalshi-mm --help`);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return 0;
  }
  return command.run(rest, io);
}
