/**
 * Latency models: how long after the trading core calls the port an action takes effect at the
 * exchange. An order is live (can be filled, counts in the queue) only after its entry latency; a
 * cancel removes the order only after its cancel latency, so a quote can be hit while its cancel is
 * in flight. Jitter comes from a seeded Rng, so runs repeat exactly.
 */
import type { Rng } from '../../core/index.js';

/** Delays of order entry and cancellation, in milliseconds of replay time. */
export interface LatencyModel {
  /** Returns the delay before a new (or amended) order reaches the book. */
  entryMs(): number;
  /** Returns the delay before a cancel or decrease takes effect. */
  cancelMs(): number;
}

/** Options of `ConstantJitterLatency`: `base + U[0, jitter]` ms, rounded to whole ms. */
export interface ConstantJitterOptions {
  readonly entryMs: number;
  readonly entryJitterMs: number;
  readonly cancelMs: number;
  readonly cancelJitterMs: number;
}

/** Default latency: 50 ms ± up to 20 ms, a typical round trip from a US-east host to Kalshi. */
export const DEFAULT_LATENCY: ConstantJitterOptions = { entryMs: 50, entryJitterMs: 20, cancelMs: 50, cancelJitterMs: 20 };

/** A constant delay plus uniform jitter drawn from a seeded generator. */
export class ConstantJitterLatency implements LatencyModel {
  constructor(
    private readonly options: ConstantJitterOptions,
    private readonly rng: Rng,
  ) {
    for (const [key, value] of Object.entries(options)) {
      if (!Number.isFinite(value) || value < 0) throw new RangeError(`latency ${key} was ${value}, expected a number ≥ 0 (ms)`);
    }
  }

  entryMs(): number {
    return this.draw(this.options.entryMs, this.options.entryJitterMs);
  }

  cancelMs(): number {
    return this.draw(this.options.cancelMs, this.options.cancelJitterMs);
  }

  private draw(base: number, jitter: number): number {
    return Math.round(base + (jitter > 0 ? this.rng.next() * jitter : 0));
  }
}
