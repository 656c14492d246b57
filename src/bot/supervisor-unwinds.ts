/**
 * The supervisor's markets kept beyond the selection: the `Unwinder` of dropped markets (unwind.ts)
 * and the `Inheritance` of positions found in markets not selected (inherit.ts), wired to its makers.
 * An inherited position under `dropPolicy: unwind` becomes an unwind like a dropped market's: a
 * maker in reduce-only mode from its first cycle, its market subscribed, ended by the `Unwinder`.
 */
import type { Clock, ExchangePort, Logger } from '../core/index.js';
import { DEFAULT_RETRY_POLICY, withRetry } from '../orders/index.js';
import type { RiskManager } from '../risk/index.js';
import { cancelOursIn } from './cancel-verify.js';
import { Inheritance } from './inherit.js';
import type { MarketMaker } from './maker.js';
import type { BotParams } from './supervisor-types.js';
import { Unwinder } from './unwind.js';

/** What the wiring needs from the supervisor. */
export interface UnwindsHost {
  readonly port: ExchangePort;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly params: BotParams;
  readonly risk: RiskManager;
  readonly makers: Map<string, MarketMaker>;
  /** The market's close time from the loaded metadata. */
  closeTimeMs(ticker: string, nowMs: number): number | undefined;
  /** A new maker for `ticker` (not yet started, not in `makers`). */
  createMaker(ticker: string): MarketMaker;
  /** Stops the market's maker with its orders cancelled and forgets it. */
  retire(ticker: string): Promise<void>;
  /** True once the bot is shutting down: no maker may start. */
  stopping(): boolean;
  recordError(error: unknown, message: string): void;
}

/** Returns the supervisor's `Unwinder` and `Inheritance`, wired together and to `host`. */
export function createUnwinds(host: UnwindsHost): { unwinds: Unwinder; inheritance: Inheritance } {
  const { port, clock } = host;
  const unwinds: Unwinder = new Unwinder({
    clock,
    logger: host.logger,
    params: host.params,
    position: (ticker) => host.risk.position(ticker),
    closeTimeMs: (ticker, nowMs) => host.closeTimeMs(ticker, nowMs),
    setReduceOnly: async (ticker, on) => host.makers.get(ticker)?.setReduceOnly(on),
    finish: async (ticker) => {
      await host.retire(ticker);
      await port.unsubscribeMarkets([ticker]).catch((e: unknown) => host.recordError(e, 'unsubscribe failed'));
    },
    onEnd: (entry, end) => inheritance.onUnwindEnd(entry.ticker, end),
  });
  const inheritance: Inheritance = new Inheritance({
    logger: host.logger,
    params: host.params,
    nowMs: () => clock.nowMs(),
    positions: () =>
      host.risk
        .figures()
        .filter((f) => !host.makers.has(f.ticker))
        .map((f) => ({ ticker: f.ticker, position: host.risk.position(f.ticker) })),
    market: (ticker) => withRetry(() => port.getMarket(ticker), DEFAULT_RETRY_POLICY, clock),
    cancelOurs: (ticker) => cancelOursIn(port, clock, ticker),
    unwind: (ticker) => unwindInherited(host, unwinds, ticker),
    recordError: (e, message) => host.recordError(e, message),
  });
  return { unwinds, inheritance };
}

/** Starts the unwind of an inherited position; false when it could not (no live book). */
async function unwindInherited(host: UnwindsHost, unwinds: Unwinder, ticker: string): Promise<boolean> {
  if (host.stopping() || host.makers.has(ticker)) return false;
  const maker = host.createMaker(ticker);
  // Synchronous, before the maker is reachable: an early event that starts it must find it reduce-only.
  void maker.setReduceOnly(true);
  host.makers.set(ticker, maker);
  unwinds.adopt(ticker);
  try {
    await withRetry(() => host.port.subscribeMarkets([ticker]), DEFAULT_RETRY_POLICY, host.clock);
  } catch (error) {
    // Without a live book a market is never quoted.
    host.recordError(error, `subscribe of inherited ${ticker} failed`);
    unwinds.remove(ticker);
    await host.retire(ticker);
    return false;
  }
  // A shutdown that began meanwhile stops this maker with the others; starting it would quote after the cancels.
  if (!host.stopping()) await maker.start();
  return true;
}
