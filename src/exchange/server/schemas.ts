/**
 * zod schemas of the request bodies and queries the local exchange accepts (kalshi-api.md §4–§5,
 * field names as in kalshi-typescript 3.30). A body that does not parse is answered with a
 * Kalshi-shaped 400 naming the field. Prices and counts stay strings here; `toOrderRequest` turns
 * them into integers with core/decimal.ts.
 */
import { z } from 'zod';
import { parseCount, parsePrice, WireFormatError, type Count, type Price } from '../../core/index.js';
import type { EngineOrderRequest } from '../matching/index.js';
import { HttpError } from './errors.js';

const fpString = z.string().min(1);

/** CreateOrderV2Request (§5.1). */
export const createOrderSchema = z.object({
  ticker: z.string().min(1),
  side: z.enum(['bid', 'ask']),
  count: fpString,
  price: fpString,
  time_in_force: z.enum(['good_till_canceled', 'immediate_or_cancel', 'fill_or_kill']),
  self_trade_prevention_type: z.enum(['taker_at_cross', 'maker']),
  client_order_id: z.string().max(64).optional(),
  expiration_time: z.number().int().optional(),
  post_only: z.boolean().optional(),
  reduce_only: z.boolean().optional(),
  cancel_order_on_pause: z.boolean().optional(),
  order_group_id: z.string().optional(),
  subaccount: z.number().int().min(0).max(63).optional(),
  exchange_index: z.number().int().min(-1).optional(),
});
export type CreateOrderBody = z.infer<typeof createOrderSchema>;

/** BatchCreateOrdersV2Request. */
export const batchCreateSchema = z.object({ orders: z.array(z.unknown()).min(1) });

/** AmendOrderV2Request. */
export const amendSchema = z.object({
  ticker: z.string().min(1),
  side: z.enum(['bid', 'ask']),
  price: fpString,
  count: fpString,
  client_order_id: z.string().optional(),
  updated_client_order_id: z.string().max(64).optional(),
  exchange_index: z.number().int().optional(),
});

/** DecreaseOrderV2Request: exactly one of reduce_by / reduce_to. */
export const decreaseSchema = z
  .object({ reduce_by: fpString.optional(), reduce_to: fpString.optional(), exchange_index: z.number().int().optional(), market_ticker: z.string().optional() })
  .refine((b) => (b.reduce_by === undefined) !== (b.reduce_to === undefined), { message: 'exactly one of reduce_by or reduce_to is required', path: ['reduce_by'] });

/** BatchCancelOrdersV2Request. */
export const batchCancelSchema = z.object({
  orders: z.array(z.object({ order_id: z.string().min(1), subaccount: z.number().int().optional(), exchange_index: z.number().int().optional(), market_ticker: z.string().optional() })).min(1),
});

/**
 * Returns `body` parsed with `schema`.
 * @throws HttpError 400 `invalid_parameters` naming the first bad field.
 */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, code = 'invalid_parameters'): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue ? issue.path.join('.') : '';
  throw new HttpError(400, code, `${path === '' ? 'body' : path}: ${issue?.message ?? 'invalid'}`);
}

/**
 * Returns the engine's order request for a parsed create body.
 * @throws HttpError 400 `invalid_price` / `invalid_order_size` for malformed decimal strings.
 */
export function toOrderRequest(body: CreateOrderBody): EngineOrderRequest {
  return {
    ticker: body.ticker,
    side: body.side,
    price: priceField(body.price, 'price'),
    count: countField(body.count, 'count'),
    timeInForce: body.time_in_force,
    postOnly: body.post_only === true,
    reduceOnly: body.reduce_only === true,
    selfTradePrevention: body.self_trade_prevention_type,
    clientOrderId: body.client_order_id ?? '',
    ...(body.expiration_time === undefined ? {} : { expirationTimeS: body.expiration_time }),
    cancelOnPause: body.cancel_order_on_pause === true,
    ...(body.order_group_id === undefined ? {} : { orderGroupId: body.order_group_id }),
  };
}

/** @throws HttpError 400 `invalid_price`. */
export function priceField(text: string, field: string): Price {
  try {
    return parsePrice(text, field);
  } catch (error) {
    if (error instanceof WireFormatError) throw new HttpError(400, 'invalid_price', error.message);
    throw error;
  }
}

/** @throws HttpError 400 `invalid_order_size`. */
export function countField(text: string, field: string): Count {
  try {
    return parseCount(text, field);
  } catch (error) {
    if (error instanceof WireFormatError) throw new HttpError(400, 'invalid_order_size', error.message);
    throw error;
  }
}

/** Reads an optional integer query parameter. @throws HttpError 400 naming it. */
export function intQuery(value: unknown, name: string, bounds: { min?: number; max?: number } = {}): number | undefined {
  if (value === undefined || value === '') return undefined;
  const text = Array.isArray(value) ? String(value[0]) : String(value);
  if (!/^-?\d+$/.test(text)) throw new HttpError(400, 'invalid_parameters', `${name}: expected an integer, was ${JSON.stringify(text)}`);
  const n = Number(text);
  if ((bounds.min !== undefined && n < bounds.min) || (bounds.max !== undefined && n > bounds.max)) {
    throw new HttpError(400, 'invalid_parameters', `${name}: was ${n}, expected ${bounds.min ?? '-∞'}…${bounds.max ?? '∞'}`);
  }
  return n;
}

/** Reads an optional string query parameter (the first when repeated). */
export function stringQuery(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  return Array.isArray(value) ? String(value[0]) : String(value);
}

/** Reads a list query parameter given repeated (`?t=A&t=B`) or comma-separated (`?t=A,B`). */
export function listQuery(value: unknown): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  const parts = (Array.isArray(value) ? value.map(String) : [String(value)]).flatMap((v) => v.split(','));
  const list = parts.map((p) => p.trim()).filter((p) => p !== '');
  return list.length === 0 ? undefined : list;
}
