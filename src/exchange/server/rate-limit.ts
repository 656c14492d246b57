/**
 * Kalshi's token-bucket rate limits (kalshi-api.md §11): per account a Read and a Write bucket,
 * refilled continuously at the tier's budget (tokens/s) up to its capacity; a request passes when
 * the bucket holds at least its cost, otherwise 429 `{"error":"too many requests"}` with no
 * Retry-After. A batch is admitted whole or not at all (§11.3).
 */

/** Kalshi's usage tiers. */
export type UsageTier = 'basic' | 'advanced' | 'expert' | 'premier' | 'paragon' | 'prime' | 'prestige';

/** Which bucket a request draws from. */
export type BucketKind = 'read' | 'write';

/** Budgets in tokens per second (§11.2). */
export const TIER_BUDGETS: Readonly<Record<UsageTier, { readonly read: number; readonly write: number }>> = {
  basic: { read: 200, write: 100 },
  advanced: { read: 300, write: 300 },
  expert: { read: 600, write: 600 },
  premier: { read: 1_000, write: 1_000 },
  paragon: { read: 2_000, write: 2_000 },
  prime: { read: 4_000, write: 4_000 },
  prestige: { read: 10_000, write: 8_000 },
};

/** Returns the bucket capacities of a tier (§11.1: Write 1 s at Basic, 2 s above; Read 2 s up to Advanced, 1 s above). */
export function tierCapacity(tier: UsageTier): { read: number; write: number } {
  const budget = TIER_BUDGETS[tier];
  const readSeconds = tier === 'basic' || tier === 'advanced' ? 2 : 1;
  const writeSeconds = tier === 'basic' ? 1 : 2;
  return { read: budget.read * readSeconds, write: budget.write * writeSeconds };
}

/** One continuously refilled bucket. */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    readonly ratePerSecond: number,
    readonly capacity: number,
    nowMs: number,
  ) {
    this.tokens = capacity;
    this.lastMs = nowMs;
  }

  /** Takes `cost` tokens when the bucket holds them; returns whether it did. */
  tryTake(cost: number, nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Returns the tokens available at `nowMs`. */
  available(nowMs: number): number {
    this.refill(nowMs);
    return this.tokens;
  }

  private refill(nowMs: number): void {
    const elapsed = Math.max(0, nowMs - this.lastMs);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    this.lastMs = nowMs;
  }
}

/** Per-account Read/Write buckets of one tier. */
export class RateLimiter {
  private readonly buckets = new Map<string, { read: TokenBucket; write: TokenBucket }>();
  private readonly tiers = new Map<string, UsageTier>();

  constructor(
    private readonly defaultTier: UsageTier,
    private readonly nowMs: () => number,
    /** When false every request passes (benchmarks, load tests). */
    readonly enabled = true,
  ) {}

  /** Returns the tier of an account. */
  tierOf(accountId: string): UsageTier {
    return this.tiers.get(accountId) ?? this.defaultTier;
  }

  /** Sets an account's tier (admin); its buckets restart full. */
  setTier(accountId: string, tier: UsageTier): void {
    this.tiers.set(accountId, tier);
    this.buckets.delete(accountId);
  }

  /** Takes `cost` tokens from the account's `kind` bucket; returns false (429) when it lacks them. */
  admit(accountId: string, kind: BucketKind, cost: number): boolean {
    if (!this.enabled) return true;
    const now = this.nowMs();
    let pair = this.buckets.get(accountId);
    if (!pair) {
      const tier = this.tierOf(accountId);
      const budget = TIER_BUDGETS[tier];
      const capacity = tierCapacity(tier);
      pair = { read: new TokenBucket(budget.read, capacity.read, now), write: new TokenBucket(budget.write, capacity.write, now) };
      this.buckets.set(accountId, pair);
    }
    return pair[kind].tryTake(cost, now);
  }
}

/** The cost of one endpoint (`path` as the route pattern under /trade-api/v2). */
export interface EndpointCost {
  readonly method: string;
  readonly path: string;
  readonly cost: number;
  readonly bucket: BucketKind;
  /** The cost is per item of the body's `orders` array. */
  readonly perItem?: boolean;
}

/** Cost of any endpoint not listed (§11.3). */
export const DEFAULT_COST = 10;

/** Endpoints whose cost or bucket differs from "10 tokens, Read" (§4, §11.3). */
export const ENDPOINT_COSTS: readonly EndpointCost[] = [
  { method: 'POST', path: '/portfolio/events/orders', cost: 10, bucket: 'write' },
  { method: 'POST', path: '/portfolio/events/orders/batched', cost: 10, bucket: 'write', perItem: true },
  { method: 'DELETE', path: '/portfolio/events/orders/batched', cost: 2, bucket: 'write', perItem: true },
  { method: 'DELETE', path: '/portfolio/events/orders/:order_id', cost: 2, bucket: 'write' },
  { method: 'POST', path: '/portfolio/events/orders/:order_id/amend', cost: 10, bucket: 'write' },
  { method: 'POST', path: '/portfolio/events/orders/:order_id/decrease', cost: 10, bucket: 'write' },
  { method: 'DELETE', path: '/portfolio/events/orders', cost: 10, bucket: 'write' },
  { method: 'GET', path: '/portfolio/orders/:order_id', cost: 2, bucket: 'read' },
  { method: 'POST', path: '/portfolio/order_groups/create', cost: 10, bucket: 'write' },
  { method: 'PUT', path: '/portfolio/order_groups/:order_group_id/reset', cost: 10, bucket: 'write' },
  { method: 'PUT', path: '/portfolio/order_groups/:order_group_id/trigger', cost: 10, bucket: 'write' },
  { method: 'PUT', path: '/portfolio/order_groups/:order_group_id/limit', cost: 10, bucket: 'write' },
  { method: 'DELETE', path: '/portfolio/order_groups/:order_group_id', cost: 10, bucket: 'write' },
];

const COSTS_BY_ROUTE = new Map(ENDPOINT_COSTS.map((c) => [`${c.method} ${c.path}`, c]));

/** Returns the bucket and total cost of a request to route `path` with `items` batch items. */
export function costOfRequest(method: string, path: string, items: number): { bucket: BucketKind; cost: number } {
  const entry = COSTS_BY_ROUTE.get(`${method} ${path}`);
  if (!entry) return { bucket: 'read', cost: DEFAULT_COST };
  return { bucket: entry.bucket, cost: entry.perItem ? entry.cost * Math.max(1, items) : entry.cost };
}
