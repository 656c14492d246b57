/**
 * Domain types shared by every part of kalshi-mm: camelCase, integers, readonly. The wire types
 * (snake_case strings exactly as Kalshi sends them) live in `kalshi/wire`; only `kalshi/wire/convert.ts`
 * maps between the two.
 */
import type { FeeSchedule } from './fees.js';
import type { Cash, Count, Price } from './money.js';
import type { BookSide, TickGrid } from './tick-grid.js';

export type { BookSide } from './tick-grid.js';

/** The outcome leg: YES or NO (kalshi-api.md §3.3: bid ≡ yes, ask ≡ no). */
export type OutcomeSide = 'yes' | 'no';

/** Market status as REST reports it (kalshi-api.md §6.2). */
export type MarketStatus =
  | 'initialized'
  | 'active'
  | 'inactive'
  | 'closed'
  | 'determined'
  | 'disputed'
  | 'amended'
  | 'finalized';

/** Settlement result; '' while unknown. */
export type MarketResult = 'yes' | 'no' | 'scalar' | '';

/** A market's metadata and top of book as the markets endpoint reports it. */
export interface Market {
  readonly ticker: string;
  readonly eventTicker: string;
  /** Not a Market field on the wire; filled from the event or the ticker prefix when known. */
  readonly seriesTicker?: string;
  readonly title: string;
  readonly status: MarketStatus;
  readonly openTimeMs: number;
  readonly closeTimeMs: number;
  readonly grid: TickGrid;
  readonly fees: FeeSchedule;
  readonly result: MarketResult;
  /** Best YES bid / ask from the market object (may be stale); undefined when that side is empty. */
  readonly yesBid?: Price;
  readonly yesAsk?: Price;
  readonly lastPrice?: Price;
  readonly volume: Count;
  readonly volume24h: Count;
  readonly openInterest: Count;
}

/** One price level: leg price and resting size. */
export interface BookLevel {
  readonly price: Price;
  readonly count: Count;
}

/**
 * A full order book as Kalshi sends it: bids only, each leg in its own price (kalshi-api.md §3.4).
 * `yes` are YES bids at YES prices; `no` are NO bids at NO prices (a NO bid at q is a YES ask at 1 − q).
 */
export interface BookSnapshot {
  readonly ticker: string;
  readonly yes: readonly BookLevel[];
  readonly no: readonly BookLevel[];
}

export type TimeInForce = 'good_till_canceled' | 'immediate_or_cancel' | 'fill_or_kill';
export type SelfTradePrevention = 'taker_at_cross' | 'maker';
export type OrderStatus = 'resting' | 'canceled' | 'executed';

/** A new limit order (V2: YES leg only; `ask` at p sells YES = buys NO at 1 − p). */
export interface OrderRequest {
  readonly ticker: string;
  readonly side: BookSide;
  readonly price: Price;
  readonly count: Count;
  readonly timeInForce: TimeInForce;
  readonly postOnly: boolean;
  readonly reduceOnly?: boolean;
  readonly selfTradePrevention: SelfTradePrevention;
  /** Caller id; a create retried with the same id never makes a second order. */
  readonly clientOrderId: string;
  /** Unix seconds; GTC only. */
  readonly expirationTimeS?: number;
  readonly cancelOnPause?: boolean;
  /** The order group the order belongs to (kalshi-api.md §9); absent = no group. */
  readonly orderGroupId?: string;
}

/** An order as the exchange reports it. */
export interface Order {
  readonly orderId: string;
  readonly clientOrderId?: string;
  readonly ticker: string;
  readonly side: BookSide;
  readonly price: Price;
  readonly initialCount: Count;
  readonly fillCount: Count;
  readonly remainingCount: Count;
  readonly status: OrderStatus;
  readonly createdMs?: number;
  readonly updatedMs?: number;
  readonly takerFees: Cash;
  readonly makerFees: Cash;
}

/** The answer to a create or amend. */
export interface OrderAck {
  readonly orderId: string;
  readonly clientOrderId?: string;
  /** Absent when the answer does not carry it (Kalshi's decrease answer, kalshi-api.md §5.2). */
  readonly fillCount?: Count;
  readonly remainingCount: Count;
  readonly tsMs: number;
}

/** One result of a batched create: an ack or an error. */
export type BatchCreateResult =
  | { readonly ok: true; readonly ack: OrderAck }
  | { readonly ok: false; readonly clientOrderId?: string; readonly errorCode: string; readonly message: string };

/** Amend: new price and/or new total count (already filled + desired remaining, kalshi-api.md §5.2). */
export interface AmendRequest {
  readonly orderId: string;
  readonly ticker: string;
  readonly side: BookSide;
  readonly price: Price;
  /** Total count: filled + remaining. */
  readonly count: Count;
  readonly clientOrderId?: string;
  readonly updatedClientOrderId?: string;
}

/** Decrease by or to a count (exactly one). Keeps queue priority. */
export type DecreaseRequest =
  | { readonly orderId: string; readonly ticker: string; readonly reduceBy: Count }
  | { readonly orderId: string; readonly ticker: string; readonly reduceTo: Count };

/** The answer to a cancel: how much was removed. */
export interface CancelAck {
  readonly orderId: string;
  readonly clientOrderId?: string;
  readonly reducedBy: Count;
  readonly tsMs: number;
}

/** One of our fills. */
export interface Fill {
  readonly tradeId: string;
  readonly orderId: string;
  readonly clientOrderId?: string;
  readonly ticker: string;
  /** Our order's book side: bid bought YES, ask sold YES (bought NO). */
  readonly side: BookSide;
  /** YES price of the fill. */
  readonly price: Price;
  readonly count: Count;
  readonly isTaker: boolean;
  readonly fee: Cash;
  readonly tsMs: number;
  /** Signed position after this fill, when the venue reports it. */
  readonly postPosition?: Count;
}

/** A public trade print. `takerSide` is the aggressor's book side (bid = bought YES). */
export interface PublicTrade {
  readonly tradeId: string;
  readonly ticker: string;
  readonly price: Price;
  readonly count: Count;
  readonly takerSide: BookSide;
  readonly tsMs: number;
}

/** A net position in one market: positive = long YES, negative = long NO. */
export interface Position {
  readonly ticker: string;
  readonly position: Count;
  readonly exposure: Cash;
  readonly realizedPnl: Cash;
  readonly feesPaid: Cash;
}

export interface Balance {
  /** Available cash. */
  readonly balance: Cash;
  readonly portfolioValue: Cash;
}

export interface ExchangeStatus {
  readonly exchangeActive: boolean;
  readonly tradingActive: boolean;
}

/** A settlement of one market in our account. */
export interface Settlement {
  readonly ticker: string;
  readonly result: MarketResult;
  readonly yesCount: Count;
  readonly noCount: Count;
  readonly revenue: Cash;
  readonly settledMs: number;
}

/** One side of what the strategy wants resting: a post-only limit order at `price` for `count`. */
export interface DesiredQuote {
  readonly side: BookSide;
  readonly price: Price;
  readonly count: Count;
}

/** What the strategy wants resting in one market; an absent side means "no order on that side". */
export interface DesiredQuotes {
  readonly ticker: string;
  readonly bid?: DesiredQuote;
  readonly ask?: DesiredQuote;
}

/** What happened to an order group (`order_group_updates` `event_type`, kalshi-api.md §9). */
export type OrderGroupEventKind = 'created' | 'triggered' | 'reset' | 'deleted' | 'limit_updated';

/**
 * An order group as the exchange reports it (kalshi-api.md §9): a cap on the contracts its orders may
 * match in any rolling 15 s; past it, the exchange cancels the group's resting orders and refuses new
 * ones until the group is reset.
 */
export interface OrderGroup {
  readonly orderGroupId: string;
  /** The 15 s matched-contracts limit, when the exchange reports it. */
  readonly contractsLimit?: Count;
  /**
   * Kalshi's `is_auto_cancel_enabled`, which its docs name without defining. The local exchange
   * reports it true while the group is triggered; on Kalshi do not read more into it than that.
   */
  readonly autoCancelEnabled: boolean;
  /** Resting orders of the group (reported by a single-group read only). */
  readonly orderIds?: readonly string[];
}
