/**
 * Exact conversion between the API's fixed-point decimal strings ("0.5600", "10.00", "-54.00",
 * "0.010000") and kalshi-mm's integer units. No parseFloat, no Number(str): digits are read as text.
 * kalshi-api.md §3.1: prices are dollar strings with 2–4 decimals, counts have 0–2 decimals,
 * money aggregates up to 6.
 */
import { WireFormatError } from './errors.js';
import {
  CASH_SCALE,
  COUNT_SCALE,
  PRICE_SCALE,
  type Cash,
  type Count,
  type Price,
} from './money.js';

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Options of `parseDecimal`. */
export interface ParseDecimalOptions {
  /** Name of the field, used in the error message (`markets[3].yes_bid_dollars`). */
  readonly field: string;
  /** Number of decimal digits of the integer unit (4 → units of 0.0001). */
  readonly scaleDigits: number;
  readonly signed?: boolean;
  readonly min?: number;
  readonly max?: number;
}

/**
 * Returns the decimal string `text` as an integer count of 10^-scaleDigits units.
 * Extra decimal digits are accepted only when they are zeros (the value stays exact).
 * @throws WireFormatError for anything else: empty, exponent, sign where unsigned, too many
 * significant decimals, out of range, not a string.
 */
export function parseDecimal(text: unknown, options: ParseDecimalOptions): number {
  const { field, scaleDigits } = options;
  const expected = `a decimal string with at most ${scaleDigits} decimals${options.signed ? '' : ', not negative'}`;
  if (typeof text !== 'string') throw new WireFormatError(field, expected, text);
  const match = DECIMAL.exec(text);
  if (!match) throw new WireFormatError(field, expected, text);
  const [, sign = '', whole = '', fraction = ''] = match;
  if (sign === '-' && !options.signed) throw new WireFormatError(field, expected, text);
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > scaleDigits) throw new WireFormatError(field, expected, text);
  if (whole.length > 15) throw new WireFormatError(field, 'a value below 10^15', text);
  const digits = whole + significant.padEnd(scaleDigits, '0');
  let value = Number.parseInt(digits, 10);
  if (!Number.isSafeInteger(value)) throw new WireFormatError(field, 'a value within 2^53 units', text);
  if (sign === '-') value = -value;
  if (value === 0) value = 0; // never -0
  if (options.min !== undefined && value < options.min) throw new WireFormatError(field, `${expected} ≥ ${formatDecimal(options.min, scaleDigits)}`, text);
  if (options.max !== undefined && value > options.max) throw new WireFormatError(field, `${expected} ≤ ${formatDecimal(options.max, scaleDigits)}`, text);
  return value;
}

/** Returns `value` units of 10^-scaleDigits as a decimal string with exactly `decimals` digits. */
export function formatDecimal(value: number, scaleDigits: number, decimals = scaleDigits): string {
  if (!Number.isSafeInteger(value)) throw new WireFormatError('value', 'a safe integer', value);
  if (decimals < scaleDigits) {
    const drop = 10 ** (scaleDigits - decimals);
    if (value % drop !== 0) throw new WireFormatError('value', `a multiple of ${drop} units to print ${decimals} decimals`, value);
    return formatDecimal(value / drop, decimals, decimals);
  }
  const negative = value < 0;
  const digits = String(Math.abs(value)).padStart(scaleDigits + 1, '0');
  const whole = digits.slice(0, digits.length - scaleDigits);
  const fraction = digits.slice(digits.length - scaleDigits).padEnd(decimals, '0');
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${fraction}` : ''}`;
}

/** Parses a dollar price string ("0.5600") as a Price in [0, 1]. */
export function parsePrice(text: unknown, field: string): Price {
  return parseDecimal(text, { field, scaleDigits: 4, min: 0, max: PRICE_SCALE }) as Price;
}

/** Formats a Price as the API writes it: 4 decimals ("0.5600"). */
export function formatPrice(price: Price): string {
  return formatDecimal(price, 4);
}

/** Parses a contract-count string ("10.00") as a Count; `signed` allows deltas ("-54.00"). */
export function parseCount(text: unknown, field: string, signed = false): Count {
  return parseDecimal(text, { field, scaleDigits: 2, signed }) as Count;
}

/** Formats a Count as the API writes it: 2 decimals ("10.00"). */
export function formatCount(count: Count): string {
  return formatDecimal(count, 2);
}

/**
 * Parses a dollar amount ("12.3400", "0.010000", "-3.50") as Cash ($0.0001 units).
 * @throws WireFormatError when it has a non-zero digit beyond the 4th decimal.
 */
export function parseCash(text: unknown, field: string): Cash {
  return parseDecimal(text, { field, scaleDigits: 4, signed: true }) as Cash;
}

/** Formats Cash as a dollar string with 4 decimals ("12.3400"). */
export function formatCash(cash: Cash, decimals = 4): string {
  return formatDecimal(cash, 4, decimals);
}

/** Formats whole cents (an integer) from Cash, rounding toward zero, for fields the API gives in cents. */
export function cashToWholeCents(cash: Cash): number {
  return Math.trunc(cash / (CASH_SCALE / 100));
}

/** Returns a Count of whole contracts from an integer API field (legacy `count`). */
export function countFromContracts(whole: number, field: string): Count {
  if (!Number.isSafeInteger(whole) || whole < 0) throw new WireFormatError(field, 'a non-negative integer', whole);
  return (whole * COUNT_SCALE) as Count;
}
