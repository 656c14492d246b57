/**
 * Types of the matching engine: market definitions, the engine's view of orders, accounts and
 * positions, and the synchronous events it emits. Everything is in core's integer units (Price and
 * Cash in $0.0001, Count in hundredths of a contract).
 */
import type {
  BalancePrecision,
  BookSide,
  Cash,
  Count,
  FeeSchedule,
  Fill,
  MarketResult,
  MarketStatus,
  Order,
  OrderRequest,
  OutcomeSide,
  Price,
  PublicTrade,
  SelfTradePrevention,
  Settlement,
  TickGrid,
  TimeInForce,
} from '../../core/index.js';

/** What the engine needs to list and trade one market. */
export interface MarketDefinition {
  readonly ticker: string;
  readonly eventTicker: string;
  readonly seriesTicker: string;
  readonly title: string;
  readonly grid: TickGrid;
  readonly fees: FeeSchedule;
  readonly openTimeMs: number;
  readonly closeTimeMs: number;
  /** Initial status; `active` markets trade at once, `initialized` ones open at `openTimeMs`. */
  readonly status: MarketStatus;
  /** Label of the grid as Kalshi names it (`linear_cent`, `deci_cent`, …); informational. */
  readonly priceLevelStructure?: string;
}

/**
 * Why an order last changed. Kalshi's `last_update_reason` values (kalshi-api.md §5.3) plus two of
 * ours: `Created` (first report of a new order) and `Canceled` (cancelled by its owner, which Kalshi's
 * list does not name).
 */
export type OrderUpdateReason =
  | 'Created'
  | 'Canceled'
  | 'Decrease'
  | 'Amend'
  | 'MarginCancel'
  | 'SelfTradeCancel'
  | 'ExpiryCancel'
  | 'CloseCancel'
  | 'HaltCancel'
  | 'Trade'
  | 'PostOnlyCrossCancel'
  | 'ReduceOnlyCancel';

/** An order as the engine reports it: core's `Order` plus what the REST and WS shapes need. */
export interface EngineOrder extends Order {
  readonly accountId: string;
  readonly timeInForce: TimeInForce;
  readonly selfTradePrevention: SelfTradePrevention;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  readonly cancelOnPause: boolean;
  /** Unix seconds; only on expiring GTC orders. */
  readonly expirationTimeS?: number;
  /** Cash paid for the leg bought on taker fills (YES for bids, NO for asks). */
  readonly takerFillCost: Cash;
  /** Cash paid for the leg bought on maker fills. */
  readonly makerFillCost: Cash;
  readonly lastUpdateReason: OrderUpdateReason;
  readonly orderGroupId?: string;
}

/** A new order as the engine takes it: core's request plus an optional order group (kalshi-api.md §9). */
export interface EngineOrderRequest extends OrderRequest {
  readonly orderGroupId?: string;
}

/** An order group: a rolling 15-second limit on matched contracts (kalshi-api.md §9). */
export interface OrderGroupView {
  readonly orderGroupId: string;
  readonly accountId: string;
  readonly contractsLimit: Count;
  /** True after the limit was exceeded or the group was triggered: its orders were cancelled and new ones are refused until reset. */
  readonly triggered: boolean;
  /** Contracts matched by the group's orders in the last 15 seconds. */
  readonly matchedInWindow: Count;
  /** Resting orders of the group. */
  readonly orderIds: readonly string[];
}

/** The answer to a create: the order as it stands after matching, and the fills it took. */
export interface CreateOrderResult {
  readonly order: EngineOrder;
  /** Fills of the new order (taker side), in execution order. */
  readonly fills: readonly Fill[];
}

/** The answer to an amend: the order before and after. */
export interface AmendOrderResult {
  readonly oldOrder: EngineOrder;
  readonly order: EngineOrder;
  readonly fills: readonly Fill[];
}

/** Amend request as the engine takes it (count is the new TOTAL: filled + remaining, §5.2). */
export interface EngineAmendRequest {
  readonly orderId: string;
  readonly ticker: string;
  readonly side: BookSide;
  readonly price: Price;
  readonly count: Count;
  readonly updatedClientOrderId?: string;
}

/** Decrease by, or to a remaining count (exactly one of the two). */
export type EngineDecreaseRequest =
  | { readonly orderId: string; readonly reduceBy: Count }
  | { readonly orderId: string; readonly reduceTo: Count };

/** The answer to a cancel or decrease. */
export interface CancelResult {
  readonly order: EngineOrder;
  /** Contracts removed from the book by this call. */
  readonly reducedBy: Count;
}

/** One account's cash. `available = cash − locked`. */
export interface AccountBalance {
  readonly accountId: string;
  /** All cash the account holds, including collateral of resting orders. Never negative. */
  readonly cash: Cash;
  /** Collateral and fee reserve held for resting orders. */
  readonly locked: Cash;
  /** What new orders can use (Kalshi's `balance`). */
  readonly available: Cash;
  readonly precision: BalancePrecision;
}

/** A net position in one market, with its accounting. */
export interface EnginePosition {
  readonly ticker: string;
  /** Positive = long YES, negative = long NO. */
  readonly position: Count;
  /** Cash paid for the contracts still held (Kalshi's `market_exposure`). */
  readonly exposure: Cash;
  readonly realizedPnl: Cash;
  readonly feesPaid: Cash;
  /** Contracts traded in this market by the account (both sides). */
  readonly volume: Count;
  /** Cash value of all fills (Kalshi's `total_traded`). */
  readonly totalTraded: Cash;
  readonly lastUpdatedMs: number;
}

/** A settlement of one market in one account, with the totals Kalshi's record carries. */
export interface EngineSettlement extends Settlement {
  readonly accountId: string;
  readonly eventTicker: string;
  /** What the YES (NO) contracts held cost, Cash. */
  readonly yesTotalCost: Cash;
  readonly noTotalCost: Cash;
}

/** Top of book and statistics of one market. */
export interface MarketState {
  readonly definition: MarketDefinition;
  readonly grid: TickGrid;
  readonly status: MarketStatus;
  readonly result: MarketResult;
  readonly openTimeMs: number;
  readonly closeTimeMs: number;
  readonly yesBid?: Price;
  readonly yesBidSize: Count;
  readonly yesAsk?: Price;
  readonly yesAskSize: Count;
  readonly lastPrice?: Price;
  readonly volume: Count;
  readonly volume24h: Count;
  /** Contracts of YES held by all accounts (= contracts of NO). */
  readonly openInterest: Count;
  readonly settledMs?: number;
}

/** Lifecycle event kinds, as `market_lifecycle_v2.event_type` names them (§6.2) plus `closed`. */
export type MarketLifecycleKind =
  | 'created'
  /** Time-driven `initialized → active` (Kalshi sends no WS event for it). */
  | 'opened'
  | 'activated'
  | 'deactivated'
  | 'close_date_updated'
  /** Time-driven or admin close (Kalshi sends no WS event for a time-driven close). */
  | 'closed'
  | 'determined'
  | 'settled'
  | 'price_level_structure_updated';

/** Events the engine emits synchronously, in the order the state changed. */
export type EngineEvent =
  | {
      /** A resting size changed at one level, in Kalshi's bids-only form. */
      readonly type: 'book_delta';
      readonly tsMs: number;
      readonly ticker: string;
      /** `yes` = YES bids at YES price; `no` = NO bids at NO price (a YES ask at 1 − price). */
      readonly side: OutcomeSide;
      readonly price: Price;
      readonly delta: Count;
      /** Owner and client id of the order whose change this is (Kalshi sends the client id to its owner). */
      readonly accountId?: string;
      readonly clientOrderId?: string;
    }
  | { readonly type: 'trade'; readonly tsMs: number; readonly trade: PublicTrade }
  | { readonly type: 'fill'; readonly tsMs: number; readonly accountId: string; readonly fill: Fill }
  | { readonly type: 'order'; readonly tsMs: number; readonly accountId: string; readonly order: EngineOrder }
  | { readonly type: 'position'; readonly tsMs: number; readonly accountId: string; readonly position: EnginePosition }
  | { readonly type: 'settlement'; readonly tsMs: number; readonly settlement: EngineSettlement }
  | {
      /** An order group changed (`order_group_updates`, §9). */
      readonly type: 'order_group';
      readonly tsMs: number;
      readonly accountId: string;
      readonly kind: 'created' | 'triggered' | 'reset' | 'deleted' | 'limit_updated';
      readonly group: OrderGroupView;
    }
  | {
      readonly type: 'market';
      readonly tsMs: number;
      readonly ticker: string;
      readonly kind: MarketLifecycleKind;
      readonly status: MarketStatus;
      readonly result: MarketResult;
      readonly openTimeMs: number;
      readonly closeTimeMs: number;
      readonly grid: TickGrid;
      /** The market's listing (event and series tickers, title, fees). */
      readonly definition: MarketDefinition;
    };

/** A listener of engine events; called synchronously inside engine calls. It may query the engine but must not change it. */
export type EngineListener = (event: EngineEvent) => void;
