/**
 * Engine state → Kalshi WebSocket message bodies (`msg` of each envelope, kalshi-api.md §13.3).
 */
import { createHash } from 'node:crypto';
import { formatCash, formatCount, formatPrice, type BookSnapshot, type Count, type Fill, type Price, type PublicTrade } from '../../../core/index.js';
import type { EngineEvent, EngineOrder, EnginePosition, MarketState } from '../../matching/index.js';
import { encodePriceRanges } from '../../../kalshi/wire/index.js';
import { orderJson, type Json } from '../format.js';

const marketIds = new Map<string, string>();

/** Returns a stable UUID-shaped `market_id` for a ticker (Kalshi sends one per market). */
export function marketId(ticker: string): string {
  let id = marketIds.get(ticker);
  if (id === undefined) {
    const h = createHash('sha1').update(`market:${ticker}`).digest('hex');
    id = `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
    marketIds.set(ticker, id);
  }
  return id;
}

/** Returns the `orderbook_snapshot` msg; with `useYesPrice` NO levels are at YES prices (§3.4). */
export function snapshotMsg(book: BookSnapshot, useYesPrice: boolean): Json {
  const levels = (side: 'yes' | 'no'): string[][] => {
    const list = book[side].map((l) => [side === 'no' && useYesPrice ? 10_000 - l.price : l.price, l.count] as const);
    if (side === 'no' && useYesPrice) list.reverse();
    return list.map(([p, c]) => [formatPrice(p as Price), formatCount(c)]);
  };
  const yes = levels('yes');
  const no = levels('no');
  return {
    market_ticker: book.ticker,
    market_id: marketId(book.ticker),
    ...(yes.length > 0 ? { yes_dollars_fp: yes } : {}),
    ...(no.length > 0 ? { no_dollars_fp: no } : {}),
  };
}

/** Returns the `orderbook_delta` msg; `own` adds the client order id (sent only to the order's owner). */
export function deltaMsg(event: Extract<EngineEvent, { type: 'book_delta' }>, useYesPrice: boolean, own: boolean): Json {
  const price = event.side === 'no' && useYesPrice ? 10_000 - event.price : event.price;
  return {
    market_ticker: event.ticker,
    market_id: marketId(event.ticker),
    price_dollars: formatPrice(price as Price),
    delta_fp: formatCount(event.delta),
    side: event.side,
    ...(own && event.clientOrderId !== undefined ? { client_order_id: event.clientOrderId, subaccount: 0 } : {}),
    ts_ms: event.tsMs,
    ts: rfc(event.tsMs),
  };
}

/** Returns the `ticker` msg from a market's state. */
export function tickerMsg(market: MarketState, lastTradeSize: Count, nowMs: number): Json {
  const d = market.definition;
  return {
    market_ticker: d.ticker,
    market_id: marketId(d.ticker),
    price_dollars: formatPrice(market.lastPrice ?? (0 as Price)),
    yes_bid_dollars: formatPrice(market.yesBid ?? (0 as Price)),
    yes_ask_dollars: formatPrice(market.yesAsk ?? (10_000 as Price)),
    yes_bid_size_fp: formatCount(market.yesBidSize),
    yes_ask_size_fp: formatCount(market.yesAskSize),
    last_trade_size_fp: formatCount(lastTradeSize),
    volume_fp: formatCount(market.volume),
    open_interest_fp: formatCount(market.openInterest),
    dollar_volume: Math.floor(market.volume / 100),
    dollar_open_interest: Math.floor(market.openInterest / 100),
    ts: Math.floor(nowMs / 1000),
    ts_ms: nowMs,
    time: rfc(nowMs),
  };
}

/** Returns the `trade` msg. */
export function tradeMsg(trade: PublicTrade): Json {
  return {
    trade_id: trade.tradeId,
    market_ticker: trade.ticker,
    yes_price_dollars: formatPrice(trade.price),
    no_price_dollars: formatPrice((10_000 - trade.price) as Price),
    count_fp: formatCount(trade.count),
    taker_outcome_side: trade.takerSide === 'bid' ? 'yes' : 'no',
    taker_book_side: trade.takerSide,
    taker_side: trade.takerSide === 'bid' ? 'yes' : 'no',
    is_block_trade: false,
    ts: Math.floor(trade.tsMs / 1000),
    ts_ms: trade.tsMs,
  };
}

/** Returns the `fill` msg (with client order id, unlike REST fills). */
export function fillMsg(fill: Fill, clientOrderId: string | undefined): Json {
  const yes = fill.side === 'bid';
  return {
    trade_id: fill.tradeId,
    order_id: fill.orderId,
    ...(clientOrderId ? { client_order_id: clientOrderId } : {}),
    market_ticker: fill.ticker,
    exchange_index: 0,
    is_taker: fill.isTaker,
    outcome_side: yes ? 'yes' : 'no',
    book_side: fill.side,
    side: yes ? 'yes' : 'no',
    action: 'buy',
    purchased_side: yes ? 'yes' : 'no',
    yes_price_dollars: formatPrice(fill.price),
    count_fp: formatCount(fill.count),
    fee_cost: formatCash(fill.fee),
    ...(fill.postPosition === undefined ? {} : { post_position_fp: formatCount(fill.postPosition) }),
    ts: Math.floor(fill.tsMs / 1000),
    ts_ms: fill.tsMs,
  };
}

/** Returns the `user_order` msg. */
export function userOrderMsg(order: EngineOrder): Json {
  return {
    ...orderJson(order),
    is_yes: order.side === 'bid',
    created_ts_ms: order.createdMs ?? null,
    last_updated_ts_ms: order.updatedMs ?? null,
    expiration_ts_ms: order.expirationTimeS === undefined ? null : order.expirationTimeS * 1000,
    last_update_reason: order.lastUpdateReason,
  };
}

/** Returns the `market_position` msg. */
export function positionMsg(accountId: string, position: EnginePosition): Json {
  return {
    user_id: accountId,
    market_ticker: position.ticker,
    position_fp: formatCount(position.position),
    position_cost_dollars: formatCash(position.exposure),
    realized_pnl_dollars: formatCash(position.realizedPnl),
    fees_paid_dollars: formatCash(position.feesPaid),
    position_fee_cost_dollars: formatCash(position.feesPaid),
    volume_fp: formatCount(position.volume),
  };
}

/**
 * Returns the `market_lifecycle_v2` msg, or undefined for transitions Kalshi does not announce
 * (time-driven open and close, §6.2).
 */
export function lifecycleMsg(event: Extract<EngineEvent, { type: 'market' }>): Json | undefined {
  if (event.kind === 'opened' || event.kind === 'closed') return undefined;
  const base: Json = { market_ticker: event.ticker, event_type: event.kind, exchange_index: 0 };
  const s = (ms: number): number => Math.floor(ms / 1000);
  switch (event.kind) {
    case 'created':
      return { ...base, open_ts: s(event.openTimeMs), close_ts: s(event.closeTimeMs), price_ranges: priceRangesJsonOf(event) };
    case 'activated':
    case 'deactivated':
      return { ...base, is_deactivated: event.kind === 'deactivated' };
    case 'close_date_updated':
      return { ...base, close_ts: s(event.closeTimeMs) };
    case 'determined':
      return { ...base, determination_ts: s(event.tsMs), result: event.result, settlement_value: event.result === 'yes' ? '1.0000' : '0.0000' };
    case 'settled':
      return { ...base, settled_ts: s(event.tsMs), result: event.result, settlement_value: event.result === 'yes' ? '1.0000' : '0.0000' };
    case 'price_level_structure_updated':
      return { ...base, price_ranges: priceRangesJsonOf(event) };
  }
}

function priceRangesJsonOf(event: Extract<EngineEvent, { type: 'market' }>): Json[] {
  return encodePriceRanges(event.grid);
}

function rfc(ms: number): string {
  return new Date(ms).toISOString();
}

/** Returns the `order_group_updates` msg (§9). */
export function orderGroupMsg(event: Extract<EngineEvent, { type: 'order_group' }>): Json {
  return { event_type: event.kind, order_group_id: event.group.orderGroupId, contracts_limit_fp: formatCount(event.group.contractsLimit), ts_ms: event.tsMs };
}
