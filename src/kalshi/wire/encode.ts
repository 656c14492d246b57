/**
 * Domain → Kalshi's exact JSON (the other half of the wire bridge, with `convert.ts`): request bodies
 * this client sends, and the response/message shapes the local exchange and the synthetic recording
 * writer emit. Prices are 4-decimal dollar strings, counts 2-decimal `_fp` strings, timestamps
 * RFC3339 unless the field says otherwise (kalshi-api.md §3). Built with core/decimal.ts only.
 */
import {
  PRICE_SCALE,
  formatCash,
  formatCount,
  formatPrice,
  type AmendRequest,
  type Balance,
  type BookLevel,
  type BookSnapshot,
  type Count,
  type DecreaseRequest,
  type Fill,
  type Market,
  type Order,
  type OrderRequest,
  type Position,
  type Price,
  type PublicTrade,
  type TickGrid,
} from '../../core/index.js';

/** A JSON object as sent on the wire. */
export type WireJson = Record<string, unknown>;

/** Returns Unix ms as RFC3339 UTC with milliseconds. */
export function encodeTime(ms: number): string {
  return new Date(ms).toISOString();
}

function noPrice(price: Price): string {
  return formatPrice((PRICE_SCALE - price) as Price);
}

function outcomeOf(side: 'bid' | 'ask'): 'yes' | 'no' {
  return side === 'bid' ? 'yes' : 'no';
}

/** Returns a CreateOrderV2Request body (§5.1). Optional flags are sent only when set. */
export function encodeOrderRequest(request: OrderRequest): WireJson {
  return {
    ticker: request.ticker,
    side: request.side,
    count: formatCount(request.count),
    price: formatPrice(request.price),
    time_in_force: request.timeInForce,
    self_trade_prevention_type: request.selfTradePrevention,
    client_order_id: request.clientOrderId,
    ...(request.postOnly ? { post_only: true } : {}),
    ...(request.reduceOnly ? { reduce_only: true } : {}),
    ...(request.cancelOnPause ? { cancel_order_on_pause: true } : {}),
    ...(request.expirationTimeS !== undefined ? { expiration_time: request.expirationTimeS } : {}),
    ...(request.orderGroupId !== undefined ? { order_group_id: request.orderGroupId } : {}),
  };
}

/**
 * Returns the body of an order-group create or limit change (§9): `contracts_limit_fp`, so that a
 * fractional limit is sent exactly (Kalshi takes either it or the whole-contract `contracts_limit`).
 */
export function encodeOrderGroupLimit(contractsLimit: Count): WireJson {
  return { contracts_limit_fp: formatCount(contractsLimit) };
}

/** Returns an amend body (§5.2): `count` is the new TOTAL (filled + remaining). */
export function encodeAmendRequest(request: AmendRequest): WireJson {
  return {
    ticker: request.ticker,
    side: request.side,
    price: formatPrice(request.price),
    count: formatCount(request.count),
    ...(request.clientOrderId !== undefined ? { client_order_id: request.clientOrderId } : {}),
    ...(request.updatedClientOrderId !== undefined ? { updated_client_order_id: request.updatedClientOrderId } : {}),
  };
}

/** Returns a decrease body (§5.2): exactly one of reduce_by / reduce_to. */
export function encodeDecreaseRequest(request: DecreaseRequest): WireJson {
  return 'reduceBy' in request
    ? { reduce_by: formatCount(request.reduceBy), market_ticker: request.ticker }
    : { reduce_to: formatCount(request.reduceTo), market_ticker: request.ticker };
}

/** Returns `price_ranges` bands as Kalshi writes them. */
export function encodePriceRanges(grid: TickGrid): WireJson[] {
  return grid.ranges.map((r) => ({ start: formatPrice(r.start), end: formatPrice(r.end), step: formatPrice(r.step as Price) }));
}

/** Returns a Market object (§6.1). Empty sides are written as Kalshi does: bid $0, ask $1. */
export function encodeMarket(market: Market): WireJson {
  const bid = market.yesBid ?? (0 as Price);
  const ask = market.yesAsk ?? (PRICE_SCALE as Price);
  return {
    ticker: market.ticker,
    event_ticker: market.eventTicker,
    market_type: 'binary',
    title: market.title,
    yes_sub_title: market.title,
    no_sub_title: market.title,
    open_time: encodeTime(market.openTimeMs),
    close_time: encodeTime(market.closeTimeMs),
    latest_expiration_time: encodeTime(market.closeTimeMs),
    status: market.status,
    yes_bid_dollars: formatPrice(bid),
    yes_ask_dollars: formatPrice(ask),
    no_bid_dollars: noPrice(ask),
    no_ask_dollars: noPrice(bid),
    last_price_dollars: formatPrice(market.lastPrice ?? (0 as Price)),
    volume_fp: formatCount(market.volume),
    volume_24h_fp: formatCount(market.volume24h),
    open_interest_fp: formatCount(market.openInterest),
    notional_value_dollars: '1.0000',
    result: market.result,
    price_level_structure: 'custom',
    price_ranges: encodePriceRanges(market.grid),
  };
}

/** Returns `[[price, count], …]` ascending (best bid last), as REST and WS snapshots send it (§3.4). */
export function encodeLevels(levels: readonly BookLevel[]): [string, string][] {
  return [...levels].sort((a, b) => a.price - b.price).map((l) => [formatPrice(l.price), formatCount(l.count)]);
}

/** Returns the body of GET /markets/{ticker}/orderbook: `{orderbook_fp:{yes_dollars, no_dollars}}`. */
export function encodeOrderbook(book: BookSnapshot): WireJson {
  return { orderbook_fp: { yes_dollars: encodeLevels(book.yes), no_dollars: encodeLevels(book.no) } };
}

/** Returns an Order object (§5.3). */
export function encodeOrder(order: Order): WireJson {
  return {
    order_id: order.orderId,
    client_order_id: order.clientOrderId ?? '',
    ticker: order.ticker,
    outcome_side: outcomeOf(order.side),
    book_side: order.side,
    type: 'limit',
    status: order.status,
    yes_price_dollars: formatPrice(order.price),
    no_price_dollars: noPrice(order.price),
    fill_count_fp: formatCount(order.fillCount),
    remaining_count_fp: formatCount(order.remainingCount),
    initial_count_fp: formatCount(order.initialCount),
    taker_fees_dollars: formatCash(order.takerFees),
    maker_fees_dollars: formatCash(order.makerFees),
    created_time: order.createdMs === undefined ? null : encodeTime(order.createdMs),
    last_update_time: order.updatedMs === undefined ? null : encodeTime(order.updatedMs),
  };
}

/** Returns a REST Fill (§7; REST fills carry no client_order_id). */
export function encodeFill(fill: Fill): WireJson {
  return {
    fill_id: fill.tradeId,
    trade_id: fill.tradeId,
    order_id: fill.orderId,
    ticker: fill.ticker,
    market_ticker: fill.ticker,
    outcome_side: outcomeOf(fill.side),
    book_side: fill.side,
    count_fp: formatCount(fill.count),
    yes_price_dollars: formatPrice(fill.price),
    no_price_dollars: noPrice(fill.price),
    is_taker: fill.isTaker,
    fee_cost: formatCash(fill.fee, 6),
    created_time: encodeTime(fill.tsMs),
    ts: Math.floor(fill.tsMs / 1000),
    exchange_index: 0,
  };
}

/** Returns a public Trade (§6.3). */
export function encodeTrade(trade: PublicTrade): WireJson {
  return {
    trade_id: trade.tradeId,
    ticker: trade.ticker,
    count_fp: formatCount(trade.count),
    yes_price_dollars: formatPrice(trade.price),
    no_price_dollars: noPrice(trade.price),
    taker_outcome_side: outcomeOf(trade.takerSide),
    taker_book_side: trade.takerSide,
    created_time: encodeTime(trade.tsMs),
    is_block_trade: false,
  };
}

/** Returns a MarketPosition (§7). */
export function encodePosition(position: Position): WireJson {
  return {
    ticker: position.ticker,
    exchange_index: 0,
    position_fp: formatCount(position.position),
    market_exposure_dollars: formatCash(position.exposure, 6),
    realized_pnl_dollars: formatCash(position.realizedPnl, 6),
    fees_paid_dollars: formatCash(position.feesPaid, 6),
  };
}

/** Returns GET /portfolio/balance; `balance`/`portfolio_value` are integer cents (rounded down). */
export function encodeBalance(balance: Balance, updatedS: number): WireJson {
  return {
    balance: Math.floor(balance.balance / 100),
    balance_dollars: formatCash(balance.balance),
    portfolio_value: Math.floor(balance.portfolioValue / 100),
    updated_ts: updatedS,
  };
}

/** Sequencing of a WS data message: subscription id and per-sid sequence number. */
export interface WsSequence {
  readonly sid: number;
  readonly seq?: number;
}

function envelope(type: string, sequence: WsSequence, msg: WireJson): WireJson {
  return { type, sid: sequence.sid, ...(sequence.seq !== undefined ? { seq: sequence.seq } : {}), msg };
}

/** Returns an `orderbook_snapshot` message (§13.3): bids only, ascending, leg prices. */
export function encodeWsOrderbookSnapshot(book: BookSnapshot, sequence: WsSequence, marketId?: string): WireJson {
  return envelope('orderbook_snapshot', sequence, {
    market_ticker: book.ticker,
    ...(marketId !== undefined ? { market_id: marketId } : {}),
    yes_dollars_fp: encodeLevels(book.yes),
    no_dollars_fp: encodeLevels(book.no),
  });
}

/** One signed change of a book level, as `encodeWsOrderbookDelta` takes it. */
export interface BookDeltaInput {
  readonly ticker: string;
  readonly side: 'yes' | 'no';
  /** Leg price. */
  readonly price: Price;
  readonly delta: Count;
  readonly tsMs: number;
  readonly clientOrderId?: string;
  readonly marketId?: string;
}

/** Returns an `orderbook_delta` message (signed change at a leg price, §13.3). */
export function encodeWsOrderbookDelta(delta: BookDeltaInput, sequence: WsSequence): WireJson {
  return envelope('orderbook_delta', sequence, {
    market_ticker: delta.ticker,
    ...(delta.marketId !== undefined ? { market_id: delta.marketId } : {}),
    price_dollars: formatPrice(delta.price),
    delta_fp: formatCount(delta.delta),
    side: delta.side,
    ...(delta.clientOrderId !== undefined ? { client_order_id: delta.clientOrderId } : {}),
    ts: encodeTime(delta.tsMs),
    ts_ms: delta.tsMs,
  });
}

/** Returns a `trade` message (§13.3). */
export function encodeWsTrade(trade: PublicTrade, sequence: WsSequence): WireJson {
  return envelope('trade', sequence, {
    trade_id: trade.tradeId,
    market_ticker: trade.ticker,
    yes_price_dollars: formatPrice(trade.price),
    no_price_dollars: noPrice(trade.price),
    count_fp: formatCount(trade.count),
    taker_outcome_side: outcomeOf(trade.takerSide),
    taker_book_side: trade.takerSide,
    ts: Math.floor(trade.tsMs / 1000),
    ts_ms: trade.tsMs,
  });
}

/** Returns a `fill` message (§13.3; carries client_order_id when known). */
export function encodeWsFill(fill: Fill, sequence: WsSequence): WireJson {
  return envelope('fill', sequence, {
    trade_id: fill.tradeId,
    order_id: fill.orderId,
    ...(fill.clientOrderId !== undefined ? { client_order_id: fill.clientOrderId } : {}),
    market_ticker: fill.ticker,
    is_taker: fill.isTaker,
    outcome_side: outcomeOf(fill.side),
    book_side: fill.side,
    yes_price_dollars: formatPrice(fill.price),
    count_fp: formatCount(fill.count),
    fee_cost: formatCash(fill.fee, 6),
    ...(fill.postPosition !== undefined ? { post_position_fp: formatCount(fill.postPosition) } : {}),
    ts: Math.floor(fill.tsMs / 1000),
    ts_ms: fill.tsMs,
  });
}

/** Returns a `user_order` message (§13.3). */
export function encodeWsUserOrder(order: Order, sequence: WsSequence): WireJson {
  const { created_time: _c, last_update_time: _u, ...rest } = encodeOrder(order);
  return envelope('user_order', sequence, {
    ...rest,
    created_ts_ms: order.createdMs ?? null,
    last_updated_ts_ms: order.updatedMs ?? null,
  });
}

/** Returns a `market_position` message (§13.3). */
export function encodeWsMarketPosition(position: Position, sequence: WsSequence): WireJson {
  return envelope('market_position', sequence, {
    market_ticker: position.ticker,
    position_fp: formatCount(position.position),
    position_cost_dollars: formatCash(position.exposure),
    realized_pnl_dollars: formatCash(position.realizedPnl),
    fees_paid_dollars: formatCash(position.feesPaid),
  });
}
