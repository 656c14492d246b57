/** What the supervisor's rescans ask of `scanMarkets` (selection.ts), from the markets it trades. */
import type { Clock, ExchangePort, Price } from '../core/index.js';
import type { MarketMaker } from './maker.js';
import type { ScanOptions } from './selection.js';
import type { BotParams } from './supervisor-types.js';

/** The supervisor's side of a scan. */
export interface BotScanParts {
  readonly port: ExchangePort;
  readonly clock: Clock;
  readonly params: BotParams;
  /** The makers running now, by ticker. */
  readonly makers: ReadonlyMap<string, MarketMaker>;
  /** True for a market being unwound (dropped from the selection, its maker still running). */
  unwinding(ticker: string): boolean;
}

/**
 * Returns the scan options of a supervisor's scan: the makers' books without our own orders, the
 * traded markets (minus those being unwound), the stop before close as a minimum time to close, and
 * an under-filled selection topped up with zero-score markets.
 */
export function botScanOptions(parts: BotScanParts): ScanOptions {
  const { params, makers } = parts;
  const othersTop = new Map<string, { bid?: Price; ask?: Price }>();
  for (const maker of makers.values()) {
    const top = maker.othersTop();
    if (top) othersTop.set(maker.ticker, top);
  }
  return {
    port: parts.port,
    clock: parts.clock,
    // A market within the stop before close cannot be quoted: it must not take a slot.
    params: { ...params, selectMinTimeToCloseMs: Math.max(params.selectMinTimeToCloseMs, params.stopBeforeCloseMs) },
    // A market being unwound was dropped: it competes again without the retain bonus.
    current: new Set([...makers.keys()].filter((t) => !parts.unwinding(t))),
    othersTop,
    fillUnscored: true,
  };
}
