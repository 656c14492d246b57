/**
 * What the REST and WebSocket handlers share: the engine, time, keys, limiter, faults and the
 * exchange-wide switches the admin API flips.
 */
import type { Clock, Logger, PublicTrade } from '../../core/index.js';
import type { KeyRegistry } from '../auth/index.js';
import type { MatchingEngine } from '../matching/index.js';
import type { FaultInjector } from './faults.js';
import type { RateLimiter } from './rate-limit.js';

/** Exchange-wide switches (GET /exchange/status). */
export interface ExchangeSwitches {
  /** False = exchange pause: no orders, no cancels. */
  exchangeActive: boolean;
  /** False = trading pause: no new orders or amends; cancels work (kalshi-api.md §12). */
  tradingActive: boolean;
}

/** Admin actions the server delegates to its host (the market generator lives there). */
export interface AdminHooks {
  /** Moves a market's hidden fair probability. @throws Error when there is no generator or market. */
  moveFair(ticker: string, probability: number): void;
  /** Creates an account with a key; returns its credentials. */
  addAccount(balanceCash?: number): Promise<{ keyId: string; privateKeyPath: string; accountId: string }>;
  /** Closes every WebSocket abruptly; returns how many were open. */
  dropConnections(): number;
  /** Makes every orderbook subscription skip one seq number; returns how many subscriptions. */
  skipSeq(): number;
}

/** The shared state of one server. */
export interface ServerContext {
  readonly engine: MatchingEngine;
  readonly clock: Clock;
  readonly keys: KeyRegistry;
  readonly limiter: RateLimiter;
  readonly faults: FaultInjector;
  readonly logger: Logger;
  /** Accepted |now − KALSHI-ACCESS-TIMESTAMP|, ms. */
  readonly authWindowMs: number;
  readonly switches: ExchangeSwitches;
  /** The public tape, oldest first (engine trades, plus recorded prints in replay mode). */
  publicTrades(ticker?: string): readonly PublicTrade[];
  readonly admin: AdminHooks;
}
