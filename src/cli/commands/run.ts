/**
 * `kalshi-mm run`: the multi-market bot. Composition only: connection (embedded local exchange by
 * default), trading config, the journal decorator around the port, start-up reconciliation, the
 * supervisor, the status table, the dashboard and the file log; then waits for Ctrl-C, `--duration`,
 * the operator's kill switch (kill file, dashboard button) or the bot's own stop (kill switch, loss
 * limit, failed stream) and shuts down with cancel-all + verify.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { join, resolve } from 'node:path';
import { DAILY_LOSS_STOP_REASON, Supervisor, type BotParams, type BotStatus, type ShutdownReport } from '../../bot/index.js';
import { configFlagOptions, loadConfig, pickConfigFlags, type TradingConfig } from '../../config/index.js';
import { CASH_SCALE, ConfigError, UsageError, contracts, type Logger } from '../../core/index.js';
import { SystemClock } from '../../exchange/index.js';
import { Journal, JournaledPort, reconcileJournal } from '../../journal/index.js';
import { ClientOrderIds, describeError } from '../../orders/index.js';
import { DashboardFeed, startDashboard, type Dashboard } from '../../web/index.js';
import { durationFlag, integerFlag, parseFlags } from '../args.js';
import type { Command, CommandIo } from '../command.js';
import { CONNECTION_FLAGS, CONNECTION_FLAGS_HELP, connectKalshi, type Connection } from '../connection.js';
import type { ExchangeClient } from '../../kalshi/index.js';
import { checkFixedMarkets } from '../fixed-markets.js';
import { DEFAULT_KILL_FILE, killReason, readKillFile, watchKillFile } from '../kill-file.js';
import { carriedDayPnl, dayPnlCheckpoints } from '../day-pnl.js';
import { openFileLog } from '../logging.js';
import { renderStatusTable } from '../status-table.js';

const HELP = `Usage: kalshi-mm run [flags] [trading config flags]

Run the market-making bot. With no flags it starts the local exchange in this process (demo account,
simulated markets) and trades it; --env demo|prod trades Kalshi with the same code.

Flags:
${CONNECTION_FLAGS_HELP}
  --live              required with --env prod: trade real money
  --markets T1,T2     trade exactly these markets (no selection); a ticker the exchange does not
                      know, or whose market is closed or not yet open, stops start-up (exit 2)
  --duration D        stop after D (e.g. 90s, 10m); default: until Ctrl-C
  --dashboard PORT    dashboard port on 127.0.0.1 (default 8787; 0 = any free port)
  --no-dashboard      do not serve the dashboard
  --status-every D    status table interval on stderr (default 5s; 0 = off)
  --exchange-status-every D  how often the exchange's trading pause is checked (default 30s)
  --journal FILE      SQLite journal; default in .kalshi-mm/journal/: <env>.sqlite for demo/prod,
                      local-<host>-<port>.sqlite for a running local exchange, and for the embedded
                      one local-embedded.sqlite, emptied at every start (its exchange dies with it)
  --log-dir DIR       log directory (default .kalshi-mm/logs)
  --kill-file PATH    operator kill switch (default .kalshi-mm/KILL): while PATH exists the bot refuses
                      to start; created while it runs (checked every second), every order is cancelled
                      and verified and the bot exits 1, with the file's text as the reason
  --min-volume N      least 24 h volume of a selected market, contracts; short for
                      --select-min-volume24h-contracts (default 100; 0 on local)
  --min-time-to-close D  least time to close of a selected market; short for
                      --select-min-time-to-close-ms (default 1h)

Trading config: every flag of docs/configuration.md (--gamma, --max-markets, …), or KMM_* variables
in the environment or in .env. Stops with cancel-all + verification on Ctrl-C / SIGTERM, the kill
switch, the daily loss limit or an unrecoverable error.
`;

const FLAGS = {
  ...CONNECTION_FLAGS,
  ...configFlagOptions(),
  live: { type: 'boolean' },
  markets: { type: 'string' },
  duration: { type: 'string' },
  dashboard: { type: 'string' },
  'no-dashboard': { type: 'boolean' },
  'status-every': { type: 'string' },
  'exchange-status-every': { type: 'string' },
  journal: { type: 'string' },
  'log-dir': { type: 'string' },
  'kill-file': { type: 'string' },
  'min-volume': { type: 'string' },
  'min-time-to-close': { type: 'string' },
} as const;

function readDotenv(cwd: string): string | undefined {
  try {
    return readFileSync(join(cwd, '.env'), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Returns the trading config from flags, the environment and `<cwd>/.env`.
 * @throws UsageError (exit 2) for an invalid or unknown value from any of the three: each is the
 *   user's input, like a flag, so run/scan/record answer it as backtest/optimize do.
 */
export function loadRunConfig(
  values: Readonly<Record<string, string | boolean | undefined | (string | boolean)[]>>,
  io: Pick<CommandIo, 'env' | 'cwd'>,
  commandDefaults: Partial<TradingConfig> = {},
): TradingConfig {
  const dotenvText = readDotenv(io.cwd);
  try {
    return loadConfig({ flags: pickConfigFlags(values), env: io.env, commandDefaults, ...(dotenvText !== undefined ? { dotenvText } : {}) });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
}

/**
 * Returns `io` whose environment also holds the `KALSHI_*` names of `<cwd>/.env` (the environment
 * wins), so API keys kept in `.env` reach the connection.
 */
export function withDotenvKeys<T extends Pick<CommandIo, 'env' | 'cwd'>>(io: T): T {
  const text = readDotenv(io.cwd);
  if (text === undefined) return io;
  const fromFile = Object.fromEntries(Object.entries(parseDotenv(text)).filter(([k]) => k.startsWith('KALSHI_')));
  return { ...io, env: { ...fromFile, ...io.env } };
}

/**
 * Runs `work` with a referenced timer pending. The injected SystemClock's timers are unref'd, so a
 * command that only waits on them (a rate-limiter pause before any socket is open) would otherwise
 * let Node exit silently in the middle of its work.
 */
export async function keepingProcessAlive<T>(work: () => Promise<T>): Promise<T> {
  const alive = setInterval(() => undefined, 60_000);
  try {
    return await work();
  } finally {
    clearInterval(alive);
  }
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Run the market-making bot (local exchange by default)',
  help: HELP,
  run: (argv, io) => keepingProcessAlive(() => runBot(argv, io)),
};

async function runBot(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseFlags(argv, FLAGS);
  const env = values.env ?? 'local';
  if (env === 'prod' && !values.live) throw new UsageError('--env prod trades real money: add --live to confirm');
  // Fresh local markets have no 24 h volume yet: there the minimum defaults to 0 (flags, KMM_* and .env still win).
  const config = loadRunConfig(values, io, env === 'local' ? { selectMinVolume24hContracts: 0 } : {});
  const durationMs = durationFlag(values.duration, 'duration');
  const statusEveryMs = durationFlag(values['status-every'], 'status-every', 5_000);
  // Absent: the supervisor's default (30 s) applies.
  const exchangeStatusEveryMs = durationFlag(values['exchange-status-every'], 'exchange-status-every');
  if (exchangeStatusEveryMs !== undefined && exchangeStatusEveryMs < 100)
    throw new UsageError(`--exchange-status-every: expected at least 100ms, was ${exchangeStatusEveryMs} ms`);
  if (values['kill-file']?.trim() === '') throw new UsageError('--kill-file: expected a path');
  const dashboardPort = values['no-dashboard'] ? undefined : integerFlag(values.dashboard, 'dashboard', 8787);
  const minVolume = integerFlag(values['min-volume'], 'min-volume', config.selectMinVolume24hContracts);
  const tickers = values.markets
    ?.split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const minTimeToCloseMs = durationFlag(values['min-time-to-close'], 'min-time-to-close', config.selectMinTimeToCloseMs);
  const params: BotParams = {
    ...config,
    selectMinVolume24hContracts: minVolume,
    selectMinTimeToCloseMs: minTimeToCloseMs,
  };
  const clock = new SystemClock();
  const startMs = clock.nowMs();
  const log = openFileLog({
    cwd: io.cwd,
    name: 'run',
    startMs,
    ...(values['log-dir'] !== undefined ? { dir: join(io.cwd, values['log-dir']) } : {}),
  });
  const logger = log.logger;
  io.stderr.write(`kalshi-mm run: logging to ${log.path}\n`);
  let connection: Connection<ExchangeClient> | undefined;
  let journal: Journal | undefined;
  let dashboard: Dashboard | undefined;
  const killFile = { name: values['kill-file'] ?? DEFAULT_KILL_FILE, path: resolve(io.cwd, values['kill-file'] ?? DEFAULT_KILL_FILE) };
  try {
    // Before connecting: an operator's kill file means no order, not even a cancel, until it is removed.
    const atStart = await readKillFile(killFile.path);
    if (atStart.present === true) {
      logger.error({ killFile: killFile.path, reason: atStart.reason }, 'kill file present: not trading');
      const why = atStart.reason === '' ? '' : ` (${atStart.reason})`;
      io.stderr.write(
        `kalshi-mm run: kill file ${killFile.name} exists${why}: not trading; remove it to trade again (rm ${killFile.name})\n`,
      );
      return 1;
    }
    if (atStart.present === 'unknown') {
      // A kill switch that cannot be read is no kill switch: better not to trade than to trade blind.
      logger.error({ killFile: killFile.path, error: atStart.error }, 'kill file cannot be checked: not trading');
      io.stderr.write(
        `kalshi-mm run: cannot check the kill file ${killFile.name} (${atStart.error}): not trading; make it readable or pass another --kill-file\n`,
      );
      return 1;
    }
    connection = await connectKalshi(values, withDotenvKeys(io), { logger, clock });
    const { port } = connection;
    io.stderr.write(
      `kalshi-mm run: ${env} exchange at ${connection.credentials.rest}${connection.embedded ? ' (embedded, demo account)' : ''}\n`,
    );
    // Kalshi accounts have their own rate-limit tier: read it so the client paces to the real limits.
    const tier =
      env === 'local'
        ? undefined
        : await port
            .syncRateLimits()
            .catch((e: unknown) => logger.warn({ error: describeError(e) }, 'could not read the account rate limits; using Basic'));
    const fixed = tickers && tickers.length > 0 ? tickers : undefined;
    // Before the journal and its orphan cancels: a bad --markets list is refused without one request that writes.
    if (fixed) await checkFixedMarkets(port, fixed);
    if (env === 'prod') await printAccount(io, port, config, tier ?? 'basic (assumed)');
    journal = Journal.open(values.journal !== undefined ? join(io.cwd, values.journal) : defaultJournalPath(io.cwd, env, connection));
    const runId = `${startMs.toString(36)}${randomBytes(3).toString('hex')}`;
    const reconciled = await reconcileJournal({ journal, port, clock, logger });
    // After reconciliation (orphans of a crashed run are cancelled either way), before any order: a
    // daily-loss stop holds for the rest of the UTC day, or a restart would bring a fresh loss budget.
    // Only a limit above both the one that stopped it and the day's loss then lets the bot trade.
    const halt = journal.dailyHaltOn(clock.nowMs());
    if (halt && (config.maxDailyLossDollars <= halt.limitDollars || halt.dailyPnl <= -config.maxDailyLossDollars * CASH_SCALE)) {
      const at = new Date(halt.atMs).toISOString().slice(11, 19);
      logger.error(
        { haltedAtMs: halt.atMs, dailyPnl: halt.dailyPnl, limit: config.maxDailyLossDollars },
        'daily loss limit reached earlier today: not trading',
      );
      io.stderr.write(
        `kalshi-mm run: the daily loss limit stopped an earlier run today at ${at} UTC (day PnL $${(halt.dailyPnl / CASH_SCALE).toFixed(2)}, limit $${halt.limitDollars}): no trading until 00:00 UTC (a higher --max-daily-loss-dollars lifts this)\n`,
      );
      return 1;
    }
    // Losses of earlier runs today (also crashed or killed ones) count toward this run's daily limit.
    const carried = carriedDayPnl(journal, runId, clock.nowMs(), config.maxDailyLossDollars, io.stderr, logger);
    if (carried === undefined) return 1;
    journal.startRun(runId, clock.nowMs(), { env, rest: connection.credentials.rest });
    journal.closeUnfinishedRuns(clock.nowMs());
    if (reconciled.crashed || reconciled.orphansCancelled > 0 || reconciled.fillsRecovered > 0) {
      io.stderr.write(
        `kalshi-mm run: recovered an earlier run: ${reconciled.orphansCancelled} orphan orders cancelled, ${reconciled.fillsRecovered} fills recovered, ${reconciled.positionMismatches.length} position mismatches\n`,
      );
    }
    const journaled = new JournaledPort(port, journal, clock, () => performance.now());
    // Fixed markets have no selection to explain them. A young exchange needs no fixed fallback: the
    // selection tops itself up with zero-score markets and rescans sooner while under-filled.
    const chosen = new Map((fixed ?? []).map((t) => [t, '--markets']));
    const feed = new DashboardFeed({ env, rateHeadroom: () => rateHeadroom(port), chosen });
    let latest: BotStatus | undefined;
    const checkpoint = dayPnlCheckpoints(journal, runId);
    const supervisor = new Supervisor({
      port: journaled,
      clock,
      logger: logger.child({ component: 'bot' }),
      params,
      ids: new ClientOrderIds(runId),
      ...(carried.runs > 0 ? { earlierDailyPnl: { atMs: clock.nowMs(), pnl: carried.pnl } } : {}),
      ...(exchangeStatusEveryMs !== undefined ? { timings: { exchangeStatusIntervalMs: exchangeStatusEveryMs } } : {}),
      ...(fixed ? { tickers: fixed } : {}),
      // The journal decorator does not forward order groups (they are no orders): the client serves them.
      ...(config.orderGroupContractsLimit > 0
        ? {
            orderGroup: {
              contractsLimit: contracts(config.orderGroupContractsLimit),
              resetAfterMs: config.orderGroupResetAfterMs,
              api: port,
            },
          }
        : {}),
      listener: {
        onStatus: (status) => {
          latest = status;
          checkpoint(status);
          feed.onStatus(status);
        },
        onFill: (fill) => {
          feed.onFill(fill);
          logger.info({ fill }, 'fill');
        },
        onSelection: (result) => {
          feed.onSelection(result);
          logger.info(
            {
              scanned: result.scanned,
              candidates: result.candidates.length,
              rejected: result.rejected,
              selected: result.selected.map((c) => ({ ticker: c.ticker, score: c.score })),
            },
            'market selection',
          );
          if (env === 'prod')
            io.stderr.write(
              `kalshi-mm run: markets: ${result.selected.map((c) => `${c.ticker} (score ${c.score.toFixed(2)})`).join(', ') || 'none'}\n`,
            );
        },
        onError: (ticker, error) => logger.warn({ ticker, error: describeError(error) }, 'market error'),
        // At the start of the shutdown, not its end: a shutdown can take a minute while the exchange
        // fails, and a kill -9 meanwhile must not let the restart trade with a fresh loss budget.
        onStopping: (reason) => {
          if (reason === DAILY_LOSS_STOP_REASON)
            journal?.recordDailyHalt(clock.nowMs(), supervisor.status().totals.dailyPnl, config.maxDailyLossDollars);
        },
      },
    });
    let killed = false;
    const kill = (reason: string): void => {
      if (killed) return;
      killed = true;
      logger.error({ reason }, 'operator kill switch');
      io.stderr.write(`kalshi-mm run: KILL SWITCH: ${reason}: cancelling every order and stopping\n`);
      void supervisor.kill(reason);
    };
    if (dashboardPort !== undefined) {
      const web = {
        feed,
        logger: logger.child({ component: 'web' }),
        // The posted text is the operator's, like the kill file's: one capped line, only printed.
        onKill: (text: string) => kill(`dashboard${killReason(text) === '' ? '' : `: ${killReason(text)}`}`),
      };
      dashboard = await startDashboard({ ...web, port: dashboardPort }).catch((error: unknown) => {
        // The default port may be taken (a second bot): any free port will do; an explicit one must not move.
        if (values.dashboard !== undefined || (error as { code?: unknown }).code !== 'EADDRINUSE') throw error;
        return startDashboard({ ...web, port: 0 });
      });
      io.stderr.write(`kalshi-mm run: dashboard at ${dashboard.url}\n`);
    }
    const report = await runUntilStopped({
      supervisor,
      io,
      durationMs,
      statusEveryMs,
      env,
      chosen: () => feed.chosenMarkets(),
      latest: () => latest,
      rate: () => rateHeadroom(port),
      logger,
      watchKill: () =>
        watchKillFile({
          path: killFile.path,
          clock,
          onKill: (reason) => kill(`kill file ${killFile.name}${reason === '' ? '' : `: ${reason}`}`),
          onError: (error) => logger.warn({ killFile: killFile.path, error }, 'kill file cannot be checked'),
        }),
    });
    journal.stopRun(clock.nowMs(), report.reason, { restingLeft: report.restingLeft });
    const final = supervisor.status();
    io.stderr.write(renderStatusTable(final, { env, chosen: feed.chosenMarkets() }));
    const latency = journaled.latency();
    const cpu = process.cpuUsage();
    const usage = {
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      wallSeconds: (clock.nowMs() - startMs) / 1000,
      rssMb: process.memoryUsage().rss / 1e6,
      tickToOrderMs: latency.tickToOrder,
      orderToAckMs: latency.orderToAck,
      duplicateFills: journaled.duplicateFills,
      // Per-market accounting as the bot's risk ledger has it, to compare with the exchange's positions.
      risk: [...final.markets.flatMap((m) => (m.risk ? [m.risk] : [])), ...final.retired],
    };
    logger.info(usage, 'run summary');
    io.stderr.write(stopLines(report, final.totals.fills, final.totals.pnl));
    io.stderr.write(
      `kalshi-mm run: tick→order p50 ${latency.tickToOrder.p50.toFixed(2)} ms p99 ${latency.tickToOrder.p99.toFixed(2)} ms (n=${latency.tickToOrder.count}); order→ack p50 ${latency.orderToAck.p50.toFixed(2)} ms p99 ${latency.orderToAck.p99.toFixed(2)} ms; CPU ${usage.cpuSeconds.toFixed(1)} s over ${usage.wallSeconds.toFixed(0)} s; RSS ${usage.rssMb.toFixed(0)} MB\n`,
    );
    return report.restingLeft === 0 && isNormalStop(report.reason) ? 0 : 1;
  } finally {
    await dashboard?.close();
    await connection?.close().catch((e: unknown) => logger.error({ error: describeError(e) }, 'close failed'));
    journal?.close();
    await log.close();
  }
}

/**
 * Returns the stop lines of stderr. Orders that may still rest get their own warning with what to do:
 * the bot is gone and nothing manages them (−1: not one read of the resting orders succeeded).
 */
export function stopLines(report: Pick<ShutdownReport, 'reason' | 'restingLeft'>, fills: number, pnl: number): string {
  const left = report.restingLeft < 0 ? 'unknown (the exchange could not be read)' : String(report.restingLeft);
  let text = `kalshi-mm run: stopped (${report.reason}); resting orders left: ${left}; fills ${fills}; pnl $${(pnl / 10_000).toFixed(2)}\n`;
  if (report.restingLeft !== 0) {
    const what =
      report.restingLeft < 0 ? 'orders of this account may still rest' : `${report.restingLeft} orders of this account still rest`;
    text += `kalshi-mm run: WARNING: ${what} on the exchange and nothing manages them now: the next kalshi-mm run with this journal cancels them before it quotes, or cancel them on the exchange\n`;
  }
  return text;
}

/**
 * Returns the default journal of an exchange: one per environment for Kalshi, one per local exchange
 * address (a restarted local exchange on a new port is a new exchange). An embedded exchange lives
 * only as long as this process, so its journal starts empty every time (the old one is removed).
 */
function defaultJournalPath(cwd: string, env: string, connection: Connection<ExchangeClient>): string {
  const dir = join(cwd, '.kalshi-mm', 'journal');
  if (connection.embedded) {
    const path = join(dir, 'local-embedded.sqlite');
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    return path;
  }
  if (env !== 'local') return join(dir, `${env}.sqlite`);
  const url = new URL(connection.credentials.rest);
  return join(dir, `local-${url.hostname}-${url.port}.sqlite`);
}

function isNormalStop(reason: string): boolean {
  return reason === 'interrupted' || reason === 'duration elapsed';
}

interface WaitOptions {
  readonly supervisor: Supervisor;
  readonly io: CommandIo;
  readonly durationMs: number | undefined;
  readonly statusEveryMs: number;
  readonly env: string;
  readonly latest: () => BotStatus | undefined;
  readonly rate: () => number | undefined;
  readonly chosen: () => ReadonlyMap<string, string>;
  readonly logger: Logger;
  /** Starts polling the kill file (from the start of `supervisor.start()`). */
  readonly watchKill: () => { stop(): void };
}

/** Starts the bot, prints the status table, and resolves with the shutdown report. */
async function runUntilStopped(options: WaitOptions): Promise<ShutdownReport> {
  const { supervisor, io, logger } = options;
  const timers: NodeJS.Timeout[] = [];
  let stopReason: string | undefined;
  const stop = (reason: string): void => {
    stopReason ??= reason;
    void supervisor.shutdown(stopReason);
  };
  const onAbort = (): void => stop('interrupted');
  io.signal.addEventListener('abort', onAbort, { once: true });
  // Watched during start-up too: selecting and starting the markets can take seconds.
  const killWatch = options.watchKill();
  try {
    if (io.signal.aborted) stop('interrupted');
    try {
      await supervisor.start();
    } catch (error) {
      logger.error({ error: describeError(error) }, 'start failed');
      io.stderr.write(`kalshi-mm run: start failed: ${describeError(error)}\n`);
      stop(`start failed: ${describeError(error)}`);
    }
    if (io.signal.aborted) stop('interrupted');
    if (options.durationMs !== undefined) timers.push(setTimeout(() => stop('duration elapsed'), options.durationMs));
    if (options.statusEveryMs > 0) {
      timers.push(
        setInterval(() => {
          const status = options.latest();
          const rate = options.rate();
          if (status)
            io.stderr.write(
              renderStatusTable(status, {
                env: options.env,
                chosen: options.chosen(),
                ...(rate !== undefined ? { rateHeadroom: rate } : {}),
              }),
            );
        }, options.statusEveryMs),
      );
    }
    return await supervisor.whenStopped();
  } finally {
    for (const t of timers) clearTimeout(t);
    killWatch.stop();
    io.signal.removeEventListener('abort', onAbort);
  }
}

const peakTokens = { read: 0, write: 0 };

/** Returns the lower of the read/write buckets' fill (tokens now ÷ the most ever seen), 0–1. */
function rateHeadroom(port: ExchangeClient): number | undefined {
  const fraction = (kind: 'read' | 'write'): number => {
    const now = port.limiter.available(kind);
    peakTokens[kind] = Math.max(peakTokens[kind], now);
    return peakTokens[kind] > 0 ? now / peakTokens[kind] : 1;
  };
  return Math.min(fraction('read'), fraction('write'));
}

/** Prints the account, the limits and waits for nothing: production runs show what they will risk. */
async function printAccount(io: CommandIo, port: ExchangeClient, config: TradingConfig, tier: string): Promise<void> {
  const balance = await port.getBalance();
  const positions = await port.getPositions();
  io.stderr.write(
    [
      'kalshi-mm run: PRODUCTION (real money)',
      `  balance $${(balance.balance / 10_000).toFixed(2)}, portfolio $${(balance.portfolioValue / 10_000).toFixed(2)}, open positions ${positions.filter((p) => p.position !== 0).length}`,
      `  API rate-limit tier: ${tier}`,
      `  limits: ${config.maxMarkets} markets, ${config.maxPositionContracts} contracts/market, $${config.maxMarketExposureDollars}/market, $${config.maxPortfolioExposureDollars} portfolio, daily loss $${config.maxDailyLossDollars}`,
      config.orderGroupContractsLimit > 0
        ? `  exchange circuit breaker: order group of ${config.orderGroupContractsLimit} contracts per 15 s, ${config.orderGroupResetAfterMs > 0 ? `reset after ${config.orderGroupResetAfterMs / 1000} s` : 'reset by the operator'}`
        : '  exchange circuit breaker: off (orderGroupContractsLimit 0)',
      '',
    ].join('\n'),
  );
}
