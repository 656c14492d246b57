/**
 * Encodes the market generator's engine events as recording lines, as Kalshi's WebSocket would have
 * sent them (kalshi-api.md §13.3): book changes as `orderbook_delta` (sid 1, seq counting), public
 * trades as `trade` (sid 2), and listings and results as kalshi-mm `market` lines with a REST Market
 * object. Private events (other accounts' fills, orders, positions) are not recorded, as a real
 * recorder would never see them. `recv_ms` is the engine time (zero network delay).
 */
import { formatCount, formatPrice, PRICE_SCALE, type Count, type Price, type TickGrid } from '../core/index.js';
import type { EngineEvent, MarketDefinition } from '../exchange/matching/index.js';
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
        const lines: RecordingLineOut[] = [{ recv_ms: nowMs, type: 'market', msg: this.marketObject(event) }];
        if (!this.snapshotSent.has(event.ticker)) {
          // A subscriber gets a snapshot first; the book of a new listing is empty.
          this.snapshotSent.add(event.ticker);
          lines.push({ recv_ms: nowMs, type: 'orderbook_snapshot', sid: 1, seq: ++this.bookSeq, msg: { market_ticker: event.ticker, market_id: marketId(event.ticker) } });
        }
        return lines;
      }
      case 'book_delta':
        return [
          {
            recv_ms: nowMs,
            type: 'orderbook_delta',
            sid: 1,
            seq: ++this.bookSeq,
            msg: {
              market_ticker: event.ticker,
              market_id: marketId(event.ticker),
              price_dollars: formatPrice(event.price),
              delta_fp: formatCount(event.delta),
              side: event.side,
              ts_ms: Math.floor(event.tsMs),
            },
          },
        ];
      case 'trade': {
        const t = event.trade;
        const outcome = t.takerSide === 'bid' ? 'yes' : 'no';
        return [
          {
            recv_ms: nowMs,
            type: 'trade',
            sid: 2,
            msg: {
              trade_id: t.tradeId,
              market_ticker: t.ticker,
              yes_price_dollars: formatPrice(t.price),
              no_price_dollars: formatPrice((PRICE_SCALE - t.price) as Price),
              count_fp: formatCount(t.count as Count),
              taker_outcome_side: outcome,
              taker_book_side: t.takerSide,
              is_block_trade: false,
              ts_ms: Math.floor(t.tsMs),
            },
          },
        ];
      }
      default:
        return [];
    }
  }

  private marketObject(event: Extract<EngineEvent, { type: 'market' }>): Record<string, unknown> {
    const d = this.definitions.get(event.ticker);
    return {
      ticker: event.ticker,
      event_ticker: d?.eventTicker ?? event.ticker,
      market_type: 'binary',
      title: d?.title ?? event.ticker,
      status: event.status,
      open_time: new Date(event.openTimeMs).toISOString(),
      close_time: new Date(event.closeTimeMs).toISOString(),
      result: event.result,
      price_level_structure: d?.priceLevelStructure ?? 'linear_cent',
      price_ranges: priceRanges(event.grid),
    };
  }
}

function priceRanges(grid: TickGrid): { start: string; end: string; step: string }[] {
  return grid.ranges.map((r) => ({ start: formatPrice(r.start), end: formatPrice(r.end), step: formatPrice(r.step as Price) }));
}

/** A stable pseudo market id (Kalshi sends a UUID; replay never needs it). */
function marketId(ticker: string): string {
  return `synthetic-${ticker}`;
}
