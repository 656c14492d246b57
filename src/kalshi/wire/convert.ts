/**
 * The bridge from Kalshi's wire types (snake_case, decimal strings) to kalshi-mm's domain types
 * (camelCase, integers). Every function takes the JSON path of its input so that a bad value is
 * reported where it is (`markets[3].yes_bid_dollars`). No parseFloat, no Number(str): decimal strings
 * go through core/decimal.ts. WebSocket data messages are converted in `convert-ws.ts`, and the other
 * direction (domain → exact Kalshi JSON) is in `encode.ts`; the three files are the only bridge.
 */
import {
  DEFAULT_FEE_SCHEDULE,
  FEE_MULTIPLIER_SCALE,
  PRICE_SCALE,
  TickGrid,
  WireFormatError,
  cashFromMicros,
  parseCount,
  parseDecimal,
  parsePrice,
  toCash,
  type Balance,
  type BookLevel,
  type BookSide,
  type BookSnapshot,
  type CancelAck,
  type Cash,
  type ExchangeStatus,
  type FeeSchedule,
  type FeeType,
  type Fill,
  type Market,
  type Order,
  type OrderAck,
  type OutcomeSide,
  type Position,
  type Price,
  type PriceRange,
  type PublicTrade,
  type Settlement,
} from '../../core/index.js';
import type { z } from 'zod';
import type * as rest from './rest.js';

type Out<S extends z.ZodType> = z.output<S>;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Returns an RFC3339 timestamp as Unix ms.
 * @throws WireFormatError when it is not RFC3339.
 */
export function parseTimeMs(text: unknown, field: string): number {
  if (typeof text !== 'string' || !RFC3339.test(text)) throw new WireFormatError(field, 'an RFC3339 timestamp', text);
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new WireFormatError(field, 'an RFC3339 timestamp', text);
  return ms;
}

/** Returns an optional RFC3339 timestamp as Unix ms, or undefined when null/absent. */
function optionalTimeMs(text: string | null | undefined, field: string): number | undefined {
  return text === null || text === undefined || text === '' ? undefined : parseTimeMs(text, field);
}

/**
 * Parses a money aggregate that Kalshi sends with up to 6 decimals ("0.054600") as Cash. Digits
 * beyond $0.0001 are rounded with `rounding`: fees up (the exchange rounds fees up, §10.2), other
 * aggregates half-even. Kalshi's own values end in "00" in every capture seen.
 */
export function parseMoney(text: unknown, field: string, rounding: 'ceil' | 'half-even' = 'half-even'): Cash {
  const micros = parseDecimal(text, { field, scaleDigits: 6, signed: true });
  return cashFromMicros(micros, rounding);
}

/** Returns one price band in Price units. */
function rangeFromWire(range: Out<typeof rest.priceRangeSchema>, path: string): PriceRange {
  const step = parseDecimal(range.step, { field: `${path}.step`, scaleDigits: 4, min: 1, max: PRICE_SCALE });
  return { start: parsePrice(range.start, `${path}.start`), end: parsePrice(range.end, `${path}.end`), step };
}

/**
 * Returns the tick grid of `price_ranges` (§3.2).
 * @throws WireFormatError for a malformed band or bands that are empty or not contiguous.
 */
export function gridFromWire(ranges: readonly Out<typeof rest.priceRangeSchema>[], path: string): TickGrid {
  const bands = ranges.map((r, i) => rangeFromWire(r, `${path}[${i}]`));
  try {
    return new TickGrid(bands);
  } catch (error) {
    if (error instanceof WireFormatError) throw new WireFormatError(`${path}: ${error.path}`, error.expected, error.received, { cause: error });
    throw error;
  }
}

/** Returns a fee multiplier (a JSON number like 1, 0.5) as an exact integer × 10,000. */
function multiplierFromWire(value: number, field: string): number {
  const scaled = Math.round(value * FEE_MULTIPLIER_SCALE);
  // A multiplier with more than 4 decimals cannot be represented exactly; refuse it rather than round.
  if (!Number.isFinite(value) || value < 0 || Math.abs(scaled - value * FEE_MULTIPLIER_SCALE) > 1e-6) {
    throw new WireFormatError(field, 'a non-negative multiplier with at most 4 decimals', value);
  }
  return scaled;
}

function feeTypeFromWire(value: string, field: string): FeeType {
  switch (value) {
    case 'quadratic':
    case 'quadratic_with_maker_fees':
    case 'quadratic_with_combo_maker_fees':
    case 'flat':
      return value;
    default:
      throw new WireFormatError(field, 'a known fee_type', value);
  }
}

/**
 * Returns a market's fee schedule from its series and, when present, the event's overrides (§10.1).
 */
export function feeScheduleFromWire(series: Out<typeof rest.seriesSchema>, event?: Out<typeof rest.eventSchema>): FeeSchedule {
  const feeType = event?.fee_type_override ? feeTypeFromWire(event.fee_type_override, 'event.fee_type_override') : series.fee_type;
  const multiplier =
    event?.fee_multiplier_override !== undefined && event.fee_multiplier_override !== null
      ? multiplierFromWire(event.fee_multiplier_override, 'event.fee_multiplier_override')
      : multiplierFromWire(series.fee_multiplier, 'series.fee_multiplier');
  return { feeType, multiplier };
}

/** Options of `marketFromWire`. */
export interface MarketContext {
  /** The series' fee schedule; default: taker fees only, multiplier 1. */
  readonly fees?: FeeSchedule;
  readonly seriesTicker?: string;
}

/**
 * Returns a domain Market. A best bid of $0, a best ask of $1 and a last price of $0 mean "none"
 * (Kalshi writes those for empty sides), so they become undefined.
 * @throws WireFormatError naming the bad field under `path`.
 */
export function marketFromWire(m: Out<typeof rest.marketSchema>, path: string, context: MarketContext = {}): Market {
  const yesBid = parsePrice(m.yes_bid_dollars, `${path}.yes_bid_dollars`);
  const yesAsk = parsePrice(m.yes_ask_dollars, `${path}.yes_ask_dollars`);
  const last = parsePrice(m.last_price_dollars, `${path}.last_price_dollars`);
  return {
    ticker: m.ticker,
    eventTicker: m.event_ticker,
    ...(context.seriesTicker !== undefined ? { seriesTicker: context.seriesTicker } : {}),
    title: m.title ?? m.yes_sub_title ?? '',
    status: m.status,
    openTimeMs: parseTimeMs(m.open_time, `${path}.open_time`),
    closeTimeMs: parseTimeMs(m.close_time, `${path}.close_time`),
    grid: gridFromWire(m.price_ranges, `${path}.price_ranges`),
    fees: context.fees ?? DEFAULT_FEE_SCHEDULE,
    result: m.result,
    ...(yesBid > 0 ? { yesBid } : {}),
    ...(yesAsk < PRICE_SCALE ? { yesAsk } : {}),
    ...(last > 0 ? { lastPrice: last } : {}),
    volume: parseCount(m.volume_fp, `${path}.volume_fp`),
    volume24h: parseCount(m.volume_24h_fp ?? '0', `${path}.volume_24h_fp`),
    openInterest: parseCount(m.open_interest_fp, `${path}.open_interest_fp`),
  };
}

/** Returns `[[price, count], …]` levels (ascending on the wire) as BookLevels in the same order. */
export function levelsFromWire(levels: readonly (readonly [string, string])[] | null | undefined, path: string): BookLevel[] {
  if (!levels) return [];
  return levels.map(([price, count], i) => ({ price: parsePrice(price, `${path}[${i}][0]`), count: parseCount(count, `${path}[${i}][1]`) }));
}

/** Returns a REST `orderbook_fp` as a BookSnapshot (bids only, each leg in its own price, §3.4). */
export function bookFromWire(ticker: string, book: Out<typeof rest.orderbookFpSchema>, path: string): BookSnapshot {
  return { ticker, yes: levelsFromWire(book.yes_dollars, `${path}.yes_dollars`), no: levelsFromWire(book.no_dollars, `${path}.no_dollars`) };
}

/** Returns the book side of an outcome leg (§3.3: bid ≡ yes, ask ≡ no). */
export function bookSideOf(outcome: OutcomeSide): BookSide {
  switch (outcome) {
    case 'yes':
      return 'bid';
    case 'no':
      return 'ask';
  }
}

/** Returns a public trade; the taker side comes from `taker_book_side`, else the documented aliases (§3.3). */
export function tradeFromWire(t: Out<typeof rest.tradeSchema>, path: string): PublicTrade {
  return {
    tradeId: t.trade_id,
    ticker: t.ticker,
    price: parsePrice(t.yes_price_dollars, `${path}.yes_price_dollars`),
    count: parseCount(t.count_fp, `${path}.count_fp`),
    takerSide: takerSideOf(t.taker_book_side, t.taker_outcome_side, t.taker_side, path),
    tsMs: parseTimeMs(t.created_time, `${path}.created_time`),
  };
}

/** Returns the aggressor's book side from the current field or its documented equivalents (§3.3). */
export function takerSideOf(book: BookSide | null | undefined, outcome: OutcomeSide | null | undefined, legacy: OutcomeSide | null | undefined, path: string): BookSide {
  if (book) return book;
  if (outcome) return bookSideOf(outcome);
  if (legacy) return bookSideOf(legacy);
  throw new WireFormatError(`${path}.taker_book_side`, 'bid or ask', undefined);
}

/** Returns a domain Order (§5.3). */
export function orderFromWire(o: Out<typeof rest.orderSchema>, path: string): Order {
  const createdMs = optionalTimeMs(o.created_time, `${path}.created_time`);
  const updatedMs = optionalTimeMs(o.last_update_time, `${path}.last_update_time`);
  return {
    orderId: o.order_id,
    ...(o.client_order_id ? { clientOrderId: o.client_order_id } : {}),
    ticker: o.ticker,
    side: o.book_side,
    price: parsePrice(o.yes_price_dollars, `${path}.yes_price_dollars`),
    initialCount: parseCount(o.initial_count_fp, `${path}.initial_count_fp`),
    fillCount: parseCount(o.fill_count_fp, `${path}.fill_count_fp`),
    remainingCount: parseCount(o.remaining_count_fp, `${path}.remaining_count_fp`),
    status: o.status,
    ...(createdMs !== undefined ? { createdMs } : {}),
    ...(updatedMs !== undefined ? { updatedMs } : {}),
    takerFees: parseMoney(o.taker_fees_dollars, `${path}.taker_fees_dollars`, 'ceil'),
    makerFees: parseMoney(o.maker_fees_dollars, `${path}.maker_fees_dollars`, 'ceil'),
  };
}

/** Returns a domain Fill from a REST fill (no client order id on REST, §7). */
export function fillFromWire(f: Out<typeof rest.fillSchema>, path: string): Fill {
  let tsMs: number;
  if (f.created_time) tsMs = parseTimeMs(f.created_time, `${path}.created_time`);
  else if (typeof f.ts === 'number' && Number.isSafeInteger(f.ts)) tsMs = f.ts * 1000;
  else throw new WireFormatError(`${path}.created_time`, 'an RFC3339 timestamp', undefined);
  return {
    tradeId: f.trade_id,
    orderId: f.order_id,
    ticker: f.ticker,
    side: f.book_side,
    price: parsePrice(f.yes_price_dollars, `${path}.yes_price_dollars`),
    count: parseCount(f.count_fp, `${path}.count_fp`),
    isTaker: f.is_taker,
    fee: parseMoney(f.fee_cost, `${path}.fee_cost`, 'ceil'),
    tsMs,
  };
}

/** Returns a domain Position (positive = long YES). */
export function positionFromWire(p: Out<typeof rest.marketPositionSchema>, path: string): Position {
  return {
    ticker: p.ticker,
    position: parseCount(p.position_fp, `${path}.position_fp`, true),
    exposure: parseMoney(p.market_exposure_dollars, `${path}.market_exposure_dollars`),
    realizedPnl: parseMoney(p.realized_pnl_dollars, `${path}.realized_pnl_dollars`),
    feesPaid: parseMoney(p.fees_paid_dollars, `${path}.fees_paid_dollars`, 'ceil'),
  };
}

/** Returns the balance; `balance` and `portfolio_value` are integer cents on the wire (§3.1). */
export function balanceFromWire(b: Out<typeof rest.getBalanceResponseSchema>): Balance {
  // balance_dollars (4 dp) is more precise for direct members; prefer it when present.
  const balance = b.balance_dollars ? parseMoney(b.balance_dollars, 'balance_dollars') : toCash(b.balance * 100, 'balance');
  return { balance, portfolioValue: toCash(b.portfolio_value * 100, 'portfolio_value') };
}

/** Returns a settlement; `revenue` is integer cents (§6.2). A `void` result maps to ''. */
export function settlementFromWire(s: Out<typeof rest.settlementSchema>, path: string): Settlement {
  return {
    ticker: s.ticker,
    result: s.market_result === 'void' ? '' : s.market_result,
    yesCount: parseCount(s.yes_count_fp, `${path}.yes_count_fp`),
    noCount: parseCount(s.no_count_fp, `${path}.no_count_fp`),
    revenue: toCash(s.revenue * 100, `${path}.revenue`),
    settledMs: parseTimeMs(s.settled_time, `${path}.settled_time`),
  };
}

/** Returns the ack of a V2 create or amend. An amend may omit counts; they are then 0 (nothing reported). */
export function orderAckFromWire(
  r: { order_id: string; client_order_id?: string | null | undefined; fill_count?: string | null | undefined; remaining_count?: string | null | undefined; ts_ms: number },
  path: string,
): OrderAck {
  return {
    orderId: r.order_id,
    ...(r.client_order_id ? { clientOrderId: r.client_order_id } : {}),
    // Unknown is not 0: a partly filled order would look done (TrackedOrder.applyAck).
    ...(r.fill_count != null ? { fillCount: parseCount(r.fill_count, `${path}.fill_count`) } : {}),
    remainingCount: parseCount(r.remaining_count ?? '0', `${path}.remaining_count`),
    tsMs: r.ts_ms,
  };
}

/** Returns the ack of a V2 cancel. */
export function cancelAckFromWire(r: Out<typeof rest.cancelOrderV2ResponseSchema>, path: string): CancelAck {
  return {
    orderId: r.order_id,
    ...(r.client_order_id ? { clientOrderId: r.client_order_id } : {}),
    reducedBy: parseCount(r.reduced_by, `${path}.reduced_by`),
    tsMs: r.ts_ms,
  };
}

/** Returns the exchange status. */
export function exchangeStatusFromWire(s: Out<typeof rest.getExchangeStatusResponseSchema>): ExchangeStatus {
  return { exchangeActive: s.exchange_active, tradingActive: s.trading_active };
}

/** Returns a queue position (contracts ahead, hundredths). */
export function queuePositionFromWire(text: string, path: string): ReturnType<typeof parseCount> {
  return parseCount(text, path);
}

/** Re-exported for callers that need a price from a loose string (e.g. settlement values). */
export function priceFromWire(text: string, path: string): Price {
  return parsePrice(text, path);
}
