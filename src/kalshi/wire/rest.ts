/**
 * zod schemas of the REST responses a market maker reads (kalshi-api.md §4–§7, field lists of
 * kalshi-typescript 3.30 models). Unknown extra fields are tolerated (Kalshi adds fields often) and
 * dropped; a field the conversion needs is required, so a missing or mistyped one is an error with
 * its path. Dollar and `_fp` values stay strings here: `convert.ts` parses them exactly.
 */
import { z } from 'zod';

const str = z.string();
const optStr = z.string().nullish();
const optNum = z.number().nullish();
const outcome = z.enum(['yes', 'no']);
const bookSide = z.enum(['bid', 'ask']);

/** A price band `{start, end, step}` (dollar strings, §3.2). */
export const priceRangeSchema = z.object({ start: str, end: str, step: str });

/** Market status values (§6.2). */
export const marketStatusSchema = z.enum(['initialized', 'active', 'inactive', 'closed', 'determined', 'disputed', 'amended', 'finalized']);

/** A Market object (§6.1). */
export const marketSchema = z.object({
  ticker: str,
  event_ticker: str,
  market_type: optStr,
  title: optStr,
  subtitle: optStr,
  yes_sub_title: optStr,
  no_sub_title: optStr,
  created_time: optStr,
  updated_time: optStr,
  open_time: str,
  close_time: str,
  expected_expiration_time: optStr,
  latest_expiration_time: optStr,
  status: marketStatusSchema,
  yes_bid_dollars: str,
  yes_bid_size_fp: optStr,
  yes_ask_dollars: str,
  yes_ask_size_fp: optStr,
  no_bid_dollars: optStr,
  no_ask_dollars: optStr,
  last_price_dollars: str,
  volume_fp: str,
  volume_24h_fp: optStr,
  open_interest_fp: str,
  notional_value_dollars: optStr,
  result: z.enum(['yes', 'no', 'scalar', '']),
  can_close_early: z.boolean().nullish(),
  settlement_value_dollars: optStr,
  fee_waiver_expiration_time: optStr,
  price_level_structure: optStr,
  price_ranges: z.array(priceRangeSchema),
  exchange_index: optNum,
});
export type WireMarket = z.infer<typeof marketSchema>;

export const getMarketsResponseSchema = z.object({ markets: z.array(marketSchema), cursor: optStr });
export const getMarketResponseSchema = z.object({ market: marketSchema });

/** A book level `[price_dollars, count_fp]`. */
export const levelSchema = z.tuple([str, str]);
/** `orderbook_fp` (§3.4): bids only, ascending; a missing side is empty. */
export const orderbookFpSchema = z.object({ yes_dollars: z.array(levelSchema).nullish(), no_dollars: z.array(levelSchema).nullish() });
export const getOrderbookResponseSchema = z.object({ orderbook_fp: orderbookFpSchema });
export const getOrderbooksResponseSchema = z.object({ orderbooks: z.array(z.object({ ticker: str, orderbook_fp: orderbookFpSchema })) });

/** A public trade (§6.3). */
export const tradeSchema = z.object({
  trade_id: str,
  ticker: str,
  count_fp: str,
  yes_price_dollars: str,
  no_price_dollars: optStr,
  taker_outcome_side: outcome.nullish(),
  taker_book_side: bookSide.nullish(),
  taker_side: outcome.nullish(),
  created_time: str,
  is_block_trade: z.boolean().nullish(),
});
export type WireTrade = z.infer<typeof tradeSchema>;
export const getTradesResponseSchema = z.object({ trades: z.array(tradeSchema), cursor: optStr });

/** Order statuses (§5.3). */
export const orderStatusSchema = z.enum(['resting', 'canceled', 'executed']);

/** An Order object (§5.3). */
export const orderSchema = z.object({
  order_id: str,
  user_id: optStr,
  client_order_id: optStr,
  ticker: str,
  outcome_side: outcome.nullish(),
  book_side: bookSide,
  type: optStr,
  status: orderStatusSchema,
  yes_price_dollars: str,
  no_price_dollars: optStr,
  fill_count_fp: str,
  remaining_count_fp: str,
  initial_count_fp: str,
  taker_fill_cost_dollars: optStr,
  maker_fill_cost_dollars: optStr,
  taker_fees_dollars: str,
  maker_fees_dollars: str,
  expiration_time: optStr,
  created_time: optStr,
  last_update_time: optStr,
  self_trade_prevention_type: optStr,
  order_group_id: optStr,
  cancel_order_on_pause: z.boolean().nullish(),
  subaccount_number: optNum,
  exchange_index: optNum,
});
export type WireOrder = z.infer<typeof orderSchema>;
export const getOrdersResponseSchema = z.object({ orders: z.array(orderSchema), cursor: optStr });
export const getOrderResponseSchema = z.object({ order: orderSchema });

/** A Fill (§7). REST fills carry no client_order_id. */
export const fillSchema = z.object({
  fill_id: optStr,
  trade_id: str,
  order_id: str,
  ticker: str,
  market_ticker: optStr,
  outcome_side: outcome.nullish(),
  book_side: bookSide,
  count_fp: str,
  yes_price_dollars: str,
  no_price_dollars: optStr,
  is_taker: z.boolean(),
  fee_cost: str,
  created_time: optStr,
  ts: optNum,
  subaccount_number: optNum,
  exchange_index: optNum,
});
export type WireFill = z.infer<typeof fillSchema>;
export const getFillsResponseSchema = z.object({ fills: z.array(fillSchema), cursor: optStr });

/** A MarketPosition (§7). */
export const marketPositionSchema = z.object({
  ticker: str,
  exchange_index: optNum,
  total_traded_dollars: optStr,
  position_fp: str,
  market_exposure_dollars: str,
  realized_pnl_dollars: str,
  fees_paid_dollars: str,
  last_updated_ts: optStr,
});
export const eventPositionSchema = z.object({
  event_ticker: str,
  total_cost_dollars: optStr,
  total_cost_shares_fp: optStr,
  event_exposure_dollars: optStr,
  realized_pnl_dollars: optStr,
  fees_paid_dollars: optStr,
});
export const getPositionsResponseSchema = z.object({
  market_positions: z.array(marketPositionSchema).nullish(),
  event_positions: z.array(eventPositionSchema).nullish(),
  cursor: optStr,
});

/** GET /portfolio/balance: integer cents plus a dollar string (§7). */
export const getBalanceResponseSchema = z.object({
  balance: z.number().int(),
  balance_dollars: optStr,
  portfolio_value: z.number().int(),
  updated_ts: optNum,
});

/** A Settlement (§6.2). `revenue` is integer cents. */
export const settlementSchema = z.object({
  ticker: str,
  event_ticker: optStr,
  market_result: z.enum(['yes', 'no', 'scalar', 'void', '']),
  yes_count_fp: str,
  yes_total_cost_dollars: optStr,
  no_count_fp: str,
  no_total_cost_dollars: optStr,
  revenue: z.number().int(),
  settled_time: str,
  fee_cost: optStr,
  value: optNum,
});
export const getSettlementsResponseSchema = z.object({ settlements: z.array(settlementSchema), cursor: optStr });

export const queuePositionSchema = z.object({ order_id: str, market_ticker: str, queue_position_fp: str });
export const getQueuePositionsResponseSchema = z.object({ queue_positions: z.array(queuePositionSchema).nullish() });
export const getQueuePositionResponseSchema = z.object({ queue_position_fp: str });

/** V2 create (201, or 200 observed). */
export const createOrderV2ResponseSchema = z.object({
  order_id: str,
  client_order_id: optStr,
  fill_count: str,
  remaining_count: str,
  average_fill_price: optStr,
  average_fee_paid: optStr,
  ts_ms: z.number().int(),
});
export const errorBodySchema = z.object({ code: str, message: optStr, details: optStr });
export const batchCreateOrdersV2ResponseSchema = z.object({
  orders: z.array(
    z.object({
      order_id: optStr,
      client_order_id: optStr,
      fill_count: optStr,
      remaining_count: optStr,
      average_fill_price: optStr,
      average_fee_paid: optStr,
      ts_ms: optNum,
      error: errorBodySchema.nullish(),
    }),
  ),
});
export const amendOrderV2ResponseSchema = z.object({
  order_id: str,
  client_order_id: optStr,
  remaining_count: optStr,
  fill_count: optStr,
  average_fill_price: optStr,
  average_fee_paid: optStr,
  ts_ms: z.number().int(),
});
export const decreaseOrderV2ResponseSchema = z.object({ order_id: str, client_order_id: optStr, remaining_count: str, ts_ms: z.number().int() });
export const cancelOrderV2ResponseSchema = z.object({ order_id: str, client_order_id: optStr, reduced_by: str, ts_ms: z.number().int() });
export const batchCancelOrdersV2ResponseSchema = z.object({
  orders: z.array(z.object({ order_id: str, client_order_id: optStr, reduced_by: optStr, ts_ms: optNum, error: errorBodySchema.nullish() })),
});

/** POST /portfolio/order_groups/create (§9): 201 with the new group's id. */
export const createOrderGroupResponseSchema = z.object({ order_group_id: str, subaccount: optNum, exchange_index: optNum });
/** One item of GET /portfolio/order_groups (§9). */
export const orderGroupSummarySchema = z.object({ id: str, contracts_limit_fp: optStr, is_auto_cancel_enabled: z.boolean(), exchange_index: optNum });
export type WireOrderGroupSummary = z.infer<typeof orderGroupSummarySchema>;
/** GET /portfolio/order_groups (§9); an account without groups may omit the list. */
export const getOrderGroupsResponseSchema = z.object({ order_groups: z.array(orderGroupSummarySchema).nullish() });
/** GET /portfolio/order_groups/{id} (§9): the group's state and its orders' ids. */
export const getOrderGroupResponseSchema = z.object({ is_auto_cancel_enabled: z.boolean(), contracts_limit_fp: optStr, orders: z.array(str).nullish(), exchange_index: optNum });
export type WireOrderGroup = z.infer<typeof getOrderGroupResponseSchema>;

/** GET /account/limits (§11). */
const bucketSchema = z.object({ refill_rate: z.number().nonnegative(), bucket_capacity: z.number().nonnegative() });
export const getAccountLimitsResponseSchema = z.object({ usage_tier: str, read: bucketSchema, write: bucketSchema, grants: z.array(z.unknown()).nullish() });
export const getEndpointCostsResponseSchema = z.object({
  default_cost: z.number().nonnegative(),
  endpoint_costs: z.array(z.object({ method: str, path: str, cost: z.number().nonnegative() })),
});

export const getExchangeStatusResponseSchema = z.object({
  exchange_active: z.boolean(),
  trading_active: z.boolean(),
  exchange_estimated_resume_time: optStr,
});
/** The schedule is passed through as JSON: a market maker only displays it. */
export const getExchangeScheduleResponseSchema = z.object({
  schedule: z.object({ standard_hours: z.array(z.unknown()), maintenance_windows: z.array(z.unknown()) }),
});
export const getUserDataTimestampResponseSchema = z.object({ as_of_time: str });

/** A Series (§6.2): the fee schedule lives here. */
export const seriesSchema = z.object({
  ticker: str,
  frequency: optStr,
  title: optStr,
  category: optStr,
  fee_type: z.enum(['quadratic', 'quadratic_with_maker_fees', 'quadratic_with_combo_maker_fees', 'flat']),
  fee_multiplier: z.number().nonnegative(),
});
export const getSeriesResponseSchema = z.object({ series: seriesSchema });

/** An Event (§6.2); fee overrides replace the series' schedule when present. */
export const eventSchema = z.object({
  event_ticker: str,
  series_ticker: str,
  title: optStr,
  sub_title: optStr,
  mutually_exclusive: z.boolean().nullish(),
  markets: z.array(marketSchema).nullish(),
  fee_type_override: optStr,
  fee_multiplier_override: optNum,
});
export const getEventsResponseSchema = z.object({ events: z.array(eventSchema), cursor: optStr });
export const getEventResponseSchema = z.object({ event: eventSchema, markets: z.array(marketSchema).nullish() });

/** One candlestick; bid/ask/price distributions are passed through (display and stats only). */
export const candlestickSchema = z.object({
  end_period_ts: z.number().int(),
  yes_bid: z.record(z.string(), z.unknown()).nullish(),
  yes_ask: z.record(z.string(), z.unknown()).nullish(),
  price: z.record(z.string(), z.unknown()).nullish(),
  volume_fp: optStr,
  open_interest_fp: optStr,
});
export const getCandlesticksResponseSchema = z.object({ ticker: optStr, candlesticks: z.array(candlestickSchema) });

/** The nested REST error body `{"error":{code,message,details}}`; 429 sends `{"error":"too many requests"}`. */
export const errorResponseSchema = z.object({ error: z.union([errorBodySchema, z.string()]) });
