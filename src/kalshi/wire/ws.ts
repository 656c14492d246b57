/**
 * zod schemas of the WebSocket messages (kalshi-api.md §13): command replies and data messages, one
 * discriminated union on `type`. Data envelope: `{type, sid, seq?, msg}`. Unknown extra fields are
 * tolerated; a missing or mistyped field the client needs is a `WireFormatError` with its path.
 */
import { z } from 'zod';
import { priceRangeSchema } from './rest.js';

const str = z.string();
const optStr = z.string().nullish();
const optNum = z.number().nullish();
const sid = z.number().int();
const seq = z.number().int().nullish();
const id = z.number().int().nullish();
const outcome = z.enum(['yes', 'no']);
const bookSide = z.enum(['bid', 'ask']);
const level = z.tuple([str, str]);

export const wsSubscribedSchema = z.object({ type: z.literal('subscribed'), id, msg: z.object({ channel: str, sid }) });
/** `ok` answers update_subscription (with sid+seq, msg.market_tickers) and list_subscriptions (msg array). */
export const wsOkSchema = z.object({
  type: z.literal('ok'),
  id,
  sid: sid.nullish(),
  seq,
  msg: z.union([z.object({ market_tickers: z.array(str).nullish() }), z.array(z.object({ channel: str, sid }))]).nullish(),
});
export const wsUnsubscribedSchema = z.object({ type: z.literal('unsubscribed'), id, sid, seq });
export const wsErrorSchema = z.object({
  type: z.literal('error'),
  id,
  sid: sid.nullish(),
  seq,
  msg: z.object({ code: z.number().int(), msg: str, market_ticker: optStr, market_tickers: z.array(str).nullish() }),
});
export const wsOrderbookSnapshotSchema = z.object({
  type: z.literal('orderbook_snapshot'),
  id,
  sid,
  seq,
  msg: z.object({ market_ticker: str, market_id: optStr, yes_dollars_fp: z.array(level).nullish(), no_dollars_fp: z.array(level).nullish() }),
});
export const wsOrderbookDeltaSchema = z.object({
  type: z.literal('orderbook_delta'),
  sid,
  seq,
  msg: z.object({
    market_ticker: str,
    market_id: optStr,
    price_dollars: str,
    delta_fp: str,
    side: outcome,
    client_order_id: optStr,
    subaccount: optNum,
    ts_ms: optNum,
    ts: z.union([str, z.number()]).nullish(),
  }),
});
export const wsTradeSchema = z.object({
  type: z.literal('trade'),
  sid,
  seq,
  msg: z.object({
    trade_id: str,
    market_ticker: str,
    yes_price_dollars: str,
    no_price_dollars: optStr,
    count_fp: str,
    taker_outcome_side: outcome.nullish(),
    taker_book_side: bookSide.nullish(),
    taker_side: outcome.nullish(),
    is_block_trade: z.boolean().nullish(),
    ts_ms: optNum,
    ts: z.union([str, z.number()]).nullish(),
  }),
});
export const wsTickerSchema = z.object({
  type: z.literal('ticker'),
  sid,
  seq,
  msg: z.object({
    market_ticker: str,
    market_id: optStr,
    price_dollars: optStr,
    yes_bid_dollars: optStr,
    yes_ask_dollars: optStr,
    yes_bid_size_fp: optStr,
    yes_ask_size_fp: optStr,
    last_trade_size_fp: optStr,
    volume_fp: optStr,
    open_interest_fp: optStr,
    ts_ms: optNum,
    ts: z.union([str, z.number()]).nullish(),
  }),
});
export const wsFillSchema = z.object({
  type: z.literal('fill'),
  sid,
  seq,
  msg: z.object({
    trade_id: str,
    order_id: str,
    client_order_id: optStr,
    market_ticker: str,
    is_taker: z.boolean(),
    outcome_side: outcome.nullish(),
    book_side: bookSide.nullish(),
    side: outcome.nullish(),
    action: z.enum(['buy', 'sell']).nullish(),
    yes_price_dollars: str,
    count_fp: str,
    fee_cost: str,
    post_position_fp: optStr,
    ts_ms: optNum,
    ts: z.union([str, z.number()]).nullish(),
    subaccount: optNum,
  }),
});
export const wsUserOrderSchema = z.object({
  type: z.literal('user_order'),
  sid,
  seq,
  msg: z.object({
    order_id: str,
    client_order_id: optStr,
    ticker: str,
    book_side: bookSide,
    outcome_side: outcome.nullish(),
    status: z.enum(['resting', 'canceled', 'executed', 'unknown']),
    yes_price_dollars: str,
    fill_count_fp: str,
    remaining_count_fp: str,
    initial_count_fp: str,
    taker_fees_dollars: optStr,
    maker_fees_dollars: optStr,
    created_ts_ms: optNum,
    last_updated_ts_ms: optNum,
    expiration_ts_ms: optNum,
    last_update_reason: optStr,
  }),
});
export const wsMarketPositionSchema = z.object({
  type: z.literal('market_position'),
  sid,
  seq,
  msg: z.object({
    user_id: optStr,
    market_ticker: str,
    position_fp: str,
    position_cost_dollars: optStr,
    realized_pnl_dollars: optStr,
    fees_paid_dollars: optStr,
    volume_fp: optStr,
    subaccount: optNum,
  }),
});
export const wsMarketLifecycleSchema = z.object({
  type: z.literal('market_lifecycle_v2'),
  sid,
  seq,
  msg: z.object({
    market_ticker: str,
    event_type: str,
    exchange_index: optNum,
    open_ts: optNum,
    close_ts: optNum,
    determination_ts: optNum,
    settled_ts: optNum,
    result: z.enum(['yes', 'no', 'scalar', '']).nullish(),
    settlement_value: optStr,
    is_deactivated: z.boolean().nullish(),
    price_level_structure: optStr,
    price_ranges: z.array(priceRangeSchema).nullish(),
  }),
});

/** `order_group_updates` (§9): a change of one of our order groups. */
export const wsOrderGroupUpdatesSchema = z.object({
  type: z.literal('order_group_updates'),
  sid,
  seq,
  msg: z.object({
    event_type: z.enum(['created', 'triggered', 'reset', 'deleted', 'limit_updated']),
    order_group_id: str,
    contracts_limit_fp: optStr,
    ts_ms: optNum,
  }),
});

/** Every WebSocket message the client understands, keyed by `type`. */
export const wsMessageSchema = z.discriminatedUnion('type', [
  wsSubscribedSchema,
  wsOkSchema,
  wsUnsubscribedSchema,
  wsErrorSchema,
  wsOrderbookSnapshotSchema,
  wsOrderbookDeltaSchema,
  wsTradeSchema,
  wsTickerSchema,
  wsFillSchema,
  wsUserOrderSchema,
  wsMarketPositionSchema,
  wsMarketLifecycleSchema,
  wsOrderGroupUpdatesSchema,
]);
export type WsMessage = z.infer<typeof wsMessageSchema>;
export type WsDataMessage = Extract<
  WsMessage,
  { type: 'orderbook_snapshot' | 'orderbook_delta' | 'trade' | 'ticker' | 'fill' | 'user_order' | 'market_position' | 'market_lifecycle_v2' | 'order_group_updates' }
>;
export type WsMessageType = WsMessage['type'];

/** The data message types (everything but command replies), each carrying one channel's payload. */
export const WS_DATA_TYPES: ReadonlySet<WsDataMessage['type']> = new Set<WsDataMessage['type']>([
  'orderbook_snapshot',
  'orderbook_delta',
  'trade',
  'ticker',
  'fill',
  'user_order',
  'market_position',
  'market_lifecycle_v2',
  'order_group_updates',
]);

/** Returns true when `message` is a data message (not a command reply). */
export function isWsDataMessage(message: WsMessage): message is WsDataMessage {
  return (WS_DATA_TYPES as ReadonlySet<string>).has(message.type);
}

/** Message types the client knows; others (event_lifecycle, communications…) are skipped, not errors. */
export const KNOWN_WS_TYPES: ReadonlySet<string> = new Set<WsMessageType>(['subscribed', 'ok', 'unsubscribed', 'error', ...WS_DATA_TYPES]);

/** The channels this client subscribes to (§13.3). */
export type WsChannel = 'orderbook_delta' | 'ticker' | 'trade' | 'fill' | 'user_orders' | 'market_positions' | 'market_lifecycle_v2' | 'order_group_updates';
