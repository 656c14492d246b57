/**
 * WebSocket data messages → domain events (PortEvent). Part of the wire ↔ domain bridge with
 * `convert.ts` and `encode.ts`. Each function takes the receive time `recvMs` (the exchange time, when
 * the message has one, is carried separately as `tsMs`).
 */
import {
  WireFormatError,
  parseCount,
  parsePrice,
  type Fill,
  type MarketResult,
  type MarketStatus,
  type Order,
  type PortEvent,
  type TickGrid,
} from '../../core/index.js';
import { bookSideOf, gridFromWire, levelsFromWire, parseMoney, takerSideOf } from './convert.js';
import { orderGroupEventFromWs } from './convert-order-group.js';
import type { WsDataMessage } from './ws.js';

type Msg<T extends WsDataMessage['type']> = Extract<WsDataMessage, { type: T }>;

/** Returns exchange time in ms from `ts_ms`, else a numeric `ts` in seconds, else an RFC3339 `ts`. */
export function wsTimeMs(msg: { ts_ms?: number | null | undefined; ts?: string | number | null | undefined }, path: string): number | undefined {
  if (typeof msg.ts_ms === 'number') return msg.ts_ms;
  if (typeof msg.ts === 'number') return msg.ts * 1000;
  if (typeof msg.ts === 'string') {
    const ms = Date.parse(msg.ts);
    if (!Number.isFinite(ms)) throw new WireFormatError(`${path}.ts`, 'an RFC3339 timestamp', msg.ts);
    return ms;
  }
  return undefined;
}

/** Returns the `book_snapshot` event of an orderbook_snapshot (levels in each leg's own price). */
export function bookSnapshotEventFromWs(m: Msg<'orderbook_snapshot'>, recvMs: number): Extract<PortEvent, { type: 'book_snapshot' }> {
  return {
    type: 'book_snapshot',
    recvMs,
    ticker: m.msg.market_ticker,
    yes: levelsFromWire(m.msg.yes_dollars_fp, 'msg.yes_dollars_fp'),
    no: levelsFromWire(m.msg.no_dollars_fp, 'msg.no_dollars_fp'),
  };
}

/** Returns the `book_delta` event of an orderbook_delta (signed change at a leg price). */
export function bookDeltaEventFromWs(m: Msg<'orderbook_delta'>, recvMs: number): Extract<PortEvent, { type: 'book_delta' }> {
  const tsMs = wsTimeMs(m.msg, 'msg');
  return {
    type: 'book_delta',
    recvMs,
    ...(tsMs !== undefined ? { tsMs } : {}),
    ticker: m.msg.market_ticker,
    side: m.msg.side,
    price: parsePrice(m.msg.price_dollars, 'msg.price_dollars'),
    delta: parseCount(m.msg.delta_fp, 'msg.delta_fp', true),
    ...(m.msg.client_order_id ? { clientOrderId: m.msg.client_order_id } : {}),
  };
}

/** Returns a WS fill as a domain Fill; the book side comes from `book_side`, else `outcome_side`, else legacy side/action (§3.3). */
export function fillFromWs(m: Msg<'fill'>, recvMs: number): Fill {
  const f = m.msg;
  let side = f.book_side ?? (f.outcome_side ? bookSideOf(f.outcome_side) : undefined);
  if (side === undefined && f.side && f.action) {
    // Legacy mapping (§3.3): buy-yes and sell-no are the YES bid; buy-no and sell-yes the YES ask.
    side = (f.side === 'yes') === (f.action === 'buy') ? 'bid' : 'ask';
  }
  if (side === undefined) throw new WireFormatError('msg.book_side', 'bid or ask', undefined);
  return {
    tradeId: f.trade_id,
    orderId: f.order_id,
    ...(f.client_order_id ? { clientOrderId: f.client_order_id } : {}),
    ticker: f.market_ticker,
    side,
    price: parsePrice(f.yes_price_dollars, 'msg.yes_price_dollars'),
    count: parseCount(f.count_fp, 'msg.count_fp'),
    isTaker: f.is_taker,
    fee: parseMoney(f.fee_cost, 'msg.fee_cost', 'ceil'),
    tsMs: wsTimeMs(f, 'msg') ?? recvMs,
    ...(f.post_position_fp ? { postPosition: parseCount(f.post_position_fp, 'msg.post_position_fp', true) } : {}),
  };
}

/** Returns a WS user_order as a domain Order, or undefined for status `unknown` (no domain meaning). */
export function orderFromWs(m: Msg<'user_order'>): Order | undefined {
  const o = m.msg;
  if (o.status === 'unknown') return undefined;
  return {
    orderId: o.order_id,
    ...(o.client_order_id ? { clientOrderId: o.client_order_id } : {}),
    ticker: o.ticker,
    side: o.book_side,
    price: parsePrice(o.yes_price_dollars, 'msg.yes_price_dollars'),
    initialCount: parseCount(o.initial_count_fp, 'msg.initial_count_fp'),
    fillCount: parseCount(o.fill_count_fp, 'msg.fill_count_fp'),
    remainingCount: parseCount(o.remaining_count_fp, 'msg.remaining_count_fp'),
    status: o.status,
    ...(typeof o.created_ts_ms === 'number' ? { createdMs: o.created_ts_ms } : {}),
    ...(typeof o.last_updated_ts_ms === 'number' ? { updatedMs: o.last_updated_ts_ms } : {}),
    takerFees: parseMoney(o.taker_fees_dollars ?? '0', 'msg.taker_fees_dollars', 'ceil'),
    makerFees: parseMoney(o.maker_fees_dollars ?? '0', 'msg.maker_fees_dollars', 'ceil'),
  };
}

/** Returns what a lifecycle event changes (§6.2): status, result, close time or grid. */
export function marketEventFromWs(m: Msg<'market_lifecycle_v2'>, recvMs: number): Extract<PortEvent, { type: 'market' }> {
  const l = m.msg;
  let status: MarketStatus | undefined;
  let result: MarketResult | undefined;
  switch (l.event_type) {
    case 'created':
      status = 'initialized';
      break;
    case 'activated':
      status = 'active';
      break;
    case 'deactivated':
      status = 'inactive';
      break;
    case 'determined':
      status = 'determined';
      result = l.result ?? undefined;
      break;
    case 'settled':
      status = 'finalized';
      result = l.result ?? undefined;
      break;
    default:
      // close_date_updated, price_level_structure_updated, metadata_updated and future kinds change
      // no status; their fields below carry the change.
      break;
  }
  const grid: TickGrid | undefined = l.price_ranges && l.price_ranges.length > 0 ? gridFromWire(l.price_ranges, 'msg.price_ranges') : undefined;
  const closeTimeMs = typeof l.close_ts === 'number' ? l.close_ts * 1000 : undefined;
  return {
    type: 'market',
    recvMs,
    ticker: l.market_ticker,
    ...(status !== undefined ? { status } : {}),
    ...(result !== undefined ? { result } : {}),
    ...(closeTimeMs !== undefined ? { closeTimeMs } : {}),
    ...(grid !== undefined ? { grid } : {}),
  };
}

/**
 * Returns the domain event of a data message, or undefined for messages with no domain event
 * (ticker; user_order with status `unknown`). Books are not checked here: `books.ts` applies deltas.
 * @throws WireFormatError for a bad field (path under `msg`).
 */
export function portEventFromWs(m: WsDataMessage, recvMs: number): PortEvent | undefined {
  switch (m.type) {
    case 'orderbook_snapshot':
      return bookSnapshotEventFromWs(m, recvMs);
    case 'orderbook_delta':
      return bookDeltaEventFromWs(m, recvMs);
    case 'trade': {
      const t = m.msg;
      return {
        type: 'trade',
        recvMs,
        trade: {
          tradeId: t.trade_id,
          ticker: t.market_ticker,
          price: parsePrice(t.yes_price_dollars, 'msg.yes_price_dollars'),
          count: parseCount(t.count_fp, 'msg.count_fp'),
          takerSide: takerSideOf(t.taker_book_side, t.taker_outcome_side, t.taker_side, 'msg'),
          tsMs: wsTimeMs(t, 'msg') ?? recvMs,
        },
      };
    }
    case 'fill':
      return { type: 'fill', recvMs, fill: fillFromWs(m, recvMs) };
    case 'user_order': {
      const order = orderFromWs(m);
      return order ? { type: 'order', recvMs, order } : undefined;
    }
    case 'market_position':
      return { type: 'position', recvMs, ticker: m.msg.market_ticker, position: parseCount(m.msg.position_fp, 'msg.position_fp', true) };
    case 'market_lifecycle_v2':
      return marketEventFromWs(m, recvMs);
    case 'order_group_updates':
      return orderGroupEventFromWs(m, recvMs);
    case 'ticker':
      return undefined;
  }
}
