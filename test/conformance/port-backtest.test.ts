/**
 * The conformance suite against `BacktestExchange`, the backtest simulator's port, built as its own
 * tests build it: a SimulatorCore on a ReplayClock fed recorded market events (market lines, book
 * snapshots and deltas, trades). Another participant's liquidity is recorded book depth; their
 * trades are recorded prints. Requests take 10 ms of replay time to arrive; `settle` moves replay
 * time on by a second.
 */
import { SeededRng, TickGrid, type PortEvent } from '../../src/core/index.js';
import { BacktestExchange, ConstantJitterLatency, KalshiFeeModel, RiskAverseQueue, SimulatorCore } from '../../src/backtest/index.js';
import { ReplayClock } from '../../src/backtest/replay-clock.js';
import { CONFORMANCE_FEES, CONFORMANCE_GRID, portContract } from './port-contract.js';
import { CASE_TICKERS } from './port-fixtures.js';

const START_MS = 1_767_225_600_000;
let tradeSeq = 0;

portContract(
  'BacktestExchange (replayed market, simulated queue and latency)',
  async () => {
    const clock = new ReplayClock(START_MS);
    const sim = new SimulatorCore({
      clock,
      queue: new RiskAverseQueue(),
      latency: new ConstantJitterLatency({ entryMs: 10, entryJitterMs: 0, cancelMs: 10, cancelJitterMs: 0 }, new SeededRng(1)),
      fees: new KalshiFeeModel(CONFORMANCE_FEES),
    });
    const port = new BacktestExchange(sim);
    /** Records one market-data event a millisecond after the last, as the runner delivers them. */
    const record = (event: PortEvent): void => {
      sim.settleQueues();
      clock.advanceTo(clock.nowMs() + 1);
      sim.onMarketEvent(event);
    };
    const grid = new TickGrid(CONFORMANCE_GRID);
    for (const ticker of CASE_TICKERS) {
      record({ type: 'market', recvMs: clock.nowMs(), ticker, status: 'active', grid });
      record({ type: 'book_snapshot', recvMs: clock.nowMs(), ticker, yes: [], no: [] });
    }
    return {
      port,
      listedTickers: CASE_TICKERS,
      tickers: CASE_TICKERS,
      gridRanges: CONFORMANCE_GRID,
      fees: CONFORMANCE_FEES,
      seedBook: async (ticker, book) => {
        for (const l of book.yes)
          record({ type: 'book_delta', recvMs: clock.nowMs(), ticker, side: 'yes', price: l.price, delta: l.count });
        for (const l of book.no) record({ type: 'book_delta', recvMs: clock.nowMs(), ticker, side: 'no', price: l.price, delta: l.count });
      },
      trade: async (ticker, takerSide, price, count) => {
        record({
          type: 'trade',
          recvMs: clock.nowMs(),
          trade: { tradeId: `conf-${++tradeSeq}`, ticker, price, count, takerSide, tsMs: clock.nowMs() },
        });
      },
      settle: async () => {
        sim.settleQueues();
        clock.advanceTo(clock.nowMs() + 1_000);
      },
      dispose: async () => undefined,
    };
  },
);
