/**
 * `kalshi-mm backtest`: one market of a recording through the trading core against the simulated
 * exchange. Results to stdout (a table, or one JSON object with `--json`), an HTML report on request.
 */
import { writeFileSync } from 'node:fs';
import { ConfigError, UsageError, type Logger } from '../../core/index.js';
import { type AccountSettings, AGENT_NAMES, CROSS_FILL_MODELS, type CrossFillModel, DEFAULT_AGENT_NAME, DEFAULT_LATENCY, defaultAgentFactory, type AgentName, feeModelFor, QUEUE_MODEL_NAMES, replay, type BacktestResult, type ModelSettings, type QueueModelName } from '../../backtest/index.js';
import { renderRunReport } from '../../backtest/report.js';
import { parseDecimal, type Cash, type FeeType } from '../../core/index.js';
import { configFlagOptions, loadConfig, pickConfigFlags, type TradingConfig } from '../../config/index.js';
import { requireInputFile } from '../files.js';
import type { Command } from '../command.js';
import { integerFlag, numberFlag, parseFlags } from '../args.js';

/** Flags shared by `backtest` and `optimize`: models and agent settings. */
export const MODEL_FLAGS = {
  queue: { type: 'string' },
  'queue-exponent': { type: 'string' },
  'latency-ms': { type: 'string' },
  'latency-jitter-ms': { type: 'string' },
  'cancel-latency-ms': { type: 'string' },
  'cancel-jitter-ms': { type: 'string' },
  'fee-type': { type: 'string' },
  'fee-multiplier': { type: 'string' },
  'cross-fills': { type: 'string' },
  'no-cross-fills': { type: 'boolean' },
  'starting-cash': { type: 'string' },
  'balance-precision': { type: 'string' },
  seed: { type: 'string' },
  agent: { type: 'string' },
} as const;

export const MODEL_HELP = `Simulation models:
  --queue NAME             risk-averse (default: advances only on trades) | probabilistic
  --queue-exponent N       exponent of the probabilistic queue's f(x) = x^N      default 3
  --latency-ms MS          order-entry latency                                   default ${DEFAULT_LATENCY.entryMs}
  --latency-jitter-ms MS   + uniform jitter in [0, MS] (seeded)                  default ${DEFAULT_LATENCY.entryJitterMs}
  --cancel-latency-ms MS   cancel latency                                        default ${DEFAULT_LATENCY.cancelMs}
  --cancel-jitter-ms MS    + uniform jitter                                      default ${DEFAULT_LATENCY.cancelJitterMs}
  --fee-type TYPE          quadratic_with_maker_fees (default) | quadratic | quadratic_with_combo_maker_fees
  --fee-multiplier X       series fee multiplier                                 default 1
  --cross-fills MODEL      when the recorded book crosses our resting order: displayed (default:
                           fill up to the crossing size shown, each contract once) | full (the
                           whole remainder, hftbacktest's rule) | off (never)
  --no-cross-fills         same as --cross-fills off
  --starting-cash DOLLARS  account balance; orders whose collateral it cannot cover are refused
                           (available_balance_too_low)       default: not enforced ($1,000,000 shown)
  --balance-precision P    cent (default: ordinary members; fees follow the cent rounding
                           accumulator) | direct (direct members, $0.0001 balance)
  --seed S                 latency jitter seed                                   default 1
  --agent NAME             maker (default: the bot's MarketMaker, as live) | reference (small A-S quoter)
Trading config: every flag of kalshi-mm run (--gamma, --kappa, --quote-size-contracts,
  --min-requote-interval-ms, --max-position-contracts, …; see docs/configuration.md). The environment
  and .env are NOT read, so a backtest depends only on its command line.
`;

type ModelFlagValues = { [K in keyof typeof MODEL_FLAGS]?: (typeof MODEL_FLAGS)[K]['type'] extends 'boolean' ? boolean : string };

/** Returns the model settings the flags ask for. */
export function modelsFromFlags(values: ModelFlagValues): ModelSettings {
  const queue = values.queue ?? 'risk-averse';
  if (!(QUEUE_MODEL_NAMES as readonly string[]).includes(queue)) throw new UsageError(`--queue: expected one of ${QUEUE_MODEL_NAMES.join(', ')}, was ${JSON.stringify(queue)}`);
  const feeType = values['fee-type'] ?? 'quadratic_with_maker_fees';
  if (!['quadratic', 'quadratic_with_maker_fees', 'quadratic_with_combo_maker_fees'].includes(feeType)) {
    throw new UsageError(`--fee-type: expected quadratic, quadratic_with_maker_fees or quadratic_with_combo_maker_fees, was ${JSON.stringify(feeType)}`);
  }
  const nonNegative = (value: string | undefined, name: string, fallback: number): number => {
    const n = numberFlag(value, name, fallback);
    if (n < 0) throw new UsageError(`--${name}: expected a number ≥ 0, was ${n}`);
    return n;
  };
  const exponent = values['queue-exponent'] === undefined ? undefined : numberFlag(values['queue-exponent'], 'queue-exponent', 3);
  if (exponent !== undefined && !(exponent > 0)) throw new UsageError(`--queue-exponent: expected a number > 0, was ${exponent}`);
  const models: ModelSettings = {
    queue: queue as QueueModelName,
    ...(exponent === undefined ? {} : { queueExponent: exponent }),
    latency: {
      entryMs: nonNegative(values['latency-ms'], 'latency-ms', DEFAULT_LATENCY.entryMs),
      entryJitterMs: nonNegative(values['latency-jitter-ms'], 'latency-jitter-ms', DEFAULT_LATENCY.entryJitterMs),
      cancelMs: nonNegative(values['cancel-latency-ms'], 'cancel-latency-ms', DEFAULT_LATENCY.cancelMs),
      cancelJitterMs: nonNegative(values['cancel-jitter-ms'], 'cancel-jitter-ms', DEFAULT_LATENCY.cancelJitterMs),
    },
    fees: feeModelFor(feeType as FeeType, nonNegative(values['fee-multiplier'], 'fee-multiplier', 1)),
    crossFills: crossFillsFromFlags(values['cross-fills'], values['no-cross-fills']),
    seed: integerFlag(values.seed, 'seed', 1),
    ...accountFromFlags(values['starting-cash'], values['balance-precision']),
  };
  return models;
}

/** Returns the cross-fill model of `--cross-fills` and its alias `--no-cross-fills` (= off). */
function crossFillsFromFlags(value: string | undefined, noCrossFills: boolean | undefined): CrossFillModel {
  if (noCrossFills === true) {
    if (value !== undefined && value !== 'off') throw new UsageError(`--no-cross-fills is --cross-fills off; it contradicts --cross-fills ${value}`);
    return 'off';
  }
  const model = value ?? 'displayed';
  if (!(CROSS_FILL_MODELS as readonly string[]).includes(model)) throw new UsageError(`--cross-fills: expected one of ${CROSS_FILL_MODELS.join(', ')}, was ${JSON.stringify(model)}`);
  return model as CrossFillModel;
}

/** Returns the account settings of `--starting-cash` and `--balance-precision` (none when neither is given). */
function accountFromFlags(startingCash: string | undefined, precision: string | undefined): { account?: AccountSettings } {
  if (startingCash === undefined && precision === undefined) return {};
  if (precision !== undefined && precision !== 'cent' && precision !== 'direct') throw new UsageError(`--balance-precision: expected cent or direct, was ${JSON.stringify(precision)}`);
  let cash: Cash | undefined;
  if (startingCash !== undefined) {
    try {
      cash = parseDecimal(startingCash, { field: '--starting-cash', scaleDigits: 4, min: 0 }) as Cash;
    } catch (error) {
      throw new UsageError(`--starting-cash: expected dollars ≥ 0 with at most 4 decimals (e.g. 250 or 99.50), was ${JSON.stringify(startingCash)}`, { cause: error });
    }
  }
  return { account: { ...(cash === undefined ? {} : { startingCash: cash }), ...(precision === undefined ? {} : { precision: precision === 'direct' ? 1 : 100 }) } };
}

/** Returns the agent the flags name. */
export function agentFromFlags(value: string | undefined): AgentName {
  const agent = value ?? DEFAULT_AGENT_NAME;
  if (!(AGENT_NAMES as readonly string[]).includes(agent)) throw new UsageError(`--agent: expected one of ${AGENT_NAMES.join(', ')}, was ${JSON.stringify(agent)}`);
  return agent as AgentName;
}

/** Returns the trading config of the command line's config flags (flags and schema defaults only). */
export function configFromFlags(values: Readonly<Record<string, string | boolean | undefined | (string | boolean)[]>>): TradingConfig {
  try {
    return loadConfig({ flags: pickConfigFlags(values) });
  } catch (error) {
    // The command line is a backtest's only config source, so an invalid value is bad usage (exit 2).
    if (error instanceof ConfigError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
}

/**
 * A logger for commands that only need warnings on stderr. A child keeps its bindings (the runner
 * binds market, γ and κ), so a warning from a grid says which run it came from.
 */
export function stderrLogger(stderr: NodeJS.WritableStream, level: 'warn' | 'debug' = 'warn', bindings: Record<string, unknown> = {}): Logger {
  const write = (lvl: string) => (fields: Record<string, unknown>, message: string) => void stderr.write(`${lvl} ${message} ${JSON.stringify({ ...bindings, ...fields })}\n`);
  const noop = (): void => undefined;
  const logger: Logger = {
    debug: level === 'debug' ? write('debug') : noop,
    info: level === 'debug' ? write('info') : noop,
    warn: write('warn'),
    error: write('error'),
    child: (more) => stderrLogger(stderr, level, { ...bindings, ...more }),
  };
  return logger;
}

const HELP = `Usage: kalshi-mm backtest --data FILE --market TICKER [--gamma G] [--kappa K] [--json] [--report out.html] [flags]

Replay one market of a recording (.jsonl or .jsonl.gz) through the quoting agent against the simulated
exchange, and print the result. Units: money in dollars, counts in contracts, times in seconds,
markouts in dollars per contract (positive = the mid moved in our favour). PnL is settled at the
market's result when the recording has one, else marked to the last mid ("valuation" says which).

  --data FILE         recording to replay                              (required)
  --market TICKER     market to trade                                  (required)
  --gamma G           risk aversion γ (trading config)                 default 0.1
  --kappa K           order-arrival decay κ per cent (trading config)  default 1.5
  --json              print one JSON object instead of a table
  --report FILE       write a self-contained HTML report with charts

${MODEL_HELP}`;

export const backtestCommand: Command = {
  name: 'backtest',
  summary: 'Backtest one market on a recording',
  help: HELP,
  async run(argv, io) {
    const { values } = parseFlags(argv, { ...configFlagOptions(), data: { type: 'string' }, market: { type: 'string' }, json: { type: 'boolean' }, report: { type: 'string' }, ...MODEL_FLAGS });
    if (!values.data) throw new UsageError('--data FILE is required');
    if (!values.market) throw new UsageError('--market TICKER is required');
    requireInputFile('--data', values.data, io.cwd);
    const config = configFromFlags(values);
    const { gamma, kappa } = config;
    const models = modelsFromFlags(values);
    const agent = agentFromFlags(values.agent);
    const results = await replay({
      file: values.data,
      tickers: [values.market],
      params: [{ gamma, kappa }],
      agent: defaultAgentFactory({ config, agent, ...(models.account?.startingCash === undefined ? {} : { startingCash: models.account.startingCash }) }),
      models,
      series: values.report !== undefined,
      maxMarketSpreadCents: config.maxMarketSpreadCents,
      logger: stderrLogger(io.stderr),
      signal: io.signal,
    });
    const result = results[0];
    if (!result) throw new UsageError(`market ${values.market} has no lines in ${values.data}`);
    if (values.report) {
      writeFileSync(values.report, renderRunReport(result, { title: `${values.market} γ=${gamma} κ=${kappa}` }));
      io.stderr.write(`report written to ${values.report}\n`);
    }
    const { series: _series, fillLog: _fills, ...summary } = result;
    const out = { ...summary, agent };
    io.stdout.write(values.json ? `${JSON.stringify(out)}\n` : formatTable(out));
    return 0;
  },
};

/** Returns a result as an aligned two-column table. */
export function formatTable(result: Omit<BacktestResult, 'series' | 'fillLog'> & Record<string, unknown>): string {
  const rows = Object.entries(result).map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)] as const);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n';
}
