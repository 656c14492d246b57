/**
 * The local Kalshi-compatible exchange: `startLocalExchange` runs the matching engine, the market
 * generator (real clock × speed, seeded), Kalshi's REST API under /trade-api/v2, the WebSocket API
 * at /trade-api/ws/v2, and a loopback-only admin API under /_admin. It creates (or reuses) signed
 * accounts in `dataDir` and writes `dataDir/credentials.json` for the demo account.
 * See docs/local-exchange.md.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import {
  ConfigError,
  SeededRng,
  silentLogger,
  type Cash,
  type Clock,
  type Logger,
  type MarketResult,
} from '../core/index.js';
import { addStoredAccount, KeyRegistry, loadOrCreateAccounts, type StoredAccount } from './auth/index.js';
import { defaultUniverse, MarketSimulator, parseUniverse, type UniverseDefinition } from './market-sim/index.js';
import { MatchingEngine, type MarketDefinition } from './matching/index.js';
import { buildApp, REST_PREFIX } from './server/app.js';
import type { ExchangeSwitches, ServerContext } from './server/context.js';
import { setExchangeSwitches } from './server/pause.js';
import { FaultInjector, faultSchema, type Fault } from './server/faults.js';
import { RateLimiter, type UsageTier } from './server/rate-limit.js';
import { RecordingReplay } from './server/replay.js';
import { SystemClock } from './server/system-clock.js';
import { WS_PATH, WsHub } from './server/ws/hub.js';

export { LocalPort, type LocalPortOptions } from './local-port.js';
export type { Fault } from './server/faults.js';
export type { UsageTier } from './server/rate-limit.js';
export { signedHeaders } from './auth/index.js';
export { SystemClock } from './server/system-clock.js';

/** How to reach the exchange as one account: the JSON line the CLI prints and credentials.json. */
export interface LocalCredentials {
  readonly rest: string;
  readonly ws: string;
  readonly keyId: string;
  readonly privateKeyPath: string;
}

/** Options of `startLocalExchange`. */
export interface LocalExchangeOptions {
  /** Directory of keys, accounts.json and credentials.json. */
  readonly dataDir: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (a free port). */
  readonly port?: number;
  /** Seed of the market generator and of fault draws. Default 1. */
  readonly seed?: number;
  /** Time compression of the market generator. Default 1. */
  readonly speed?: number;
  /** JSON universe file for the generator (market-sim `parseUniverse`). */
  readonly marketsFile?: string;
  /** Trading accounts in total, the demo account included. Default 1. */
  readonly accounts?: number;
  /** Run the market generator. Default true. */
  readonly simulate?: boolean;
  readonly logger?: Logger;
  /** Replay a recording (recording-format.md) instead of generating markets; see server/replay.ts. */
  readonly replayFile?: string;
  /** Extra markets listed without background agents (tests). */
  readonly markets?: readonly MarketDefinition[];
  /** Starting balance of each trading account, Cash ($0.0001). Default $10,000. */
  readonly startingBalance?: Cash;
  /** Rate-limit tier of new accounts. Default `basic`. */
  readonly rateLimitTier?: UsageTier;
  /** False disables rate limits (benchmarks). Default true. */
  readonly rateLimits?: boolean;
  /** Accepted signature timestamp skew, ms. Default 30,000. */
  readonly authWindowMs?: number;
  /** WebSocket ping interval, ms. Default 10,000. */
  readonly pingIntervalMs?: number;
  /** Unsent bytes on a WebSocket after which its subscription is dropped with error 25. Default 32 MiB. */
  readonly wsMaxBufferedBytes?: number;
  /** Default: the system clock. */
  readonly clock?: Clock;
}

/** A running local exchange. */
export interface LocalExchange {
  /** The demo account. */
  readonly credentials: LocalCredentials;
  /** The other trading accounts (`accounts − 1` of them, plus any added later). */
  readonly accounts: LocalCredentials[];
  readonly engine: MatchingEngine;
  /** The market generator, when simulating. */
  readonly simulator: MarketSimulator | undefined;
  /** The port it listens on. */
  readonly port: number;
  /** Returns the engine account id of a key id (tests assert engine state per account). */
  accountIdOf(keyId: string): string;
  /** Determines and settles a market now. */
  settle(ticker: string, result: Exclude<MarketResult, '' | 'scalar'>): void;
  /** Moves a simulated market's hidden fair probability. @throws when there is no generator or market. */
  moveFair(ticker: string, probability: number): void;
  /** Pauses trading in one market, or exchange-wide when `ticker` is omitted. */
  pause(ticker?: string): void;
  /** Resumes trading (re-activating a market cancels its resting orders, as on Kalshi). */
  resume(ticker?: string): void;
  /** Injects a fault (see server/faults.ts). */
  injectFault(fault: Fault): void;
  /** Removes every REST fault. */
  clearFaults(): void;
  /** Adds a trading account; returns its credentials. */
  addAccount(balance?: Cash): Promise<LocalCredentials>;
  /** The replay, in replay mode. */
  readonly replay: RecordingReplay | undefined;
  /** Frames sent over WebSockets so far (benchmark). */
  wsFramesSent(): number;
  /** Stops the server and the generator. Idempotent. */
  close(): Promise<void>;
}

/** Default starting balance: $10,000. */
const DEFAULT_BALANCE = 100_000_000 as Cash;
/** How often the generator and the engine's time-driven rules run. */
const TICK_MS = 50;

/**
 * Starts the exchange and resolves once it listens.
 * @throws ConfigError for a bad markets file or accounts file; RecordingFormatError for a bad recording header.
 */
export async function startLocalExchange(options: LocalExchangeOptions): Promise<LocalExchange> {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? new SystemClock();
  const dataDir = resolve(options.dataDir);
  const universe = await loadUniverse(options);
  const stored = await loadOrCreateAccounts(dataDir, Math.max(1, options.accounts ?? 1));
  const balance = options.startingBalance ?? DEFAULT_BALANCE;

  const engine = new MatchingEngine({ clock });
  const keys = new KeyRegistry();
  const register = (account: StoredAccount, cash: Cash): void => {
    keys.register(account.keyId, account.accountId, account.publicKeyPem);
    engine.addAccount(account.accountId, cash);
  };
  for (const account of stored) register(account, balance);
  for (const market of options.markets ?? []) engine.addMarket(market);
  const replaying = options.replayFile !== undefined;
  const simulator = options.simulate === false || replaying ? undefined : new MarketSimulator({ engine, clock, rng: new SeededRng(options.seed ?? 1), universe, startMs: clock.nowMs(), speed: options.speed ?? 1 });

  let replay: RecordingReplay | undefined;
  const switches: ExchangeSwitches = { exchangeActive: true, tradingActive: true };
  const faults = new FaultInjector(new SeededRng((options.seed ?? 1) ^ 0x5eed));
  const limiter = new RateLimiter(options.rateLimitTier ?? 'basic', () => clock.nowMs(), options.rateLimits !== false);
  const credentialsOf = (account: StoredAccount, port: number): LocalCredentials => urls(options.host, port, account);
  const extra: LocalCredentials[] = [];
  let listeningPort = 0;
  const addAccount = async (cash?: Cash): Promise<StoredAccount> => {
    const account = await addStoredAccount(dataDir);
    register(account, cash ?? balance);
    const credentials = credentialsOf(account, listeningPort);
    extra.push(credentials);
    await writeCredentials(dataDir, credentials, extra.length);
    return account;
  };
  const moveFair = (ticker: string, probability: number): void => {
    if (!simulator) throw new Error('the market generator is not running (simulate: false)');
    simulator.setFairProbability(ticker, probability);
  };
  const ctx: ServerContext = {
    engine,
    clock,
    keys,
    limiter,
    faults,
    logger,
    authWindowMs: options.authWindowMs ?? 30_000,
    switches,
    publicTrades: (ticker) => {
      const own = engine.listTrades(ticker);
      if (!replay) return own;
      const recorded = ticker === undefined ? replay.trades : replay.trades.filter((t) => t.ticker === ticker);
      return [...own, ...recorded].sort((a, b) => a.tsMs - b.tsMs);
    },
    admin: {
      moveFair,
      addAccount: async (cash) => addAccount(cash as Cash | undefined),
      dropConnections: () => hub.dropAll(),
      skipSeq: () => hub.skipSeq(),
    },
  };

  const app = buildApp(ctx);
  const hub = new WsHub(ctx, {
    ...(options.pingIntervalMs === undefined ? {} : { pingIntervalMs: options.pingIntervalMs }),
    ...(options.wsMaxBufferedBytes === undefined ? {} : { maxBufferedBytes: options.wsMaxBufferedBytes }),
  });
  hub.attach(app.server);
  if (options.replayFile !== undefined) {
    replay = new RecordingReplay({ engine, clock, file: options.replayFile, speed: options.speed ?? 1, logger, onTrade: (trade) => hub.publishTrade(trade) });
    await replay.start();
  }
  // Books are two-sided from the first request on, as on a real exchange.
  simulator?.openBooks();
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  listeningPort = (app.server.address() as AddressInfo).port;
  const [demo, ...others] = stored.map((a) => credentialsOf(a, listeningPort));
  if (!demo) throw new ConfigError([{ path: 'accounts', message: 'no demo account was created' }]);
  extra.push(...others);
  await writeCredentials(dataDir, demo);
  for (const [i, other] of others.entries()) await writeCredentials(dataDir, other, i + 1);

  let ticker: ReturnType<typeof setInterval> | undefined = setInterval(() => {
    try {
      simulator?.advanceTo(clock.nowMs());
      engine.processTime();
    } catch (error) {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, 'market generator step failed');
    }
  }, TICK_MS);
  ticker.unref();
  logger.info({ port: listeningPort, markets: engine.listMarkets().length, accounts: stored.length, simulate: simulator !== undefined }, 'local exchange listening');

  let closing: Promise<void> | undefined;
  const accountIdOf = (keyId: string): string => {
    const found = keys.lookup(keyId);
    if (!found) throw new ConfigError([{ path: 'keyId', message: 'unknown key id' }]);
    return found.accountId;
  };
  return {
    credentials: demo,
    accounts: extra,
    engine,
    simulator,
    replay,
    port: listeningPort,
    accountIdOf,
    settle: (t, result) => engine.settleMarket(t, result),
    moveFair,
    pause: (t) => {
      if (t === undefined) setExchangeSwitches(engine, switches, { tradingActive: false });
      else engine.pauseMarket(t);
    },
    resume: (t) => {
      if (t === undefined) setExchangeSwitches(engine, switches, { tradingActive: true });
      else engine.resumeMarket(t);
    },
    injectFault: (fault) => {
      const parsed = faultSchema.parse(fault);
      if (parsed.kind === 'drop_ws') hub.dropAll();
      else if (parsed.kind === 'skip_seq') hub.skipSeq();
      else faults.setRestFault(parsed);
    },
    clearFaults: () => faults.clear(),
    addAccount: async (cash) => credentialsOf(await addAccount(cash), listeningPort),
    wsFramesSent: () => hub.framesSent ?? 0,
    close: () => {
      closing ??= (async () => {
        if (ticker) clearInterval(ticker);
        ticker = undefined;
        await replay?.stop();
        hub.close();
        await app.close();
        logger.info({}, 'local exchange stopped');
      })();
      return closing;
    },
  };
}

/** Returns the credentials file path of a data directory. */
export function credentialsFilePath(dataDir: string): string {
  return join(resolve(dataDir), 'credentials.json');
}

function urls(host: string | undefined, port: number, account: StoredAccount): LocalCredentials {
  const h = host === undefined || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return { rest: `http://${h}:${port}${REST_PREFIX}`, ws: `ws://${h}:${port}${WS_PATH}`, keyId: account.keyId, privateKeyPath: account.privateKeyPath };
}

/** Writes `credentials.json` (the demo account) or `credentials-N.json` (the N-th other account). */
async function writeCredentials(dataDir: string, credentials: LocalCredentials, index = 0): Promise<void> {
  const path = index === 0 ? credentialsFilePath(dataDir) : join(resolve(dataDir), `credentials-${index}.json`);
  await writeFile(path, `${JSON.stringify(credentials)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
}

async function loadUniverse(options: LocalExchangeOptions): Promise<UniverseDefinition> {
  if (options.marketsFile === undefined) return defaultUniverse();
  let json: unknown;
  try {
    json = JSON.parse(await readFile(options.marketsFile, 'utf8'));
  } catch (error) {
    throw new ConfigError([{ path: options.marketsFile, message: `cannot read a JSON universe: ${error instanceof Error ? error.message : String(error)}` }], { cause: error });
  }
  return parseUniverse(json);
}
