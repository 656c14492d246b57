/**
 * The matching engine: markets, accounts, price-time matching, collateral, fees and settlement.
 * Pure and synchronous: time comes from the injected Clock, events go to subscribers synchronously.
 */
import { InvariantError, type BalancePrecision, type BookSnapshot, type Cash, type Clock, type Fill, type MarketResult, type OrderRequest, type PublicTrade } from '../../core/index.js';
import type {
  AccountBalance,
  AmendOrderResult,
  CancelResult,
  CreateOrderResult,
  EngineAmendRequest,
  EngineDecreaseRequest,
  EngineListener,
  EngineOrder,
  EnginePosition,
  EngineSettlement,
  MarketDefinition,
  MarketState,
} from './types.js';

/** Options of a MatchingEngine. */
export interface MatchingEngineOptions {
  readonly clock: Clock;
  /** Balance precision of new accounts: 100 = cents (ordinary members, default), 1 = $0.0001. */
  readonly balancePrecision?: BalancePrecision;
  /** Per-account cap on open orders (Kalshi: 200,000). */
  readonly maxOpenOrdersPerAccount?: number;
}

function notYet(): never {
  throw new InvariantError('matching engine: not implemented yet');
}

/** The engine (API published early; bodies land next). */
export class MatchingEngine {
  constructor(readonly options: MatchingEngineOptions) {}
  subscribe(_listener: EngineListener): () => void { return notYet(); }
  addMarket(_def: MarketDefinition): void { notYet(); }
  addAccount(_accountId: string, _startingBalance: Cash, _precision?: BalancePrecision): void { notYet(); }
  createOrder(_accountId: string, _request: OrderRequest): CreateOrderResult { return notYet(); }
  amendOrder(_accountId: string, _request: EngineAmendRequest): AmendOrderResult { return notYet(); }
  decreaseOrder(_accountId: string, _request: EngineDecreaseRequest): CancelResult { return notYet(); }
  cancelOrder(_accountId: string, _orderId: string): CancelResult { return notYet(); }
  cancelAll(_accountId: string, _ticker?: string): CancelResult[] { return notYet(); }
  queuePosition(_accountId: string, _orderId: string): number { return notYet(); }
  processTime(): void { notYet(); }
  getBook(_ticker: string, _depth?: number): BookSnapshot { return notYet(); }
  getMarket(_ticker: string): MarketState { return notYet(); }
  listMarkets(): MarketState[] { return notYet(); }
  getOrder(_orderId: string): EngineOrder { return notYet(); }
  findOrderByClientId(_accountId: string, _clientOrderId: string): EngineOrder | undefined { return notYet(); }
  listOrders(_accountId: string): EngineOrder[] { return notYet(); }
  getBalance(_accountId: string): AccountBalance { return notYet(); }
  getPositions(_accountId: string): EnginePosition[] { return notYet(); }
  listFills(_accountId: string): Fill[] { return notYet(); }
  listTrades(_ticker?: string): PublicTrade[] { return notYet(); }
  listSettlements(_accountId: string): EngineSettlement[] { return notYet(); }
  pauseMarket(_ticker: string): void { notYet(); }
  resumeMarket(_ticker: string): void { notYet(); }
  closeMarket(_ticker: string): void { notYet(); }
  setCloseTime(_ticker: string, _closeTimeMs: number): void { notYet(); }
  settleMarket(_ticker: string, _result: Exclude<MarketResult, '' | 'scalar'>): void { notYet(); }
}
