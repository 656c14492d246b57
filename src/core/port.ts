/**
 * The one exchange port. The trading core (market data, strategy, risk, orders, bot) sees only this
 * interface; three implementations exist:
 *  - `kalshi/client.ts` ExchangeClient: REST + WebSocket to Kalshi demo/prod or the local exchange;
 *  - `exchange/local-port.ts`: the local matching engine in process (fast tests);
 *  - `backtest/simulator`: a replayed market with queue, latency and fee models.
 *
 * Contract for every implementation:
 *  - Methods throw only `KalshiMmError` subclasses (`ApiError`, `RateLimitError`, `TransportError`,
 *    `OrderRejectedError`, `WireFormatError`); `error.retryable` tells whether a retry can help.
 *  - `createOrder` is idempotent by `clientOrderId`: a create retried with the same id returns the
 *    existing order instead of making a second one.
 *  - `cancelOrder` of an order that is already gone throws `ApiError` with status 404.
 *  - Market data arrives through `events()`; a `stale` event means the named market's book (or every
 *    book, when `ticker` is absent) must not be used until the next `book_snapshot` for it.
 *  - `close()` is idempotent; after it, `events()` ends.
 */
import type { Count, Price } from './money.js';
import type {
  AmendRequest,
  Balance,
  BatchCreateResult,
  BookLevel,
  BookSnapshot,
  CancelAck,
  DecreaseRequest,
  ExchangeStatus,
  Fill,
  Market,
  MarketResult,
  MarketStatus,
  Order,
  OrderAck,
  OrderGroup,
  OrderGroupEventKind,
  OrderRequest,
  OrderStatus,
  OutcomeSide,
  Position,
  PublicTrade,
  Settlement,
} from './types.js';
import type { TickGrid } from './tick-grid.js';

/** Market data and account events, each stamped with the local receive time `recvMs`. */
export type PortEvent =
  | {
      readonly type: 'book_snapshot';
      readonly recvMs: number;
      readonly ticker: string;
      readonly yes: readonly BookLevel[];
      readonly no: readonly BookLevel[];
    }
  | {
      readonly type: 'book_delta';
      readonly recvMs: number;
      readonly tsMs?: number;
      readonly ticker: string;
      /** Which leg's bids changed; `price` is in that leg's price. */
      readonly side: OutcomeSide;
      readonly price: Price;
      /** Signed change of the resting size at that level. */
      readonly delta: Count;
      readonly clientOrderId?: string;
    }
  | { readonly type: 'trade'; readonly recvMs: number; readonly trade: PublicTrade }
  | { readonly type: 'fill'; readonly recvMs: number; readonly fill: Fill }
  | { readonly type: 'order'; readonly recvMs: number; readonly order: Order }
  | { readonly type: 'position'; readonly recvMs: number; readonly ticker: string; readonly position: Count }
  | {
      readonly type: 'market';
      readonly recvMs: number;
      readonly ticker: string;
      readonly status?: MarketStatus;
      readonly result?: MarketResult;
      readonly closeTimeMs?: number;
      readonly grid?: TickGrid;
    }
  | { readonly type: 'stale'; readonly recvMs: number; readonly ticker?: string; readonly reason: string }
  | { readonly type: 'connection'; readonly recvMs: number; readonly connected: boolean }
  | {
      /** One of our order groups changed (`order_group_updates`, kalshi-api.md §9). */
      readonly type: 'order_group';
      readonly recvMs: number;
      readonly orderGroupId: string;
      readonly kind: OrderGroupEventKind;
      /** The group's limit after the change, when the message carries it. */
      readonly contractsLimit?: Count;
      /** Exchange time of the change, when known. */
      readonly tsMs?: number;
    };

/** Filters of `listMarkets` (one status per request, kalshi-api.md §6.2). */
export interface MarketFilter {
  readonly status?: 'unopened' | 'open' | 'paused' | 'closed' | 'settled';
  readonly eventTicker?: string;
  readonly seriesTicker?: string;
  readonly tickers?: readonly string[];
}

export interface TradeQuery {
  readonly ticker?: string;
  readonly minTsMs?: number;
  readonly maxTsMs?: number;
}

export interface OrderQuery {
  readonly ticker?: string;
  readonly status?: OrderStatus;
}

export interface FillQuery {
  readonly ticker?: string;
  readonly orderId?: string;
  readonly minTsMs?: number;
}

/**
 * Kalshi's order groups (kalshi-api.md §9), the exchange-side circuit breaker: orders created with a
 * group's id may match at most `contractsLimit` contracts in any rolling 15 s; past that (or on
 * `triggerOrderGroup`, or a limit lowered below the window's volume) the exchange cancels the group's
 * resting orders and rejects new ones (`OrderRejectedError`) until `resetOrderGroup`. Changes arrive
 * on `events()` as `order_group` events. Each call throws `ApiError` 404 for an unknown group and
 * `OrderRejectedError` for a refused value (a limit outside 1…1,000,000 contracts).
 */
export interface OrderGroupMethods {
  /** Creates a group; returns its id. Not idempotent: a retried create may leave a second, unused group. */
  createOrderGroup(contractsLimit: Count): Promise<OrderGroup>;
  /** Returns the account's groups. */
  listOrderGroups(): Promise<readonly OrderGroup[]>;
  /** Returns one group with its resting orders. */
  getOrderGroup(orderGroupId: string): Promise<OrderGroup>;
  /** Clears the 15 s window and lets the group's orders trade again. Idempotent. */
  resetOrderGroup(orderGroupId: string): Promise<void>;
  /** Triggers the group by hand: cancels its resting orders, rejects new ones until reset. Idempotent. */
  triggerOrderGroup(orderGroupId: string): Promise<void>;
  /** Changes the limit; a limit below the window's matched contracts triggers the group. */
  setOrderGroupLimit(orderGroupId: string, contractsLimit: Count): Promise<void>;
  /** Deletes the group and cancels its resting orders. A repeat throws `ApiError` 404. */
  deleteOrderGroup(orderGroupId: string): Promise<void>;
}

/** Returns true when `port` implements every order-group method (they are optional on the port). */
export function hasOrderGroups<P extends Partial<OrderGroupMethods>>(port: P): port is P & OrderGroupMethods {
  return (
    typeof port.createOrderGroup === 'function' &&
    typeof port.listOrderGroups === 'function' &&
    typeof port.getOrderGroup === 'function' &&
    typeof port.resetOrderGroup === 'function' &&
    typeof port.triggerOrderGroup === 'function' &&
    typeof port.setOrderGroupLimit === 'function' &&
    typeof port.deleteOrderGroup === 'function'
  );
}

/**
 * Everything the trading core needs from an exchange. The order-group methods are optional: the Kalshi
 * client and the local port have them, the backtest simulator does not (check with `hasOrderGroups`).
 */
export interface ExchangePort extends Partial<OrderGroupMethods> {
  // Market data
  getExchangeStatus(): Promise<ExchangeStatus>;
  getMarket(ticker: string): Promise<Market>;
  /** Pages through markets; the iterator fetches the next page lazily. */
  listMarkets(filter?: MarketFilter): AsyncIterable<Market>;
  getOrderBook(ticker: string, depth?: number): Promise<BookSnapshot>;
  listTrades(query: TradeQuery): AsyncIterable<PublicTrade>;
  /** Starts market-data events (book, trades, lifecycle) for these markets; a snapshot comes first. */
  subscribeMarkets(tickers: readonly string[]): Promise<void>;
  /** Stops market-data events for these markets. */
  unsubscribeMarkets(tickers: readonly string[]): Promise<void>;
  /** The single event stream (market data for subscribed markets, plus our fills/orders/positions). */
  events(signal?: AbortSignal): AsyncIterable<PortEvent>;

  // Order entry
  createOrder(request: OrderRequest): Promise<OrderAck>;
  createOrders(requests: readonly OrderRequest[]): Promise<readonly BatchCreateResult[]>;
  amendOrder(request: AmendRequest): Promise<OrderAck>;
  decreaseOrder(request: DecreaseRequest): Promise<OrderAck>;
  cancelOrder(orderId: string, ticker: string): Promise<CancelAck>;
  cancelOrders(orders: readonly { orderId: string; ticker: string }[]): Promise<readonly (CancelAck | { orderId: string; errorCode: string; message: string })[]>;
  /** Cancels every resting order of the account. */
  cancelAll(): Promise<void>;

  // Portfolio
  getBalance(): Promise<Balance>;
  getPositions(): Promise<readonly Position[]>;
  getOrders(query?: OrderQuery): Promise<readonly Order[]>;
  getOrder(orderId: string): Promise<Order>;
  listFills(query?: FillQuery): AsyncIterable<Fill>;
  listSettlements(): AsyncIterable<Settlement>;

  /** Releases sockets and timers. Idempotent. */
  close(): Promise<void>;
}
