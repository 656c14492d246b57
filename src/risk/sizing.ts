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
 * every limit at once (market contracts and dollars, portfolio contracts and dollars, balance), with
 * the worst-case fills of the other markets' resting quotes counted as already used.
 */
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

/** Cash kept back per order for the exchange's cent-rounding reserve ($0.01 in $0.0001 units). */
export const ORDER_ROUNDING_RESERVE = 100;

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
  /** Cash available for new collateral, Cash; undefined = unknown (no balance check). */
  readonly availableCash: number | undefined;
  /** Upper bound of the fee per contract, Price units (counted against the balance only). */
  readonly feePerContract: number;
}

/** Returns the largest fill (hundredths) of one side and the limit that binds. */
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
  // The balance bound keeps one cent back per order: a cent-precision account holds $0.01 of rounding
  // reserve beside each resting order's fee (the exchange's collateral rule), and an order sized to the
  // last $0.0001 would be refused on every requote.
  if (input.availableCash !== undefined) tightest.offer(((input.availableCash - ORDER_ROUNDING_RESERVE) * 100) / (cost + Math.max(0, input.feePerContract)), 'balance');
  const count = input.reduce + tightest.open;
  return tightest.binding === undefined ? { count } : { count, binding: tightest.binding };
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
