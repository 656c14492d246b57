/**
 * The result of one run (one market × one parameter set) and how it is computed at the end of the
 * replay. Units in every result (docs/backtesting.md): money in dollars (numbers exact to $0.0001,
 * converted from integer Cash only here), counts in contracts (to 0.01), times in seconds, markouts in
 * dollars per contract (positive = the mid moved our way after the fill).
 */
import { cashFromMicros, CASH_SCALE, COUNT_SCALE, PRICE_SCALE } from '../core/index.js';
import type { ReplayClock } from './replay-clock.js';
import type { RunParams } from './agent.js';
import type { FillRecord, SeriesPoint } from './metrics.js';
import type { ModelSettings } from './runner.js';
import type { SimMarket, SimulatorCore } from './simulator.js';
import type { CrossFillModel } from './models/index.js';

/** How the final inventory was valued. */
export type Valuation = 'settled' | 'mark-to-mid' | 'mark-to-last-trade' | 'unvalued';

/** Metrics at one instant (the holdout boundary), exact units. */
export interface MetricsSnapshot {
  readonly tMs: number;
  readonly cash: number;
  readonly inventory: number;
  readonly fees: number;
  readonly fills: number;
  readonly makerVolume: number;
  /** Equity marked at the mid (or last trade) then, Cash. */
  readonly equity: number;
}

/** Figures of the held-out tail of a market (after the boundary). */
export interface HoldoutFigures {
  readonly fromMs: number;
  readonly cash: number;
  readonly pnl: number;
  readonly fees: number;
  readonly fills: number;
  readonly makerVolume: number;
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

/** Returns the metrics of a market now, for the holdout boundary. */
export function snapshotOf(market: SimMarket, tMs: number): MetricsSnapshot {
  const m = market.metrics;
  const mark = m.lastMid ?? market.lastTrade;
  return { tMs, cash: m.cash, inventory: m.inventory, fees: m.fees, fills: m.fills, makerVolume: m.makerVolume, equity: mark === undefined ? m.cash : m.equityAt(mark) };
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
  const settle = options.sim.settlementPrice(market);
  let valuation: Valuation;
  let mark: number | undefined;
  if (settle !== undefined) [valuation, mark] = ['settled', settle];
  else if (m.lastMid !== undefined) [valuation, mark] = ['mark-to-mid', m.lastMid];
  else if (market.lastTrade !== undefined) [valuation, mark] = ['mark-to-last-trade', market.lastTrade];
  else [valuation, mark] = ['unvalued', undefined];
  const finalEquity = mark === undefined ? (m.inventory === 0 ? m.cash : undefined) : m.cash + cashFromMicros(Math.round(m.inventory * mark), 'floor');
  const markouts = m.markouts();
  const search = options.search;
  const base = search
    ? { cash: search.cash, inventory: search.inventory, pnl: search.equity, fees: search.fees, fills: search.fills, makerVolume: search.makerVolume }
    : { cash: m.cash, inventory: m.inventory, pnl: finalEquity ?? m.cash, fees: m.fees, fills: m.fills, makerVolume: m.makerVolume };
  const markoutDollars = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : Number((v / PRICE_SCALE).toFixed(6)));
  return {
    ...options.params,
    market: options.ticker,
    valuation,
    cash: dollars(base.cash),
    inventory: contractsOf(base.inventory),
    pnl: dollars(base.pnl),
    fees: dollars(base.fees),
    fills: base.fills,
    makerVolume: contractsOf(base.makerVolume),
    takerVolume: contractsOf(m.takerVolume),
    maxDrawdown: dollars(m.maxDrawdown),
    minInventory: contractsOf(m.minInventory),
    maxInventory: contractsOf(m.maxInventory),
    quotedSeconds: m.quotedMs / 1000,
    twoSidedSeconds: m.twoSidedMs / 1000,
    durationSeconds: m.durationMs() / 1000,
    markout1s: markoutDollars(markouts[0]),
    markout10s: markoutDollars(markouts[1]),
    markout60s: markoutDollars(markouts[2]),
    markPrice: mark === undefined ? null : mark / PRICE_SCALE,
    queueModel: options.sim.options.queue.name,
    crossFills: options.sim.crossFills,
    balanceRejections: options.sim.account.balanceRejections,
    ...(search
      ? {
          holdout: {
            fromMs: search.tMs,
            cash: dollars(m.cash - search.cash),
            pnl: dollars((finalEquity ?? m.cash) - search.equity),
            fees: dollars(m.fees - search.fees),
            fills: m.fills - search.fills,
            makerVolume: contractsOf(m.makerVolume - search.makerVolume),
          },
        }
      : {}),
    ...(options.series ? { series: m.series, fillLog: m.fillLog } : {}),
  } as BacktestResult<P>;
}
