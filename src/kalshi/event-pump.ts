/**
 * Turns the WebSocket client's events into PortEvents, keeping the local books (books.ts) on the
 * way. Rules (the ExchangePort contract, core/port.ts):
 *  - a delta is forwarded only when it applied to a valid book; the first delta after a gap is dropped;
 *  - a gap, a delta that would go negative, a bad data message or an overflow emits `stale` for the
 *    affected markets (no ticker = every market) and asks for fresh snapshots; the next
 *    `book_snapshot` makes the market usable again;
 *  - a disconnect marks every book stale; `connection` events tell consumers to reconcile orders,
 *    fills and positions over REST (those channels have no seq, §13.4).
 */
import { WireFormatError, type Logger, type PortEvent } from '../core/index.js';
import { OrderBooks } from './books.js';
import { isWsDataMessage, portEventFromWs, type WsDataMessage } from './wire/index.js';
import type { WsEvent } from './ws/types.js';

/** What the pump needs from its surroundings. */
export interface EventPumpHost {
  readonly logger: Logger;
  /** Markets whose market-data events are forwarded (lifecycle messages cover every market). */
  isSubscribed(ticker: string): boolean;
  /** Asks the exchange for fresh snapshots of these markets. */
  requestSnapshots(tickers: readonly string[]): void;
  /** Every market with an orderbook subscription. */
  subscribedTickers(): readonly string[];
}

/** Converts WS events to PortEvents with book bookkeeping; see the file comment. */
export class EventPump {
  readonly books = new OrderBooks();

  constructor(private readonly host: EventPumpHost) {}

  /** Returns the PortEvents of one WS event (zero or more). */
  convert(event: WsEvent): PortEvent[] {
    switch (event.type) {
      case 'message':
        return isWsDataMessage(event.message) ? this.onData(event.message, event.recvMs) : [];
      case 'gap':
        if (event.channel !== 'orderbook_delta') {
          this.host.logger.warn({ channel: event.channel, reason: event.reason }, 'gap on a channel without books');
          return [];
        }
        return this.stale(event.tickers, event.recvMs, `gap: ${event.reason}`, false);
      case 'overflow':
        return this.stale(undefined, event.recvMs, `consumer fell behind; ${event.dropped} events dropped`, true);
      case 'connection': {
        const out: PortEvent[] = event.connected ? [] : this.stale(undefined, event.recvMs, 'disconnected', false);
        out.push({ type: 'connection', recvMs: event.recvMs, connected: event.connected });
        return out;
      }
    }
  }

  private onData(message: WsDataMessage, recvMs: number): PortEvent[] {
    let converted: PortEvent | undefined;
    try {
      converted = portEventFromWs(message, recvMs);
    } catch (error) {
      if (!(error instanceof WireFormatError)) throw error;
      this.host.logger.error({ type: message.type, reason: error.message }, 'WebSocket data message has a bad field');
      const ticker = 'market_ticker' in message.msg ? message.msg.market_ticker : undefined;
      if (message.type === 'orderbook_delta' || message.type === 'orderbook_snapshot') {
        return this.stale(ticker !== undefined ? [ticker] : undefined, recvMs, `bad book message: ${error.message}`, true);
      }
      return [];
    }
    if (!converted) return [];
    switch (converted.type) {
      case 'book_snapshot':
        if (!this.host.isSubscribed(converted.ticker)) return [];
        this.books.applySnapshot(converted.ticker, converted.yes, converted.no);
        return [converted];
      case 'book_delta': {
        if (!this.host.isSubscribed(converted.ticker)) return [];
        const outcome = this.books.applyDelta(converted.ticker, converted.side, converted.price, converted.delta);
        if (outcome === 'applied') return [converted];
        if (outcome === 'ignored') return [];
        // L2Book has already marked itself stale, so report it here rather than through markStale.
        this.host.requestSnapshots([converted.ticker]);
        return [{ type: 'stale', recvMs, ticker: converted.ticker, reason: 'a delta would drive a level negative' }];
      }
      case 'trade':
        return this.host.isSubscribed(converted.trade.ticker) ? [converted] : [];
      case 'market':
        return this.host.isSubscribed(converted.ticker) ? [converted] : [];
      default:
        return [converted];
    }
  }

  /**
   * Marks books stale and returns the `stale` events (one per market, or one without a ticker for
   * all). With `resync`, asks for snapshots itself (the WS client already does so after seq gaps).
   */
  private stale(tickers: readonly string[] | undefined, recvMs: number, reason: string, resync: boolean): PortEvent[] {
    const changed = this.books.markStale(tickers);
    if (resync) this.host.requestSnapshots(tickers ?? this.host.subscribedTickers());
    if (tickers === undefined) return [{ type: 'stale', recvMs, reason }];
    return changed.map((ticker) => ({ type: 'stale', recvMs, ticker, reason }));
  }
}
