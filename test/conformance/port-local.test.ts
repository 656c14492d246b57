/**
 * The conformance suite against `LocalPort`: the matching engine in process, on a ManualClock.
 * Another account ("other") provides the liquidity the cases trade against.
 */
import { ManualClock, type Cash } from '../../src/core/index.js';
import { LocalPort } from '../../src/exchange/index.js';
import { MatchingEngine } from '../../src/exchange/matching/index.js';
import { CONFORMANCE_FEES, CONFORMANCE_GRID, portContract } from './port-contract.js';
import { CASE_TICKERS, conformanceMarket, fillerTickers, restLevels, takeLiquidity } from './port-fixtures.js';

const START_MS = 1_767_225_600_000;

portContract(
  'LocalPort (in-process matching engine)',
  async () => {
    const clock = new ManualClock(START_MS);
    const engine = new MatchingEngine({ clock });
    const all = [...CASE_TICKERS, ...fillerTickers(20)];
    for (const ticker of all) engine.addMarket(conformanceMarket(ticker, START_MS));
    engine.addAccount('me', 10_000_000 as Cash);
    engine.addAccount('other', 10_000_000 as Cash);
    const port = new LocalPort({ engine, accountId: 'me', clock });
    return {
      port,
      listedTickers: all,
      tickers: CASE_TICKERS,
      gridRanges: CONFORMANCE_GRID,
      fees: CONFORMANCE_FEES,
      seedBook: async (ticker, book) => restLevels(engine, 'other', ticker, book),
      trade: async (ticker, side, price, count) => takeLiquidity(engine, 'other', ticker, side, price, count),
      settle: async () => undefined,
      dispose: async () => undefined,
    };
  },
);
