/**
 * Inherited positions: a position the bot finds in a market it does not trade — left by an earlier
 * run, a crash, or trades made by hand on the same account — that the selection does not pick. It
 * gets the same `dropPolicy` as a market dropped from the selection, because a trader restarting the
 * bot expects one rule for "a position in a market we no longer want":
 *  - `unwind`: a maker in reduce-only mode (unwind.ts) works it flat, until `unwindDeadlineMs` or the
 *    stop before close; its book is subscribed for that time and unsubscribed after;
 *  - `keep`: held as it is, not quoted (a dropped market keeps its two-sided quotes because it was
 *    being quoted; an inherited one never was, and the selection just turned it down);
 *  - `cancel`: our resting orders there are cancelled; the position is held.
 * A market that is not open (closed, settled, paused by the exchange) or already within
 * `stopBeforeCloseMs` of its close is never traded: its position is held to settlement.
 *
 * The supervisor looks for such positions after the first selection and after every position
 * reconciliation. A market is inherited at most once per run, and never one the bot has traded in
 * this run (a dropped market whose unwind ended with a position left stays held, as documented for
 * dropped markets). A held market the selection picks later is traded normally from then on.
 */
import type { Count, Logger, Market, MarketStatus } from '../core/index.js';
import type { BotParams, DropPolicy } from './supervisor-types.js';
import type { UnwindEnd } from './unwind.js';

/** What the bot does with an inherited position. */
export type InheritedHandling =
  /** A reduce-only maker works it flat (`dropPolicy: unwind`). */
  | 'unwinding'
  /** The unwind ended (`end` says why); what is left is held. */
  | 'unwind_ended'
  /** Held, not quoted (`dropPolicy: keep`). */
  | 'held'
  /** Our resting orders there cancelled, held (`dropPolicy: cancel`). */
  | 'cancelled'
  /** Within the stop before close: held to settlement. */
  | 'near_close'
  /** The market is not open (`marketStatus`): held to settlement. */
  | 'closed';

/** One inherited market, for the status. */
export interface InheritedMarket {
  readonly ticker: string;
  readonly handling: InheritedHandling;
  /** When it was found, ms. */
  readonly sinceMs: number;
  /** The position found, hundredths. */
  readonly position: Count;
  /** The market's status, when it is not open. */
  readonly marketStatus?: MarketStatus;
  /** Why the unwind ended (`unwind_ended`). */
  readonly end?: UnwindEnd;
}

/** Returns what to do with a position found in `market` under `policy` at `nowMs`. */
export function planInherited(policy: DropPolicy, market: Pick<Market, 'status' | 'closeTimeMs'>, nowMs: number, stopBeforeCloseMs: number): InheritedHandling {
  if (market.status !== 'active') return 'closed';
  if (market.closeTimeMs - nowMs <= stopBeforeCloseMs) return 'near_close';
  return policy === 'unwind' ? 'unwinding' : policy === 'keep' ? 'held' : 'cancelled';
}

/** Returns the label of an inherited market in the status table and dashboard ("inherited: unwinding"). */
export function inheritedLabel(m: InheritedMarket): string {
  switch (m.handling) {
    case 'unwinding':
      return 'inherited: unwinding';
    case 'unwind_ended':
      return m.end === 'flat' ? 'inherited: unwound' : `inherited: unwind ended (${m.end === 'near_close' ? 'near close' : (m.end ?? 'stopped')})`;
    case 'held':
      return 'inherited: held (dropPolicy keep)';
    case 'cancelled':
      return 'inherited: orders cancelled, held';
    case 'near_close':
      return 'inherited: held (near close)';
    case 'closed':
      return `inherited: held (market ${m.marketStatus ?? 'not open'})`;
  }
}

/** What `Inheritance` needs from the supervisor. */
export interface InheritanceHost {
  readonly logger: Logger;
  readonly params: Pick<BotParams, 'dropPolicy' | 'stopBeforeCloseMs'>;
  nowMs(): number;
  /** Every market with a position in risk (whatever its origin). */
  positions(): readonly { readonly ticker: string; readonly position: Count }[];
  /** The market's metadata (retried by the caller). */
  market(ticker: string): Promise<Market>;
  /** Cancels our resting orders in the market; returns how many. */
  cancelOurs(ticker: string): Promise<number>;
  /** Starts a reduce-only maker for the market (subscribed); false when it could not. */
  unwind(ticker: string): Promise<boolean>;
  recordError(error: unknown, message: string): void;
}

/** The inherited markets of a run (see the file comment). */
export class Inheritance {
  /** Markets traded or inherited in this run: none is inherited (again). */
  private readonly known = new Set<string>();
  private readonly markets = new Map<string, InheritedMarket>();

  constructor(private readonly host: InheritanceHost) {}

  /** A market the bot trades (selected): not inherited from now on, and no longer shown as inherited. */
  noteTraded(ticker: string): void {
    this.known.add(ticker);
    this.markets.delete(ticker);
  }

  /** The unwind of an inherited market ended. */
  onUnwindEnd(ticker: string, end: UnwindEnd): void {
    const m = this.markets.get(ticker);
    if (m?.handling === 'unwinding') this.markets.set(ticker, { ...m, handling: 'unwind_ended', end });
  }

  /** Finds positions in markets not known yet and handles each per `dropPolicy`. Never rejects. */
  async scan(): Promise<void> {
    for (const { ticker, position } of this.host.positions()) {
      if (position === 0 || this.known.has(ticker)) continue;
      await this.handle(ticker, position).catch((e: unknown) => this.host.recordError(e, `inherited position in ${ticker}: handling failed; tried again at the next reconciliation`));
    }
  }

  /** The inherited markets for the status (absent when none). */
  statusEntry(): { readonly inherited?: readonly InheritedMarket[] } {
    return this.markets.size > 0 ? { inherited: [...this.markets.values()] } : {};
  }

  private async handle(ticker: string, position: Count): Promise<void> {
    const { host } = this;
    const market = await host.market(ticker);
    // Known before any further await: a second scan must not handle it twice.
    if (this.known.has(ticker)) return;
    this.known.add(ticker);
    const nowMs = host.nowMs();
    let handling = planInherited(host.params.dropPolicy, market, nowMs, host.params.stopBeforeCloseMs);
    const entry: InheritedMarket = {
      ticker,
      handling,
      sinceMs: nowMs,
      position,
      ...(handling === 'closed' ? { marketStatus: market.status } : {}),
    };
    this.markets.set(ticker, entry);
    const fields = { ticker, position, policy: host.params.dropPolicy, marketStatus: market.status, closeTimeMs: market.closeTimeMs };
    if (handling === 'unwinding') {
      host.logger.info(fields, 'position found in a market not selected: unwinding it');
      if (await host.unwind(ticker)) return;
      // No live book (subscribe failed): the position is held like `keep`, never quoted blind.
      handling = 'held';
      this.markets.set(ticker, { ...entry, handling });
      host.logger.warn(fields, 'inherited position could not be unwound (no market data): held');
      return;
    }
    if (handling === 'cancelled') {
      const cancelled = await host.cancelOurs(ticker);
      host.logger.info({ ...fields, cancelled }, 'position found in a market not selected: our orders there cancelled, position held');
      return;
    }
    host.logger.info(
      fields,
      handling === 'held'
        ? 'position found in a market not selected: held (dropPolicy keep)'
        : handling === 'near_close'
          ? 'position found in a market not selected: within the stop before close, held to settlement'
          : 'position found in a market not selected: market not open, held to settlement',
    );
  }
}
