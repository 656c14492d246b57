/**
 * The market-selection score of the original design (quoting-models.md §6):
 *
 *   score = V_eff / (σ + ε) × exp( −(spread − target)² / (2·σ_s²) )
 *
 * - V_eff, effective volume (contracts): the volume over a window discounted for one-sided flow,
 *     V_eff = V × (1 − λ·|B − S| / V)
 *   with B and S the contracts whose aggressor bought and sold YES and λ ∈ [0, 1] the discount
 *   weight. Two-sided flow (B ≈ S) is what a market maker earns the spread on; one-sided flow (all
 *   buyers) is informed or trending and fills only one side of our quotes, against us. λ = 1 counts
 *   only the balanced part, 2·min(B, S); λ = 0 is raw volume.
 * - σ, volatility in cents (any one estimator, used consistently across the markets compared);
 *   ε (cents) avoids division by zero and caps the reward of a market that never moves.
 * - spread and target spread in cents; σ_s (cents) sets how fast the score falls away from the target.
 * High volume, low volatility and a spread near the target rank first. Returns 0 without volume.
 */

/** Inputs and parameters of the score, all explicit. */
export interface OpportunityScoreInput {
  /** Contracts traded in the window where the aggressor bought YES. */
  readonly buyVolume: number;
  /** Contracts traded in the window where the aggressor sold YES. */
  readonly sellVolume: number;
  /** Estimated volatility, cents. */
  readonly volatilityCents: number;
  /** Current quoted spread (best ask − best bid), cents. */
  readonly spreadCents: number;
  /** Target spread, cents. */
  readonly targetSpreadCents: number;
  /** σ_s: width of the spread preference, cents (> 0). */
  readonly spreadWidthCents: number;
  /** ε, cents (> 0). */
  readonly epsilonCents: number;
  /** λ ∈ [0, 1]: weight of the one-sided-flow discount. */
  readonly oneSidedDiscount: number;
}

/** Returns the effective volume V × (1 − λ·|B − S| / V), in contracts. */
export function effectiveVolume(buyVolume: number, sellVolume: number, oneSidedDiscount: number): number {
  const total = buyVolume + sellVolume;
  if (total <= 0) return 0;
  const lambda = Math.min(1, Math.max(0, oneSidedDiscount));
  return total * (1 - (lambda * Math.abs(buyVolume - sellVolume)) / total);
}

/** Returns the opportunity score (see the file comment); higher is better, 0 without volume. */
export function opportunityScore(input: OpportunityScoreInput): number {
  const volume = effectiveVolume(input.buyVolume, input.sellVolume, input.oneSidedDiscount);
  if (volume <= 0) return 0;
  const gap = input.spreadCents - input.targetSpreadCents;
  const preference = Math.exp(-(gap * gap) / (2 * input.spreadWidthCents * input.spreadWidthCents));
  return (volume / (Math.max(0, input.volatilityCents) + input.epsilonCents)) * preference;
}
