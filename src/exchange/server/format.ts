/**
 * Engine state → Kalshi's JSON shapes (kalshi-api.md §3–§7; field names as in kalshi-typescript
 * 3.30 models). Prices are 4-decimal dollar strings, counts 2-decimal `_fp` strings, timestamps
 * RFC3339 unless the field says otherwise. Built with core/decimal.ts so no float touches money.
 */
import {
  cashToWholeCents,
  formatCash,
  formatCount,
  formatPrice,
  type BookSnapshot,
  type Cash,
  type Count,
  type Fill,
  type Price,
  type PublicTrade,
} from '../../core/index.js';
import { encodePriceRanges, encodeTime } from '../../kalshi/wire/index.js';
import type { EngineOrder, EnginePosition, EngineSettlement, MarketState } from '../matching/index.js';

/** A JSON object as sent. */
export type Json = Record<string, unknown>;

function no(price: Price): string {
  return formatPrice((10_000 - price) as Price);
}

/** Returns a Market object (§6.1). */
export function marketJson(market: MarketState): Json {
  const d = market.definition;
  const yesBid = market.yesBid ?? (0 as Price);
  const yesAsk = market.yesAsk ?? (10_000 as Price);
  const last = market.lastPrice ?? (0 as Price);
  const finalized = market.status === 'finalized';
  return {
    ticker: d.ticker,
    event_ticker: d.eventTicker,
    market_type: 'binary',
    title: d.title,
    subtitle: '',
    yes_sub_title: d.title,
    no_sub_title: d.title,
    created_time: encodeTime(d.openTimeMs),
    updated_time: encodeTime(market.settledMs ?? d.openTimeMs),
    open_time: encodeTime(market.openTimeMs),
    close_time: encodeTime(market.closeTimeMs),
    expected_expiration_time: encodeTime(market.closeTimeMs),
    expiration_time: encodeTime(market.closeTimeMs),
    latest_expiration_time: encodeTime(market.closeTimeMs),
    settlement_timer_seconds: 0,
    status: market.status,
    yes_bid_dollars: formatPrice(yesBid),
    yes_bid_size_fp: formatCount(market.yesBidSize),
    yes_ask_dollars: formatPrice(yesAsk),
    yes_ask_size_fp: formatCount(market.yesAskSize),
    no_bid_dollars: no(yesAsk),
    no_ask_dollars: no(yesBid),
    last_price_dollars: formatPrice(last),
    volume_fp: formatCount(market.volume),
    volume_24h_fp: formatCount(market.volume24h),
    open_interest_fp: formatCount(market.openInterest),
    notional_value_dollars: '1.0000',
    previous_yes_bid_dollars: formatPrice(yesBid),
    previous_yes_ask_dollars: formatPrice(yesAsk),
    previous_price_dollars: formatPrice(last),
    liquidity_dollars: '0.0000',
    result: market.result,
    can_close_early: true,
    expiration_value: '',
    ...(finalized ? { settlement_value_dollars: market.result === 'yes' ? '1.0000' : '0.0000' } : {}),
    ...(market.settledMs !== undefined ? { settlement_ts: encodeTime(market.settledMs) } : {}),
    rules_primary: `Resolves to the local exchange's draw for ${d.ticker}.`,
    rules_secondary: '',
    price_level_structure: d.priceLevelStructure ?? 'linear_cent',
    price_ranges: encodePriceRanges(market.grid),
    exchange_index: 0,
  };
}

/** Returns `{yes_dollars, no_dollars}` with ascending `[price, count]` pairs (§3.4). */
export function orderbookJson(book: BookSnapshot): Json {
  return {
    yes_dollars: book.yes.map((l) => [formatPrice(l.price), formatCount(l.count)]),
    no_dollars: book.no.map((l) => [formatPrice(l.price), formatCount(l.count)]),
  };
}

/** Returns an Order object (§5.3). */
export function orderJson(order: EngineOrder): Json {
  const yes = order.side === 'bid';
  return {
    order_id: order.orderId,
    user_id: order.accountId,
    client_order_id: order.clientOrderId ?? '',
    ticker: order.ticker,
    side: yes ? 'yes' : 'no',
    action: 'buy',
    outcome_side: yes ? 'yes' : 'no',
    book_side: order.side,
    type: 'limit',
    status: order.status,
    yes_price_dollars: formatPrice(order.price),
    no_price_dollars: no(order.price),
    fill_count_fp: formatCount(order.fillCount),
    remaining_count_fp: formatCount(order.remainingCount),
    initial_count_fp: formatCount(order.initialCount),
    taker_fill_cost_dollars: formatCash(order.takerFillCost),
    maker_fill_cost_dollars: formatCash(order.makerFillCost),
    taker_fees_dollars: formatCash(order.takerFees),
    maker_fees_dollars: formatCash(order.makerFees),
    expiration_time: order.expirationTimeS === undefined ? null : encodeTime(order.expirationTimeS * 1000),
    created_time: order.createdMs === undefined ? null : encodeTime(order.createdMs),
    last_update_time: order.updatedMs === undefined ? null : encodeTime(order.updatedMs),
    self_trade_prevention_type: order.selfTradePrevention,
    order_group_id: order.orderGroupId ?? null,
    cancel_order_on_pause: order.cancelOnPause,
    subaccount_number: 0,
    exchange_index: 0,
  };
}

/** Returns a REST Fill object (§7; no client_order_id, CL:2026-03-30). */
export function fillJson(fill: Fill): Json {
  const yes = fill.side === 'bid';
  return {
    fill_id: fill.tradeId,
    trade_id: fill.tradeId,
    order_id: fill.orderId,
    ticker: fill.ticker,
    market_ticker: fill.ticker,
    side: yes ? 'yes' : 'no',
    action: 'buy',
    outcome_side: yes ? 'yes' : 'no',
    book_side: fill.side,
    count_fp: formatCount(fill.count),
    yes_price_dollars: formatPrice(fill.price),
    no_price_dollars: no(fill.price),
    is_taker: fill.isTaker,
    created_time: encodeTime(fill.tsMs),
    fee_cost: formatCash(fill.fee),
    subaccount_number: 0,
    exchange_index: 0,
    ts: Math.floor(fill.tsMs / 1000),
  };
}

/** Returns a public Trade object (§6.3). */
export function tradeJson(trade: PublicTrade): Json {
  return {
    trade_id: trade.tradeId,
    ticker: trade.ticker,
    count_fp: formatCount(trade.count),
    yes_price_dollars: formatPrice(trade.price),
    no_price_dollars: no(trade.price),
    taker_side: trade.takerSide === 'bid' ? 'yes' : 'no',
    taker_outcome_side: trade.takerSide === 'bid' ? 'yes' : 'no',
    taker_book_side: trade.takerSide,
    created_time: encodeTime(trade.tsMs),
    is_block_trade: false,
  };
}

/** Returns a MarketPosition object (§7). */
export function positionJson(position: EnginePosition): Json {
  return {
    ticker: position.ticker,
    exchange_index: 0,
    total_traded_dollars: formatCash(position.totalTraded),
    position_fp: formatCount(position.position),
    market_exposure_dollars: formatCash(position.exposure),
    realized_pnl_dollars: formatCash(position.realizedPnl),
    fees_paid_dollars: formatCash(position.feesPaid),
    last_updated_ts: encodeTime(position.lastUpdatedMs),
  };
}

/** Returns EventPosition objects aggregated from market positions (`eventOf` maps ticker → event). */
export function eventPositionsJson(positions: readonly EnginePosition[], eventOf: (ticker: string) => string): Json[] {
  const byEvent = new Map<string, { cost: number; shares: number; realized: number; fees: number }>();
  for (const p of positions) {
    const key = eventOf(p.ticker);
    const entry = byEvent.get(key) ?? { cost: 0, shares: 0, realized: 0, fees: 0 };
    entry.cost += p.exposure;
    entry.shares += Math.abs(p.position);
    entry.realized += p.realizedPnl;
    entry.fees += p.feesPaid;
    byEvent.set(key, entry);
  }
  return [...byEvent].map(([eventTicker, e]) => ({
    event_ticker: eventTicker,
    total_cost_dollars: formatCash(e.cost as Cash),
    total_cost_shares_fp: formatCount(e.shares as Count),
    event_exposure_dollars: formatCash(e.cost as Cash),
    realized_pnl_dollars: formatCash(e.realized as Cash),
    fees_paid_dollars: formatCash(e.fees as Cash),
  }));
}

/** Returns a Settlement object (§6.2; `revenue` and `value` in cents). */
export function settlementJson(s: EngineSettlement): Json {
  return {
    ticker: s.ticker,
    exchange_index: 0,
    event_ticker: s.eventTicker,
    market_result: s.result,
    yes_count_fp: formatCount(s.yesCount),
    yes_total_cost_dollars: formatCash(s.yesTotalCost),
    no_count_fp: formatCount(s.noCount),
    no_total_cost_dollars: formatCash(s.noTotalCost),
    revenue: cashToWholeCents(s.revenue),
    value: s.result === 'yes' ? 100 : 0,
    fee_cost: '0.0000',
    settled_time: encodeTime(s.settledMs),
  };
}

/** Returns the average fill price and average fee per contract of `fills` (V2 mutation answers). */
export function fillAverages(fills: readonly Fill[]): Json {
  let count = 0;
  let notional = 0;
  let fees = 0;
  for (const f of fills) {
    count += f.count;
    notional += f.price * f.count;
    fees += f.fee;
  }
  if (count === 0) return {};
  // Averages are display figures: rounded half-up to $0.0001 on integers, never through floats of money.
  const avgPrice = Math.round(notional / count) as Price;
  const avgFee = Math.round((fees * 100) / count) as Cash;
  return { average_fill_price: formatPrice(avgPrice), average_fee_paid: formatCash(avgFee) };
}
