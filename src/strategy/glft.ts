/**
 * The Guéant–Lehalle–Fernandez-Tapia closed-form approximation with inventory bounds (Guéant,
 * Lehalle & Fernandez-Tapia 2013, "Dealing with the inventory risk: a solution to the market making
 * problem", Math. Financ. Econ. 7; quoting-models.md §2). Same setting as A-S with T → ∞:
 *
 *   C  = sqrt( σ²·γ / (2·κ·A) · (1 + γ/κ)^(1 + κ/γ) )
 *   δᵇ(q) = (1/γ)·ln(1 + γ/κ) + ((2q + 1)/2)·C       bid = s − δᵇ
 *   δᵃ(q) = (1/γ)·ln(1 + γ/κ) − ((2q − 1)/2)·C       ask = s + δᵃ
 *
 * q in lots; the side that would take |q| past the bound Q is not quoted. Units as in A-S (cents,
 * per cent, cents/√s) with A in trades per second, so C is in cents.
 */
import type { WithholdReason } from './types.js';

/** Inputs of the GLFT approximation. */
export interface GlftInput {
  readonly mid: number;
  /** Inventory q in lots. */
  readonly inventory: number;
  readonly gamma: number;
  /** σ per √second. */
  readonly sigma: number;
  readonly kappa: number;
  /** A, arrivals per second at distance 0. */
  readonly arrivalRate: number;
  /** Bound Q on |q|, lots. */
  readonly maxInventory: number;
}

/** GLFT quotes; a side beyond the inventory bound is withheld. */
export interface GlftQuotes {
  readonly reservation: number;
  readonly spread: number;
  readonly bidDistance: number;
  readonly askDistance: number;
  readonly bid?: number;
  readonly ask?: number;
  readonly bidWithheld?: WithholdReason;
  readonly askWithheld?: WithholdReason;
}

/** Returns the GLFT constant C (see the file comment). */
export function glftInventoryConstant(sigma: number, gamma: number, kappa: number, arrivalRate: number): number {
  return Math.sqrt(((sigma * sigma * gamma) / (2 * kappa * arrivalRate)) * Math.pow(1 + gamma / kappa, 1 + kappa / gamma));
}

/** Returns the GLFT bid and ask (see the file comment). */
export function glftQuotes(input: GlftInput): GlftQuotes {
  const { mid, inventory: q, gamma, sigma, kappa, arrivalRate, maxInventory } = input;
  const base = (1 / gamma) * Math.log(1 + gamma / kappa);
  const c = glftInventoryConstant(sigma, gamma, kappa, arrivalRate);
  const bidDistance = base + ((2 * q + 1) / 2) * c;
  const askDistance = base - ((2 * q - 1) / 2) * c;
  // A buy takes q to q + 1: quote the bid only while that stays within the bound (and the ask alike).
  const canBuy = q + 1 <= maxInventory;
  const canSell = q - 1 >= -maxInventory;
  return {
    reservation: mid - q * c,
    spread: bidDistance + askDistance,
    bidDistance,
    askDistance,
    ...(canBuy ? { bid: mid - bidDistance } : { bidWithheld: 'inventory_bound' as const }),
    ...(canSell ? { ask: mid + askDistance } : { askWithheld: 'inventory_bound' as const }),
  };
}
