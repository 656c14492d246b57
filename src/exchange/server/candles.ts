/**
 * Candlesticks built from the public trades (GET /series/{s}/markets/{t}/candlesticks). Price
 * open/high/low/close come from trades in each period; periods without a trade carry only
 * `previous_dollars`. The local exchange keeps no book history, so `yes_bid`/`yes_ask` report the
 * current top of book for every period (a documented simplification, docs/local-exchange.md).
 */
import { formatCount, formatPrice, type Count, type Price, type PublicTrade } from '../../core/index.js';
import type { MarketState } from '../matching/index.js';
import type { Json } from './format.js';

/** At most this many candles per answer (Kalshi's limit). */
const MAX_CANDLES = 10_000;

/** Returns Kalshi MarketCandlestick objects for `[startS, endS]` in periods of `periodMinutes`. */
export function candlesticksJson(trades: readonly PublicTrade[], market: MarketState, range: { startS: number; endS: number; periodMinutes: number }): Json[] {
  const periodS = range.periodMinutes * 60;
  const firstEnd = Math.ceil(range.startS / periodS) * periodS;
  const bid = formatPrice(market.yesBid ?? (0 as Price));
  const ask = formatPrice(market.yesAsk ?? (10_000 as Price));
  const flat = (p: string): Json => ({ open_dollars: p, low_dollars: p, high_dollars: p, close_dollars: p });
  const candles: Json[] = [];
  let previous: Price | undefined;
  let index = 0;
  const sorted = [...trades].sort((a, b) => a.tsMs - b.tsMs);
  while (index < sorted.length && (sorted[index]?.tsMs ?? 0) <= (firstEnd - periodS) * 1000) previous = sorted[index++]?.price;
  for (let end = firstEnd; end <= range.endS && candles.length < MAX_CANDLES; end += periodS) {
    let open: Price | undefined;
    let high = 0;
    let low = 10_000;
    let close: Price | undefined;
    let volume = 0;
    while (index < sorted.length && (sorted[index]?.tsMs ?? Infinity) <= end * 1000) {
      const t = sorted[index++] as PublicTrade;
      open ??= t.price;
      high = Math.max(high, t.price);
      low = Math.min(low, t.price);
      close = t.price;
      volume += t.count;
    }
    const price: Json = open === undefined || close === undefined
      ? previous === undefined ? {} : { previous_dollars: formatPrice(previous) }
      : {
          open_dollars: formatPrice(open),
          high_dollars: formatPrice(high as Price),
          low_dollars: formatPrice(low as Price),
          close_dollars: formatPrice(close),
          ...(previous === undefined ? {} : { previous_dollars: formatPrice(previous) }),
        };
    candles.push({ end_period_ts: end, yes_bid: flat(bid), yes_ask: flat(ask), price, volume_fp: formatCount(volume as Count), open_interest_fp: formatCount(market.openInterest) });
    if (close !== undefined) previous = close;
  }
  return candles;
}
