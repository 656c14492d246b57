/**
 * Shared pieces of the conformance fixtures: the markets every implementation is given, and how
 * another participant's orders are placed on a MatchingEngine (LocalPort and the local exchange
 * server run the same engine).
 */
import { TickGrid, type BookLevel, type BookSide, type Count, type Price } from '../../src/core/index.js';
import type { MarketDefinition, MatchingEngine } from '../../src/exchange/matching/index.js';
import { CASE_MARKETS, CONFORMANCE_FEES, CONFORMANCE_GRID } from './port-contract.js';

/** Tickers of the case markets: CONF-M00 … */
export const CASE_TICKERS: readonly string[] = Array.from({ length: CASE_MARKETS }, (_, i) => `CONF-M${String(i).padStart(2, '0')}`);

/** Returns `count` filler tickers (markets listed but never traded: they make the listing span pages). */
export function fillerTickers(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `CONF-F${String(i).padStart(4, '0')}`);
}

/** Returns an active market on the conformance grid and fees, open from a minute before `nowMs` for a day. */
export function conformanceMarket(ticker: string, nowMs: number): MarketDefinition {
  return {
    ticker,
    // One event and one series: the client looks the fee schedule up once per event.
    eventTicker: 'KXCONF-EV',
    seriesTicker: 'KXCONF',
    title: `Conformance market ${ticker}`,
    grid: new TickGrid(CONFORMANCE_GRID),
    fees: CONFORMANCE_FEES,
    openTimeMs: nowMs - 60_000,
    closeTimeMs: nowMs + 86_400_000,
    status: 'active',
    priceLevelStructure: 'tapered_deci_cent',
  };
}

let seq = 0;

/** Rests `account`'s YES bids and NO bids (as YES asks at 1 − q) on `engine`. */
export function restLevels(
  engine: MatchingEngine,
  account: string,
  ticker: string,
  book: { readonly yes: readonly BookLevel[]; readonly no: readonly BookLevel[] },
): void {
  const place = (side: BookSide, price: number, count: Count): void => {
    engine.createOrder(account, {
      ticker,
      side,
      price: price as Price,
      count,
      timeInForce: 'good_till_canceled',
      postOnly: true,
      selfTradePrevention: 'taker_at_cross',
      clientOrderId: `other-${++seq}`,
    });
  };
  for (const l of book.yes) place('bid', l.price, l.count);
  for (const l of book.no) place('ask', 10_000 - l.price, l.count);
}

/** `account` takes liquidity: an IOC on `takerSide` at `price` for `count`. */
export function takeLiquidity(
  engine: MatchingEngine,
  account: string,
  ticker: string,
  takerSide: BookSide,
  price: Price,
  count: Count,
): void {
  engine.createOrder(account, {
    ticker,
    side: takerSide,
    price,
    count,
    timeInForce: 'immediate_or_cancel',
    postOnly: false,
    selfTradePrevention: 'taker_at_cross',
    clientOrderId: `other-${++seq}`,
  });
}
