// The `market` line the backtest integration tests write before their hand-built book and trade lines.
import { DEFAULT_MODELS } from '../../src/backtest/index.js';
import { contracts, TickGrid, type Market } from '../../src/core/index.js';

/** Returns an active whole-cent test market of event `KXTEST-26JAN01` with default fees and no volume yet. */
export function testMarket(ticker: string, openTimeMs: number, closeTimeMs: number): Market {
  return {
    ticker,
    eventTicker: 'KXTEST-26JAN01',
    title: ticker,
    status: 'active',
    openTimeMs,
    closeTimeMs,
    grid: TickGrid.linearCent(),
    fees: DEFAULT_MODELS.fees.schedule,
    result: '',
    volume: contracts(0),
    volume24h: contracts(0),
    openInterest: contracts(0),
  };
}
