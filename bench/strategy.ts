/**
 * Quoting benchmarks (in process, no I/O):
 * - `strategy.compute_quotes_<mode>_ns`: one `computeQuotes` call (model + grid + fees) per mode, ns/op;
 * - `strategy.book_event_to_sized_quotes_p50_us` / `_p99_us`: one book delta applied to a
 *   `MarketState`, its snapshot taken, quotes computed, risk checked and sizes cut — the synchronous
 *   part of the maker's path from a book event to an order intent, per event.
 */
import { DEFAULT_FEE_SCHEDULE, SeededRng, TickGrid, type Count, type Price } from '../src/core/index.js';
import { DEFAULT_MARKET_STATE_OPTIONS, MarketState } from '../src/marketdata/index.js';
import { RiskManager, DEFAULT_RISK_LIMITS } from '../src/risk/index.js';
import { computeQuotes, DEFAULT_STRATEGY_PARAMS, type StrategyMode } from '../src/strategy/index.js';

type Report = (name: string, value: number, unit: string) => void;

const START_MS = 1_800_000_000_000;

function freshState(): MarketState {
  const state = new MarketState('BENCH', DEFAULT_MARKET_STATE_OPTIONS);
  state.setMarket({
    ticker: 'BENCH',
    eventTicker: 'E',
    title: 'bench',
    status: 'active',
    openTimeMs: 0,
    closeTimeMs: START_MS + 86_400_000,
    grid: TickGrid.linearCent(),
    fees: DEFAULT_FEE_SCHEDULE,
    result: '',
    volume: 0 as Count,
    volume24h: 0 as Count,
    openInterest: 0 as Count,
  });
  const levels = (from: number) => Array.from({ length: 20 }, (_, i) => ({ price: ((from - i) * 100) as Price, count: 10_000 as Count }));
  state.applySnapshot(levels(48), levels(50), START_MS);
  return state;
}

function computeQuotesNs(report: Report, mode: StrategyMode): void {
  const state = freshState();
  const snapshot = state.snapshot(START_MS + 1);
  const params = { ...DEFAULT_STRATEGY_PARAMS, mode };
  const iterations = 300_000;
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += computeQuotes({ snapshot, position: ((i % 41) - 20) * 100 as Count }, params).quotes.bid?.price ?? 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += computeQuotes({ snapshot, position: ((i % 41) - 20) * 100 as Count }, params).quotes.bid?.price ?? 0;
  const elapsed = Number(process.hrtime.bigint() - started);
  if (sink === -1) report('never', 0, '');
  report(`strategy.compute_quotes_${mode}_ns`, elapsed / iterations, 'ns/op');
}

function eventToSizedQuotes(report: Report): void {
  const state = freshState();
  const risk = new RiskManager(DEFAULT_RISK_LIMITS);
  const rng = new SeededRng(7);
  const samples: number[] = [];
  let now = START_MS;
  const events = 100_000;
  for (let i = 0; i < events; i++) {
    now += rng.int(1, 500);
    // Random deltas near the touch; levels never go negative (add then remove the same size).
    const side = rng.chance(0.5) ? 'yes' : 'no';
    const price = (rng.int(40, 48) * 100) as Price;
    const delta = ((rng.chance(0.5) ? 1 : -1) * rng.int(1, 50) * 100) as Count;
    const started = process.hrtime.bigint();
    if (!state.apply({ type: 'book_delta', recvMs: now, ticker: 'BENCH', side, price, delta })) {
      state.applySnapshot(state.book.toSnapshot().yes, state.book.toSnapshot().no, now);
    }
    const snapshot = state.snapshot(now);
    const verdict = risk.check('BENCH', now, snapshot);
    if (verdict.canQuote) {
      const decision = computeQuotes({ snapshot, position: risk.position('BENCH') }, DEFAULT_STRATEGY_PARAMS);
      risk.sizeQuotes(decision.quotes, snapshot);
    }
    if (i >= 5_000) samples.push(Number(process.hrtime.bigint() - started));
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => (samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0) / 1000;
  report('strategy.book_event_to_sized_quotes_p50_us', at(0.5), 'µs');
  report('strategy.book_event_to_sized_quotes_p99_us', at(0.99), 'µs');
}

/** Runs the quoting benchmarks (about 5 s). */
export async function run(report: Report): Promise<void> {
  for (const mode of ['textbook', 'binary', 'glft'] as const) computeQuotesNs(report, mode);
  eventToSizedQuotes(report);
  await Promise.resolve();
}
