/**
 * `DashboardFeed`: turns the bot's status snapshots, fills and selections into the dashboard's view
 * model (plain JSON: prices in cents, cash in dollars, counts in contracts) and keeps the time series
 * the charts draw (PnL and inventory), bounded. Read-only: it never talks to the bot.
 */
import type { Fill } from '../core/index.js';
import { inheritedLabel, pausedLabel, unwindLabel, type BotStatus, type MarketStatusEntry, type SelectionResult } from '../bot/index.js';

/** Why a zero-score market of an under-filled selection is traded (bot/selection.ts `fillUnscored`). */
export const FILLER_REASON = 'no flow yet: tightest spread';

/** One traded market as the page shows it. */
export interface DashboardMarket {
  readonly ticker: string;
  readonly score?: number;
  /** Why the market is traded ("score rank 2 of 14", "fallback: tightest spread", "--markets"). */
  readonly chosen?: string;
  readonly state: string;
  readonly bestBidCents?: number;
  readonly bestAskCents?: number;
  readonly ourBidCents?: number;
  readonly ourAskCents?: number;
  readonly ourBidContracts: number;
  readonly ourAskContracts: number;
  readonly positionContracts: number;
  readonly pnlDollars: number;
  readonly fills: number;
  readonly stale: boolean;
  readonly health: string;
  readonly ageMs?: number;
}

/** One recent fill as the page shows it. */
export interface DashboardFill {
  readonly tsMs: number;
  readonly ticker: string;
  readonly side: string;
  readonly priceCents: number;
  readonly contracts: number;
  readonly feeDollars: number;
  readonly maker: boolean;
}

/** Everything the page draws. */
export interface DashboardSnapshot {
  readonly seq: number;
  readonly nowMs: number;
  readonly env: string;
  readonly state: string;
  readonly connected: boolean;
  readonly tradingActive: boolean;
  readonly rateHeadroom?: number;
  readonly killSwitch?: string;
  readonly errors: number;
  readonly lastError?: string;
  /** Positions found different from the exchange's by the periodic check (and adopted). */
  readonly positionMismatches: number;
  readonly totals: {
    readonly pnlDollars: number;
    readonly dailyPnlDollars: number;
    readonly absPositionContracts: number;
    readonly fills: number;
    readonly restingOrders: number;
  };
  readonly markets: readonly DashboardMarket[];
  readonly fills: readonly DashboardFill[];
  readonly selection?: {
    readonly atMs: number;
    readonly scanned: number;
    readonly candidates: number;
    readonly top: readonly { readonly ticker: string; readonly score: number }[];
  };
  /** Chart series: seconds since epoch, PnL dollars, Σ|position| contracts. */
  readonly history: { readonly t: readonly number[]; readonly pnl: readonly number[]; readonly inventory: readonly number[] };
}

/** Options of `DashboardFeed`. */
export interface DashboardFeedOptions {
  readonly env: string;
  /** Rate-limit headroom 0–1, when known. */
  readonly rateHeadroom?: () => number | undefined;
  /** Points kept per series. Default 3 600. */
  readonly historyLength?: number;
  /** Fills kept. Default 50. */
  readonly fillsLength?: number;
  /** Why each fixed market is traded (markets of a selection get their rank when it arrives). */
  readonly chosen?: ReadonlyMap<string, string>;
}

function best(m: MarketStatusEntry, side: 'bid' | 'ask'): { price?: number; count: number } {
  const orders = m.orders.filter((o) => o.side === side && o.remaining > 0);
  if (orders.length === 0) return { count: 0 };
  const price = side === 'bid' ? Math.max(...orders.map((o) => o.price)) : Math.min(...orders.map((o) => o.price));
  return { price: price / 100, count: orders.filter((o) => o.price === price).reduce((s, o) => s + o.remaining, 0) / 100 };
}

function healthOf(m: MarketStatusEntry): string {
  if (!m.health.connected) return 'disconnected';
  if (m.health.paused) return pausedLabel(m.health.pausedBy);
  if (m.health.stale) return `stale${m.health.staleReason ? `: ${m.health.staleReason}` : ''}`;
  if (m.reasons.length > 0) return m.reasons.join(', ');
  return 'ok';
}

/**
 * Returns the page's rows of the markets held without a maker that were inherited (a position found
 * in a market not selected, inherit.ts): shown like traded markets, with the label saying why.
 */
export function heldMarkets(s: BotStatus): DashboardMarket[] {
  const retired = new Map(s.retired.map((r) => [r.ticker, r]));
  return (s.inherited ?? []).flatMap((i) => {
    const r = retired.get(i.ticker);
    if (!r) return [];
    return [{ ticker: i.ticker, chosen: inheritedLabel(i), state: 'held', ourBidContracts: 0, ourAskContracts: 0, positionContracts: r.position / 100, pnlDollars: r.totalPnl / 10_000, fills: 0, stale: false, health: 'not quoted' }];
  });
}

/** Returns the page's view of one market; `chosen` says why it is traded. */
export function toDashboardMarket(m: MarketStatusEntry, chosen?: string): DashboardMarket {
  const bid = best(m, 'bid');
  const ask = best(m, 'ask');
  return {
    ticker: m.ticker,
    ...(m.score !== undefined ? { score: m.score } : {}),
    ...(chosen !== undefined ? { chosen } : {}),
    state: m.state,
    ...(m.bestBid !== undefined ? { bestBidCents: m.bestBid / 100 } : {}),
    ...(m.bestAsk !== undefined ? { bestAskCents: m.bestAsk / 100 } : {}),
    ...(bid.price !== undefined ? { ourBidCents: bid.price } : {}),
    ...(ask.price !== undefined ? { ourAskCents: ask.price } : {}),
    ourBidContracts: bid.count,
    ourAskContracts: ask.count,
    positionContracts: m.position / 100,
    pnlDollars: (m.risk?.totalPnl ?? 0) / 10_000,
    fills: m.fills,
    stale: m.health.stale,
    health: healthOf(m),
    ...(m.health.ageMs !== undefined ? { ageMs: m.health.ageMs } : {}),
  };
}

/** The dashboard's model (see the file comment). */
export class DashboardFeed {
  private seq = 0;
  private status: BotStatus | undefined;
  private readonly fills: DashboardFill[] = [];
  private selection: DashboardSnapshot['selection'];
  private readonly t: number[] = [];
  private readonly pnl: number[] = [];
  private readonly inventory: number[] = [];
  private readonly listeners = new Set<(snapshot: DashboardSnapshot) => void>();
  private readonly chosen: Map<string, string>;

  constructor(private readonly options: DashboardFeedOptions) {
    this.chosen = new Map(options.chosen ?? []);
  }

  /** Takes a status snapshot: appends a chart point and notifies subscribers. */
  onStatus(status: BotStatus): void {
    this.status = status;
    const limit = this.options.historyLength ?? 3_600;
    this.t.push(status.nowMs / 1000);
    this.pnl.push(status.totals.pnl / 10_000);
    this.inventory.push(status.totals.absPosition / 100);
    if (this.t.length > limit) {
      this.t.shift();
      this.pnl.shift();
      this.inventory.shift();
    }
    this.publish();
  }

  /** Takes one of our fills. */
  onFill(fill: Fill): void {
    this.fills.unshift({
      tsMs: fill.tsMs,
      ticker: fill.ticker,
      side: fill.side,
      priceCents: fill.price / 100,
      contracts: fill.count / 100,
      feeDollars: fill.fee / 10_000,
      maker: !fill.isTaker,
    });
    if (this.fills.length > (this.options.fillsLength ?? 50)) this.fills.pop();
  }

  /** Takes a market selection. */
  onSelection(result: SelectionResult): void {
    this.selection = {
      atMs: result.atMs,
      scanned: result.scanned,
      candidates: result.candidates.length,
      top: result.candidates.slice(0, 10).map((c) => ({ ticker: c.ticker, score: c.score })),
    };
    const scored = result.selected.length - result.fillers;
    result.selected.forEach((c, i) =>
      this.chosen.set(c.ticker, i < scored ? `score rank ${i + 1} of ${result.candidates.length}` : FILLER_REASON),
    );
  }

  /** Returns why each market is traded, by ticker (the status table shows it too). */
  chosenMarkets(): ReadonlyMap<string, string> {
    return this.chosen;
  }

  /** Returns the current view model, or undefined before the first status. */
  snapshot(): DashboardSnapshot | undefined {
    const s = this.status;
    if (!s) return undefined;
    const rate = this.options.rateHeadroom?.();
    return {
      seq: this.seq,
      nowMs: s.nowMs,
      env: this.options.env,
      state: s.state,
      connected: s.connected,
      tradingActive: s.tradingActive,
      ...(rate !== undefined ? { rateHeadroom: rate } : {}),
      ...(s.killSwitch.tripped ? { killSwitch: s.killSwitch.reason ?? 'tripped' } : {}),
      errors: s.errors,
      ...(s.lastError !== undefined ? { lastError: s.lastError } : {}),
      totals: {
        pnlDollars: s.totals.pnl / 10_000,
        dailyPnlDollars: s.totals.dailyPnl / 10_000,
        absPositionContracts: s.totals.absPosition / 100,
        fills: s.totals.fills,
        restingOrders: s.totals.restingOrders,
      },
      markets: [...s.markets.map((m) => toDashboardMarket(m, m.unwind ? unwindLabel(m.unwind) : this.chosen.get(m.ticker))), ...heldMarkets(s)],
      positionMismatches: s.positionChecks?.mismatches ?? 0,
      fills: [...this.fills],
      ...(this.selection ? { selection: this.selection } : {}),
      history: { t: [...this.t], pnl: [...this.pnl], inventory: [...this.inventory] },
    };
  }

  /** Calls `listener` with every new snapshot; returns the unsubscribe function. */
  subscribe(listener: (snapshot: DashboardSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private publish(): void {
    this.seq++;
    if (this.listeners.size === 0) return;
    const snapshot = this.snapshot();
    if (!snapshot) return;
    for (const listener of this.listeners) listener(snapshot);
  }
}
