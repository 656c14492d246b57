/** Assembles the supervisor's `BotStatus` snapshot from its parts (totals summed here). */
import type { RiskManager } from '../risk/index.js';
import type { MarketMaker } from './maker.js';
import type { PositionCheckStatus } from './position-reconcile.js';
import type { SelectionResult } from './selection.js';
import type { BotStatus, MarketStatusEntry, SupervisorState } from './supervisor-types.js';
import type { UnwindEntry } from './unwind.js';

/** Returns the status entries of the markets with a maker: the maker's status, its score, its unwind. */
export function marketEntries(
  makers: Iterable<MarketMaker>,
  scores: ReadonlyMap<string, number>,
  unwinds: { get(ticker: string): UnwindEntry | undefined },
): MarketStatusEntry[] {
  return [...makers].map((m) => {
    const score = scores.get(m.ticker);
    const unwind = unwinds.get(m.ticker);
    return {
      ...m.status(),
      ...(score !== undefined ? { score } : {}),
      ...(unwind ? { unwind } : {}),
    };
  });
}

/** The parts of a status snapshot. */
export interface BotStatusParts {
  readonly nowMs: number;
  readonly state: SupervisorState;
  readonly connected: boolean;
  readonly tradingActive: boolean;
  readonly markets: readonly MarketStatusEntry[];
  readonly risk: RiskManager;
  readonly positionChecks: PositionCheckStatus;
  readonly selection: SelectionResult | undefined;
  readonly errors: number;
  readonly lastError: string | undefined;
}

/** Returns the snapshot: markets with a maker, retired ones still holding a position, totals over all. */
export function botStatus(parts: BotStatusParts): BotStatus {
  const { nowMs, markets, risk, selection } = parts;
  const traded = new Set(markets.map((m) => m.ticker));
  const figures = risk.figures();
  return {
    nowMs,
    state: parts.state,
    connected: parts.connected,
    tradingActive: parts.tradingActive,
    markets,
    retired: figures.filter((f) => !traded.has(f.ticker) && f.position !== 0),
    totals: {
      pnl: figures.reduce((s, f) => s + f.totalPnl, 0),
      dailyPnl: risk.dailyPnl(nowMs),
      earlierDailyPnl: risk.earlierDailyPnl(nowMs),
      absPosition: figures.reduce((s, f) => s + Math.abs(f.position), 0),
      fills: markets.reduce((s, m) => s + m.fills, 0),
      restingOrders: markets.reduce((s, m) => s + m.orders.length, 0),
    },
    killSwitch: risk.killSwitch(),
    positionChecks: parts.positionChecks,
    ...(selection
      ? {
          selection: {
            atMs: selection.atMs,
            scanned: selection.scanned,
            candidates: selection.candidates.length,
            rejected: selection.rejected,
          },
        }
      : {}),
    errors: parts.errors,
    ...(parts.lastError !== undefined ? { lastError: parts.lastError } : {}),
  };
}
