/**
 * Argument parsing shared by all commands: node's util.parseArgs with errors turned into UsageError
 * (exit code 2), and typed readers for numbers and durations that name the flag on bad input.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses `argv` against `options`; unknown flags and missing values throw UsageError. */
export function parseFlags<T extends Options>(argv: readonly string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/**
 * Returns `argv` with `--flag -5` / `--flag -05:00` joined into `--flag=-5` for string flags: parseArgs
 * refuses a value that starts with a dash, but a negative number or UTC offset is the ordinary way to
 * write such a value. No flag is spelled `-<digit>`, so nothing else changes meaning.
 */
function joinNegativeValues(argv: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    const next = argv[i + 1];
    const name = token.startsWith('--') && !token.includes('=') ? token.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${token}=${next}`);
      i++;
    } else out.push(token);
  }
  return out;
}

/** Returns the number in flag `name`, or `fallback` when absent. */
export function numberFlag(value: string | undefined, name: string, fallback: number): number;
export function numberFlag(value: string | undefined, name: string): number | undefined;
export function numberFlag(value: string | undefined, name: string, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) throw new UsageError(`--${name}: expected a number, was ${JSON.stringify(value)}`);
  return parsed;
}

/** Returns the integer in flag `name`, or `fallback` when absent. */
export function integerFlag(value: string | undefined, name: string, fallback: number): number;
export function integerFlag(value: string | undefined, name: string): number | undefined;
export function integerFlag(value: string | undefined, name: string, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(parsed)) throw new UsageError(`--${name}: expected an integer, was ${JSON.stringify(value)}`);
  return parsed;
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses "500ms", "2s", "5m", "6h", "1d" (a bare number is seconds) into milliseconds. */
export function durationFlag(value: string | undefined, name: string, fallbackMs: number): number;
export function durationFlag(value: string | undefined, name: string): number | undefined;
export function durationFlag(value: string | undefined, name: string, fallbackMs?: number): number | undefined {
  if (value === undefined) return fallbackMs;
  const match = DURATION.exec(value.trim());
  if (!match) throw new UsageError(`--${name}: expected a duration like 500ms, 2s, 5m, 6h, was ${JSON.stringify(value)}`);
  const unit = (match[2] ?? 's') as keyof typeof UNIT_MS;
  return Math.round(Number(match[1]) * UNIT_MS[unit]);
}
