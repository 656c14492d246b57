/**
 * `kalshi-mm exchange`: starts the local Kalshi-compatible exchange (REST + WebSocket) and prints
 * exactly one JSON line with its credentials to stdout once it listens; logs go to stderr. Stops
 * cleanly on SIGINT/SIGTERM (the CommandIo signal).
 */
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { UsageError, type LogFields, type Logger } from '../../core/index.js';
import { startLocalExchange, type UsageTier } from '../../exchange/index.js';
import { integerFlag, numberFlag, parseFlags } from '../args.js';
import { requireInputFile } from '../files.js';
import type { Command } from '../command.js';

const HELP = `Usage: kalshi-mm exchange [flags]

Start the local Kalshi-compatible exchange: REST under /trade-api/v2, WebSocket at /trade-api/ws/v2,
admin API under /_admin (loopback only). Markets move: a seeded generator runs on the real clock × --speed.
On first start it creates a demo account in --data-dir (RSA key, private key mode 0600) and a
starting balance. When ready it prints one JSON line {"rest","ws","keyId","privateKeyPath"} to stdout
and writes the same object to DIR/credentials.json. Logs go to stderr.

Flags:
  --port N          port to listen on; 0 picks a free one (default 0)
  --host ADDR       address to bind (default 127.0.0.1)
  --data-dir DIR    accounts, keys and credentials.json (default .kalshi-mm/local)
  --seed N          seed of the market generator (default 1)
  --speed X         time compression of the generator: 60 = an hour per minute (default 1)
  --markets FILE    JSON universe of markets (default: the built-in dozen)
  --accounts N      trading accounts in total, the demo one included (default 1)
  --tier NAME       rate-limit tier: basic, advanced, expert, premier, paragon, prime, prestige (default basic)
  --no-rate-limits  disable rate limits
  --replay FILE     replay a recording (.jsonl or .jsonl.gz) instead of generating markets;
                    accounts trade against the recorded book (docs/local-exchange.md)
`;

const TIERS = new Set(['basic', 'advanced', 'expert', 'premier', 'paragon', 'prime', 'prestige']);

export const exchangeCommand: Command = {
  name: 'exchange',
  summary: 'Start the local Kalshi-compatible exchange (REST + WebSocket)',
  help: HELP,
  run: async (argv, io) => {
    const { values } = parseFlags(argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      seed: { type: 'string' },
      speed: { type: 'string' },
      markets: { type: 'string' },
      accounts: { type: 'string' },
      tier: { type: 'string' },
      'no-rate-limits': { type: 'boolean' },
      replay: { type: 'string' },
    });
    const port = integerFlag(values.port, 'port', 0);
    if (port < 0 || port > 65_535) throw new UsageError(`--port: expected 0…65535, was ${port}`);
    const speed = numberFlag(values.speed, 'speed', 1);
    if (speed <= 0) throw new UsageError(`--speed: expected a positive number, was ${speed}`);
    const accounts = integerFlag(values.accounts, 'accounts', 1);
    if (accounts < 1 || accounts > 100) throw new UsageError(`--accounts: expected 1…100, was ${accounts}`);
    const tier = values.tier ?? 'basic';
    if (!TIERS.has(tier)) throw new UsageError(`--tier: expected one of ${[...TIERS].join(', ')}, was ${JSON.stringify(tier)}`);
    if (values.replay !== undefined) requireInputFile('--replay', values.replay, io.cwd);
    if (values.markets !== undefined) requireInputFile('--markets', values.markets, io.cwd);
    if (io.signal.aborted) return 0;
    const logger = stderrLogger(io.stderr);
    const exchange = await startLocalExchange({
      dataDir: resolve(io.cwd, values['data-dir'] ?? '.kalshi-mm/local'),
      host: values.host ?? '127.0.0.1',
      port,
      seed: integerFlag(values.seed, 'seed', 1),
      speed,
      accounts,
      rateLimitTier: tier as UsageTier,
      rateLimits: values['no-rate-limits'] !== true,
      logger,
      ...(values.markets === undefined ? {} : { marketsFile: resolve(io.cwd, values.markets) }),
      ...(values.replay === undefined ? {} : { replayFile: resolve(io.cwd, values.replay) }),
    });
    io.stdout.write(`${JSON.stringify(exchange.credentials)}\n`);
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await exchange.close();
    return 0;
  },
};

/** A JSON-lines logger on stderr (never stdout: stdout carries only the credentials line). */
function stderrLogger(stream: Writable, bindings: LogFields = {}): Logger {
  const write = (level: string, fields: LogFields, message: string): void => {
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...bindings, ...fields })}\n`);
  };
  return {
    debug: () => undefined,
    info: (fields, message) => write('info', fields, message),
    warn: (fields, message) => write('warn', fields, message),
    error: (fields, message) => write('error', fields, message),
    child: (more) => stderrLogger(stream, { ...bindings, ...more }),
  };
}
