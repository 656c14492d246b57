/**
 * Field metadata derived from the schema (never written twice): the env name, flag, unit, default,
 * range and description of every field, for the loader, `--help` and `docs/configuration.md`.
 */
import type { z } from 'zod';
import { TradingConfigObject, type TradingConfigKey } from './schema.js';

/** Prefix of every environment variable of the trading config. */
export const ENV_PREFIX = 'KMM_';

/** How a field's text (env, flag, .env) is parsed before validation. */
export type ConfigFieldKind = 'number' | 'integer' | 'duration' | 'boolean' | 'enum';

/** One row of the config table. */
export interface ConfigField {
  readonly key: TradingConfigKey;
  readonly env: string;
  readonly flag: string;
  readonly kind: ConfigFieldKind;
  readonly unit: string;
  /** The default as text, or '(unset)' for optional fields without one. */
  readonly defaultText: string;
  /** Allowed values as text ("> 0 and ≤ 10", "textbook | binary | glft"). */
  readonly range: string;
  readonly description: string;
  readonly optional: boolean;
  readonly enumValues?: readonly string[];
}

/** Returns the env name of a field: `maxPositionContracts` → `KMM_MAX_POSITION_CONTRACTS`. */
export function envName(key: string): string {
  return ENV_PREFIX + key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Returns the flag of a field without dashes: `maxPositionContracts` → `max-position-contracts`. */
export function flagName(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

interface CheckDef {
  readonly check?: string;
  readonly value?: number;
  readonly inclusive?: boolean;
}

function unwrap(schema: z.ZodType): { inner: z.ZodType; defaultValue: unknown; optional: boolean } {
  let inner = schema;
  let defaultValue: unknown;
  let optional = false;
  for (;;) {
    const def = inner.def as { type: string; innerType?: z.ZodType; defaultValue?: unknown };
    if (def.type === 'default') defaultValue = def.defaultValue;
    if (def.type === 'optional') optional = true;
    if (!def.innerType) return { inner, defaultValue, optional };
    inner = def.innerType;
  }
}

function describeRange(inner: z.ZodType, kind: ConfigFieldKind): string {
  if (kind === 'boolean') return 'true | false';
  const def = inner.def as { type: string; entries?: Record<string, string>; checks?: { _zod: { def: CheckDef } }[] };
  if (def.type === 'enum') return Object.values(def.entries ?? {}).join(' | ');
  const parts: string[] = [];
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === 'greater_than') parts.push(`${c.inclusive ? '≥' : '>'} ${c.value}`);
    if (c.check === 'less_than') parts.push(`${c.inclusive ? '≤' : '<'} ${c.value}`);
  }
  return (kind === 'integer' || kind === 'duration' ? 'integer, ' : '') + parts.join(' and ');
}

function kindOf(key: string, inner: z.ZodType, unit: string): ConfigFieldKind {
  const type = (inner.def as { type: string }).type;
  if (type === 'boolean') return 'boolean';
  if (type === 'enum') return 'enum';
  if (unit === 'ms' && key.endsWith('Ms')) return 'duration';
  return (inner as { isInt?: boolean }).isInt ? 'integer' : 'number';
}

function buildFields(): readonly ConfigField[] {
  const rows: ConfigField[] = [];
  for (const [key, schema] of Object.entries(TradingConfigObject.shape) as [TradingConfigKey, z.ZodType][]) {
    const meta = (schema.meta() ?? {}) as { unit?: string; description?: string };
    const { inner, defaultValue, optional } = unwrap(schema);
    const unit = meta.unit ?? '';
    const kind = kindOf(key, inner, unit);
    const entries = (inner.def as { entries?: Record<string, string> }).entries;
    rows.push({
      key,
      env: envName(key),
      flag: flagName(key),
      kind,
      unit,
      defaultText: defaultValue === undefined ? '(unset)' : String(defaultValue),
      range: describeRange(inner, kind),
      description: schema.description ?? '',
      optional,
      ...(entries ? { enumValues: Object.values(entries) } : {}),
    });
  }
  return rows;
}

let cached: readonly ConfigField[] | undefined;

/** Returns one row per config field, in schema order. */
export function configFields(): readonly ConfigField[] {
  cached ??= buildFields();
  return cached;
}

/**
 * Returns the field table as Markdown (`docs/configuration.md`) or aligned plain text (`--help`).
 * Columns: field, env, flag, unit, default, range, description.
 */
export function renderConfigTable(format: 'markdown' | 'text'): string {
  const fields = configFields();
  if (format === 'markdown') {
    const lines = ['| field | env | flag | unit | default | range | description |', '|---|---|---|---|---|---|---|'];
    for (const f of fields) {
      const cells = [f.key, f.env, `--${f.flag}`, f.unit, f.defaultText, f.range, f.description].map((c) => c.replace(/\|/g, '\\|'));
      lines.push(`| ${cells.map((c, i) => (i < 3 ? `\`${c}\`` : c)).join(' | ')} |`);
    }
    return lines.join('\n') + '\n';
  }
  const lines: string[] = [];
  for (const f of fields) {
    lines.push(`  --${f.flag} <${f.kind === 'boolean' ? 'true|false' : f.unit}>  (${f.env}, default ${f.defaultText}; ${f.range})`);
    lines.push(`      ${f.description}`);
  }
  return lines.join('\n') + '\n';
}
