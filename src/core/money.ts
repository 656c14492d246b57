/**
 * Exact money and contract counts. Everything is an integer:
 *
 * - `Price`: YES price in units of $0.0001 (0 … 10_000 = $0 … $1). Kalshi's finest grid step is $0.0001.
 * - `Count`: contracts in hundredths (the API's `_fp` granularity: "10.00" = 1_000).
 * - `Cash`:  dollars in units of $0.0001 (signed). Balances, costs, PnL and fees.
 * - `Micros`: dollars in units of $0.000001 — exactly price × count (1e-4 $ × 1e-2 contracts), used
 *   for intermediate products so that no rounding happens until one named function decides it.
 *
 * Floats are never used for these. Conversions from the API's decimal strings are in `decimal.ts`.
 */
import { WireFormatError } from './errors.js';

declare const brand: unique symbol;
type Branded<T, B extends string> = T & { readonly [brand]: B };

export type Price = Branded<number, 'Price'>;
export type Count = Branded<number, 'Count'>;
export type Cash = Branded<number, 'Cash'>;
export type Micros = Branded<number, 'Micros'>;

/** Units of $0.0001 per dollar. */
export const PRICE_SCALE = 10_000;
/** Hundredths per contract. */
export const COUNT_SCALE = 100;
/** Cash units per dollar. */
export const CASH_SCALE = 10_000;
/** $1 as a Price: what one winning contract pays. */
export const ONE_DOLLAR = 10_000 as Price;
/** Micros per Cash unit. */
const MICROS_PER_CASH = 100;

/**
 * Returns `value` as a Price.
 * @throws WireFormatError when it is not an integer in [0, 10000].
 */
export function toPrice(value: number, field = 'price'): Price {
  if (!Number.isSafeInteger(value) || value < 0 || value > PRICE_SCALE) {
    throw new WireFormatError(field, 'an integer price in [0, 10000] units of $0.0001', value);
  }
  return value as Price;
}

/**
 * Returns `value` as a Count (hundredths of a contract).
 * @throws WireFormatError when it is not a non-negative safe integer (or any safe integer if `signed`).
 */
export function toCount(value: number, field = 'count', signed = false): Count {
  if (!Number.isSafeInteger(value) || (!signed && value < 0)) {
    throw new WireFormatError(field, signed ? 'an integer count' : 'a non-negative integer count', value);
  }
  return value as Count;
}

/**
 * Returns `value` as Cash ($0.0001 units, signed).
 * @throws WireFormatError when it is not a safe integer.
 */
export function toCash(value: number, field = 'cash'): Cash {
  if (!Number.isSafeInteger(value)) throw new WireFormatError(field, 'an integer amount of $0.0001', value);
  return value as Cash;
}

/** Returns whole contracts as a Count (3 → 300). */
export function contracts(whole: number): Count {
  return toCount(whole * COUNT_SCALE, 'contracts', true);
}

/** Returns cents as a Price (56 → 5600). */
export function cents(value: number): Price {
  return toPrice(value * 100, 'cents');
}

/** Returns the NO-leg price of a YES price (1 − p). */
export function complement(price: Price): Price {
  return (PRICE_SCALE - price) as Price;
}

/** Returns price × count exactly, in micros ($0.000001). */
export function notionalMicros(price: Price, count: Count): Micros {
  const product = price * count;
  if (!Number.isSafeInteger(product)) throw new WireFormatError('notional', 'a product below 2^53', product);
  return product as Micros;
}

/** How a value that falls between two Cash units is rounded. */
export type Rounding = 'floor' | 'ceil' | 'half-even';

/** Converts micros to Cash with the stated rounding. */
export function cashFromMicros(micros: Micros | number, rounding: Rounding): Cash {
  const quotient = Math.trunc(micros / MICROS_PER_CASH);
  const remainder = micros - quotient * MICROS_PER_CASH;
  if (remainder === 0) return quotient as Cash;
  switch (rounding) {
    case 'floor':
      return (remainder > 0 ? quotient : quotient - 1) as Cash;
    case 'ceil':
      return (remainder > 0 ? quotient + 1 : quotient) as Cash;
    case 'half-even': {
      const twice = Math.abs(remainder) * 2;
      const away = remainder > 0 ? quotient + 1 : quotient - 1;
      if (twice > MICROS_PER_CASH) return away as Cash;
      if (twice < MICROS_PER_CASH) return quotient as Cash;
      return (quotient % 2 === 0 ? quotient : away) as Cash;
    }
  }
}

/**
 * Returns the cost of buying `count` at `price` in Cash. Price × count is always a whole number of
 * Cash units when the count is a whole number of hundredths and the price is on a $0.0001 grid only if
 * the product is divisible by 100; otherwise the buyer pays the rounded-up amount (the exchange never
 * under-collects collateral).
 */
export function costOf(price: Price, count: Count): Cash {
  return cashFromMicros(notionalMicros(price, count), 'ceil');
}

/** Adds Cash values. */
export function addCash(a: Cash, b: Cash): Cash {
  return (a + b) as Cash;
}

/** Returns a Count rounded down to whole contracts. */
export function floorToWholeContracts(count: Count): Count {
  return (Math.floor(count / COUNT_SCALE) * COUNT_SCALE) as Count;
}

/** Returns a Price as dollars (for display and model maths only; never for money). */
export function priceToNumber(price: Price): number {
  return price / PRICE_SCALE;
}

/** Returns a Count as contracts (for display and model maths only). */
export function countToNumber(count: Count): number {
  return count / COUNT_SCALE;
}

/** Returns Cash as dollars (for display and metrics only). */
export function cashToNumber(cash: Cash): number {
  return cash / CASH_SCALE;
}
