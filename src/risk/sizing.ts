/**
 * Sizing: the volatility-adaptive base size and the largest fill each side can take without breaching
 * a limit or the balance.
 *
 * Volatility-adaptive size: size = base × clamp((σ_ref / σ)^β, m_min, m_max) — larger in calm markets,
 * smaller in volatile ones; β = 0 disables it. σ is the price volatility in cents per √second
 * (100·p(1 − p)·σ_x from the market's log-odds EWMA), cached per market for a TTL so the size does not
 * flicker with every book update.
 *
 * Capacity of one side: a fill of c contracts first reduces the opposite position (always allowed —
 * it only lowers risk), then opens `c − reduce` contracts that each put `cost` dollars at risk
 * (a bid at b costs b; an ask at a sells YES = buys NO and costs 1 − a). The opening part is capped by
 * every limit at once (market contracts and dollars, portfolio contracts and dollars), with the
 * worst-case fills of the other markets' resting quotes counted as already used.
 *
 * Collateral of one side: the balance does not bound a fill but the order itself — the exchange
 * refuses an order whose collateral (side-collateral.ts, the matching engine's own arithmetic from
 * core/collateral.ts) does not fit the available balance, so the size is the largest whole count
 * whose collateral fits (`largestAffordable`). The risk manager decides the budget of each side.
 */
import { COUNT_SCALE, type Count } from '../core/index.js';
import type { MarketSnapshot } from '../marketdata/index.js';
import type { SizeCutReason } from './types.js';

/** Returns the size multiplier clamp((σ_ref / σ)^β, min, max); 1 when β = 0 or σ ≤ 0 with β = 0. */
export function volatilitySizeMultiplier(sigma: number, reference: number, beta: number, minMultiplier: number, maxMultiplier: number): number {
  if (beta === 0) return Math.min(maxMultiplier, Math.max(minMultiplier, 1));
  if (!(sigma > 0)) return maxMultiplier;
  return Math.min(maxMultiplier, Math.max(minMultiplier, Math.pow(reference / sigma, beta)));
}

/** Returns the price volatility of a snapshot in cents per √second (delta method from log-odds σ). */
export function priceSigmaCentsPerSqrtSec(snapshot: MarketSnapshot): number {
  const p = snapshot.mid === undefined ? 0.5 : snapshot.mid / 10_000;
  return 100 * p * (1 - p) * snapshot.sigmaLogOddsPerSqrtSec;
}

/** A per-market volatility cache with a time-to-live. */
export class VolatilityCache {
  private readonly entries = new Map<string, { readonly sigma: number; readonly atMs: number }>();

  constructor(private readonly ttlMs: number) {}

  /** Returns the cached σ of `ticker` when younger than the TTL, else `compute()` (stored). */
  get(ticker: string, nowMs: number, compute: () => number): number {
    const entry = this.entries.get(ticker);
    if (entry && nowMs - entry.atMs < this.ttlMs && nowMs >= entry.atMs) return entry.sigma;
    const sigma = compute();
    this.entries.set(ticker, { sigma, atMs: nowMs });
    return sigma;
  }

  /** Forgets a market's value (e.g. after a gap). */
  invalidate(ticker: string): void {
    this.entries.delete(ticker);
  }
}

/** Inputs of `sideCapacity` (counts in hundredths, money in $0.0001). */
export interface CapacityInput {
  /** Hundredths the fill reduces before it opens (the opposite position), ≥ 0. */
  readonly reduce: number;
  /** |position| in this market after reducing fully, before opening: the same-direction position. */
  readonly sameDirectionPosition: number;
  /** Dollars at risk already held in this direction in this market, Cash. */
  readonly sameDirectionExposure: number;
  /** Cost per contract of the opening part, Price units (b for a bid, 1 − a for an ask). */
  readonly costPerContract: number;
  readonly maxPosition: number;
  readonly maxMarketExposure: number;
  /** Portfolio contracts used elsewhere (other markets' positions and resting quotes), hundredths. */
  readonly portfolioContractsUsed: number;
  readonly maxPortfolioContracts: number;
  /** Portfolio dollars at risk used elsewhere, Cash. */
  readonly portfolioExposureUsed: number;
  readonly maxPortfolioExposure: number;
}

/**
 * Returns the largest fill (hundredths) of one side the position and exposure limits allow, and the
 * limit that binds. The balance is not a limit on fills but on resting orders: see side-collateral.ts.
 */
export function sideCapacity(input: CapacityInput): { readonly count: number; readonly binding?: SizeCutReason } {
  const cost = Math.max(1, input.costPerContract);
  // Each bound is on the opening part, in hundredths of a contract: cash / (cost per contract / 100).
  // The tightest bound binds; on a tie the first in this order is named. (Plain comparisons, no
  // array of bounds: this runs for both sides of every quote cycle.)
  const tightest = new Tightest();
  tightest.offer(input.maxPosition - input.sameDirectionPosition, 'position_limit');
  tightest.offer(((input.maxMarketExposure - input.sameDirectionExposure) * 100) / cost, 'market_exposure_limit');
  tightest.offer(input.maxPortfolioContracts - input.portfolioContractsUsed - input.sameDirectionPosition, 'portfolio_contract_limit');
  tightest.offer(((input.maxPortfolioExposure - input.portfolioExposureUsed - input.sameDirectionExposure) * 100) / cost, 'portfolio_exposure_limit');
  const count = input.reduce + tightest.open;
  return tightest.binding === undefined ? { count } : { count, binding: tightest.binding };
}

/**
 * Returns the largest whole-contract count (hundredths) up to `upTo` whose `collateral` fits in
 * `budget`, Cash; 0 when not even one contract fits. `collateral` must not decrease with the count
 * (true of `sideLock`: the netting credit stops at the opposite position, fees only grow).
 */
export function largestAffordable(budget: number, upTo: number, collateral: (count: Count) => number): Count {
  let high = Math.floor(upTo / COUNT_SCALE);
  if (high <= 0) return 0 as Count;
  // The whole count usually fits: one evaluation then.
  if (collateral((high * COUNT_SCALE) as Count) <= budget) return (high * COUNT_SCALE) as Count;
  if (collateral(COUNT_SCALE as Count) > budget) return 0 as Count;
  // Invariant: `low` contracts fit, `high` contracts do not.
  let low = 1;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (collateral((mid * COUNT_SCALE) as Count) <= budget) low = mid;
    else high = mid;
  }
  return (low * COUNT_SCALE) as Count;
}

/** The smallest whole, non-negative bound offered so far and its reason (the first of equals). */
class Tightest {
  open = Infinity;
  binding: SizeCutReason | undefined;

  offer(bound: number, reason: SizeCutReason): void {
    const b = Math.max(0, Math.floor(bound));
    if (b < this.open) {
      this.open = b;
      this.binding = reason;
    }
  }
}
