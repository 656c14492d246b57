/**
 * Replay mode (`kalshi-mm exchange --replay FILE`): the public book and trades come from a
 * recording (recording-format.md) played on the real clock × speed, and accounts trade against it.
 *
 * How the recording drives the matching engine (the fill model, stated so a trader can check it):
 * 1. `market` lines list the market (times mapped onto the wall clock) and later settle it.
 * 2. The recorded book is mirrored by orders of one replay account: a snapshot replaces all of them;
 *    a delta adds an order at that level or shrinks the replay orders there, newest first. A replay
 *    order that crosses an account's resting order trades with it (someone in the recorded market
 *    would have hit that better quote), so accounts can be filled as makers.
 * 3. A recorded trade is published as a public trade, and the replay account also sends an IOC
 *    order of the trade's size at its price on the taker's side with `taker_at_cross`: it fills
 *    account orders that are ahead of the replay's own liquidity in price-time priority and stops
 *    at the first replay order. An account order at the recorded best price therefore fills only
 *    after the recorded liquidity ahead of it is gone (a conservative queue: behind everything
 *    recorded at that level when it joined).
 * 4. Account orders that cross the recorded book take the replay liquidity at its prices.
 * Engine trades that involve an account are published too, so the public tape carries both the
 * recorded prints and the accounts' own trades.
 */
import { TickGrid, type Cash, type Clock, type Count, type Logger, type Price, type PublicTrade } from '../../core/index.js';
import { marketFromWire, marketSchema, parseWire, portEventFromWs, wsMessageSchema, type WsDataMessage } from '../../kalshi/wire/index.js';
import { EngineRejection, type MatchingEngine } from '../matching/index.js';
import { applyTieRule, readRecording, readRecordingHeader, type RecordingLine } from '../../record/index.js';

/** The engine account that mirrors the recorded book. */
export const REPLAY_ACCOUNT = 'replay:book';
const REPLAY_BALANCE = 10_000_000_000_000 as Cash;
const DATA_TYPES = new Set(['orderbook_snapshot', 'orderbook_delta', 'trade']);

/** Options of a RecordingReplay. */
export interface RecordingReplayOptions {
  readonly engine: MatchingEngine;
  readonly clock: Clock;
  readonly file: string;
  /** Time compression: 60 plays an hour of recording per minute. */
  readonly speed: number;
  readonly logger: Logger;
  /** Called with each recorded trade (times on the wall clock) for the public tape. */
  readonly onTrade: (trade: PublicTrade) => void;
}

/** Plays one recording into the engine. */
export class RecordingReplay {
  /** Recorded prints published so far, oldest first. */
  readonly trades: PublicTrade[] = [];
  private readonly controller = new AbortController();
  private readonly replayOrders = new Map<string, string[]>();
  private readonly warned = new Set<string>();
  private startWallMs = 0;
  /** Recording time of the first line: it plays at start-up. */
  private startRecordMs: number | undefined;
  private done: Promise<void> | undefined;

  constructor(private readonly options: RecordingReplayOptions) {
    options.engine.addAccount(REPLAY_ACCOUNT, REPLAY_BALANCE);
  }

  /**
   * Reads the header and starts playing in the background. Resolves once playing has begun.
   * @throws RecordingFormatError when the header is bad.
   */
  async start(): Promise<void> {
    await readRecordingHeader(this.options.file);
    this.startWallMs = this.options.clock.nowMs();
    this.done = this.play().catch((error: unknown) => {
      if (this.controller.signal.aborted) return;
      this.options.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'replay stopped on an error');
    });
  }

  /** Stops playing; resolves when the reader has stopped. */
  async stop(): Promise<void> {
    this.controller.abort(new Error('replay stopped'));
    await this.done;
  }

  /** Resolves when the whole recording has been played (tests). */
  finished(): Promise<void> {
    return this.done ?? Promise.resolve();
  }

  /** Maps a recording time onto the wall clock. */
  wallTime(recordMs: number): number {
    return this.startWallMs + (recordMs - (this.startRecordMs ?? recordMs)) / this.options.speed;
  }

  private async play(): Promise<void> {
    const signal = this.controller.signal;
    let count = 0;
    for await (const line of applyTieRule(readRecording(this.options.file, { signal }))) {
      this.startRecordMs ??= line.recvMs;
      const wait = this.wallTime(line.recvMs) - this.options.clock.nowMs();
      if (wait > 0) await this.options.clock.sleep(wait, signal);
      try {
        this.apply(line);
      } catch (error) {
        if (!(error instanceof EngineRejection)) throw error;
        this.options.logger.debug({ line: line.line, reason: error.reason }, 'replay line not applied');
      }
      count++;
    }
    this.options.logger.info({ lines: count }, 'replay finished');
  }

  private apply(line: RecordingLine): void {
    if (line.type === 'market') return this.applyMarket(line);
    if (line.type === 'gap' || !DATA_TYPES.has(line.type)) return undefined;
    const message = parseWire(wsMessageSchema, { type: line.type, sid: line.sid, seq: line.seq, msg: line.msg }, `line ${line.line}`) as WsDataMessage;
    const event = portEventFromWs(message, line.recvMs);
    if (!event) return undefined;
    const engine = this.options.engine;
    switch (event.type) {
      case 'book_snapshot': {
        if (!this.listed(event.ticker)) return undefined;
        this.clearBook(event.ticker);
        for (const level of event.yes) this.add(event.ticker, 'yes', level.price, level.count);
        for (const level of event.no) this.add(event.ticker, 'no', level.price, level.count);
        return undefined;
      }
      case 'book_delta':
        if (!this.listed(event.ticker)) return undefined;
        if (event.delta > 0) this.add(event.ticker, event.side, event.price, event.delta);
        else this.reduce(event.ticker, event.side, event.price, -event.delta as Count);
        return undefined;
      case 'trade': {
        if (!this.listed(event.trade.ticker)) return undefined;
        const trade: PublicTrade = { ...event.trade, tsMs: this.options.clock.nowMs() };
        this.trades.push(trade);
        this.options.onTrade(trade);
        // The print is on the tape, so it counts in GET /markets' last price and volumes too (scan
        // ranks by volume_24h); the IOC below adds only fills of accounts, which are trades of their own.
        engine.recordExternalTrade(trade.ticker, trade.price, trade.count);
        if (engine.getMarket(trade.ticker).status !== 'active') return undefined;
        engine.createOrder(REPLAY_ACCOUNT, {
          ticker: trade.ticker,
          side: trade.takerSide,
          price: trade.price,
          count: trade.count,
          timeInForce: 'immediate_or_cancel',
          postOnly: false,
          selfTradePrevention: 'taker_at_cross',
          clientOrderId: '',
        });
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private applyMarket(line: RecordingLine): void {
    const wire = parseWire(marketSchema, line.msg, `line ${line.line}.msg`);
    const market = marketFromWire(wire, `line ${line.line}.msg`);
    const engine = this.options.engine;
    let listed = true;
    try {
      engine.getMarket(market.ticker);
    } catch {
      listed = false;
    }
    if (!listed) {
      const openTimeMs = Math.min(this.wallTime(market.openTimeMs), this.options.clock.nowMs());
      engine.addMarket({
        ticker: market.ticker,
        eventTicker: market.eventTicker,
        seriesTicker: market.eventTicker.split('-')[0] ?? market.eventTicker,
        title: market.title,
        grid: market.grid.ranges.length > 0 ? market.grid : TickGrid.linearCent(),
        fees: market.fees,
        openTimeMs,
        closeTimeMs: Math.max(this.wallTime(market.closeTimeMs), openTimeMs + 1),
        status: market.status === 'initialized' ? 'initialized' : 'active',
        ...(wire.price_level_structure ? { priceLevelStructure: wire.price_level_structure } : {}),
      });
    }
    const state = engine.getMarket(market.ticker);
    if ((market.result === 'yes' || market.result === 'no') && state.status !== 'finalized') engine.settleMarket(market.ticker, market.result);
    else if (market.status === 'inactive' && state.status === 'active') engine.pauseMarket(market.ticker);
    else if (market.status === 'active' && state.status === 'inactive') engine.resumeMarket(market.ticker);
    else if (market.status === 'closed' && (state.status === 'active' || state.status === 'inactive')) engine.closeMarket(market.ticker);
  }

  private listed(ticker: string): boolean {
    try {
      return this.options.engine.getMarket(ticker).status === 'active';
    } catch {
      if (!this.warned.has(ticker)) {
        this.warned.add(ticker);
        this.options.logger.warn({ ticker }, 'replay: book or trade line before the market line; skipped');
      }
      return false;
    }
  }

  /** Rests a replay order for `count` at a leg price (`no` levels are NO bids: a YES ask at 1 − price). */
  private add(ticker: string, side: 'yes' | 'no', legPrice: Price, count: Count): void {
    const result = this.options.engine.createOrder(REPLAY_ACCOUNT, {
      ticker,
      side: side === 'yes' ? 'bid' : 'ask',
      price: (side === 'yes' ? legPrice : 10_000 - legPrice) as Price,
      count,
      timeInForce: 'good_till_canceled',
      postOnly: false,
      selfTradePrevention: 'maker',
      clientOrderId: '',
    });
    if (result.order.status !== 'resting') return;
    const key = `${ticker}|${side}|${legPrice}`;
    const ids = this.replayOrders.get(key) ?? [];
    ids.push(result.order.orderId);
    this.replayOrders.set(key, ids);
  }

  /** Shrinks the replay orders at a level by `count`, newest first. */
  private reduce(ticker: string, side: 'yes' | 'no', legPrice: Price, count: Count): void {
    const engine = this.options.engine;
    const key = `${ticker}|${side}|${legPrice}`;
    const ids = this.replayOrders.get(key) ?? [];
    let left = count as number;
    while (left > 0 && ids.length > 0) {
      const id = ids[ids.length - 1] as string;
      const order = engine.getOrder(id);
      if (order.status !== 'resting') {
        ids.pop();
        continue;
      }
      if (order.remainingCount <= left) {
        left -= order.remainingCount;
        engine.cancelOrder(REPLAY_ACCOUNT, id);
        ids.pop();
      } else {
        engine.decreaseOrder(REPLAY_ACCOUNT, { orderId: id, reduceBy: left as Count });
        left = 0;
      }
    }
    if (ids.length === 0) this.replayOrders.delete(key);
  }

  private clearBook(ticker: string): void {
    this.options.engine.cancelAll(REPLAY_ACCOUNT, ticker);
    for (const key of [...this.replayOrders.keys()]) if (key.startsWith(`${ticker}|`)) this.replayOrders.delete(key);
  }
}
