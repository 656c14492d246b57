/**
 * Fault injection for reliability tests (issue 4 "Faults"): fail or delay a fraction of REST calls,
 * accept orders and then answer 5xx, skip a `seq` on orderbook subscriptions, drop WebSockets.
 * Random choices come from a seeded Rng so a failing test replays the same way.
 */
import { z } from 'zod';
import type { Rng } from '../../core/index.js';

/** A fault request, as the admin API and `LocalExchange.injectFault` take it. */
export const faultSchema = z.discriminatedUnion('kind', [
  /** Answer a fraction of Kalshi REST calls with `status` before handling them. */
  z.object({ kind: z.literal('rest_fail'), fraction: z.number().min(0).max(1), status: z.union([z.literal(429), z.literal(500), z.literal(503)]), count: z.number().int().positive().optional() }).strict(),
  /** Delay a fraction of Kalshi REST calls by `ms`. */
  z.object({ kind: z.literal('rest_delay'), fraction: z.number().min(0).max(1), ms: z.number().int().min(0).max(60_000), count: z.number().int().positive().optional() }).strict(),
  /** Execute the next `count` order creates (single or batched), then answer `status` instead of the result. */
  z.object({ kind: z.literal('accept_then_fail'), count: z.number().int().positive().default(1), status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).default(500) }).strict(),
  /** Make the next orderbook message of every current orderbook_delta subscription skip one seq number. */
  z.object({ kind: z.literal('skip_seq') }).strict(),
  /** Close every WebSocket connection now (abruptly, as a network drop). */
  z.object({ kind: z.literal('drop_ws') }).strict(),
]);
export type Fault = z.input<typeof faultSchema>;

interface FractionFault {
  readonly fraction: number;
  remaining: number;
}

/** The active REST faults. WS faults are applied by the WS hub directly. */
export class FaultInjector {
  private fail: (FractionFault & { readonly status: number }) | undefined;
  private delay: (FractionFault & { readonly ms: number }) | undefined;
  private acceptThenFail: { remaining: number; readonly status: number } | undefined;

  constructor(private readonly rng: Rng) {}

  /** Activates a REST fault (replacing one of the same kind). */
  setRestFault(fault: z.output<typeof faultSchema>): void {
    switch (fault.kind) {
      case 'rest_fail':
        this.fail = { fraction: fault.fraction, status: fault.status, remaining: fault.count ?? Infinity };
        return;
      case 'rest_delay':
        this.delay = { fraction: fault.fraction, ms: fault.ms, remaining: fault.count ?? Infinity };
        return;
      case 'accept_then_fail':
        this.acceptThenFail = { remaining: fault.count, status: fault.status };
        return;
      case 'skip_seq':
      case 'drop_ws':
        return;
    }
  }

  /** Removes every REST fault. */
  clear(): void {
    this.fail = undefined;
    this.delay = undefined;
    this.acceptThenFail = undefined;
  }

  /** Returns the status to fail this call with, or undefined to handle it. */
  drawFailure(): number | undefined {
    const f = this.fail;
    if (!f || f.remaining <= 0 || !this.rng.chance(f.fraction)) return undefined;
    f.remaining--;
    return f.status;
  }

  /** Returns the delay to apply to this call in ms (0 for none). */
  drawDelayMs(): number {
    const d = this.delay;
    if (!d || d.remaining <= 0 || !this.rng.chance(d.fraction)) return 0;
    d.remaining--;
    return d.ms;
  }

  /** Returns the status to answer an executed create with, consuming one, or undefined. */
  takeAcceptThenFail(): number | undefined {
    const a = this.acceptThenFail;
    if (!a || a.remaining <= 0) return undefined;
    a.remaining--;
    return a.status;
  }
}
