/**
 * The textbook Avellaneda–Stoikov quotes, exactly (Avellaneda & Stoikov 2008, "High-frequency trading
 * in a limit order book", Quantitative Finance 8(3), eqs. for the reservation price and the optimal
 * spread; quoting-models.md §1):
 *
 *   r = s − q·γ·σ²·(T − t)
 *   δ = γ·σ²·(T − t) + (2/γ)·ln(1 + γ/κ)
 *   bid = r − δ/2,  ask = r + δ/2
 *
 * The function is unit-agnostic; kalshi-mm calls it with s in cents, σ in cents per √second, T − t in
 * seconds, γ and κ per cent and q in contracts (docs/strategy.md §1). σ² — not σ — multiplies the
 * horizon: using σ silently changes the model (a known Hummingbot trap).
 */

/** Inputs of the textbook model, in consistent units (see the file comment). */
export interface AvellanedaStoikovInput {
  /** Mid price s. */
  readonly mid: number;
  /** Inventory q (positive = long). */
  readonly inventory: number;
  /** Risk aversion γ (> 0). */
  readonly gamma: number;
  /** Volatility σ per √(time unit). */
  readonly sigma: number;
  /** Arrival decay κ (> 0). */
  readonly kappa: number;
  /** Time left T − t (≥ 0). */
  readonly horizon: number;
}

/** The textbook model's output. */
export interface AvellanedaStoikovQuotes {
  readonly reservation: number;
  readonly spread: number;
  readonly bid: number;
  readonly ask: number;
}

/** Returns the A-S reservation price, total spread, bid and ask (see the file comment). */
export function avellanedaStoikov(input: AvellanedaStoikovInput): AvellanedaStoikovQuotes {
  const { mid, inventory, gamma, sigma, kappa, horizon } = input;
  const variance = sigma * sigma * horizon;
  return asFromVariance(mid, inventory, gamma, kappa, variance);
}

/**
 * Returns the A-S quotes with the variance term σ²·(T − t) given directly (the binary mode bounds it).
 */
export function asFromVariance(mid: number, inventory: number, gamma: number, kappa: number, variance: number): AvellanedaStoikovQuotes {
  const reservation = mid - inventory * gamma * variance;
  const spread = gamma * variance + (2 / gamma) * Math.log(1 + gamma / kappa);
  return { reservation, spread, bid: reservation - spread / 2, ask: reservation + spread / 2 };
}
