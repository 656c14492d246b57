/**
 * Encodes the market generator's engine events as recording lines with kalshi/wire's encoders, as
 * Kalshi's WebSocket would have sent them (kalshi-api.md §13.3): book changes as `orderbook_delta` (sid 1, seq counting), public
 * trades as `trade` (sid 2), and listings and results as kalshi-mm `market` lines with a REST Market
 * object. Private events (other accounts' fills, orders, positions) are not recorded, as a real
 * recorder would never see them. `recv_ms` is the engine time (zero network delay).
 */
import { contracts, type Market } from '../core/index.js';
import type { EngineEvent, MarketDefinition } from '../exchange/matching/index.js';
import { encodeMarket, encodeWsOrderbookDelta, encodeWsOrderbookSnapshot, encodeWsTrade, type WireJson } from '../kalshi/wire/index.js';
import type { RecordingLineOut } from '../record/index.js';

/** Turns engine events into recording lines; keeps the sequence counters. */
export class SynthEncoder {
  private bookSeq = 0;
  private readonly definitions = new Map<string, MarketDefinition>();
  private readonly snapshotSent = new Set<string>();

  /** `definitions`: the universe's markets (titles, event tickers, grids), by ticker. */
  constructor(definitions: readonly MarketDefinition[]) {
    for (const d of definitions) this.definitions.set(d.ticker, d);
  }

  /** Returns the lines for one engine event at engine time `engineMs` (none for private events). */
  encode(event: EngineEvent, engineMs: number): RecordingLineOut[] {
    // The generator's clock has sub-millisecond times; recordings hold integer ms (floor keeps order).
    const nowMs = Math.floor(engineMs);
    switch (event.type) {
      case 'market': {
        const lines: RecordingLineOut[] = [{ recv_ms: nowMs, type: 'market', msg: encodeMarket(this.marketOf(event)) }];
        if (!this.snapshotSent.has(event.ticker)) {
          // A subscriber gets a snapshot first; the book of a new listing is empty.
          this.snapshotSent.add(event.ticker);
          lines.push(line(nowMs, encodeWsOrderbookSnapshot({ ticker: event.ticker, yes: [], no: [] }, { sid: 1, seq: ++this.bookSeq }, marketId(event.ticker))));
        }
        return lines;
      }
      case 'book_delta': {
        const delta = { ticker: event.ticker, side: event.side, price: event.price, delta: event.delta, tsMs: Math.floor(event.tsMs), marketId: marketId(event.ticker) };
        return [line(nowMs, encodeWsOrderbookDelta(delta, { sid: 1, seq: ++this.bookSeq }))];
      }
      case 'trade':
        return [line(nowMs, encodeWsTrade({ ...event.trade, tsMs: Math.floor(event.trade.tsMs) }, { sid: 2 }))];
      default:
        return [];
    }
  }

  private marketOf(event: Extract<EngineEvent, { type: 'market' }>): Market {
    const d = this.definitions.get(event.ticker);
    return {
      ticker: event.ticker,
      eventTicker: d?.eventTicker ?? event.ticker,
      title: d?.title ?? event.ticker,
      status: event.status,
      openTimeMs: event.openTimeMs,
      closeTimeMs: event.closeTimeMs,
      grid: event.grid,
      fees: d?.fees ?? { feeType: 'quadratic', multiplier: 10_000 },
      result: event.result,
      volume: contracts(0),
      volume24h: contracts(0),
      openInterest: contracts(0),
    };
  }
}

/** Returns a recording line of a wire envelope `{type, sid, seq?, msg}`. */
function line(recvMs: number, envelope: WireJson): RecordingLineOut {
  const sid = envelope['sid'];
  const seq = envelope['seq'];
  return {
    recv_ms: recvMs,
    type: String(envelope['type']),
    ...(typeof sid === 'number' ? { sid } : {}),
    ...(typeof seq === 'number' ? { seq } : {}),
    msg: envelope['msg'],
  };
}

/** A stable pseudo market id (Kalshi sends a UUID; replay never needs it). */
function marketId(ticker: string): string {
  return `synthetic-${ticker}`;
}
