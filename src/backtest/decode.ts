/**
 * Turns recording lines into core `PortEvent`s (the same events a live `ExchangePort` emits), so the
 * trading core cannot tell a replay from a live session. Handles `market`, `orderbook_snapshot`,
 * `orderbook_delta`, `trade` and `gap` lines (the reader turns sequence skips into `gap` lines), a
 * gap becoming a `stale` event. Other line types (command replies, `ticker`, our own fills in a
 * capture) carry nothing the replay needs and decode to no event.
 *
 * The wire strings are converted with core/decimal (exact, no floats). This is a hot path (every
 * line of a multi-GB file), so it reads the few fields it needs directly instead of running a full
 * schema parse; any missing or malformed field still throws with the line number.
 */
import {
  parseCount,
  parsePrice,
  RecordingFormatError,
  type TickGrid,
  WireFormatError,
  type BookLevel,
  type Count,
  type Price,
  type PortEvent,

} from '../core/index.js';
import type { RecordingLine } from '../record/index.js';
import { marketFromWire, marketSchema, parseWire } from '../kalshi/wire/index.js';

type Json = Record<string, unknown>;


/** Decodes lines of one recording (sequence gaps arrive as `gap` lines from the reader). */
export class LineDecoder {
  private readonly grids = new Map<string, TickGrid>();

  constructor(private readonly file: string) {}

  /**
   * Returns the event of one line, or undefined for line types the replay ignores.
   * @throws RecordingFormatError naming the line when a needed field is missing or malformed.
   */
  decode(line: RecordingLine): PortEvent | undefined {
    try {
      return this.decodeMessage(line);
    } catch (error) {
      if (error instanceof RecordingFormatError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new RecordingFormatError(this.file, line.line, `${line.type}: ${reason}`, { cause: error });
    }
  }

  /** Returns the tick grid announced for `ticker` by its last `market` line, if any. */
  gridOf(ticker: string): TickGrid | undefined {
    return this.grids.get(ticker);
  }

  private decodeMessage(line: RecordingLine): PortEvent | undefined {
    const recvMs = line.recvMs;
    switch (line.type) {
      case 'orderbook_snapshot': {
        const msg = object(line.msg, 'msg');
        return { type: 'book_snapshot', recvMs, ticker: text(msg, 'market_ticker'), yes: levels(msg['yes_dollars_fp'], 'msg.yes_dollars_fp'), no: levels(msg['no_dollars_fp'], 'msg.no_dollars_fp') };
      }
      case 'orderbook_delta': {
        const msg = object(line.msg, 'msg');
        const side = text(msg, 'side');
        if (side !== 'yes' && side !== 'no') throw new WireFormatError('msg.side', 'yes or no', side);
        const tsMs = msg['ts_ms'];
        const clientOrderId = msg['client_order_id'];
        return {
          type: 'book_delta',
          recvMs,
          ticker: text(msg, 'market_ticker'),
          side,
          price: fastPrice(msg['price_dollars'], 'msg.price_dollars'),
          delta: fastCount(msg['delta_fp'], 'msg.delta_fp', true),
          ...(typeof tsMs === 'number' ? { tsMs } : {}),
          ...(typeof clientOrderId === 'string' ? { clientOrderId } : {}),
        };
      }
      case 'trade':
        return this.decodeTrade(line);
      case 'market':
        return this.decodeMarket(line);
      case 'gap': {
        // Without a market_ticker (the reader's seq-gap lines) every book is stale.
        const msg = object(line.msg, 'msg');
        const reason = typeof msg['reason'] === 'string' ? msg['reason'] : 'gap';
        const ticker = msg['market_ticker'];
        return typeof ticker === 'string' ? { type: 'stale', recvMs, ticker, reason } : { type: 'stale', recvMs, reason };
      }
      default:
        return undefined;
    }
  }

  private decodeTrade(line: RecordingLine): PortEvent {
    const msg = object(line.msg, 'msg');
    const bookSide = msg['taker_book_side'];
    const outcomeSide = msg['taker_outcome_side'] ?? msg['taker_side'];
    let takerSide: 'bid' | 'ask';
    if (bookSide === 'bid' || bookSide === 'ask') takerSide = bookSide;
    else if (outcomeSide === 'yes' || outcomeSide === 'no') takerSide = outcomeSide === 'yes' ? 'bid' : 'ask';
    else throw new WireFormatError('msg.taker_book_side', 'bid or ask (or taker_outcome_side yes/no)', bookSide);
    const tsMs = msg['ts_ms'];
    return {
      type: 'trade',
      recvMs: line.recvMs,
      trade: {
        tradeId: typeof msg['trade_id'] === 'string' ? msg['trade_id'] : `line-${line.line}`,
        ticker: text(msg, 'market_ticker'),
        price: fastPrice(msg['yes_price_dollars'], 'msg.yes_price_dollars'),
        count: fastCount(msg['count_fp'], 'msg.count_fp', false),
        takerSide,
        tsMs: typeof tsMs === 'number' && Number.isSafeInteger(tsMs) ? tsMs : line.recvMs,
      },
    };
  }

  private decodeMarket(line: RecordingLine): PortEvent {
    // Rare lines: the full kalshi/wire schema and converter, so a recorded Market means what it means live.
    const market = marketFromWire(parseWire(marketSchema, line.msg, 'msg'), 'msg');
    this.grids.set(market.ticker, market.grid);
    return { type: 'market', recvMs: line.recvMs, ticker: market.ticker, status: market.status, result: market.result, closeTimeMs: market.closeTimeMs, grid: market.grid };
  }
}


const ZERO = 48;

/**
 * Returns a dollar price string as a Price. The canonical form Kalshi sends ("0.5600", "1.0000") is
 * read digit by digit (exact integer arithmetic, no float parsing); anything else goes through
 * core/decimal's `parsePrice`, which accepts every valid form and names the field when it fails.
 */
export function fastPrice(value: unknown, field: string): Price {
  if (typeof value === 'string' && value.length === 6 && value.charCodeAt(1) === 46) {
    const whole = value.charCodeAt(0) - ZERO;
    let units = 0;
    for (let i = 2; i < 6; i++) {
      const d = value.charCodeAt(i) - ZERO;
      if (d < 0 || d > 9) return parsePrice(value, field);
      units = units * 10 + d;
    }
    if ((whole === 0 || (whole === 1 && units === 0))) return (whole * 10_000 + units) as Price;
  }
  return parsePrice(value, field);
}

/**
 * Returns a count string with exactly two decimals ("10.00", "-54.00") as a Count, digit by digit;
 * other forms go through core/decimal's `parseCount`.
 */
export function fastCount(value: unknown, field: string, signed: boolean): Count {
  if (typeof value === 'string' && value.length >= 4 && value.length <= 17 && value.charCodeAt(value.length - 3) === 46) {
    let i = 0;
    let negative = false;
    if (value.charCodeAt(0) === 45) {
      if (!signed) return parseCount(value, field, signed);
      negative = true;
      i = 1;
    }
    let units = 0;
    for (; i < value.length; i++) {
      if (i === value.length - 3) continue;
      const d = value.charCodeAt(i) - ZERO;
      if (d < 0 || d > 9) return parseCount(value, field, signed);
      units = units * 10 + d;
    }
    if (i > (negative ? 4 : 3)) return (negative && units !== 0 ? -units : units) as Count;
  }
  return parseCount(value, field, signed);
}

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new WireFormatError(path, 'an object', value);
  return value as Json;
}

function text(msg: Json, key: string): string {
  const value = msg[key];
  if (typeof value !== 'string' || value.length === 0) throw new WireFormatError(`msg.${key}`, 'a non-empty string', value);
  return value;
}

function levels(value: unknown, path: string): BookLevel[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new WireFormatError(path, 'an array of [price_dollars, count_fp]', value);
  return value.map((entry: unknown, i) => {
    if (!Array.isArray(entry) || entry.length < 2) throw new WireFormatError(`${path}[${i}]`, '[price_dollars, count_fp]', entry);
    return { price: fastPrice(entry[0], `${path}[${i}][0]`), count: fastCount(entry[1], `${path}[${i}][1]`, false) };
  });
}

/** Returns the ticker a port event concerns, or undefined for account-wide events. */
export function tickerOf(event: PortEvent): string | undefined {
  switch (event.type) {
    case 'book_snapshot':
    case 'book_delta':
    case 'market':
    case 'position':
      return event.ticker;
    case 'stale':
      return event.ticker;
    case 'trade':
      return event.trade.ticker;
    case 'fill':
      return event.fill.ticker;
    case 'order':
      return event.order.ticker;
    case 'connection':
    case 'order_group':
      return undefined;
  }
}

