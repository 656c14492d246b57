/**
 * Loads the trading config from, in decreasing precedence: explicit overrides (e.g. a backtest grid
 * point), CLI flags, the environment, the text of a `.env` file, and the schema's defaults. This
 * module reads nothing itself: `cli/` passes the flags it parsed, `process.env` and the file's text
 * (dotenv is used only as a parser here). Every problem — an unknown `KMM_*` variable or flag, a value
 * that does not parse, a value out of range — is collected, and one `ConfigError` names them all,
 * with the field, where the value came from and what was expected.
 */
import { parse as parseDotenv } from 'dotenv';
import { ConfigError, type ConfigIssue } from '../core/index.js';
import { configFields, ENV_PREFIX, type ConfigField } from './fields.js';
import { TradingConfigSchema, type TradingConfig, type TradingConfigKey } from './schema.js';

/** Where config values come from; every part is optional. */
export interface ConfigSources {
  /** Parsed CLI flags keyed by flag name without dashes (`gamma`, `max-position-contracts`). */
  readonly flags?: Readonly<Record<string, string | boolean | undefined>>;
  /** The environment (`process.env`); only `KMM_*` names are read, and every one must be known. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The text of a `.env` file; only `KMM_*` names are read, and every one must be known. */
  readonly dotenvText?: string;
  /** Typed values above every other source (backtest grid points, tests). */
  readonly overrides?: Readonly<Partial<Record<TradingConfigKey, unknown>>>;
  /**
   * Typed defaults of one command, below every other source and above the schema's own defaults
   * (e.g. `run` against the local exchange, whose fresh markets have no 24 h volume yet).
   */
  readonly commandDefaults?: Readonly<Partial<Record<TradingConfigKey, unknown>>>;
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses the text of one field; returns the value or an error message. */
export function parseFieldText(field: ConfigField, text: string): { value: unknown } | { error: string } {
  const t = text.trim();
  switch (field.kind) {
    case 'boolean':
      if (/^(true|1|yes|on)$/i.test(t)) return { value: true };
      if (/^(false|0|no|off)$/i.test(t)) return { value: false };
      return { error: `expected true or false, was ${JSON.stringify(text)}` };
    case 'enum':
      return { value: t };
    case 'duration': {
      const m = DURATION.exec(t);
      if (!m) return { error: `expected a duration like 500ms, 30s, 5m, 1h (a bare number is ms), was ${JSON.stringify(text)}` };
      return { value: Math.round(Number(m[1]) * (UNIT_MS[m[2] ?? 'ms'] ?? 1)) };
    }
    case 'integer':
    case 'number':
      if (!NUMBER.test(t)) return { error: `expected a number, was ${JSON.stringify(text)}` };
      return { value: Number(t) };
  }
}

/** Returns the known name closest to `name` when it is a likely misspelling. */
function suggest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

function unknownName(kind: string, name: string, candidates: readonly string[]): ConfigIssue {
  const hint = suggest(name, candidates);
  return { path: name, message: `unknown ${kind}${hint ? ` (did you mean ${hint}?)` : ''}` };
}

/** Reads `KMM_*` names of one source into `raw`, recording where each value came from. */
function readNamed(source: Readonly<Record<string, string | undefined>>, label: string, raw: Map<TradingConfigKey, [unknown, string]>, issues: ConfigIssue[]): void {
  const byEnv = new Map(configFields().map((f) => [f.env, f]));
  for (const [name, text] of Object.entries(source)) {
    if (!name.startsWith(ENV_PREFIX) || text === undefined) continue;
    const field = byEnv.get(name);
    if (!field) {
      issues.push(unknownName(`setting in ${label}`, name, [...byEnv.keys()]));
      continue;
    }
    const parsed = parseFieldText(field, text);
    if ('error' in parsed) issues.push({ path: `${field.key} (${name} in ${label})`, message: parsed.error });
    else raw.set(field.key, [parsed.value, `${name} in ${label}`]);
  }
}

function readFlags(flags: Readonly<Record<string, string | boolean | undefined>>, raw: Map<TradingConfigKey, [unknown, string]>, issues: ConfigIssue[]): void {
  const byFlag = new Map(configFields().map((f) => [f.flag, f]));
  for (const [name, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    const field = byFlag.get(name.replace(/^--/, ''));
    if (!field) {
      issues.push(unknownName('flag', `--${name.replace(/^--/, '')}`, [...byFlag.keys()].map((f) => `--${f}`)));
      continue;
    }
    const parsed = typeof value === 'boolean' ? (field.kind === 'boolean' ? { value } : { error: 'expected a value' }) : parseFieldText(field, value);
    if ('error' in parsed) issues.push({ path: `${field.key} (--${field.flag})`, message: parsed.error });
    else raw.set(field.key, [parsed.value, `--${field.flag}`]);
  }
}

/**
 * Returns the validated trading config from `sources` (precedence: overrides > flags > env > .env >
 * defaults).
 * @throws ConfigError listing every unknown name, unparsable value and out-of-range value.
 */
export function loadConfig(sources: ConfigSources = {}): TradingConfig {
  const issues: ConfigIssue[] = [];
  const raw = new Map<TradingConfigKey, [unknown, string]>();
  // Lowest precedence first: later sources overwrite earlier ones.
  for (const [key, value] of Object.entries(sources.commandDefaults ?? {})) {
    if (value !== undefined) raw.set(key as TradingConfigKey, [value, 'command defaults']);
  }
  if (sources.dotenvText !== undefined) readNamed(parseDotenv(sources.dotenvText), '.env', raw, issues);
  if (sources.env) readNamed(sources.env, 'the environment', raw, issues);
  if (sources.flags) readFlags(sources.flags, raw, issues);
  for (const [key, value] of Object.entries(sources.overrides ?? {})) {
    if (value !== undefined) raw.set(key as TradingConfigKey, [value, 'overrides']);
  }
  const input: Record<string, unknown> = {};
  for (const [key, [value]] of raw) input[key] = value;
  const result = TradingConfigSchema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) issues.push(unknownName('field', key, configFields().map((f) => f.key)));
        continue;
      }
      const key = String(issue.path[0] ?? '');
      const origin = raw.get(key as TradingConfigKey);
      const was = origin === undefined ? '' : `, was ${JSON.stringify(origin[0])}`;
      issues.push({ path: origin ? `${key} (${origin[1]})` : key || '(root)', message: `${issue.message}${issue.code === 'custom' ? '' : was}` });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  if (!result.success) throw new ConfigError([{ path: '(root)', message: 'invalid configuration' }]);
  return result.data;
}

/** Returns the defaults (the schema applied to nothing). */
export function defaultTradingConfig(): TradingConfig {
  return loadConfig({});
}

/**
 * Returns the `util.parseArgs` option specs of every config flag (all take a string value, so
 * `--post-only false` works), for `cli/` to merge with its own.
 */
export function configFlagOptions(): Record<string, { type: 'string' }> {
  const options: Record<string, { type: 'string' }> = {};
  for (const f of configFields()) options[f.flag] = { type: 'string' };
  return options;
}

/** Returns only the config flags of a parsed-flags record (the others belong to the command). */
export function pickConfigFlags(values: Readonly<Record<string, string | boolean | undefined | (string | boolean)[]>>): Record<string, string | boolean | undefined> {
  const known = new Set(configFields().map((f) => f.flag));
  const picked: Record<string, string | boolean | undefined> = {};
  for (const [name, value] of Object.entries(values)) {
    if (known.has(name) && !Array.isArray(value)) picked[name] = value;
  }
  return picked;
}
