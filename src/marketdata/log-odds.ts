/**
 * Log-odds helpers for bounded prices (quoting-models.md §3; Shaw & Dalen 2025, arXiv:2510.15205).
 * x = ln(p / (1 − p)) maps a probability in (0, 1) onto the whole real line, where a random walk
 * respects the bounds; p = 1 / (1 + e^(−x)) maps back. A small distance dx is dp ≈ p·(1 − p)·dx.
 */

/** Probabilities are clamped to [PROBABILITY_EPSILON, 1 − PROBABILITY_EPSILON] before taking log-odds. */
export const PROBABILITY_EPSILON = 1e-4;

/** Returns `p` clamped into [ε, 1 − ε] so that its log-odds are finite. */
export function clampProbability(p: number): number {
  return Math.min(1 - PROBABILITY_EPSILON, Math.max(PROBABILITY_EPSILON, p));
}

/** Returns the log-odds ln(p / (1 − p)) of a probability (clamped to [ε, 1 − ε]). */
export function logit(p: number): number {
  const q = clampProbability(p);
  return Math.log(q / (1 - q));
}

/** Returns the probability 1 / (1 + e^(−x)) of log-odds `x`. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
