/**
 * The result of one run (one market × one parameter set) and how it is computed at the end of the
 * replay. Units in every result (docs/backtesting.md): money in dollars (numbers exact to $0.0001,
 * converted from integer Cash only here), counts in contracts (to 0.01), times in seconds, markouts in
 * dollars per contract (positive = the mid moved our way after the fill).
 */
import { CASH_SCALE, COUNT_SCALE, PRICE_SCALE } from '../core/index.js';
import type { ReplayClock } from './replay-clock.js';
import type { RunParams } from './agent.js';
import type { FillRecord, SeriesPoint } from './metrics.js';
import type { ModelSettings } from './runner.js';
import type { SimMarket, SimulatorCore } from './simulator.js';
import type { CrossFillModel } from './models/index.js';

/** How the final inventory was valued. */
export type Valuation = 'settled' | 'mark-to-mid' | 'mark-to-last-trade' | 'unvalued';

/**
 * Metrics at one instant (the holdout boundary), exact units: every figure a result reports, so the
 * search part of a holdout run describes only the time before the boundary.
 */
export interface MetricsSnapshot {
  readonly tMs: number;
  readonly cash: number;
  readonly inventory: number;
  readonly fees: number;
  readonly fills: number;
  readonly makerVolume: number;
  readonly takerVolume: number;
  readonly maxDrawdown: number;
  readonly minInventory: number;
  readonly maxInventory: number;
  readonly quotedMs: number;
  readonly twoSidedMs: number;
  readonly durationMs: number;
  /** Markouts resolved by then ($0.0001 per contract), as `MarketMetrics.markouts`. */
  readonly markouts: readonly (number | null)[];
  readonly valuation: Valuation;
  /** The YES price (Price units, may be fractional) the equity was marked at, if any. */
  readonly mark: number | undefined;
  /** Equity marked at the mid (or last trade) then, Cash. */
  readonly equity: number;
}

/**
 * Figures of the held-out tail of a market (after the boundary). `cash`, `pnl`, `fees`, `fills` and
 * `makerVolume` are changes over the tail; `inventory`, `valuation` and `markPrice` are those of the
 * end, so the whole run's pnl = search pnl + holdout pnl = search cash + holdout cash + inventory × markPrice.
 */
export interface HoldoutFigures {
  readonly fromMs: number;
  readonly cash: number;
  readonly pnl: number;
  readonly fees: number;
  readonly fills: number;
  readonly makerVolume: number;
  readonly inventory: number;
  readonly valuation: Valuation;
  readonly markPrice: number | null;
}

/** One run's result, as `backtest --json` prints it and `market_results.json` stores it. */
export type BacktestResult<P extends RunParams = RunParams> = P & {
  readonly market: string;
  readonly valuation: Valuation;
  /** Cash flow of fills minus fees, dollars (starting cash 0). */
  readonly cash: number;
  /** Net YES contracts held at the end (negative = NO). */
  readonly inventory: number;
  /** Cash plus the inventory valued as `valuation` says, dollars. */
  readonly pnl: number;
  readonly fees: number;
  readonly fills: number;
  readonly makerVolume: number;
  readonly takerVolume: number;
  readonly maxDrawdown: number;
  readonly minInventory: number;
  readonly maxInventory: number;
  readonly quotedSeconds: number;
  readonly twoSidedSeconds: number;
  readonly durationSeconds: number;
  readonly markout1s: number | null;
  readonly markout10s: number | null;
  readonly markout60s: number | null;
  /** YES price used to value the inventory, dollars; null when unvalued. */
  readonly markPrice: number | null;
  readonly queueModel: string;
  /** The crossed-book fill model (fill rule 6): displayed, full or off. */
  readonly crossFills: CrossFillModel;
  /** Order-entry requests (creates and amends) refused for balance; always 0 without `--starting-cash`. */
  readonly balanceRejections: number;
  readonly holdout?: HoldoutFigures;
  readonly series?: readonly SeriesPoint[];
  readonly fillLog?: readonly FillRecord[];
};

/**
 * Returns the metrics of a market now (the holdout boundary, or the end with the settlement price when
 * the market settled), inventory valued at `settlePrice`, else the last markable mid (metrics.ts: a
 * book that is hollow is valued at the last price before it), else the last trade.
 */
export function snapshotOf(market: SimMarket, tMs: number, settlePrice?: number): MetricsSnapshot {
  const m = market.metrics;
  let valuation: Valuation;
  let mark: number | undefined;
  if (settlePrice !== undefined) [valuation, mark] = ['settled', settlePrice];
  else if (m.lastMark !== undefined) [valuation, mark] = ['mark-to-mid', m.lastMark];
  else if (market.lastTrade !== undefined) [valuation, mark] = ['mark-to-last-trade', market.lastTrade];
  else [valuation, mark] = ['unvalued', undefined];
  return {
    tMs,
    cash: m.cash,
    inventory: m.inventory,
    fees: m.fees,
    fills: m.fills,
    makerVolume: m.makerVolume,
    takerVolume: m.takerVolume,
    maxDrawdown: m.maxDrawdown,
    minInventory: m.minInventory,
    maxInventory: m.maxInventory,
    quotedMs: m.quotedMs,
    twoSidedMs: m.twoSidedMs,
    durationMs: m.durationMs(),
    markouts: m.markouts(),
    valuation,
    mark,
    equity: mark === undefined ? m.cash : m.equityAt(mark),
  };
}

const dollars = (cash: number): number => cash / CASH_SCALE;
const contractsOf = (count: number): number => count / COUNT_SCALE;

/** Options of `finalResult`. */
export interface FinalResultOptions<P extends RunParams> {
  readonly ticker: string;
  readonly params: P;
  readonly sim: SimulatorCore;
  readonly clock: ReplayClock;
  readonly models: ModelSettings;
  readonly search: MetricsSnapshot | undefined;
  readonly series: boolean;
}

/** Returns the result of a finished run: settled at the market's result if known, else marked. */
export function finalResult<P extends RunParams>(options: FinalResultOptions<P>): BacktestResult<P> {
  const market = options.sim.market(options.ticker);
  const m = market.metrics;
  const end = snapshotOf(market, options.clock.nowMs(), options.sim.settlementPrice(market));
  // With a holdout, every search figure is the boundary's (valued at the mark of that moment).
  const search = options.search;
  const base = search ?? end;
  const markoutDollars = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : Number((v / PRICE_SCALE).toFixed(6)));
  return {
    ...options.params,
    market: options.ticker,
    valuation: base.valuation,
    cash: dollars(base.cash),
    inventory: contractsOf(base.inventory),
    pnl: dollars(base.equity),
    fees: dollars(base.fees),
    fills: base.fills,
    makerVolume: contractsOf(base.makerVolume),
    takerVolume: contractsOf(base.takerVolume),
    maxDrawdown: dollars(base.maxDrawdown),
    minInventory: contractsOf(base.minInventory),
    maxInventory: contractsOf(base.maxInventory),
    quotedSeconds: base.quotedMs / 1000,
    twoSidedSeconds: base.twoSidedMs / 1000,
    durationSeconds: base.durationMs / 1000,
    markout1s: markoutDollars(base.markouts[0]),
    markout10s: markoutDollars(base.markouts[1]),
    markout60s: markoutDollars(base.markouts[2]),
    markPrice: base.mark === undefined ? null : base.mark / PRICE_SCALE,
    queueModel: options.sim.options.queue.name,
    crossFills: options.sim.crossFills,
    balanceRejections: options.sim.account.balanceRejections,
    ...(search
      ? {
          holdout: {
            fromMs: search.tMs,
            cash: dollars(m.cash - search.cash),
            pnl: dollars(end.equity - search.equity),
            fees: dollars(m.fees - search.fees),
            fills: m.fills - search.fills,
            makerVolume: contractsOf(m.makerVolume - search.makerVolume),
            inventory: contractsOf(m.inventory),
            valuation: end.valuation,
            markPrice: end.mark === undefined ? null : end.mark / PRICE_SCALE,
          },
        }
      : {}),
    ...(options.series ? { series: m.series, fillLog: m.fillLog } : {}),
  } as BacktestResult<P>;
}
