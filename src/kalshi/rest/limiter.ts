/**
 * Client-side pacing with Kalshi's own model (kalshi-api.md §11): two token buckets, Read and Write,
 * refilling continuously at the tier's budget up to its capacity; each request costs tokens (default
 * 10; cancels 2; batches per item). A request WAITS until its bucket holds its cost instead of being
 * sent to collect a 429. Waiters are served first-in first-out per bucket, so a large batch is not
 * starved by a stream of cheap calls. Time comes from the injected Clock.
 */
import { OrderRejectedError, type Clock } from '../../core/index.js';

/** Which bucket a request draws from. */
export type BucketKind = 'read' | 'write';

/** Refill rate (tokens/s) and capacity of one bucket. */
export interface BucketLimits {
  readonly refillPerSecond: number;
  readonly capacity: number;
}

/** Limits of both buckets. */
export interface RateLimits {
  readonly read: BucketLimits;
  readonly write: BucketLimits;
}

/** Basic tier (§11.2): read 200/s, write 100/s; capacity 2 s of read budget, 1 s of write. */
export const BASIC_TIER_LIMITS: RateLimits = {
  read: { refillPerSecond: 200, capacity: 400 },
  write: { refillPerSecond: 100, capacity: 100 },
};

interface Waiter {
  readonly cost: number;
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

class Bucket {
  private tokens: number;
  private updatedMs: number;
  private readonly queue: Waiter[] = [];
  private timer: { cancel(): void } | undefined;

  constructor(
    private limits: BucketLimits,
    private readonly clock: Clock,
  ) {
    this.tokens = limits.capacity;
    this.updatedMs = clock.nowMs();
  }

  reconfigure(limits: BucketLimits): void {
    this.refill();
    this.limits = limits;
    this.tokens = Math.min(this.tokens, limits.capacity);
    this.pump();
  }

  get capacity(): number {
    return this.limits.capacity;
  }

  available(): number {
    this.refill();
    return this.tokens;
  }

  /** Empties the bucket: the exchange said 429, so its count is lower than ours. */
  drain(): void {
    this.refill();
    this.tokens = 0;
  }

  acquire(cost: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.refill();
    if (this.queue.length === 0 && this.tokens >= cost) {
      this.tokens -= cost;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        cost,
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          reject(signal?.reason);
          this.pump();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  private refill(): void {
    const now = this.clock.nowMs();
    const elapsed = Math.max(0, now - this.updatedMs);
    this.tokens = Math.min(this.limits.capacity, this.tokens + (elapsed * this.limits.refillPerSecond) / 1000);
    this.updatedMs = now;
  }

  private pump(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.refill();
    for (;;) {
      const head = this.queue[0];
      if (!head) return;
      if (this.tokens < head.cost) break;
      this.queue.shift();
      this.tokens -= head.cost;
      head.signal?.removeEventListener('abort', head.onAbort);
      head.resolve();
    }
    const head = this.queue[0];
    if (!head || this.limits.refillPerSecond <= 0) return;
    const waitMs = Math.max(1, Math.ceil(((head.cost - this.tokens) * 1000) / this.limits.refillPerSecond));
    this.timer = this.clock.setTimer(waitMs, () => {
      this.timer = undefined;
      this.pump();
    });
  }
}

/** A per-endpoint token cost, as GET /account/endpoint_costs lists it. */
export interface EndpointCost {
  readonly method: string;
  /** Path template relative to the API root, e.g. `/portfolio/events/orders/{order_id}`. */
  readonly path: string;
  readonly cost: number;
}

/** Known non-default costs (§11.3). Batch costs are per item and computed by the caller. */
export const DEFAULT_ENDPOINT_COSTS: readonly EndpointCost[] = [
  { method: 'DELETE', path: '/portfolio/events/orders/{order_id}', cost: 2 },
  { method: 'GET', path: '/portfolio/orders/{order_id}', cost: 2 },
];

/** Default cost of any request not listed (§11.3). */
export const DEFAULT_COST = 10;

function templateToRegExp(path: string): RegExp {
  const trimmed = path.replace(/^\/trade-api\/v2/, '');
  const escaped = trimmed
    .split(/(\{[^}]+\}|:[A-Za-z_]+)/)
    .map((part, i) => (i % 2 === 1 ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${escaped}$`);
}

/** Returns the bucket of a request: order entry and order groups write, everything else reads (§11.1). */
export function bucketOf(method: string, path: string): BucketKind {
  if (method.toUpperCase() === 'GET') return 'read';
  return /^\/portfolio\/(events\/orders|orders|order_groups)/.test(path) ? 'write' : 'read';
}

/** Read and write buckets with per-endpoint costs. */
export class RateLimiter {
  private readonly buckets: Record<BucketKind, Bucket>;
  private costs: { method: string; pattern: RegExp; cost: number }[] = [];
  private defaultCost = DEFAULT_COST;

  constructor(clock: Clock, limits: RateLimits = BASIC_TIER_LIMITS, costs: readonly EndpointCost[] = DEFAULT_ENDPOINT_COSTS) {
    this.buckets = { read: new Bucket(limits.read, clock), write: new Bucket(limits.write, clock) };
    this.setCosts(DEFAULT_COST, costs);
  }

  /** Replaces the bucket limits (from GET /account/limits); tokens held are kept up to the new capacity. */
  setLimits(limits: RateLimits): void {
    this.buckets.read.reconfigure(limits.read);
    this.buckets.write.reconfigure(limits.write);
  }

  /** Replaces the endpoint costs (from GET /account/endpoint_costs). */
  setCosts(defaultCost: number, costs: readonly EndpointCost[]): void {
    this.defaultCost = defaultCost;
    this.costs = costs.map((c) => ({ method: c.method.toUpperCase(), pattern: templateToRegExp(c.path), cost: c.cost }));
  }

  /** Returns the token cost of one request (path relative to the API root, no query). */
  costOf(method: string, path: string): number {
    const upper = method.toUpperCase();
    for (const c of this.costs) if (c.method === upper && c.pattern.test(path)) return c.cost;
    return this.defaultCost;
  }

  /** Returns the tokens now in a bucket (fractional). */
  available(kind: BucketKind): number {
    return this.buckets[kind].available();
  }

  /**
   * Resolves once `cost` tokens have been taken from the bucket.
   * @throws OrderRejectedError when `cost` exceeds the bucket's capacity (it could never be admitted;
   * Kalshi rejects such a batch whole, §11.3); the signal's reason when aborted.
   */
  acquire(kind: BucketKind, cost: number, signal?: AbortSignal): Promise<void> {
    const bucket = this.buckets[kind];
    if (cost > bucket.capacity) {
      return Promise.reject(new OrderRejectedError('exceeds_bucket_capacity', `request cost ${cost} tokens: expected at most the ${kind} bucket capacity ${bucket.capacity}`));
    }
    return bucket.acquire(cost, signal);
  }

  /** Empties a bucket after a 429 so that local pacing waits for a full refill of the cost. */
  drain(kind: BucketKind): void {
    this.buckets[kind].drain();
  }
}
