/**
 * The engine's mutable record of one order, and the read-only view it reports. Only the engine
 * mutates records; every report is a fresh `EngineOrder` copy, so a listener that keeps an event
 * never sees it change.
 */
import {
  cashFromMicros,
  FeeRoundingAccumulator,
  type BalancePrecision,
  type BookSide,
  type Cash,
  type Count,
  type OrderStatus,
  type Price,
  type SelfTradePrevention,
  type TimeInForce,
} from '../../core/index.js';
import type { BookEntry } from './order-book.js';
import type { EngineOrder, OrderUpdateReason } from './types.js';

/** A live or finished order inside the engine. */
export interface OrderRecord extends BookEntry {
  readonly orderId: string;
  readonly accountId: string;
  clientOrderId: string;
  readonly ticker: string;
  readonly side: BookSide;
  price: Price;
  remaining: Count;
  initialCount: Count;
  fillCount: Count;
  status: OrderStatus;
  readonly createdMs: number;
  updatedMs: number;
  takerFees: number;
  makerFees: number;
  /** Leg cost of fills in micros ($0.000001), exact. */
  takerFillCostMicros: number;
  makerFillCostMicros: number;
  readonly timeInForce: TimeInForce;
  readonly selfTradePrevention: SelfTradePrevention;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  readonly cancelOnPause: boolean;
  readonly expirationTimeS: number | undefined;
  lastUpdateReason: OrderUpdateReason;
  /** Order group (kalshi-api.md §9), when the order belongs to one. */
  readonly orderGroupId: string | undefined;
  /** Per-order fee rounding accumulator (kalshi-api.md §10.2). */
  readonly accumulator: FeeRoundingAccumulator;
}

/** Fields a new record is built from. */
export interface NewOrderFields {
  readonly orderId: string;
  readonly accountId: string;
  readonly clientOrderId: string;
  readonly ticker: string;
  readonly side: BookSide;
  readonly price: Price;
  readonly count: Count;
  readonly nowMs: number;
  readonly timeInForce: TimeInForce;
  readonly selfTradePrevention: SelfTradePrevention;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  readonly cancelOnPause: boolean;
  readonly expirationTimeS: number | undefined;
  readonly precision: BalancePrecision;
  readonly orderGroupId?: string | undefined;
}

/** Returns a new resting-to-be record. */
export function newOrderRecord(fields: NewOrderFields): OrderRecord {
  return {
    orderId: fields.orderId,
    accountId: fields.accountId,
    clientOrderId: fields.clientOrderId,
    ticker: fields.ticker,
    side: fields.side,
    price: fields.price,
    remaining: fields.count,
    initialCount: fields.count,
    fillCount: 0 as Count,
    status: 'resting',
    createdMs: fields.nowMs,
    updatedMs: fields.nowMs,
    takerFees: 0,
    makerFees: 0,
    takerFillCostMicros: 0,
    makerFillCostMicros: 0,
    timeInForce: fields.timeInForce,
    selfTradePrevention: fields.selfTradePrevention,
    postOnly: fields.postOnly,
    reduceOnly: fields.reduceOnly,
    cancelOnPause: fields.cancelOnPause,
    expirationTimeS: fields.expirationTimeS,
    lastUpdateReason: 'Created',
    orderGroupId: fields.orderGroupId,
    accumulator: new FeeRoundingAccumulator(fields.precision),
  };
}

/** Returns a read-only copy of a record as the engine reports it. */
export function orderView(record: OrderRecord): EngineOrder {
  return {
    orderId: record.orderId,
    ...(record.clientOrderId === '' ? {} : { clientOrderId: record.clientOrderId }),
    accountId: record.accountId,
    ticker: record.ticker,
    side: record.side,
    price: record.price,
    initialCount: record.initialCount,
    fillCount: record.fillCount,
    remainingCount: record.remaining,
    status: record.status,
    createdMs: record.createdMs,
    updatedMs: record.updatedMs,
    takerFees: record.takerFees as Cash,
    makerFees: record.makerFees as Cash,
    takerFillCost: cashFromMicros(record.takerFillCostMicros, 'ceil'),
    makerFillCost: cashFromMicros(record.makerFillCostMicros, 'ceil'),
    timeInForce: record.timeInForce,
    selfTradePrevention: record.selfTradePrevention,
    postOnly: record.postOnly,
    reduceOnly: record.reduceOnly,
    cancelOnPause: record.cancelOnPause,
    ...(record.expirationTimeS === undefined ? {} : { expirationTimeS: record.expirationTimeS }),
    lastUpdateReason: record.lastUpdateReason,
    ...(record.orderGroupId === undefined ? {} : { orderGroupId: record.orderGroupId }),
  };
}

/**
 * Returns a UUID-shaped id built from a counter, so ids look like Kalshi's and stay deterministic
 * (the same run gives the same ids). `kind` picks the third group: 4 for orders, 5 for trades, 6 for order groups.
 */
export function sequentialId(kind: 4 | 5 | 6, n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-${kind}000-8000-${hex}`;
}
