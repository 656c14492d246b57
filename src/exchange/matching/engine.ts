/**
 * The matching engine: markets, accounts, price-time matching, collateral, fees and settlement.
 * Pure and synchronous: time comes from the injected Clock, events go to subscribers synchronously.
 * The rules are listed in docs/exchange-engine.md; each is tested in engine.test.ts.
 */
import {
  type BalancePrecision,
  type BookSnapshot,
  type Cash,
  type Clock,
  type Count,
  type Fill,
  type OrderRequest,
  type Price,
  type PublicTrade,
} from '../../core/index.js';
import { reject } from './errors.js';
import { AccountState, checkBalance, positionView, refreshLock, type AccountOptions } from './ledger.js';
import { EngineGroups } from './order-groups.js';
import type { MarketRecord } from './market-record.js';
import { newOrderRecord, orderView, sequentialId, type OrderRecord } from './order-record.js';
import type {
  AccountBalance,
  AmendOrderResult,
  CancelResult,
  CreateOrderResult,
  EngineAmendRequest,
  EngineDecreaseRequest,
  EngineOrder,
  EngineOrderRequest,
  EnginePosition,
  EngineSettlement,
  MarketState,
} from './types.js';

export type { AccountOptions } from './ledger.js';

/** Options of a MatchingEngine. */
export interface MatchingEngineOptions {
  readonly clock: Clock;
  /** Balance precision of new accounts unless given per account: 100 = cents (default), 1 = $0.0001. */
  readonly balancePrecision?: BalancePrecision;
  /** Per-account cap on open orders (Kalshi: 200,000). */
  readonly maxOpenOrdersPerAccount?: number;
}

/** Totals for checking conservation (see `audit`). */
export interface EngineAudit {
  /** Cash put into accounts. */
  readonly deposits: number;
  /** Σ account cash (including locked collateral). */
  readonly accountCash: number;
  readonly accountLocked: number;
  /** Fees and leg-cost rounding the exchange kept. */
  readonly exchangeIncome: number;
  /** $1 × contracts of YES held (= NO held) over all unsettled markets. */
  readonly escrow: number;
  /** Per market: contracts of YES held and of NO held (equal when contracts are conserved). */
  readonly contracts: ReadonlyMap<string, { readonly longYes: number; readonly longNo: number }>;
}

const TIME_IN_FORCE = new Set(['good_till_canceled', 'immediate_or_cancel', 'fill_or_kill']);
const SELF_TRADE = new Set(['taker_at_cross', 'maker']);

/** The engine. */
export class MatchingEngine extends EngineGroups {
  private readonly precision: BalancePrecision;
  private readonly maxOpenOrders: number;

  constructor(options: MatchingEngineOptions) {
    super(options.clock);
    this.precision = options.balancePrecision ?? 100;
    this.maxOpenOrders = options.maxOpenOrdersPerAccount ?? 200_000;
  }

  /**
   * Opens an account with a starting balance.
   * @throws EngineRejection `invalid_order` when the id exists or the balance is not a non-negative integer.
   */
  addAccount(accountId: string, startingBalance: Cash, options: AccountOptions = {}): void {
    if (this.accounts.has(accountId)) throw reject('invalid_order', `account: ${JSON.stringify(accountId)} already exists`);
    if (!Number.isSafeInteger(startingBalance) || startingBalance < 0) throw reject('invalid_order', `startingBalance: was ${startingBalance}, expected a non-negative integer of $0.0001`);
    this.accounts.set(accountId, new AccountState(accountId, startingBalance, { precision: this.precision, ...options }));
    this.deposits += startingBalance;
  }

  /** Adds cash to an account (admin). @throws EngineRejection `account_not_found`. */
  deposit(accountId: string, amount: Cash): void {
    if (!Number.isSafeInteger(amount) || amount < 0) throw reject('invalid_order', `amount: was ${amount}, expected a non-negative integer of $0.0001`);
    this.account(accountId).cash += amount;
    this.deposits += amount;
  }

  /** Returns true when the account exists. */
  hasAccount(accountId: string): boolean {
    return this.accounts.has(accountId);
  }

  /**
   * Places a limit order and matches it. GTC remainders rest; IOC remainders are cancelled; FOK
   * fills completely or not at all (unless a `taker_at_cross` self-cross stops it, then it acts as IOC).
   * Returns the order after matching and its fills.
   * @throws EngineRejection with Kalshi's code: `market_not_found`, `trading_is_paused`,
   * `market_closed`, `invalid_price`, `invalid_order_size`, `invalid_order` (bad enum, expiration,
   * reduce-only that cannot reduce, "post only cross", unknown or triggered order group), `order_already_exists`,
   * `available_balance_too_low`, `too_many_open_orders`.
   */
  createOrder(accountId: string, request: EngineOrderRequest): CreateOrderResult {
    this.processTime();
    const nowMs = this.clock.nowMs();
    const account = this.account(accountId);
    const market = this.tradableMarket(request.ticker);
    validateOrder(request, market, nowMs);
    const clientOrderId = request.clientOrderId;
    if (clientOrderId !== '' && account.clientIds.has(clientOrderId)) {
      throw reject('order_already_exists', `client_order_id: ${JSON.stringify(clientOrderId)} was already used by this account`);
    }
    this.checkOrderGroup(accountId, request.orderGroupId);
    if (account.openOrders >= this.maxOpenOrders) throw reject('too_many_open_orders', `open orders: the account already has ${account.openOrders}`);
    let count = request.count;
    if (request.reduceOnly === true) {
      const position = account.positions.get(request.ticker)?.position ?? 0;
      const reducible = request.side === 'bid' ? Math.max(0, -position) : Math.max(0, position);
      if (reducible === 0) throw reject('invalid_order', `reduce_only: position was ${position}, a ${request.side} cannot reduce it`, 'reduce only');
      count = Math.min(count, reducible) as Count;
    }
    const crosses = market.book.bestCrossing(request.side, request.price) !== undefined;
    if (request.postOnly && crosses) {
      throw reject('invalid_order', `post_only: a ${request.side} at ${request.price} would cross the book`, 'post only cross');
    }
    this.checkBalance(account, market, { side: request.side, price: request.price, remaining: count }, undefined, crosses);

    const order = newOrderRecord({
      orderId: sequentialId(4, ++this.orderSeq),
      accountId,
      clientOrderId,
      ticker: request.ticker,
      side: request.side,
      price: request.price,
      count,
      nowMs,
      timeInForce: request.timeInForce,
      selfTradePrevention: request.selfTradePrevention,
      postOnly: request.postOnly,
      reduceOnly: request.reduceOnly === true,
      cancelOnPause: request.cancelOnPause === true,
      expirationTimeS: request.expirationTimeS,
      precision: account.precision,
      orderGroupId: request.orderGroupId,
    });
    this.orders.set(order.orderId, order);
    account.orders.set(order.orderId, order);
    if (clientOrderId !== '') account.clientIds.set(clientOrderId, order.orderId);

    if (order.timeInForce === 'fill_or_kill') {
      const { count: available, selfCross } = this.fillable(order, market);
      if (available < order.remaining && !selfCross) {
        this.kill(order, account, 'Canceled');
        return { order: orderView(order), fills: [] };
      }
    }
    const { fills, stop } = this.match(order, market);
    this.settleIncoming(order, market, account, stop);
    return { order: orderView(order), fills };
  }

  /**
   * Amends a resting order's price and/or total count (`count` = filled + wanted remaining,
   * kalshi-api.md §5.2). Queue priority is kept only when the price stays and the size goes down;
   * otherwise the order goes to the back of its (new) level and may trade if it now crosses.
   * @throws EngineRejection `not_found`, `order_ticker_mismatch`, `order_side_mismatch`,
   * `trading_is_paused`, `market_closed`, `invalid_price`, `invalid_order_size`,
   * `order_already_exists` (updated client id in use), `invalid_order` ("post only cross"),
   * `available_balance_too_low`.
   */
  amendOrder(accountId: string, request: EngineAmendRequest): AmendOrderResult {
    this.processTime();
    const order = this.restingOrder(accountId, request.orderId);
    const account = this.account(accountId);
    if (request.ticker !== order.ticker) throw reject('order_ticker_mismatch', `ticker: was ${JSON.stringify(request.ticker)}, the order is in ${order.ticker}`);
    if (request.side !== order.side) throw reject('order_side_mismatch', `side: was ${request.side}, the order is a ${order.side}`);
    const market = this.tradableMarket(order.ticker);
    if (!market.grid.isValid(request.price)) throw reject('invalid_price', `price: was ${request.price}, expected a price on the market's grid`);
    if (!Number.isSafeInteger(request.count) || request.count <= order.fillCount) {
      throw reject('invalid_order_size', `count: was ${request.count}, expected a total above the ${order.fillCount} already filled`);
    }
    const newClientId = request.updatedClientOrderId;
    if (newClientId !== undefined && newClientId !== order.clientOrderId && account.clientIds.has(newClientId)) {
      throw reject('order_already_exists', `updated_client_order_id: ${JSON.stringify(newClientId)} was already used by this account`);
    }
    const oldOrder = orderView(order);
    const remaining = (request.count - order.fillCount) as Count;
    const crosses = market.book.bestCrossing(order.side, request.price) !== undefined;
    if (order.postOnly && crosses) throw reject('invalid_order', `post_only: an amend to ${request.price} would cross the book`, 'post only cross');
    this.checkBalance(account, market, { side: order.side, price: request.price, remaining }, order, crosses);
    if (newClientId !== undefined && newClientId !== order.clientOrderId) {
      account.clientIds.set(newClientId, order.orderId);
      order.clientOrderId = newClientId;
    }
    order.initialCount = request.count;
    order.updatedMs = this.clock.nowMs();
    order.lastUpdateReason = 'Amend';
    if (request.price === order.price && remaining <= order.remaining) {
      if (remaining < order.remaining) this.shrinkResting(order, order.remaining - remaining, 'Amend');
      else this.emitOrder(order);
      return { oldOrder, order: orderView(order), fills: [] };
    }
    this.unrest(order, market, account);
    const samePrice = request.price === order.price;
    if (!samePrice) this.emitLevel(order, -order.remaining);
    const before = order.remaining;
    order.price = request.price;
    order.remaining = remaining;
    const { fills, stop } = this.match(order, market);
    order.lastUpdateReason = fills.length > 0 ? 'Trade' : 'Amend';
    this.settleIncoming(order, market, account, stop, samePrice ? before : 0);
    if (order.reduceOnly) this.trimReduceOnly(account, market);
    return { oldOrder, order: orderView(order), fills };
  }

  /**
   * Decreases a resting order by `reduceBy` or to `reduceTo` remaining contracts, keeping its queue
   * priority; reaching 0 cancels it. Returns the order and the contracts removed.
   * @throws EngineRejection `not_found`, `market_closed`, `invalid_order_size`.
   */
  decreaseOrder(accountId: string, request: EngineDecreaseRequest): CancelResult {
    this.processTime();
    const order = this.restingOrder(accountId, request.orderId);
    this.cancellableMarket(order.ticker);
    const by = 'reduceBy' in request ? request.reduceBy : order.remaining - request.reduceTo;
    const amount = 'reduceBy' in request ? request.reduceBy : request.reduceTo;
    if (!Number.isSafeInteger(amount) || amount < 0 || by <= 0) {
      throw reject('invalid_order_size', `${'reduceBy' in request ? 'reduce_by' : 'reduce_to'}: was ${amount}, the order has ${order.remaining} remaining`);
    }
    if (by >= order.remaining) {
      const reducedBy = this.cancelResting(order, 'Decrease');
      return { order: orderView(order), reducedBy };
    }
    this.shrinkResting(order, by, 'Decrease');
    return { order: orderView(order), reducedBy: by as Count };
  }

  /**
   * Cancels a resting order; it stays queryable as `canceled` with its fills.
   * @throws EngineRejection `not_found` (unknown, not the account's, or no longer resting), `market_closed`.
   */
  cancelOrder(accountId: string, orderId: string): CancelResult {
    this.processTime();
    const order = this.restingOrder(accountId, orderId);
    this.cancellableMarket(order.ticker);
    const reducedBy = this.cancelResting(order, 'Canceled');
    return { order: orderView(order), reducedBy };
  }

  /** Cancels every resting order of the account (in one market when `ticker` is given) whose market accepts cancels. */
  cancelAll(accountId: string, ticker?: string): CancelResult[] {
    this.processTime();
    const account = this.account(accountId);
    const results: CancelResult[] = [];
    for (const [marketTicker, orders] of account.resting) {
      if (ticker !== undefined && marketTicker !== ticker) continue;
      const status = this.markets.get(marketTicker)?.status;
      if (status !== 'active' && status !== 'inactive') continue;
      for (const order of [...orders]) results.push({ reducedBy: this.cancelResting(order, 'Canceled'), order: orderView(order) });
    }
    return results;
  }

  /** Returns the contracts resting ahead of a resting order at its price. @throws EngineRejection `not_found`. */
  queuePosition(accountId: string, orderId: string): Count {
    const order = this.restingOrder(accountId, orderId);
    const ahead = this.market(order.ticker).book.queueAhead(order);
    if (ahead === undefined) throw reject('not_found', `order_id: ${orderId} is not in the book`);
    return ahead;
  }

  /**
   * Counts a trade that happened outside the engine (a recorded print in replay mode) in the market's
   * last price, volume and 24 h volume, as an engine trade is. No account, book or open interest
   * changes: a print says nothing about who held what. @throws EngineRejection `market_not_found`.
   */
  recordExternalTrade(ticker: string, price: Price, count: Count): void {
    this.market(ticker).recordTrade(price, count, this.clock.nowMs());
  }

  // ---- queries ----

  /** Returns the book in Kalshi's bids-only form, best `depth` levels per side, each ascending. */
  getBook(ticker: string, depth = Infinity): BookSnapshot {
    return { ticker, ...this.market(ticker).book.toKalshiLevels(depth) };
  }

  /** Returns a market's status, top of book and statistics. @throws EngineRejection `market_not_found`. */
  getMarket(ticker: string): MarketState {
    this.processTime();
    return this.market(ticker).view(this.clock.nowMs());
  }

  /** Returns a market's status (cheaper than `getMarket`). @throws EngineRejection `market_not_found`. */
  getMarketStatus(ticker: string): MarketState['status'] {
    this.processTime();
    return this.market(ticker).status;
  }

  /** Returns every market, in listing order. */
  listMarkets(): MarketState[] {
    this.processTime();
    const nowMs = this.clock.nowMs();
    return [...this.markets.values()].map((m) => m.view(nowMs));
  }

  /** Returns an order (of `accountId`, when given). @throws EngineRejection `not_found`. */
  getOrder(orderId: string, accountId?: string): EngineOrder {
    const order = this.orders.get(orderId);
    if (!order || (accountId !== undefined && order.accountId !== accountId)) throw reject('not_found', `order_id: no order ${JSON.stringify(orderId)}`);
    return orderView(order);
  }

  /** Returns the account's order with this client id, or undefined. */
  findOrderByClientId(accountId: string, clientOrderId: string): EngineOrder | undefined {
    const id = this.account(accountId).clientIds.get(clientOrderId);
    const order = id === undefined ? undefined : this.orders.get(id);
    return order ? orderView(order) : undefined;
  }

  /** Returns the account's queryable orders, oldest first. */
  listOrders(accountId: string): EngineOrder[] {
    return [...this.account(accountId).orders.values()].map(orderView);
  }

  /** Returns the account's resting orders (in one market when `ticker` is given), in book-entry order. */
  restingOrders(accountId: string, ticker?: string): EngineOrder[] {
    const account = this.account(accountId);
    const sets = ticker === undefined ? [...account.resting.values()] : [account.resting.get(ticker) ?? new Set<OrderRecord>()];
    return sets.flatMap((set) => [...set].map(orderView));
  }

  /** Returns the best YES bid and ask of a market (YES prices), without statistics. */
  topOfBook(ticker: string): { readonly yesBid?: Price; readonly yesAsk?: Price } {
    const book = this.market(ticker).book;
    const yesBid = book.bestBid();
    const yesAsk = book.bestAsk();
    return { ...(yesBid === undefined ? {} : { yesBid }), ...(yesAsk === undefined ? {} : { yesAsk }) };
  }

  /** Returns the account's cash, locked collateral and available balance. */
  getBalance(accountId: string): AccountBalance {
    return this.account(accountId).balance();
  }

  /** Returns the account's unsettled positions (also flat ones it has traded). */
  getPositions(accountId: string): EnginePosition[] {
    return [...this.account(accountId).positions.values()].map(positionView);
  }

  /** Returns the account's fills, oldest first. */
  listFills(accountId: string): readonly Fill[] {
    return this.account(accountId).fills;
  }

  /** Returns public trades (of one market when given), oldest first. */
  listTrades(ticker?: string): readonly PublicTrade[] {
    if (ticker === undefined) return this.trades;
    return this.markets.get(ticker)?.trades ?? [];
  }

  /** Returns the account's settlements, oldest first. */
  listSettlements(accountId: string): readonly EngineSettlement[] {
    return this.account(accountId).settlements;
  }

  /** Returns the ids of all accounts. */
  accountIds(): string[] {
    return [...this.accounts.keys()];
  }

  /**
   * Returns conservation totals. With no outside change, `accountCash + exchangeIncome + escrow`
   * equals `deposits`, and per market `longYes === longNo`.
   */
  audit(): EngineAudit {
    let accountCash = 0;
    let accountLocked = 0;
    let escrow = 0;
    const contracts = new Map<string, { longYes: number; longNo: number }>();
    for (const account of this.accounts.values()) {
      accountCash += account.cash;
      accountLocked += account.locked;
      for (const state of account.positions.values()) {
        const entry = contracts.get(state.ticker) ?? { longYes: 0, longNo: 0 };
        entry.longYes += Math.max(0, state.position);
        entry.longNo += Math.max(0, -state.position);
        contracts.set(state.ticker, entry);
        escrow += 100 * Math.max(0, state.position);
      }
    }
    return { deposits: this.deposits, accountCash, accountLocked, exchangeIncome: this.exchangeIncome, escrow, contracts };
  }

  // ---- internals ----

  /** Rests or cancels what is left of an incoming (or re-priced) order and reports it. */
  private settleIncoming(order: OrderRecord, market: MarketRecord, account: AccountState, stop: string, alreadyShown = 0): void {
    if (order.remaining === 0) {
      order.status = 'executed';
      if (alreadyShown > 0) this.emitLevel(order, -alreadyShown);
      this.finish(order, account);
      this.emitOrder(order);
      return;
    }
    if (order.timeInForce === 'good_till_canceled' && (stop === 'filled' || stop === 'no_liquidity')) {
      this.rest(order, market, account, alreadyShown);
      this.emitOrder(order);
      return;
    }
    if (alreadyShown > 0) this.emitLevel(order, -alreadyShown);
    this.kill(order, account, stop === 'self_cross' ? 'SelfTradeCancel' : order.fillCount > 0 ? 'Trade' : 'Canceled');
  }

  /** Cancels an order that never rested (IOC/FOK remainder, self-cross). */
  private kill(order: OrderRecord, account: AccountState, reason: OrderRecord['lastUpdateReason']): void {
    order.remaining = 0 as Count;
    order.status = 'canceled';
    order.lastUpdateReason = reason;
    order.updatedMs = this.clock.nowMs();
    refreshLock(account, order.ticker, this.market(order.ticker).definition.fees);
    this.finish(order, account);
    this.emitOrder(order);
  }

  /** @throws EngineRejection `available_balance_too_low` when the account cannot afford `extra` resting, plus a taker fee reserve. */
  private checkBalance(account: AccountState, market: MarketRecord, extra: { side: OrderRecord['side']; price: OrderRecord['price']; remaining: Count }, replacing?: OrderRecord, crosses = true): void {
    checkBalance(account, market.ticker, market.definition.fees, extra, replacing, crosses);
  }

  private tradableMarket(ticker: string): MarketRecord {
    const market = this.market(ticker);
    if (market.status === 'active') return market;
    if (market.status === 'inactive') throw reject('trading_is_paused', `market ${ticker}: trading is paused`);
    throw reject('market_closed', `market ${ticker}: status was ${market.status}, expected active`);
  }

  private cancellableMarket(ticker: string): MarketRecord {
    const market = this.market(ticker);
    if (market.status === 'active' || market.status === 'inactive') return market;
    throw reject('market_closed', `market ${ticker}: status was ${market.status}; orders cannot change after close`);
  }

  private restingOrder(accountId: string, orderId: string): OrderRecord {
    this.account(accountId);
    const order = this.orders.get(orderId);
    if (!order || order.accountId !== accountId || order.status !== 'resting') {
      throw reject('not_found', `order_id: no resting order ${JSON.stringify(orderId)} of this account`);
    }
    return order;
  }
}

/** @throws EngineRejection for a bad side, price, count, time in force, self-trade mode or expiration. */
function validateOrder(request: OrderRequest, market: MarketRecord, nowMs: number): void {
  if (request.side !== 'bid' && request.side !== 'ask') throw reject('invalid_order', `side: was ${String(request.side)}, expected bid or ask`);
  if (!market.grid.isValid(request.price)) throw reject('invalid_price', `price: was ${request.price}, expected a price on the market's grid between ${market.grid.minPrice} and ${market.grid.maxPrice}`);
  if (!Number.isSafeInteger(request.count) || request.count <= 0) throw reject('invalid_order_size', `count: was ${request.count}, expected a positive whole number of hundredths`);
  if (!TIME_IN_FORCE.has(request.timeInForce)) throw reject('invalid_order', `time_in_force: was ${String(request.timeInForce)}`);
  if (!SELF_TRADE.has(request.selfTradePrevention)) throw reject('invalid_order', `self_trade_prevention_type: was ${String(request.selfTradePrevention)}`);
  if (request.expirationTimeS !== undefined) {
    if (request.timeInForce !== 'good_till_canceled') throw reject('invalid_order', `expiration_time: only good_till_canceled orders may expire, time_in_force was ${request.timeInForce}`);
    if (!Number.isFinite(request.expirationTimeS) || request.expirationTimeS * 1000 <= nowMs) {
      throw reject('invalid_order', `expiration_time: was ${request.expirationTimeS}, expected a time in the future (now ${Math.floor(nowMs / 1000)})`, 'expiration time must be in the future');
    }
  }
}
