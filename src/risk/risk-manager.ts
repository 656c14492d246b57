/**
 * `RiskManager`: positions and PnL per market (fed by our fills and reconciles), the kill switch, loss
 * limits and the sizing the maker applies to every set of desired quotes. Pure and synchronous; the
 * maker calls, each cycle:
 *
 *   const verdict = risk.check(ticker, nowMs, snapshot);   // cancel / stop quoting?
 *   const sized = risk.sizeQuotes(desired, snapshot);       // cut sizes so no fill breaches a limit
 *
 * Loss limits latch: a market that hit its loss limit stays halted until `resetMarketHalt`; the daily
 * limit halts every market until the next UTC day. The kill switch halts everything and asks the maker
 * to cancel every resting order until `resetKillSwitch`.
 */
import {
  COUNT_SCALE,
  CASH_SCALE,
  PRICE_SCALE,
  floorToWholeContracts,
  silentLogger,
  type Cash,
  type Count,
  type DesiredQuote,
  type DesiredQuotes,
  type FeeSchedule,
  type Fill,
  type Logger,
  type MarketResult,
  type Position,
  type Price,
} from '../core/index.js';
import type { MarketSnapshot } from '../marketdata/index.js';
import { MarketLedger } from './ledger.js';
import {
  lockAfter,
  lockNow,
  quoteCollateral,
  splitSide,
  type CollateralContext,
  type QuoteTerms,
  type SideOrders,
} from './side-collateral.js';
import { largestAffordable, priceSigmaCentsPerSqrtSec, sideCapacity, VolatilityCache, volatilitySizeMultiplier } from './sizing.js';
import type {
  HaltReason,
  KillSwitchState,
  MarketRiskFigures,
  RestingOrder,
  RiskCheck,
  RiskLimits,
  SizeCutReason,
  SizedQuotes,
} from './types.js';

const DAY_MS = 86_400_000;
const RECENT_FILL_IDS = 4_096;

/**
 * Returns whether a valid book with these best prices (Price units; undefined = side empty) has a mid
 * to mark a position at: two-sided and no wider than `maxSpreadCents`. The backtest's metrics mark by
 * it too, so a run's drawdown, markouts and valuation see the prices the risk manager does.
 */
export function markableSpread(bestBid: number | undefined, bestAsk: number | undefined, maxSpreadCents: number): boolean {
  if (bestBid === undefined || bestAsk === undefined) return false;
  return bestAsk - bestBid <= (maxSpreadCents * PRICE_SCALE) / 100;
}

/** Returns whether `snapshot`'s mid is a price to mark a position at: fresh, two-sided and no wider than `maxSpreadCents`. */
function markable(snapshot: MarketSnapshot, maxSpreadCents: number): snapshot is MarketSnapshot & { mid: number } {
  return !snapshot.stale && snapshot.mid !== undefined && markableSpread(snapshot.bestBid, snapshot.bestAsk, maxSpreadCents);
}

/** Worst-case use of limits by one market's resting quotes. */
interface Commitment {
  readonly contracts: number;
  readonly exposure: number;
  /**
   * Collateral the exchange locks for the market's orders while its requests fly, Cash; absent when
   * sized without a balance (nothing to budget then: computed from `bid`, `ask` and `fees` on demand).
   */
  readonly cash?: number;
  /** The quotes sized, which the maker then sends: what rests (or is on its way) next cycle. */
  readonly bid?: QuoteTerms;
  readonly ask?: QuoteTerms;
  readonly fees?: FeeSchedule;
}

/** Other markets' use of the limits and the balance. */
interface UsedElsewhere {
  readonly contracts: number;
  readonly exposure: number;
  readonly cash: number;
}

/** The balance a side may use and what decides its orders' collateral. */
interface SideBudget {
  /** Cash the side's orders may lock in all (after other markets and this market's other side), Cash. */
  readonly budget: number;
  /** Our orders on the side, as the new quote's request will meet them. */
  readonly orders: SideOrders;
  readonly context: CollateralContext;
}

/** One side after sizing: the quote (absent when cut to zero) and the binding limit. */
interface SideSizing {
  readonly quote?: DesiredQuote;
  readonly cut?: SizeCutReason;
}

/** Construction options of a `RiskManager`. */
export interface RiskManagerOptions {
  readonly logger?: Logger;
  /**
   * Returns our orders of a market (resting, or with a request in flight) as the order manager knows
   * them — the maker's `orders.orders()` fits — or undefined when unknown. The balance sizing needs
   * them: the exchange checks each request against the collateral of what rests at that moment. Without
   * it the quotes sized the cycle before stand in for the orders, which is exact only while every
   * request the maker sent was accepted and has landed.
   */
  readonly restingOrders?: (ticker: string) => readonly RestingOrder[] | undefined;
}

/** Positions, PnL, limits and the kill switch (see the file comment). */
export class RiskManager {
  private readonly ledgers = new Map<string, MarketLedger>();
  private readonly commitments = new Map<string, Commitment>();
  private readonly seenFills = new Set<string>();
  /** Markets that had a fill or a sync: a later sync's PnL change counts toward the day. */
  private readonly touched = new Set<string>();
  private balance: number | undefined;
  private kill: KillSwitchState = { tripped: false };
  private day: number | undefined;
  private dayStartPnl = 0;
  /** PnL earlier runs made on UTC day `day` (from the journal): it counts toward that day's limit only. */
  private carried: { readonly day: number; readonly pnl: number } | undefined;
  private readonly takenOver = new Set<string>(); // with a carry: positions found at start, not marked yet
  private dailyHalted = false;
  private readonly logger: Logger;
  /** The per-market sizing volatility, cached for `volCacheTtlMs`. */
  readonly volatility: VolatilityCache;

  /** Our orders of a market as the order manager knows them (see `RiskManagerOptions.restingOrders`). */
  private readonly restingOrders: ((ticker: string) => readonly RestingOrder[] | undefined) | undefined;

  constructor(
    readonly limits: RiskLimits,
    options: RiskManagerOptions = {},
  ) {
    this.volatility = new VolatilityCache(limits.volCacheTtlMs);
    this.logger = options.logger ?? silentLogger;
    this.restingOrders = options.restingOrders;
  }

  /** Applies one of our fills (duplicates by trade id are ignored: WS and REST may both report it). */
  onFill(fill: Fill): void {
    const key = `${fill.tradeId}:${fill.orderId}`;
    if (this.seenFills.has(key)) return;
    this.seenFills.add(key);
    if (this.seenFills.size > RECENT_FILL_IDS) {
      const oldest = this.seenFills.values().next();
      if (!oldest.done) this.seenFills.delete(oldest.value);
    }
    const ledger = this.ledger(fill.ticker);
    this.touched.add(fill.ticker);
    if (this.balance !== undefined) this.balance += fillCashFlow(ledger.position, fill);
    ledger.applyFill(fill);
  }

  /**
   * Replaces a market's position from the exchange (start-up and after a reconnect). The first sync of
   * a market brings in PnL made before this process started: it moves the day's baseline too, so it
   * is not counted as today's loss. Later syncs (after a reconnect, revealing fills we missed) count.
   */
  syncPosition(position: Position): void {
    const ledger = this.ledger(position.ticker);
    const first = !this.touched.has(position.ticker);
    const before = ledger.totalPnlCash();
    ledger.sync(position);
    if (first) this.dayStartPnl += ledger.totalPnlCash() - before;
    if (first && this.carried !== undefined && ledger.mark === undefined && ledger.position !== 0) this.takenOver.add(position.ticker);
    this.touched.add(position.ticker);
  }

  /**
   * Closes `ticker`'s position at its settlement payout ($1 a YES contract on `yes`, $0 on `no`): the
   * exchange pays it out and stops listing it, so neither the position check nor a restart would
   * clear it. The difference to the last mark counts toward the day. Other results change nothing.
   */
  settle(ticker: string, result: MarketResult | undefined): void {
    const ledger = this.ledgers.get(ticker);
    if (!ledger || ledger.position === 0 || (result !== 'yes' && result !== 'no')) return;
    // The winning side is paid $1 a contract; the collateral locked for it was already spent (fillCashFlow).
    const won = (result === 'yes') === ledger.position > 0;
    if (this.balance !== undefined && won) this.balance += Math.floor((Math.abs(ledger.position) * PRICE_SCALE) / COUNT_SCALE);
    ledger.trade(-ledger.position, result === 'yes' ? PRICE_SCALE : 0);
    this.touched.add(ticker);
  }

  /**
   * Sets the cash available for new orders (from `getBalance`). Between two calls the balance follows
   * our fills (see `fillCashFlow`), so sizing never relies on cash already spent.
   */
  setBalance(balance: Cash): void {
    this.balance = balance;
  }

  /** Returns the signed position of `ticker` (hundredths; 0 when unknown). */
  position(ticker: string): Count {
    return (this.ledgers.get(ticker)?.position ?? 0) as Count;
  }

  /** Trips the kill switch: every market stops and the maker must cancel every resting order. */
  tripKillSwitch(reason: string, nowMs: number): void {
    if (this.kill.tripped) return;
    this.kill = { tripped: true, reason, atMs: nowMs };
    this.logger.error({ reason, atMs: nowMs }, 'kill switch tripped');
  }

  /** Clears the kill switch (an operator's decision). */
  resetKillSwitch(): void {
    this.kill = { tripped: false };
  }

  /** Returns the kill switch state. */
  killSwitch(): KillSwitchState {
    return this.kill;
  }

  /** Lifts a market's loss-limit halt (an operator's decision). */
  resetMarketHalt(ticker: string): void {
    const ledger = this.ledgers.get(ticker);
    if (ledger) ledger.halted = false;
  }

  /**
   * Returns whether `ticker` may be quoted at `nowMs` and what must be cancelled. A snapshot, when
   * given, marks the position to its mid (unless stale or wider than `maxMarketSpreadCents`: the last
   * mark stands) and supplies staleness, status and close time.
   */
  check(ticker: string, nowMs: number, snapshot?: MarketSnapshot): RiskCheck {
    const ledger = this.ledger(ticker);
    if (snapshot !== undefined && markable(snapshot, this.limits.maxMarketSpreadCents)) {
      const before = ledger.totalPnlCash();
      ledger.mark = snapshot.mid;
      // An earlier run today counted this position's marks: take it over at the first, not from its cost.
      if (this.takenOver.delete(ticker)) this.dayStartPnl += ledger.totalPnlCash() - before;
    }
    this.rollDay(nowMs);
    const reasons: HaltReason[] = [];
    if (this.kill.tripped) reasons.push('kill_switch');
    const dailyPnl = this.dailyPnl(nowMs);
    if (!this.dailyHalted && dailyPnl <= -this.limits.maxDailyLossDollars * CASH_SCALE) {
      this.dailyHalted = true;
      this.logger.warn(
        { dailyPnl, limit: this.limits.maxDailyLossDollars },
        'daily loss limit reached: quoting halted until the next UTC day',
      );
    }
    if (this.dailyHalted) reasons.push('daily_loss_limit');
    if (!ledger.halted && ledger.totalPnlCash() <= -this.limits.maxLossPerMarketDollars * CASH_SCALE) {
      ledger.halted = true;
      this.logger.warn(
        { ticker, pnl: ledger.totalPnlCash(), limit: this.limits.maxLossPerMarketDollars },
        'market loss limit reached: quoting halted',
      );
    }
    if (ledger.halted) reasons.push('market_loss_limit');
    if (snapshot?.closeTimeMs !== undefined && snapshot.closeTimeMs - nowMs <= this.limits.stopBeforeCloseMs) reasons.push('near_close');
    if (snapshot?.status !== undefined && snapshot.status !== 'active') reasons.push('market_closed');
    if (snapshot?.stale) reasons.push('stale_market');
    const cancelOrders = reasons.some((r) => r !== 'market_closed');
    if (reasons.length > 0) this.commitments.delete(ticker);
    return { canQuote: reasons.length === 0, cancelOrders, cancelAll: this.kill.tripped, reasons };
  }

  /**
   * Returns `desired` with sizes scaled by volatility and cut so that no fill of either side can take
   * a position or exposure past a limit, and so that the exchange accepts every order the maker sends
   * for them: each order's collateral (the exchange's rule, `quoteCollateral`) fits the balance left
   * after the other markets' quotes and whatever this market's other side holds. A side cut below one
   * contract is removed. Records the result as this market's resting commitment.
   *
   * Our own orders of the market come from `restingOrders` (resting, or with a create, amend, decrease
   * or cancel still in flight); without it the quotes sized the cycle before stand in for them. The
   * exchange checks each request alone against the lock of what rests at that moment
   * (need = new lock − current lock ≤ cash − locked), and the maker sends both sides' requests at once,
   * so a side is sized against the larger of the other side's resting and new collateral: whichever
   * request arrives first, it fits.
   */
  sizeQuotes(desired: DesiredQuotes, snapshot: MarketSnapshot): SizedQuotes {
    const ticker = snapshot.ticker;
    const sigma = this.volatility.get(ticker, snapshot.nowMs, () => priceSigmaCentsPerSqrtSec(snapshot));
    const l = this.limits;
    const multiplier = volatilitySizeMultiplier(
      sigma,
      l.sizeVolReferenceCentsPerSqrtSec,
      l.sizeVolScaling,
      l.minSizeMultiplier,
      l.maxSizeMultiplier,
    );
    const used = this.usedElsewhere(ticker);
    const context: CollateralContext = { position: this.ledger(ticker).position, fees: snapshot.fees, takerReserve: l.postOnly === false };
    let bid: SideSizing | undefined;
    let ask: SideSizing | undefined;
    let locked: number | undefined;
    if (this.balance === undefined) {
      bid = desired.bid && this.sizeSide(desired.bid, snapshot, multiplier, used, undefined);
      ask = desired.ask && this.sizeSide(desired.ask, snapshot, multiplier, used, undefined);
    } else {
      const budget = this.balance - used.cash;
      const resting = this.restingOrders?.(ticker);
      const last = this.commitments.get(ticker);
      const bids = splitSide('bid', desired.bid?.price ?? last?.bid?.price ?? (0 as Price), resting, last?.bid);
      const asks = splitSide('ask', desired.ask?.price ?? last?.ask?.price ?? (0 as Price), resting, last?.ask);
      const bidHeld = lockNow(bids, context);
      const askHeld = lockNow(asks, context);
      // The bid's request may land before the ask's: it fits beside the ask's current lock. The ask's
      // may land before or after the bid's: it fits beside the larger of the bid's two locks.
      bid = desired.bid && this.sizeSide(desired.bid, snapshot, multiplier, used, { budget: budget - askHeld, orders: bids, context });
      const bidAfter = bid?.quote ? Math.max(bidHeld, lockAfter(bids, bid.quote, context)) : bidHeld;
      ask = desired.ask && this.sizeSide(desired.ask, snapshot, multiplier, used, { budget: budget - bidAfter, orders: asks, context });
      // What the other markets must leave free for this one until its requests have landed.
      locked = bidAfter + (ask?.quote ? Math.max(askHeld, lockAfter(asks, ask.quote, context)) : askHeld);
    }
    // Plain assignments, not conditional spreads: this runs every quote cycle of every market.
    const quotes: { -readonly [K in keyof DesiredQuotes]: DesiredQuotes[K] } = { ticker };
    if (bid?.quote) quotes.bid = bid.quote;
    if (ask?.quote) quotes.ask = ask.quote;
    this.commitments.set(ticker, this.commitment(quotes, context, locked));
    const sized: { -readonly [K in keyof SizedQuotes]: SizedQuotes[K] } = {
      quotes,
      sizeMultiplier: multiplier,
      sigmaCentsPerSqrtSec: sigma,
    };
    if (bid?.cut) sized.bidCut = bid.cut;
    if (ask?.cut) sized.askCut = ask.cut;
    return sized;
  }

  /** Forgets a market's resting commitment (after its orders were cancelled). */
  releaseQuotes(ticker: string): void {
    this.commitments.delete(ticker);
  }

  /** Returns the accounting figures of every market seen. */
  figures(): readonly MarketRiskFigures[] {
    return [...this.ledgers.values()].map((l) => ({
      ticker: l.ticker,
      position: l.position,
      exposure: l.exposureCash(),
      realizedPnl: l.realizedCash(),
      unrealizedPnl: l.unrealizedCash(),
      fees: l.fees,
      totalPnl: l.totalPnlCash(),
      halted: l.halted,
    }));
  }

  /** Returns today's (UTC) PnL so far, Cash units: this process's plus the `carryDailyPnl` of today. */
  dailyPnl(nowMs: number): number {
    this.rollDay(nowMs);
    return this.totalPnl() - this.dayStartPnl + this.earlierDailyPnl(nowMs);
  }

  /** Adds `pnl` (Cash units), made by earlier runs on the UTC day of `nowMs`, to that day's PnL. */
  carryDailyPnl(nowMs: number, pnl: number): void {
    this.carried = { day: Math.floor(nowMs / DAY_MS), pnl };
  }

  /** Returns the part of `dailyPnl(nowMs)` made by earlier runs (0 on any other day than the carry's). */
  earlierDailyPnl(nowMs: number): number {
    return this.carried?.day === Math.floor(nowMs / DAY_MS) ? this.carried.pnl : 0;
  }

  private sizeSide(
    quote: DesiredQuote,
    snapshot: MarketSnapshot,
    multiplier: number,
    used: UsedElsewhere,
    balance: SideBudget | undefined,
  ): SideSizing {
    const ledger = this.ledger(snapshot.ticker);
    const q = ledger.position;
    const isBid = quote.side === 'bid';
    const sameDirection = isBid ? q >= 0 : q <= 0;
    const capacity = sideCapacity({
      reduce: isBid ? Math.max(0, -q) : Math.max(0, q),
      sameDirectionPosition: sameDirection ? Math.abs(q) : 0,
      sameDirectionExposure: sameDirection ? ledger.exposureCash() : 0,
      costPerContract: isBid ? quote.price : PRICE_SCALE - quote.price,
      maxPosition: this.limits.maxPositionContracts * COUNT_SCALE,
      maxMarketExposure: this.limits.maxMarketExposureDollars * CASH_SCALE,
      portfolioContractsUsed: used.contracts,
      maxPortfolioContracts: this.limits.maxPortfolioContracts * COUNT_SCALE,
      portfolioExposureUsed: used.exposure,
      maxPortfolioExposure: this.limits.maxPortfolioExposureDollars * CASH_SCALE,
    });
    const target = Math.round(quote.count * multiplier);
    let count = floorToWholeContracts(Math.min(target, capacity.count) as Count);
    let cut: SizeCutReason | undefined;
    if (capacity.count < target) cut = capacity.binding;
    if (balance !== undefined && count > 0) {
      const affordable = largestAffordable(balance.budget, count, (c) =>
        lockAfter(balance.orders, { side: quote.side, price: quote.price, count: c }, balance.context),
      );
      if (affordable < count) {
        count = affordable;
        cut = 'balance';
      }
    }
    if (count <= 0) return { cut: cut ?? 'below_one_contract' };
    return { quote: { ...quote, count }, ...(cut ? { cut } : {}) };
  }

  /** Other markets' positions plus the worst case of their resting quotes. */
  private usedElsewhere(ticker: string): UsedElsewhere {
    let contracts = 0;
    let exposure = 0;
    let cash = 0;
    for (const [t, ledger] of this.ledgers) {
      if (t === ticker) continue;
      contracts += Math.abs(ledger.position);
      exposure += ledger.exposureCash();
    }
    for (const [t, c] of this.commitments) {
      if (t === ticker) continue;
      contracts += c.contracts;
      exposure += c.exposure;
      cash += c.cash ?? this.collateralOf(t, c);
    }
    return { contracts, exposure, cash };
  }

  /**
   * Worst-case increase of |position| and exposure if one side fills; collateral of both sides
   * (`locked` when known: the market's lock while its requests are in flight).
   */
  private commitment(quotes: DesiredQuotes, context: CollateralContext, locked: number | undefined): Commitment {
    const q = context.position;
    const openBid = quotes.bid ? Math.max(0, quotes.bid.count - Math.max(0, -q)) : 0;
    const openAsk = quotes.ask ? Math.max(0, quotes.ask.count - Math.max(0, q)) : 0;
    const bidExposure = quotes.bid ? (openBid * quotes.bid.price) / COUNT_SCALE : 0;
    const askExposure = quotes.ask ? (openAsk * (PRICE_SCALE - quotes.ask.price)) / COUNT_SCALE : 0;
    // Plain assignments: this runs every cycle, and without a balance the collateral is not needed.
    const commitment: { -readonly [K in keyof Commitment]: Commitment[K] } = {
      contracts: Math.max(openBid, openAsk),
      exposure: Math.ceil(Math.max(bidExposure, askExposure)),
      fees: context.fees,
    };
    if (locked !== undefined) commitment.cash = locked;
    if (quotes.bid) commitment.bid = quotes.bid;
    if (quotes.ask) commitment.ask = quotes.ask;
    return commitment;
  }

  /** The collateral of a commitment sized before a balance was known, at the market's position now. */
  private collateralOf(ticker: string, c: Commitment): number {
    if (c.fees === undefined) return 0;
    const context: CollateralContext = { position: this.position(ticker), fees: c.fees, takerReserve: this.limits.postOnly === false };
    return (c.bid ? quoteCollateral(c.bid, context) : 0) + (c.ask ? quoteCollateral(c.ask, context) : 0);
  }

  private ledger(ticker: string): MarketLedger {
    let ledger = this.ledgers.get(ticker);
    if (!ledger) {
      ledger = new MarketLedger(ticker);
      this.ledgers.set(ticker, ledger);
    }
    return ledger;
  }

  private totalPnl(): number {
    let total = 0;
    for (const ledger of this.ledgers.values()) total += ledger.totalPnlCash();
    return total;
  }

  private rollDay(nowMs: number): void {
    const day = Math.floor(nowMs / DAY_MS);
    if (this.day === day) return;
    if (this.day !== undefined && day < this.day) return;
    this.day = day;
    this.dayStartPnl = this.totalPnl();
    this.dailyHalted = false;
  }
}

/**
 * Returns the change of cash of a fill in Cash units, rounded down (conservative). On Kalshi a YES and
 * a NO contract net to $1: buying YES at p pays p per contract opened and returns 1 − p per NO contract
 * it closes; selling YES (buying NO at 1 − p) pays 1 − p per contract opened and returns p per YES
 * contract closed. Fees are paid on top.
 */
export function fillCashFlow(positionBefore: number, fill: Fill): number {
  const isBid = fill.side === 'bid';
  const reduce = Math.min(fill.count, Math.max(0, isBid ? -positionBefore : positionBefore));
  const open = fill.count - reduce;
  const received = isBid ? reduce * (PRICE_SCALE - fill.price) : reduce * fill.price;
  const paid = isBid ? open * fill.price : open * (PRICE_SCALE - fill.price);
  return Math.floor((received - paid) / COUNT_SCALE) - fill.fee;
}
