/**
 * What the order manager reports about each order, in order: `intent` before a request is sent (the
 * journal records it first, so a crash between send and ack leaves a trace), then `ack` or `failed`,
 * `adopted` for orders found on the exchange, and `gone` when a record is dropped.
 */
import { KalshiMmError } from '../core/index.js';
import type { OrderAction } from './types.js';

/** One order-manager event (see the file comment). */
export type OrderLogEvent =
  | { readonly type: 'intent'; readonly tsMs: number; readonly ticker: string; readonly clientOrderId: string; readonly action: OrderAction }
  | {
      readonly type: 'ack';
      readonly tsMs: number;
      readonly ticker: string;
      readonly clientOrderId: string;
      readonly orderId: string;
      readonly kind: OrderAction['kind'];
      readonly remaining: number;
      readonly filled: number;
    }
  | {
      readonly type: 'failed';
      readonly tsMs: number;
      readonly ticker: string;
      readonly clientOrderId: string;
      readonly kind: OrderAction['kind'];
      readonly error: string;
      readonly retryable: boolean;
    }
  | { readonly type: 'adopted'; readonly tsMs: number; readonly ticker: string; readonly clientOrderId: string; readonly orderId: string }
  | { readonly type: 'gone'; readonly tsMs: number; readonly ticker: string; readonly clientOrderId: string; readonly orderId?: string; readonly reason: string };

/** Receives order-manager events; called synchronously, so it must be quick (a SQLite insert is fine). */
export type OrderLogListener = (event: OrderLogEvent) => void;

/** Returns a one-line description of an error for logs (message only; our errors never hold secrets). */
export function describeError(error: unknown): string {
  if (error instanceof KalshiMmError) return `${error.name}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
