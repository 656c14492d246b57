/**
 * Market selection (the original design's Market Opportunity Bot): scan every open market, drop the
 * ones a market maker should not touch (filters), score the rest with the trading core's
 * `opportunityScore`, keep the top N.
 *
 * Score inputs per market:
 *  - effective volume: buy/sell (aggressor) split of the market's trades in the last hour, from
 *    `listTrades`; with `scoreVolumeWindow = '24h'` the 24 h volume split in the same proportion;
 *  - volatility: sample standard deviation of those trade prices, cents (`sampleStdDev`);
 *  - spread: the market object's best YES ask − best YES bid, cents.
 * Trades cost one REST request per market, so only the `sampleSize` best markets by a preliminary
 * score (24 h volume split evenly, σ = `selectFallbackVolatilityCents`) are sampled.
 * A market already traded gets its score multiplied by `selectRetainBonus`, so the selection does not churn
 * between near-equal markets at every refresh (each change cancels quotes and loses queue places).
 */
import { COUNT_SCALE, type Clock, type ExchangePort, type Market, type Price, type PublicTrade } from '../core/index.js';
import { sampleStdDev } from '../marketdata/index.js';
import { opportunityScore } from '../strategy/index.js';

/** Selection parameters: all are trading-config fields of the same names and units (`config/schema.ts`). */
export interface SelectionParams extends SelectionFilters {
  readonly maxMarkets: number;
  readonly targetSpreadCents: number;
  readonly scoreSpreadWidthCents: number;
  readonly scoreEpsilonCents: number;
  readonly scoreOneSidedDiscount: number;
  readonly scoreVolumeWindow: '1h' | '24h';
}

/** Filters a market must pass to be quoted, and the sampling knobs (trading-config fields `select*`). */
export interface SelectionFilters {
  /** Least 24 h volume, contracts. */
  readonly selectMinVolume24hContracts: number;
  /** Least current spread, cents (a 0-spread market leaves no edge). */
  readonly selectMinSpreadCents: number;
  /** Largest current spread, cents (wider = no two-sided interest). */
  readonly selectMaxSpreadCents: number;
  /** Least time to close, ms (quoting stops near close anyway). */
  readonly selectMinTimeToCloseMs: number;
  /** Mid must lie in [min, max], cents (near 0 or 100 the edge is smaller than a tick). */
  readonly selectMinMidCents: number;
  readonly selectMaxMidCents: number;
  /** Score multiplier of markets already traded (hysteresis), ≥ 1. */
  readonly selectRetainBonus: number;
  /** Markets whose trades are sampled, as a multiple of maxMarkets. */
  readonly selectSampleFactor: number;
  /** Most trades read per sampled market. */
  readonly selectMaxTradesPerMarket: number;
  /** σ assumed before trades are sampled, cents. */
  readonly selectFallbackVolatilityCents: number;
}

/**
 * The trading config's defaults of the selection filters, for callers without a config (tests,
 * tools). The schema states them (`config/schema.ts`; bot/ does not import config) and a config test
 * checks the two agree. A composition root passes the loaded `TradingConfig`, which has every field.
 */
export const DEFAULT_SELECTION_FILTERS: SelectionFilters = {
  selectMinVolume24hContracts: 100,
  selectMinSpreadCents: 1,
  selectMaxSpreadCents: 20,
  selectMinTimeToCloseMs: 3_600_000,
  selectMinMidCents: 5,
  selectMaxMidCents: 95,
  selectRetainBonus: 1.25,
  selectSampleFactor: 3,
  selectMaxTradesPerMarket: 1_000,
  selectFallbackVolatilityCents: 1,
};

/** Trade statistics of one market over the sampling window. */
export interface TradeStats {
  readonly buyVolume: number;
  readonly sellVolume: number;
  readonly volatilityCents?: number;
  readonly trades: number;
}

/** One scored market. */
export interface Candidate {
  readonly ticker: string;
  readonly market: Market;
  readonly score: number;
  readonly spreadCents: number;
  readonly midCents: number;
  readonly volatilityCents: number;
  readonly effectiveVolume: number;
  readonly sampled: boolean;
}

/** What a scan found. */
export interface SelectionResult {
  readonly atMs: number;
  /** Best first, at most maxMarkets. */
  readonly selected: readonly Candidate[];
  /** Every market that passed the filters, best first. */
  readonly candidates: readonly Candidate[];
  /**
   * How many of `selected` (its last entries) are zero-score fillers (`fillUnscored`): markets with no
   * flow to score yet, taken by spread because the scored ones did not fill `maxMarkets`.
   */
  readonly fillers: number;
  readonly scanned: number;
  /** Count of markets rejected per filter reason. */
  readonly rejected: Readonly<Record<string, number>>;
}

/** Returns why `market` must not be quoted at `nowMs`, or undefined when it passes the filters. */
export function rejectReason(market: Market, nowMs: number, filters: SelectionFilters): string | undefined {
  if (market.status !== 'active') return 'not_active';
  if (market.yesBid === undefined || market.yesAsk === undefined) return 'one_sided';
  const spreadCents = (market.yesAsk - market.yesBid) / 100;
  if (spreadCents < filters.selectMinSpreadCents) return 'spread_too_narrow';
  if (spreadCents > filters.selectMaxSpreadCents) return 'spread_too_wide';
  const midCents = (market.yesAsk + market.yesBid) / 200;
  if (midCents < filters.selectMinMidCents || midCents > filters.selectMaxMidCents) return 'price_out_of_range';
  if (market.closeTimeMs - nowMs < filters.selectMinTimeToCloseMs) return 'closes_soon';
  if (market.volume24h / COUNT_SCALE < filters.selectMinVolume24hContracts) return 'low_volume';
  return undefined;
}

/** Returns the aggressor split and price std dev (cents) of `trades`. */
export function tradeStats(trades: readonly PublicTrade[]): TradeStats {
  let buy = 0;
  let sell = 0;
  for (const t of trades) {
    if (t.takerSide === 'bid') buy += t.count / COUNT_SCALE;
    else sell += t.count / COUNT_SCALE;
  }
  const sigma = sampleStdDev(trades.map((t) => t.price / 100));
  return { buyVolume: buy, sellVolume: sell, trades: trades.length, ...(sigma !== undefined ? { volatilityCents: sigma } : {}) };
}

/** Returns the scored candidate of a market that passed the filters. */
export function scoreMarket(market: Market, stats: TradeStats | undefined, params: SelectionParams, sampled = stats !== undefined): Candidate {
  const bid = market.yesBid ?? 0;
  const ask = market.yesAsk ?? 0;
  const spreadCents = (ask - bid) / 100;
  const volume24h = market.volume24h / COUNT_SCALE;
  let buy: number;
  let sell: number;
  if (stats === undefined || stats.buyVolume + stats.sellVolume === 0) {
    buy = sell = params.scoreVolumeWindow === '24h' ? volume24h / 2 : volume24h / 48;
  } else if (params.scoreVolumeWindow === '24h') {
    const share = stats.buyVolume / (stats.buyVolume + stats.sellVolume);
    buy = volume24h * share;
    sell = volume24h - buy;
  } else {
    buy = stats.buyVolume;
    sell = stats.sellVolume;
  }
  const volatilityCents = stats?.volatilityCents ?? params.selectFallbackVolatilityCents;
  const score = opportunityScore({
    buyVolume: buy,
    sellVolume: sell,
    volatilityCents,
    spreadCents,
    targetSpreadCents: params.targetSpreadCents,
    spreadWidthCents: params.scoreSpreadWidthCents,
    epsilonCents: params.scoreEpsilonCents,
    oneSidedDiscount: params.scoreOneSidedDiscount,
  });
  const lambda = Math.min(1, Math.max(0, params.scoreOneSidedDiscount));
  const total = buy + sell;
  const effective = total <= 0 ? 0 : total * (1 - (lambda * Math.abs(buy - sell)) / total);
  return { ticker: market.ticker, market, score, spreadCents, midCents: (bid + ask) / 200, volatilityCents, effectiveVolume: effective, sampled };
}

/** Returns the top `maxMarkets` of `candidates`, giving markets in `current` the retain bonus. */
export function rankCandidates(candidates: readonly Candidate[], current: ReadonlySet<string>, params: SelectionParams): Candidate[] {
  const keyed = candidates.map((c) => ({ c, key: c.score * (current.has(c.ticker) ? params.selectRetainBonus : 1) }));
  keyed.sort((a, b) => b.key - a.key || (a.c.ticker < b.c.ticker ? -1 : 1));
  return keyed.filter((k) => k.key > 0).slice(0, params.maxMarkets).map((k) => k.c);
}

/**
 * Returns `ranked` topped up to `maxMarkets` with the candidates that scored 0 (no flow seen yet: a
 * young exchange, or a sample that failed and left no 24 h volume), best first by: traded now (a
 * zero-score market gives no reason to swap one for another, and each swap costs the queue places),
 * tightest spread, larger 24 h volume, ticker (so equal inputs always give the same selection).
 */
export function fillUnscored(ranked: readonly Candidate[], candidates: readonly Candidate[], current: ReadonlySet<string>, maxMarkets: number): Candidate[] {
  const free = maxMarkets - ranked.length;
  if (free <= 0) return [...ranked];
  const taken = new Set(ranked.map((c) => c.ticker));
  const fillers = candidates
    .filter((c) => !taken.has(c.ticker) && !(c.score > 0))
    .sort(
      (a, b) =>
        Number(current.has(b.ticker)) - Number(current.has(a.ticker)) ||
        a.spreadCents - b.spreadCents ||
        b.market.volume24h - a.market.volume24h ||
        (a.ticker < b.ticker ? -1 : a.ticker > b.ticker ? 1 : 0),
    );
  return [...ranked, ...fillers.slice(0, free)];
}

/** Options of a scan. */
export interface ScanOptions {
  readonly port: ExchangePort;
  readonly clock: Clock;
  readonly params: SelectionParams;
  /** Markets traded now (they get the retain bonus). */
  readonly current?: ReadonlySet<string>;
  /** Trade sampling window, ms. Default one hour. */
  readonly windowMs?: number;
  /**
   * Best bid/ask of others in markets we quote (our own orders excluded). The market object's top of
   * book includes our quotes, which would narrow the spread of every market we trade and keep it
   * selected by its own doing.
   */
  readonly othersTop?: ReadonlyMap<string, { readonly bid?: Price; readonly ask?: Price }>;
  /** Top an under-filled selection up with zero-score markets (`fillUnscored`). Default false. */
  readonly fillUnscored?: boolean;
}

/** Returns `market` with its top of book replaced by `top` (sides absent in `top` become absent). */
function withTop(market: Market, top: { readonly bid?: Price; readonly ask?: Price }): Market {
  const { yesBid: _bid, yesAsk: _ask, ...rest } = market;
  return { ...rest, ...(top.bid !== undefined ? { yesBid: top.bid } : {}), ...(top.ask !== undefined ? { yesAsk: top.ask } : {}) };
}

/**
 * Scans every open market through the port (paginated), filters, samples trades of the best ones and
 * returns the selection.
 * @throws the port's error when the market list cannot be read (trade sampling errors only skip the sample).
 */
export async function scanMarkets(options: ScanOptions): Promise<SelectionResult> {
  const { port, clock, params } = options;
  const nowMs = clock.nowMs();
  const rejected: Record<string, number> = {};
  const eligible: Market[] = [];
  let scanned = 0;
  for await (const listed of port.listMarkets({ status: 'open' })) {
    scanned++;
    const top = options.othersTop?.get(listed.ticker);
    const market = top ? withTop(listed, top) : listed;
    const reason = rejectReason(market, nowMs, params);
    if (reason === undefined) eligible.push(market);
    else rejected[reason] = (rejected[reason] ?? 0) + 1;
  }
  const current = options.current ?? new Set<string>();
  const prelim = eligible.map((m) => scoreMarket(m, undefined, params)).sort((a, b) => b.score - a.score);
  const sampleCount = Math.max(params.maxMarkets, Math.ceil(params.maxMarkets * params.selectSampleFactor));
  const toSample = new Set([...prelim.slice(0, sampleCount).map((c) => c.ticker), ...[...current].filter((t) => eligible.some((m) => m.ticker === t))]);
  const windowMs = options.windowMs ?? 3_600_000;
  const candidates: Candidate[] = [];
  for (const market of eligible) {
    if (!toSample.has(market.ticker)) {
      candidates.push(scoreMarket(market, undefined, params));
      continue;
    }
    const trades: PublicTrade[] = [];
    try {
      for await (const trade of port.listTrades({ ticker: market.ticker, minTsMs: nowMs - windowMs })) {
        trades.push(trade);
        if (trades.length >= params.selectMaxTradesPerMarket) break;
      }
    } catch {
      // A failed sample leaves the preliminary score; the market is not dropped for it.
    }
    candidates.push(scoreMarket(market, trades.length > 0 ? tradeStats(trades) : undefined, params, true));
  }
  // Only sampled markets compete: an unsampled one's score rests on an assumed σ.
  const ranked = rankCandidates(candidates.filter((c) => c.sampled), current, params);
  candidates.sort((a, b) => b.score - a.score);
  const selected = options.fillUnscored ? fillUnscored(ranked, candidates, current, params.maxMarkets) : ranked;
  return { atMs: nowMs, selected, candidates, scanned, rejected, fillers: selected.length - ranked.length };
}

/**
 * The delay before each rescan: `marketRefreshIntervalMs` once `maxMarkets` markets score above 0;
 * while fewer do (a young exchange, missing data), `selectRescanBackoffMs`, doubled per under-filled
 * rescan up to the interval, so markets are picked up as their first trades come in without a scan
 * storm on a universe that stays small. A failed scan counts as under-filled.
 */
export class RescanBackoff {
  private delayMs: number;

  constructor(private readonly params: { readonly maxMarkets: number; readonly marketRefreshIntervalMs: number; readonly selectRescanBackoffMs: number }) {
    this.delayMs = params.selectRescanBackoffMs;
  }

  /** Returns the delay after a scan that gave `result` (undefined: the scan failed), ms. */
  next(result: SelectionResult | undefined): number {
    const { maxMarkets, marketRefreshIntervalMs, selectRescanBackoffMs } = this.params;
    const scored = result ? result.selected.length - result.fillers : 0;
    if (scored >= maxMarkets) {
      this.delayMs = selectRescanBackoffMs;
      return marketRefreshIntervalMs;
    }
    const delayMs = Math.min(this.delayMs, marketRefreshIntervalMs);
    this.delayMs = Math.min(this.delayMs * 2, marketRefreshIntervalMs);
    return delayMs;
  }
}
