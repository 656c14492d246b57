/**
 * Grid search plumbing: parameter ranges (`0.05:1.0:0.05`), aggregation of per-market results into
 * per-parameter records, and the pickers of `kalshi-mm best`.
 */
import type { RunParams } from './agent.js';
import type { BacktestResult } from './result.js';

/**
 * Returns the values of a `start:end:step` range, inclusive of `end` when it lies on the grid,
 * rounded to 10 decimals so 0.1 + 0.2 prints as 0.3.
 * @throws RangeError naming the text when it is not three numbers with step > 0 and end ≥ start.
 */
export function parseRange(text: string, name: string): number[] {
  const parts = text.split(':').map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  if (parts.length === 1 && Number.isFinite(parts[0])) return [parts[0] as number];
  const [start, end, step] = parts;
  if (parts.length !== 3 || start === undefined || end === undefined || step === undefined || ![start, end, step].every(Number.isFinite) || step <= 0 || end < start) {
    throw new RangeError(`--${name}: expected start:end:step with step > 0 and end ≥ start (or one number), was ${JSON.stringify(text)}`);
  }
  const n = Math.floor((end - start) / step + 1e-9) + 1;
  if (n > 10_000) throw new RangeError(`--${name}: ${n} values; at most 10000`);
  return Array.from({ length: n }, (_, i) => Math.round((start + i * step) * 1e10) / 1e10);
}

/** Returns every (gamma, kappa) pair, gamma-major. */
export function gridOf(gammas: readonly number[], kappas: readonly number[]): RunParams[] {
  return gammas.flatMap((gamma) => kappas.map((kappa) => ({ gamma, kappa })));
}

/** One market × parameter set, as `market_results.json` stores it (no series). */
export type MarketRecord = Omit<BacktestResult, 'series' | 'fillLog'> & { readonly file: string };

/** One parameter set aggregated over markets (`overall_results.json`). */
export interface OverallRecord {
  readonly gamma: number;
  readonly kappa: number;
  readonly markets: number;
  readonly meanCash: number;
  readonly meanPnl: number;
  readonly totalCash: number;
  readonly totalPnl: number;
  readonly totalFees: number;
  readonly totalFills: number;
  /** Order creates and amends refused for balance, over all markets (0 without a starting cash). */
  readonly totalBalanceRejections: number;
  readonly meanAbsInventory: number;
  readonly worstDrawdown: number;
  readonly holdout?: { readonly meanCash: number; readonly meanPnl: number; readonly totalFills: number };
}

const round4 = (v: number): number => Math.round(v * 1e4) / 1e4;

/** Returns per-parameter aggregates of `records`, in grid order (gamma, then kappa ascending). */
export function aggregate(records: readonly MarketRecord[]): OverallRecord[] {
  const groups = new Map<string, MarketRecord[]>();
  for (const r of records) {
    const key = `${r.gamma}|${r.kappa}`;
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  const out: OverallRecord[] = [];
  for (const group of groups.values()) {
    const first = group[0] as MarketRecord;
    const n = group.length;
    const sum = (f: (r: MarketRecord) => number): number => group.reduce((a, r) => a + f(r), 0);
    const withHoldout = group.filter((r) => r.holdout !== undefined);
    out.push({
      gamma: first.gamma,
      kappa: first.kappa,
      markets: n,
      meanCash: round4(sum((r) => r.cash) / n),
      meanPnl: round4(sum((r) => r.pnl) / n),
      totalCash: round4(sum((r) => r.cash)),
      totalPnl: round4(sum((r) => r.pnl)),
      totalFees: round4(sum((r) => r.fees)),
      totalFills: sum((r) => r.fills),
      totalBalanceRejections: sum((r) => r.balanceRejections),
      meanAbsInventory: round4(sum((r) => Math.abs(r.inventory)) / n),
      worstDrawdown: Math.max(...group.map((r) => r.maxDrawdown)),
      ...(withHoldout.length > 0
        ? {
            holdout: {
              meanCash: round4(withHoldout.reduce((a, r) => a + (r.holdout?.cash ?? 0), 0) / withHoldout.length),
              meanPnl: round4(withHoldout.reduce((a, r) => a + (r.holdout?.pnl ?? 0), 0) / withHoldout.length),
              totalFills: withHoldout.reduce((a, r) => a + (r.holdout?.fills ?? 0), 0),
            },
          }
        : {}),
    });
  }
  return out.sort((a, b) => a.gamma - b.gamma || a.kappa - b.kappa);
}

/**
 * Returns the parameter set with the highest mean cash across markets (the original design's pick);
 * ties go to the smaller mean |inventory|, then grid order.
 */
export function pickByCash(overall: readonly OverallRecord[]): OverallRecord | undefined {
  return pick(overall, (a, b) => b.meanCash - a.meanCash || a.meanAbsInventory - b.meanAbsInventory);
}

/** Returns the parameter set with the highest mean PnL (settled or marked); ties as `pickByCash`. */
export function pickByPnl(overall: readonly OverallRecord[]): OverallRecord | undefined {
  return pick(overall, (a, b) => b.meanPnl - a.meanPnl || a.meanAbsInventory - b.meanAbsInventory);
}

/**
 * Returns, per market of each file (a "market" as optimize counts them: the same ticker in two
 * recordings is two markets), the record with the highest cash, ties broken by the smallest
 * |inventory|. Keyed by ticker alone, a market recorded in several files (rotated hourly files) got
 * the best record of any one file, a maximum over files rather than a pick of parameters.
 */
export function bestByMarket(records: readonly MarketRecord[]): MarketRecord[] {
  const best = new Map<string, MarketRecord>();
  for (const r of records) {
    const key = `${r.file}\u0000${r.market}`;
    const current = best.get(key);
    if (!current || r.cash > current.cash || (r.cash === current.cash && Math.abs(r.inventory) < Math.abs(current.inventory))) best.set(key, r);
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...best.values()].sort((a, b) => cmp(a.file, b.file) || cmp(a.market, b.market));
}

function pick(overall: readonly OverallRecord[], compare: (a: OverallRecord, b: OverallRecord) => number): OverallRecord | undefined {
  let best: OverallRecord | undefined;
  for (const r of overall) if (!best || compare(r, best) < 0) best = r;
  return best;
}
