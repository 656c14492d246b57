/**
 * `JournaledPort`: an ExchangePort that decorates another and writes every order call, its result and
 * every fill/order/position event to the `Journal`, so the bot needs no change to be crash-safe.
 *  - A create is journaled as an intent before the inner port sends it; its ack or error after.
 *  - A market's settlement (lifecycle `settled`) is journaled: its position was paid out.
 *  - A fill already journaled (same trade id and order id) is dropped from the event stream, so a fill
 *    delivered twice (a replay after reconnect, a backfill at start) is counted once.
 *  - Kalshi's `fill` channel has no seq and no replay: a fill made while the socket was down (or
 *    dropped with a consumer that fell behind) never arrives. After such a gap the exchange's fills
 *    since shortly before it are read over REST and the new ones are put into the stream before the
 *    reconnect is passed on, so the bot and the journal count them before quoting again.
 * Journal writes are synchronous SQLite calls (tens of µs): they add to the order path but never
 * reorder it.
 */
import {
  isRetryable,
  type AmendRequest,
  type Balance,
  type BatchCreateResult,
  type BookSnapshot,
  type CancelAck,
  type Clock,
  type DecreaseRequest,
  type ExchangePort,
  type ExchangeStatus,
  type Fill,
  type FillQuery,
  type Market,
  type MarketFilter,
  type Order,
  type OrderAck,
  type OrderQuery,
  type OrderRequest,
  type PortEvent,
  type Position,
  type PublicTrade,
  type Settlement,
  type TradeQuery,
} from '../core/index.js';
import type { Journal } from './journal.js';

function push(samples: number[], value: number): void {
  samples.push(value);
  if (samples.length > SAMPLES) samples.shift();
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Latency percentiles, ms. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

const SAMPLES = 10_000;
const FILL_RECOVERY_MARGIN_MS = 60_000;

function summarise(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
}

/** The journaling decorator (see the file comment). */
export class JournaledPort implements ExchangePort {
  /** Fills dropped as duplicates since start. */
  duplicateFills = 0;
  /** Fills the stream lost, recovered over REST after a gap. */
  recoveredFills = 0;
  private readonly lastMarketEvent = new Map<string, number>();
  private readonly tickToOrder: number[] = [];
  private readonly orderToAck: number[] = [];

  /**
   * @param now a fine-grained monotonic time in ms for latency figures (default the clock); it never
   *   reaches the journal or the bot.
   */
  constructor(
    private readonly inner: ExchangePort,
    private readonly journal: Journal,
    private readonly clock: Clock,
    private readonly now: () => number = () => clock.nowMs(),
  ) {}

  /**
   * Returns tick-to-order latency (a market-data event of a market passed to the bot → the next
   * create or amend of that market sent) and order-to-ack latency (sent → answered), over the last
   * 10 000 of each. The order is not always caused by that event (timers requote too), so this is an
   * upper bound of the bot's reaction time.
   */
  latency(): { tickToOrder: LatencySummary; orderToAck: LatencySummary } {
    return { tickToOrder: summarise(this.tickToOrder), orderToAck: summarise(this.orderToAck) };
  }

  private noteOrder(ticker: string): number {
    const at = this.now();
    const tick = this.lastMarketEvent.get(ticker);
    if (tick !== undefined) {
      push(this.tickToOrder, at - tick);
      this.lastMarketEvent.delete(ticker);
    }
    return at;
  }

  getExchangeStatus(): Promise<ExchangeStatus> {
    return this.inner.getExchangeStatus();
  }
  getMarket(ticker: string): Promise<Market> {
    return this.inner.getMarket(ticker);
  }
  listMarkets(filter?: MarketFilter): AsyncIterable<Market> {
    return this.inner.listMarkets(filter);
  }
  getOrderBook(ticker: string, depth?: number): Promise<BookSnapshot> {
    return this.inner.getOrderBook(ticker, depth);
  }
  listTrades(query: TradeQuery): AsyncIterable<PublicTrade> {
    return this.inner.listTrades(query);
  }
  subscribeMarkets(tickers: readonly string[]): Promise<void> {
    return this.inner.subscribeMarkets(tickers);
  }
  unsubscribeMarkets(tickers: readonly string[]): Promise<void> {
    return this.inner.unsubscribeMarkets(tickers);
  }

  /**
   * Returns the inner stream with fills/orders/positions journaled, duplicate fills removed and fills
   * the stream lost (see the file comment) recovered after a disconnect or an overflow.
   */
  async *events(signal?: AbortSignal): AsyncIterable<PortEvent> {
    let gapSinceMs: number | undefined;
    for await (const event of this.inner.events(signal)) {
      const now = this.clock.nowMs();
      if (event.type === 'connection') {
        if (!event.connected) gapSinceMs ??= now;
        else if (gapSinceMs !== undefined) {
          // Before the bot hears of the reconnect, so it knows the fills before it quotes again.
          yield* this.recoverFills(gapSinceMs);
          gapSinceMs = undefined;
        }
      }
      if (event.type === 'fill') {
        if (!this.journal.recordFill(event.fill, now, 'stream')) {
          this.duplicateFills++;
          continue;
        }
      } else if (event.type === 'order') {
        this.journal.orderUpdate(event.order, now);
      } else if (event.type === 'position') {
        this.journal.recordPosition(event.ticker, event.position, now);
      } else if (event.type === 'market' && event.status === 'finalized') {
        this.journal.recordSettlement(event.ticker, event.recvMs, event.result, now);
      } else if (event.type === 'book_snapshot' || event.type === 'book_delta') {
        this.lastMarketEvent.set(event.ticker, this.now());
      } else if (event.type === 'trade') {
        this.lastMarketEvent.set(event.trade.ticker, this.now());
      }
      yield event;
      // Stream-wide staleness: a disconnect (recovered again at the reconnect, above) or an overflow
      // that dropped events (nothing follows). Only after the bot has seen it and pulled its quotes:
      // the REST read may be slow, and a stale stream must not wait for it.
      if (event.type === 'stale' && event.ticker === undefined) yield* this.recoverFills(now);
    }
  }

  /**
   * Reads the exchange's fills since `sinceMs` minus a minute (clock skew; fills sent just before the
   * gap) and returns those not journaled yet as fill events. A failed read is journaled and skipped:
   * the bot's position sync after a reconnect and the next start's reconciliation still find them.
   */
  private async *recoverFills(sinceMs: number): AsyncIterable<PortEvent> {
    const recovered: Fill[] = [];
    try {
      for await (const fill of this.inner.listFills({ minTsMs: sinceMs - FILL_RECOVERY_MARGIN_MS })) {
        if (this.journal.recordFill(fill, this.clock.nowMs(), 'backfill')) recovered.push(fill);
      }
    } catch (error) {
      this.journal.action('fill_recovery_failed', this.clock.nowMs(), { data: { message: message(error) } });
    }
    this.recoveredFills += recovered.length;
    for (const fill of recovered) yield { type: 'fill', recvMs: this.clock.nowMs(), fill };
  }

  async createOrder(request: OrderRequest): Promise<OrderAck> {
    this.journal.intent(request, this.clock.nowMs());
    const sentAt = this.noteOrder(request.ticker);
    try {
      const ack = await this.inner.createOrder(request);
      push(this.orderToAck, this.now() - sentAt);
      this.journal.ack(request.clientOrderId, ack, this.clock.nowMs());
      return ack;
    } catch (error) {
      this.journal.reject(request.clientOrderId, message(error), this.clock.nowMs(), isRetryable(error));
      throw error;
    }
  }

  async createOrders(requests: readonly OrderRequest[]): Promise<readonly BatchCreateResult[]> {
    const now = this.clock.nowMs();
    for (const r of requests) this.journal.intent(r, now);
    let results: readonly BatchCreateResult[];
    try {
      results = await this.inner.createOrders(requests);
    } catch (error) {
      for (const r of requests) this.journal.reject(r.clientOrderId, message(error), this.clock.nowMs(), isRetryable(error));
      throw error;
    }
    const after = this.clock.nowMs();
    results.forEach((result, i) => {
      const id = (result.ok ? result.ack.clientOrderId : result.clientOrderId) ?? requests[i]?.clientOrderId;
      if (id === undefined) return;
      if (result.ok) this.journal.ack(id, result.ack, after);
      else this.journal.reject(id, `${result.errorCode}: ${result.message}`, after, false);
    });
    return results;
  }

  async amendOrder(request: AmendRequest): Promise<OrderAck> {
    this.journal.action('amend', this.clock.nowMs(), { orderId: request.orderId, ticker: request.ticker, data: request });
    const sentAt = this.noteOrder(request.ticker);
    const ack = await this.logged('amend_ack', request.orderId, request.ticker, () => this.inner.amendOrder(request));
    push(this.orderToAck, this.now() - sentAt);
    return ack;
  }

  decreaseOrder(request: DecreaseRequest): Promise<OrderAck> {
    this.journal.action('decrease', this.clock.nowMs(), { orderId: request.orderId, ticker: request.ticker, data: request });
    return this.logged('decrease_ack', request.orderId, request.ticker, () => this.inner.decreaseOrder(request));
  }

  async cancelOrder(orderId: string, ticker: string): Promise<CancelAck> {
    this.journal.action('cancel', this.clock.nowMs(), { orderId, ticker, data: { orderId, ticker } });
    const ack = await this.logged('cancel_ack', orderId, ticker, () => this.inner.cancelOrder(orderId, ticker));
    this.journal.orderClosed(orderId, 'canceled', this.clock.nowMs());
    return ack;
  }

  async cancelOrders(
    orders: readonly { orderId: string; ticker: string }[],
  ): Promise<readonly (CancelAck | { orderId: string; errorCode: string; message: string })[]> {
    this.journal.action('cancel_batch', this.clock.nowMs(), { data: orders });
    const results = await this.logged('cancel_batch_ack', undefined, undefined, () => this.inner.cancelOrders(orders));
    for (const r of results) if (!('errorCode' in r)) this.journal.orderClosed(r.orderId, 'canceled', this.clock.nowMs());
    return results;
  }

  async cancelAll(): Promise<void> {
    this.journal.action('cancel_all', this.clock.nowMs(), { data: null });
    await this.logged('cancel_all_done', undefined, undefined, () => this.inner.cancelAll());
  }

  getBalance(): Promise<Balance> {
    return this.inner.getBalance();
  }
  getPositions(): Promise<readonly Position[]> {
    return this.inner.getPositions();
  }
  getOrders(query?: OrderQuery): Promise<readonly Order[]> {
    return this.inner.getOrders(query);
  }
  getOrder(orderId: string): Promise<Order> {
    return this.inner.getOrder(orderId);
  }
  listFills(query?: FillQuery): AsyncIterable<Fill> {
    return this.inner.listFills(query);
  }
  listSettlements(): AsyncIterable<Settlement> {
    return this.inner.listSettlements();
  }
  close(): Promise<void> {
    return this.inner.close();
  }

  private async logged<T>(kind: string, orderId: string | undefined, ticker: string | undefined, call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      this.journal.action(kind, this.clock.nowMs(), { orderId, ticker, data: result });
      return result;
    } catch (error) {
      this.journal.action(`${kind.replace(/_ack$|_done$/, '')}_failed`, this.clock.nowMs(), {
        orderId,
        ticker,
        data: { message: message(error) },
      });
      throw error;
    }
  }
}
