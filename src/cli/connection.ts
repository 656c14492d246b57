/**
 * Where networked commands connect, from the shared flags: `--env local|demo|prod`,
 * `--base-url URL`, `--credentials FILE` (JSON `{rest, ws, keyId, privateKeyPath}`), else the
 * environment (`KALSHI_API_KEY_ID` + `KALSHI_PRIVATE_KEY_PATH` or `KALSHI_PRIVATE_KEY`).
 * The default, `local`, uses the exchange named in `.kalshi-mm/local/credentials.json` when it
 * answers `GET /exchange/status`, and otherwise starts an embedded one in this process (port 0).
 * Keys are loaded through kalshi/credentials.ts into a redacting KalshiCredentials (its JSON and
 * inspect forms hide the key id and key), so a connection object that reaches a log leaks nothing.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, UsageError, type Clock, type ExchangePort, type Logger } from '../core/index.js';
import { ExchangeClient } from '../kalshi/index.js';
import { credentialsFromEnvironment as keyFromEnvironment, loadCredentials, type KalshiCredentials } from '../kalshi/credentials.js';
import { startLocalExchange, SystemClock, type LocalExchange } from '../exchange/index.js';
import type { CommandIo } from './command.js';

/** The environments a command can trade on. */
export type ConnectionEnv = 'local' | 'demo' | 'prod';

/** parseArgs option definitions of the shared network flags; spread them into a command's options. */
export const CONNECTION_FLAGS = {
  env: { type: 'string' },
  'base-url': { type: 'string' },
  credentials: { type: 'string' },
} as const;

/** `--help` lines of the shared network flags. */
export const CONNECTION_FLAGS_HELP = `  --env ENV           local (default), demo or prod
  --base-url URL      REST root, e.g. http://127.0.0.1:8080/trade-api/v2 (WebSocket URL derived from it)
  --credentials FILE  JSON {rest, ws, keyId, privateKeyPath}; else KALSHI_API_KEY_ID + KALSHI_PRIVATE_KEY_PATH
                      (or KALSHI_PRIVATE_KEY with the PEM itself)`;

/** The values of the shared flags as parseArgs returns them. */
export interface ConnectionFlagValues {
  readonly env?: string | undefined;
  readonly 'base-url'?: string | undefined;
  readonly credentials?: string | undefined;
}

/** Kalshi's hosts per environment (kalshi-api.md §1, recommended external hosts). */
export const KALSHI_HOSTS: Readonly<Record<Exclude<ConnectionEnv, 'local'>, { readonly rest: string; readonly ws: string }>> = {
  demo: { rest: 'https://external-api.demo.kalshi.co/trade-api/v2', ws: 'wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2' },
  prod: { rest: 'https://external-api.kalshi.com/trade-api/v2', ws: 'wss://external-api-ws.kalshi.com/trade-api/ws/v2' },
};

/** Where to connect and with which key. */
export interface ResolvedCredentials {
  readonly env: ConnectionEnv;
  readonly rest: string;
  readonly ws: string;
  /** Key id and private key (redacted in JSON and inspect output). */
  readonly key: KalshiCredentials;
}

/** An open connection: the port, its credentials, the embedded exchange when one was started. */
export interface Connection<P extends ExchangePort = ExchangePort> {
  readonly port: P;
  readonly credentials: ResolvedCredentials;
  readonly embedded?: LocalExchange;
  /** Closes the port, then the embedded exchange. Idempotent. */
  close(): Promise<void>;
}

/** Builds the exchange port from credentials (the CLI passes the Kalshi ExchangeClient factory). */
export type PortFactory<P extends ExchangePort> = (credentials: ResolvedCredentials, logger: Logger) => P | Promise<P>;

const credentialsFileSchema = z.object({ rest: z.string().url(), ws: z.string().url(), keyId: z.string().min(1), privateKeyPath: z.string().min(1) });

/**
 * Returns the credentials the flags and environment name, starting an embedded exchange for
 * `local` when none answers.
 * @throws UsageError for a bad `--env`, missing credentials on demo/prod, or a Kalshi host of another
 * environment than `--env` (so prod is reached only with `--env prod`); ConfigError for an unreadable or
 * malformed credentials file.
 */
export async function resolveCredentials(flags: ConnectionFlagValues, io: Pick<CommandIo, 'env' | 'cwd'>, logger: Logger): Promise<{ credentials: ResolvedCredentials; embedded?: LocalExchange }> {
  const resolved = await resolveUnchecked(flags, io, logger);
  const { env, rest, ws } = resolved.credentials;
  // The URLs decide where orders go, --env only what the bot believes (the --live guard, the journal's
  // name, local defaults): a prod file under the default env would trade real money unguarded.
  for (const url of [rest, ws]) {
    const actual = kalshiEnvOf(url);
    if (actual !== undefined && actual !== env) {
      await resolved.embedded?.close();
      throw new UsageError(`--env ${env}, but ${new URL(url).host} is Kalshi ${actual}: pass --env ${actual}${actual === 'prod' ? ' (and --live to run)' : ''}`);
    }
  }
  return resolved;
}

/** Returns the Kalshi environment a URL's host belongs to (kalshi-api.md §1), or undefined for any other host. */
export function kalshiEnvOf(url: string): 'demo' | 'prod' | undefined {
  const host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'kalshi.co' || host.endsWith('.kalshi.co')) return 'demo';
  if (host === 'kalshi.com' || host.endsWith('.kalshi.com')) return 'prod';
  return undefined;
}

async function resolveUnchecked(flags: ConnectionFlagValues, io: Pick<CommandIo, 'env' | 'cwd'>, logger: Logger): Promise<{ credentials: ResolvedCredentials; embedded?: LocalExchange }> {
  const env = flags.env ?? 'local';
  if (env !== 'local' && env !== 'demo' && env !== 'prod') throw new UsageError(`--env: expected local, demo or prod, was ${JSON.stringify(env)}`);
  if (flags.credentials !== undefined) {
    const file = await readCredentialsFile(resolve(io.cwd, flags.credentials));
    return { credentials: await fromFile(env, file, flags['base-url']) };
  }
  if (env !== 'local' || flags['base-url'] !== undefined) {
    const base = flags['base-url'] ?? (env === 'local' ? undefined : KALSHI_HOSTS[env].rest);
    if (base === undefined || !io.env['KALSHI_API_KEY_ID']) {
      throw new UsageError(`--env ${env}: credentials required: pass --credentials FILE or set KALSHI_API_KEY_ID and KALSHI_PRIVATE_KEY_PATH (or KALSHI_PRIVATE_KEY)`);
    }
    const key = await keyFromEnvironment(io.env);
    return { credentials: { env, rest: trimSlash(base), ws: flags['base-url'] !== undefined || env === 'local' ? wsFromRest(base) : KALSHI_HOSTS[env].ws, key } };
  }
  const dataDir = join(io.cwd, '.kalshi-mm', 'local');
  const running = await runningLocalExchange(dataDir);
  if (running) {
    logger.info({ rest: running.rest }, 'using the running local exchange');
    return { credentials: running };
  }
  logger.info({ dataDir }, 'no local exchange answers; starting an embedded one');
  const embedded = await startLocalExchange({ dataDir, port: 0, logger: logger.child({ component: 'exchange' }) });
  try {
    const key = await loadCredentials({ keyId: embedded.credentials.keyId, privateKeyPath: embedded.credentials.privateKeyPath });
    return { credentials: { env: 'local', rest: embedded.credentials.rest, ws: embedded.credentials.ws, key }, embedded };
  } catch (error) {
    await embedded.close();
    throw error;
  }
}

/**
 * Returns an open connection for the flags: credentials resolved as in `resolveCredentials`, the
 * port built by `createPort`.
 * @throws as resolveCredentials; whatever `createPort` throws (the embedded exchange is closed first).
 */
export async function connect<P extends ExchangePort>(flags: ConnectionFlagValues, io: Pick<CommandIo, 'env' | 'cwd'>, options: { logger: Logger; createPort: PortFactory<P> }): Promise<Connection<P>> {
  const { credentials, embedded } = await resolveCredentials(flags, io, options.logger);
  let port: P;
  try {
    port = await options.createPort(credentials, options.logger);
  } catch (error) {
    await embedded?.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    port,
    credentials,
    ...(embedded ? { embedded } : {}),
    close: () => {
      closing ??= (async () => {
        await port.close();
        await embedded?.close();
      })();
      return closing;
    },
  };
}

/**
 * Returns an open connection whose port is kalshi-mm's Kalshi client (REST + WebSocket), for every
 * networked command: Kalshi demo/prod, or the local exchange (running or embedded).
 * @throws as resolveCredentials.
 */
export function connectKalshi(flags: ConnectionFlagValues, io: Pick<CommandIo, 'env' | 'cwd'>, options: { logger: Logger; clock?: Clock }): Promise<Connection<ExchangeClient>> {
  const clock = options.clock ?? new SystemClock();
  return connect(flags, io, {
    logger: options.logger,
    createPort: (credentials, logger) => new ExchangeClient({ restBaseUrl: credentials.rest, wsUrl: credentials.ws, credentials: credentials.key, clock, logger }),
  });
}

async function readCredentialsFile(path: string): Promise<z.infer<typeof credentialsFileSchema> & { path: string }> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([{ path, message: `cannot read a JSON credentials file: ${error instanceof Error ? error.message : String(error)}` }], { cause: error });
  }
  const parsed = credentialsFileSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => ({ path: `${path}:${i.path.join('.')}`, message: i.message })));
  return { ...parsed.data, path };
}

async function fromFile(env: ConnectionEnv, file: z.infer<typeof credentialsFileSchema> & { path: string }, baseUrl: string | undefined): Promise<ResolvedCredentials> {
  // A relative key path in the file is relative to the file itself.
  const key = await loadCredentials({ keyId: file.keyId, privateKeyPath: resolve(file.path, '..', file.privateKeyPath) });
  return { env, rest: trimSlash(baseUrl ?? file.rest), ws: baseUrl === undefined ? file.ws : wsFromRest(baseUrl), key };
}

/** Returns the credentials of a local exchange that answers, or undefined. */
async function runningLocalExchange(dataDir: string): Promise<ResolvedCredentials | undefined> {
  let file: z.infer<typeof credentialsFileSchema> & { path: string };
  try {
    file = await readCredentialsFile(join(dataDir, 'credentials.json'));
  } catch {
    return undefined;
  }
  try {
    const response = await fetch(`${trimSlash(file.rest)}/exchange/status`, { signal: AbortSignal.timeout(1_000) });
    if (!response.ok) return undefined;
    await response.arrayBuffer();
  } catch {
    return undefined;
  }
  return fromFile('local', file, undefined);
}

/** Returns the WebSocket URL of a REST root (`http…/trade-api/v2` → `ws…/trade-api/ws/v2`). */
export function wsFromRest(rest: string): string {
  const url = new URL(trimSlash(rest));
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = url.pathname.replace(/\/trade-api\/v2$/, '/trade-api/ws/v2');
  return url.toString();
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
