/**
 * Background agents of the market generator. Each is an ordinary engine account that acts at
 * random times (Poisson arrivals in model time):
 *
 * - `LiquidityProvider`: rests post-only ladders of bids and asks around a lagging belief about the
 *   fair value (it learns a fraction of the gap at each requote, with a time constant of a few
 *   minutes, plus a slowly drifting private bias), so after news its quotes are stale; a spread of a few cents, heavy-tailed sizes that
 *   grow away from the touch, skewed against its inventory; one per market also keeps a deep order
 *   near each extreme (as seen in real books, reference/market-stats.md).
 * - `NoiseTaker`: crosses the spread with IOC orders of log-normal size (median 23, p99 ≈ 2,500
 *   contracts, market-stats.md), YES 51 % of the time, uninformed; its activity drifts between quiet
 *   spells and bursts, and rises in the last hour.
 * - `InformedTaker`: knows the fair value and takes quotes that are mispriced by more than its edge,
 *   more often the larger the mispricing, so liquidity providers face real adverse selection.
 */
import { PRICE_SCALE, type Count, type Price, type Rng, type TickGrid } from '../../core/index.js';
import { EngineRejection, type MatchingEngine } from '../matching/index.js';
import type { LiquidityProfile } from './universe.js';

const HOUR_MS = 3_600_000;
/** Noise-taker activity: time constant (model hours) and standard deviation of its log level. */
const ACTIVITY_TAU_HOURS = 2;
const ACTIVITY_SD = 1.2;

/** What an agent sees when it acts. */
export interface AgentContext {
  readonly engine: MatchingEngine;
  readonly ticker: string;
  readonly grid: TickGrid;
  /** Hidden fair YES probability now. */
  readonly fair: number;
  readonly nowMs: number;
  /** Engine time of the market's close. */
  readonly closeMs: number;
}

/** An agent acting at `nextMs` (engine time). */
export interface Agent {
  readonly accountId: string;
  nextMs: number;
  act(context: AgentContext): void;
}

/** Per-liquidity-profile behaviour, in model time. */
export interface ProfileParams {
  readonly providers: number;
  readonly requoteMeanMs: number;
  readonly halfSpread: readonly [number, number];
  readonly levels: readonly [number, number];
  readonly medianSize: number;
  readonly noisePerHour: number;
  readonly informedPerHour: number;
}

/** Profiles: busy markets print every minute or two and each provider requotes every ~3 s; thin ones trade a few times a day. */
export const PROFILES: Record<LiquidityProfile, ProfileParams> = {
  busy: { providers: 3, requoteMeanMs: 3_000, halfSpread: [0.01, 0.025], levels: [4, 8], medianSize: 150, noisePerHour: 24, informedPerHour: 8 },
  normal: { providers: 2, requoteMeanMs: 10_000, halfSpread: [0.015, 0.035], levels: [3, 6], medianSize: 80, noisePerHour: 8, informedPerHour: 3 },
  thin: { providers: 1, requoteMeanMs: 30_000, halfSpread: [0.03, 0.06], levels: [2, 4], medianSize: 40, noisePerHour: 1.5, informedPerHour: 0.5 },
};

/** Returns whole contracts drawn log-normally with the given median and log-sd, capped. */
export function logNormalContracts(rng: Rng, median: number, sigma: number, cap: number): Count {
  const value = Math.round(median * Math.exp(sigma * rng.normal()));
  return (Math.min(cap, Math.max(1, value)) * 100) as Count;
}

/** Submits an order and swallows the engine's business rejections (an agent simply does not trade). */
function tryCreate(context: AgentContext, accountId: string, side: 'bid' | 'ask', price: Price, count: Count, timeInForce: 'good_till_canceled' | 'immediate_or_cancel', postOnly: boolean): void {
  try {
    context.engine.createOrder(accountId, { ticker: context.ticker, side, price, count, timeInForce, postOnly, selfTradePrevention: 'taker_at_cross', clientOrderId: '' });
  } catch (error) {
    if (!(error instanceof EngineRejection)) throw error;
  }
}

/** A resting liquidity provider (see the file comment). */
export class LiquidityProvider implements Agent {
  nextMs: number;
  private readonly halfSpread: number;
  private readonly levels: number;
  private readonly spacingCents: number;
  /** Sizes chosen per `side:price`, mostly kept between requotes so books do not churn for nothing. */
  private sizes = new Map<string, Count>();
  /** This provider's persistent error about the fair value; drifts slowly. */
  private bias: number;
  /** What it believes the fair value is; catches up with time constant `learnMs` (model time). */
  private belief: number | undefined;
  private lastLearnMs: number;
  private readonly learnMs: number;
  /** The view its current ladder is centred on. */
  private quotedView: number | undefined;

  constructor(
    readonly accountId: string,
    private readonly rng: Rng,
    private readonly profile: ProfileParams,
    private readonly speed: number,
    startMs: number,
    private readonly keepsDeepOrders: boolean,
  ) {
    this.halfSpread = profile.halfSpread[0] + rng.next() * (profile.halfSpread[1] - profile.halfSpread[0]);
    this.levels = rng.int(profile.levels[0], profile.levels[1]);
    this.spacingCents = rng.chance(0.7) ? 1 : 2;
    this.bias = 0.006 * rng.normal();
    this.learnMs = (1 + 4 * rng.next()) * 60_000;
    this.lastLearnMs = startMs;
    this.nextMs = startMs + rng.exponential(200) / speed;
  }

  act(context: AgentContext): void {
    this.nextMs = context.nowMs + this.rng.exponential(this.profile.requoteMeanMs) / this.speed;
    const desired = this.ladder(context);
    const engine = context.engine;
    for (const order of engine.restingOrders(this.accountId, context.ticker)) {
      const key = `${order.side}:${order.price}`;
      const want = desired.get(key);
      try {
        if (want === undefined) engine.cancelOrder(this.accountId, order.orderId);
        else if (want < order.remainingCount * 0.5) engine.decreaseOrder(this.accountId, { orderId: order.orderId, reduceTo: want });
        else if (want > order.remainingCount * 2) {
          engine.amendOrder(this.accountId, { orderId: order.orderId, ticker: order.ticker, side: order.side, price: order.price, count: (order.fillCount + want) as Count });
        }
      } catch (error) {
        if (!(error instanceof EngineRejection)) throw error;
      }
      desired.delete(key);
    }
    for (const [key, count] of desired) {
      const [side, price] = key.split(':');
      tryCreate(context, this.accountId, side === 'bid' ? 'bid' : 'ask', Number(price) as Price, count, 'good_till_canceled', true);
    }
  }

  /** Returns the wanted resting size per `side:price`. */
  private ladder(context: AgentContext): Map<string, Count> {
    const { grid, fair } = context;
    const inventory = context.engine.getPositions(this.accountId).find((p) => p.ticker === context.ticker)?.position ?? 0;
    const skew = Math.max(-0.05, Math.min(0.05, (inventory / 100) * 1e-5));
    this.bias = 0.98 * this.bias + 0.0012 * this.rng.normal();
    const elapsedModelMs = (context.nowMs - this.lastLearnMs) * this.speed;
    this.lastLearnMs = context.nowMs;
    const belief = this.belief === undefined ? fair : this.belief + (fair - this.belief) * (1 - Math.exp(-elapsedModelMs / this.learnMs));
    this.belief = belief;
    const view = belief + this.bias - skew;
    // Hysteresis: re-centre only on a move worth a third of the half-spread, so books do not churn on noise.
    if (this.quotedView === undefined || Math.abs(view - this.quotedView) > this.halfSpread / 3) this.quotedView = view;
    const desired = new Map<string, Count>();
    const topBid = grid.floor(Math.round((this.quotedView - this.halfSpread) * PRICE_SCALE));
    const topAsk = grid.ceil(Math.round((this.quotedView + this.halfSpread) * PRICE_SCALE));
    const sizeFor = (key: string, level: number): Count => {
      const kept = this.sizes.get(key);
      if (kept !== undefined && this.rng.chance(0.9)) return kept;
      return logNormalContracts(this.rng, this.profile.medianSize * (1 + 0.6 * level), 0.9, 100_000);
    };
    // The top level may sit on a sub-cent tick; deeper levels sit on whole cents below (above) it.
    for (let i = 0; i < this.levels; i++) {
      const bid = topBid === undefined ? undefined : i === 0 ? topBid : grid.floor(Math.floor(topBid / 100) * 100 - (i - 1) * this.spacingCents * 100 - (topBid % 100 === 0 ? this.spacingCents * 100 : 0));
      const ask = topAsk === undefined ? undefined : i === 0 ? topAsk : grid.ceil(Math.ceil(topAsk / 100) * 100 + (i - 1) * this.spacingCents * 100 + (topAsk % 100 === 0 ? this.spacingCents * 100 : 0));
      if (bid !== undefined && (i === 0 || bid !== topBid)) desired.set(`bid:${bid}`, sizeFor(`bid:${bid}`, i));
      if (ask !== undefined && (i === 0 || ask !== topAsk)) desired.set(`ask:${ask}`, sizeFor(`ask:${ask}`, i));
    }
    this.sizes = new Map(desired);
    if (this.keepsDeepOrders) {
      desired.set(`bid:${grid.minPrice}`, (25_000 * 100) as Count);
      desired.set(`ask:${grid.maxPrice}`, (25_000 * 100) as Count);
    }
    return desired;
  }
}

/** An uninformed taker (see the file comment). */
export class NoiseTaker implements Agent {
  nextMs: number;
  /**
   * Log of the activity level: an Ornstein–Uhlenbeck process (time constant 2 h, sd 1.2) so that
   * quiet hours and busy bursts alternate, as in real markets (market-stats.md: trade gaps from
   * seconds to a day). Its exponential has mean 1, so the long-run rate stays `perHour`.
   */
  private activity: number;
  private lastMs: number;

  constructor(
    readonly accountId: string,
    private readonly rng: Rng,
    private readonly perHour: number,
    private readonly speed: number,
    startMs: number,
  ) {
    this.activity = ACTIVITY_SD * rng.normal();
    this.lastMs = startMs;
    this.nextMs = startMs + this.gap();
  }

  act(context: AgentContext): void {
    const decay = Math.exp(-((context.nowMs - this.lastMs) * this.speed) / HOUR_MS / ACTIVITY_TAU_HOURS);
    this.activity = this.activity * decay + ACTIVITY_SD * Math.sqrt(1 - decay * decay) * this.rng.normal();
    this.lastMs = context.nowMs;
    // Activity also picks up before close (market-stats.md): up to 4× in the last minutes.
    const toCloseHours = Math.max(1e-6, ((context.closeMs - context.nowMs) * this.speed) / HOUR_MS);
    const intensity = Math.min(4, Math.max(1, Math.sqrt(1 / toCloseHours))) * Math.exp(this.activity - (ACTIVITY_SD * ACTIVITY_SD) / 2);
    this.nextMs = context.nowMs + this.gap() / intensity;
    const buy = this.rng.chance(0.51);
    const top = context.engine.topOfBook(context.ticker);
    const count = logNormalContracts(this.rng, 23, 2.02, 25_000);
    // Big orders walk further into the book, so the heavy tail of sizes shows in prints too.
    const slip = (this.rng.int(0, 2) + (count > 100_000 ? 4 : count > 30_000 ? 2 : 0)) * 100;
    if (buy && top.yesAsk !== undefined) {
      const limit = context.grid.floor(Math.min(context.grid.maxPrice, top.yesAsk + slip)) ?? top.yesAsk;
      tryCreate(context, this.accountId, 'bid', limit, count, 'immediate_or_cancel', false);
    } else if (!buy && top.yesBid !== undefined) {
      const limit = context.grid.ceil(Math.max(context.grid.minPrice, top.yesBid - slip)) ?? top.yesBid;
      tryCreate(context, this.accountId, 'ask', limit, count, 'immediate_or_cancel', false);
    }
  }

  private gap(): number {
    return this.rng.exponential(HOUR_MS / this.perHour) / this.speed;
  }
}

/** A taker who knows the fair value (see the file comment). */
export class InformedTaker implements Agent {
  nextMs: number;

  constructor(
    readonly accountId: string,
    private readonly rng: Rng,
    private readonly perHour: number,
    private readonly speed: number,
    startMs: number,
  ) {
    this.nextMs = startMs + this.gap(1);
  }

  act(context: AgentContext): void {
    const { engine, grid, fair } = context;
    const top = engine.topOfBook(context.ticker);
    const mid = top.yesBid !== undefined && top.yesAsk !== undefined ? (top.yesBid + top.yesAsk) / 2 / PRICE_SCALE : fair;
    // Mispricing draws informed flow: 1× when the mid is within a cent of fair, 5× at 5¢ off.
    this.nextMs = context.nowMs + this.gap(1 + 100 * Math.max(0, Math.abs(fair - mid) - 0.01));
    const edge = 0.015 + 0.02 * this.rng.next();
    const count = logNormalContracts(this.rng, 60, 1.2, 20_000);
    const buyLimit = grid.floor(Math.round((fair - edge) * PRICE_SCALE));
    const sellLimit = grid.ceil(Math.round((fair + edge) * PRICE_SCALE));
    if (top.yesAsk !== undefined && buyLimit !== undefined && top.yesAsk <= buyLimit) {
      tryCreate(context, this.accountId, 'bid', buyLimit, count, 'immediate_or_cancel', false);
    } else if (top.yesBid !== undefined && sellLimit !== undefined && top.yesBid >= sellLimit) {
      tryCreate(context, this.accountId, 'ask', sellLimit, count, 'immediate_or_cancel', false);
    }
  }

  private gap(intensity: number): number {
    return this.rng.exponential(HOUR_MS / (this.perHour * intensity)) / this.speed;
  }
}
