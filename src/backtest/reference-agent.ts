/**
 * A small Avellaneda–Stoikov quoter (quoting-models.md §1; the formula is strategy's
 * `avellanedaStoikov`, σ is marketdata's `RollingTradeStdDev`) that trades through the `ExchangePort`
 * it is given. It exists so the backtester can be tested and benchmarked on its own;
 * `kalshi-mm backtest` runs the bot's MarketMaker (see `maker-agent.ts`) whenever it is available.
 *
 * Units: prices in cents (so the design's κ grid 0.5…5 is per cent), σ = sample standard deviation of
 * trade prices over the last 60 s in cents (marketdata's `RollingTradeStdDev`: n − 1, the last value
 * when fewer than two trades are in the window, 1¢ before any), horizon T − t = 1
 * (one volatility window), q = inventory in contracts.
 *   r = s − q·γ·σ²          spread = γ·σ² + (2/γ)·ln(1 + γ/κ)
 *   bid = floor(r − spread/2), ask = ceil(r + spread/2), kept inside 1…99¢ and off the opposite best.
 */
import { contracts, L2Book, PRICE_SCALE, TickGrid, type ExchangePort, type PortEvent, type Price } from '../core/index.js';
import { RollingTradeStdDev } from '../marketdata/index.js';
import { avellanedaStoikov, type AvellanedaStoikovQuotes } from '../strategy/index.js';
import type { AgentContext, BacktestAgent, RunParams } from './agent.js';

/** Window of the volatility estimate. */
export const VOL_WINDOW_MS = 60_000;
const FALLBACK_SIGMA_CENTS = 1;

/** Returns the A-S quotes in cents (floats) for mid `s`, inventory `q`, volatility `sigma`, horizon 1 (strategy's `avellanedaStoikov`). */
export function referenceQuotes(s: number, q: number, sigma: number, gamma: number, kappa: number): AvellanedaStoikovQuotes {
  return avellanedaStoikov({ mid: s, inventory: q, sigma, gamma, kappa, horizon: 1 });
}

/** Options of the reference agent beyond the grid parameters. */
export interface ReferenceAgentOptions {
  /** Contracts per quote. */
  readonly sizeContracts: number;
  /** Minimum time between re-quotes. */
  readonly requoteMs: number;
}

/** Builds reference agents. */
export function referenceAgentFactory(options: ReferenceAgentOptions = { sizeContracts: 10, requoteMs: 1_000 }) {
  return (context: AgentContext<RunParams>): BacktestAgent => new ReferenceAgent(context, options);
}

class ReferenceAgent implements BacktestAgent {
  private readonly book: L2Book;
  private readonly volatility = new RollingTradeStdDev(VOL_WINDOW_MS);
  private inventory = 0;
  private readonly live = new Map<'bid' | 'ask', { orderId: string; price: Price }>();
  private lastQuoteMs = -Infinity;
  private grid = TickGrid.linearCent();
  private seq = 0;
  private readonly port: ExchangePort;

  constructor(
    private readonly context: AgentContext<RunParams>,
    private readonly options: ReferenceAgentOptions,
  ) {
    this.book = new L2Book(context.ticker);
    this.port = context.port;
  }

  onEvent(event: PortEvent): Promise<void> | undefined {
    switch (event.type) {
      case 'market':
        if (event.grid) this.grid = event.grid;
        return undefined;
      case 'book_snapshot':
        this.book.applySnapshot(event.yes, event.no);
        break;
      case 'book_delta':
        this.book.applyDelta(event.side, event.price, event.delta);
        break;
      case 'stale':
        this.book.markStale();
        return this.pull();
      case 'trade':
        this.volatility.add(event.recvMs, event.trade.price / 100);
        break;
      case 'fill':
        this.inventory += (event.fill.side === 'bid' ? 1 : -1) * (event.fill.count / 100);
        return undefined;
      case 'order':
        if (event.order.status !== 'resting') {
          const mine = this.live.get(event.order.side);
          if (mine?.orderId === event.order.orderId) this.live.delete(event.order.side);
        }
        return undefined;
      default:
        return undefined;
    }
    const now = this.context.clock.nowMs();
    if (now - this.lastQuoteMs < this.options.requoteMs) return undefined;
    this.lastQuoteMs = now;
    return this.requote(now);
  }

  private async requote(now: number): Promise<void> {
    const mid = this.book.isValid ? this.book.mid() : undefined;
    if (mid === undefined) return this.pull();
    const sigma = this.volatility.value(now) ?? FALLBACK_SIGMA_CENTS;
    const q = referenceQuotes(mid / 100, this.inventory, sigma, this.context.params.gamma, this.context.params.kappa);
    const bestBid = this.book.bestBid();
    const bestAsk = this.book.bestAsk();
    // Model prices (cents) onto the market's grid toward the passive side, never crossing the book.
    let bid = this.grid.floor(Math.min(q.bid * 100, bestAsk === undefined ? PRICE_SCALE : bestAsk - 1));
    let ask = this.grid.ceil(Math.max(q.ask * 100, bestBid === undefined ? 0 : bestBid + 1));
    if (bid !== undefined && bid < this.grid.minPrice) bid = undefined;
    if (ask !== undefined && ask > this.grid.maxPrice) ask = undefined;
    await this.place('bid', bid);
    await this.place('ask', ask);
  }

  private async place(side: 'bid' | 'ask', price: Price | undefined): Promise<void> {
    const current = this.live.get(side);
    if (current && current.price === price) return;
    if (current) {
      this.live.delete(side);
      await this.port.cancelOrder(current.orderId, this.context.ticker).catch(() => undefined);
    }
    if (price === undefined || price <= 0 || price >= PRICE_SCALE) return;
    try {
      const ack = await this.port.createOrder({
        ticker: this.context.ticker,
        side,
        price,
        count: contracts(this.options.sizeContracts),
        timeInForce: 'good_till_canceled',
        postOnly: true,
        selfTradePrevention: 'maker',
        clientOrderId: `ref-${side}-${++this.seq}`,
      });
      this.live.set(side, { orderId: ack.orderId, price });
    } catch {
      // A post-only cross or a closed market: no quote on this side until the next re-quote.
    }
  }

  private async pull(): Promise<void> {
    for (const side of ['bid', 'ask'] as const) await this.place(side, undefined);
  }

  async finish(): Promise<void> {
    await this.pull();
  }
}
