/**
 * Unwinding a market that left the selection while we hold a position in it (`dropPolicy`, see
 * supervisor-types.ts). The maker keeps running in reduce-only mode: of the quotes its normal cycle
 * wants, only the side that reduces the position stays, cut to at most the position, so no fill can
 * open or flip a position. The supervisor ends the unwind when the position is flat, at the deadline,
 * or once the market is within the stop-before-close time (the maker stops quoting there anyway).
 */
import { floorToWholeContracts, type Clock, type Count, type DesiredQuotes, type Logger } from '../core/index.js';
import type { BotParams, DropPolicy } from './supervisor-types.js';

/**
 * Returns `quotes` reduced to the side that brings `position` toward 0 (ask when long YES, bid when
 * short), with a count of at most |position| in whole contracts; no side when flat.
 */
export function reduceOnlyQuotes(quotes: DesiredQuotes, position: Count): DesiredQuotes {
  const side = position > 0 ? quotes.ask : position < 0 ? quotes.bid : undefined;
  if (side === undefined) return { ticker: quotes.ticker };
  const count = floorToWholeContracts(Math.min(side.count, Math.abs(position)) as Count);
  if (count <= 0) return { ticker: quotes.ticker };
  const quote = count === side.count ? side : { ...side, count };
  return side.side === 'ask' ? { ticker: quotes.ticker, ask: quote } : { ticker: quotes.ticker, bid: quote };
}

/** Why an unwind ended. */
export type UnwindEnd = 'flat' | 'deadline' | 'near_close';

/** One dropped market being unwound (or kept, `dropPolicy: keep`). */
export interface UnwindEntry {
  readonly ticker: string;
  readonly policy: Exclude<DropPolicy, 'cancel'>;
  readonly sinceMs: number;
  readonly deadlineMs: number;
  /** Position when the market was dropped, hundredths. */
  readonly startPosition: Count;
  /** Not dropped but inherited: a position found in a market the selection does not pick (inherit.ts). */
  readonly inherited?: true;
}

/** Returns the label of an unwinding market in the status table and dashboard. */
export function unwindLabel(entry: UnwindEntry): string {
  return entry.inherited ? 'inherited: unwinding' : `dropped: ${entry.policy} until flat`;
}

/** The inputs of `unwindEnd` for one market. */
export interface UnwindProbe {
  readonly nowMs: number;
  readonly position: Count;
  /** The market's close time, when its metadata is loaded. */
  readonly closeTimeMs?: number;
  readonly stopBeforeCloseMs: number;
}

/** Returns why `entry`'s unwind must end now, or undefined while it goes on. */
export function unwindEnd(entry: UnwindEntry, probe: UnwindProbe): UnwindEnd | undefined {
  if (probe.position === 0) return 'flat';
  if (probe.closeTimeMs !== undefined && probe.closeTimeMs - probe.nowMs <= probe.stopBeforeCloseMs) return 'near_close';
  if (probe.nowMs >= entry.deadlineMs) return 'deadline';
  return undefined;
}

/**
 * Returns the unwind of a dropped market, or undefined when it is to be cancelled at once: policy
 * `cancel`, no position, or already within the stop before close.
 */
export function planDrop(
  ticker: string,
  policy: DropPolicy,
  probe: UnwindProbe & { readonly deadlineAfterMs: number },
): UnwindEntry | undefined {
  if (policy === 'cancel') return undefined;
  const entry: UnwindEntry = {
    ticker,
    policy,
    sinceMs: probe.nowMs,
    deadlineMs: probe.nowMs + probe.deadlineAfterMs,
    startPosition: probe.position,
  };
  return unwindEnd(entry, probe) === undefined ? entry : undefined;
}

/** What the `Unwinder` needs from the supervisor. */
export interface UnwinderHost {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly params: Pick<BotParams, 'dropPolicy' | 'unwindDeadlineMs' | 'stopBeforeCloseMs'>;
  position(ticker: string): Count;
  /** The market's close time from its loaded metadata. */
  closeTimeMs(ticker: string, nowMs: number): number | undefined;
  /** Switches the market's maker to (or out of) reduce-only quoting. */
  setReduceOnly(ticker: string, on: boolean): Promise<void>;
  /** Stops the market's maker with its orders cancelled, and unsubscribes the market. */
  finish(ticker: string): Promise<void>;
  /** Told once the unwind of `entry` has ended (after `finish`). */
  onEnd?(entry: UnwindEntry, end: UnwindEnd): void;
}

/** The dropped markets still traded under `dropPolicy`, and when each one ends. */
export class Unwinder {
  private readonly entries = new Map<string, UnwindEntry>();
  private readonly ending = new Set<Promise<void>>();

  constructor(private readonly host: UnwinderHost) {}

  /** Returns the unwind of `ticker`, if it is being unwound or kept. */
  get(ticker: string): UnwindEntry | undefined {
    return this.entries.get(ticker);
  }

  /** Returns whether `ticker` is being unwound or kept. */
  has(ticker: string): boolean {
    return this.entries.has(ticker);
  }

  /**
   * Takes a market that left the selection: returns true when its maker stays (unwind or keep, and
   * switched to reduce-only for `unwind`), false when it is to be cancelled and unsubscribed now.
   */
  async drop(ticker: string): Promise<boolean> {
    const { params, logger } = this.host;
    const entry = planDrop(ticker, params.dropPolicy, { ...this.probe(ticker), deadlineAfterMs: params.unwindDeadlineMs });
    if (entry === undefined) return false;
    this.entries.set(ticker, entry);
    logger.info(
      { ticker, policy: entry.policy, position: entry.startPosition, deadlineMs: entry.deadlineMs },
      entry.policy === 'unwind'
        ? 'market dropped from the selection: unwinding its position'
        : 'market dropped from the selection: kept until flat',
    );
    if (entry.policy === 'unwind') await this.host.setReduceOnly(ticker, true);
    return true;
  }

  /**
   * Takes an inherited position (inherit.ts): the market's maker, created in reduce-only mode by the
   * caller, unwinds it until flat, the deadline or the stop before close, as for a dropped market.
   */
  adopt(ticker: string): UnwindEntry {
    const nowMs = this.host.clock.nowMs();
    const entry: UnwindEntry = {
      ticker,
      policy: 'unwind',
      sinceMs: nowMs,
      deadlineMs: nowMs + this.host.params.unwindDeadlineMs,
      startPosition: this.host.position(ticker),
      inherited: true,
    };
    this.entries.set(ticker, entry);
    return entry;
  }

  /** Forgets `ticker`'s unwind without ending it (its maker was never started). */
  remove(ticker: string): void {
    this.entries.delete(ticker);
  }

  /** A market selected again while unwinding: back to normal quoting. */
  async resume(ticker: string): Promise<void> {
    if (!this.entries.delete(ticker)) return;
    this.host.logger.info({ ticker, position: this.host.position(ticker) }, 'unwinding market selected again');
    await this.host.setReduceOnly(ticker, false);
  }

  /** Ends every unwind that is flat, past its deadline or near close (cancel + unsubscribe). */
  check(): void {
    for (const entry of [...this.entries.values()]) {
      const end = unwindEnd(entry, this.probe(entry.ticker));
      if (end === undefined) continue;
      this.entries.delete(entry.ticker);
      const work = this.end(entry, end);
      this.ending.add(work);
      void work.finally(() => this.ending.delete(work));
    }
  }

  /** Resolves when no unwind is being ended (a selection must not race a market's unsubscribe). */
  async idle(): Promise<void> {
    await Promise.all(this.ending);
  }

  private async end(entry: UnwindEntry, end: UnwindEnd): Promise<void> {
    const { clock, logger } = this.host;
    const position = this.host.position(entry.ticker);
    await this.host.finish(entry.ticker);
    logger.info(
      { ticker: entry.ticker, end, inherited: entry.inherited === true, startPosition: entry.startPosition, position, forMs: clock.nowMs() - entry.sinceMs },
      'unwind ended',
    );
    this.host.onEnd?.(entry, end);
  }

  private probe(ticker: string): UnwindProbe {
    const nowMs = this.host.clock.nowMs();
    const closeTimeMs = this.host.closeTimeMs(ticker, nowMs);
    return {
      nowMs,
      position: this.host.position(ticker),
      stopBeforeCloseMs: this.host.params.stopBeforeCloseMs,
      ...(closeTimeMs !== undefined ? { closeTimeMs } : {}),
    };
  }
}
