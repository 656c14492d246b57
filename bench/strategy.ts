/**
 * Quoting benchmarks (in process, no I/O):
 * - `strategy.compute_quotes_<mode>_ns`: one `computeQuotes` call (model + grid + fees) per mode, ns/op;
 * - `strategy.book_event_to_sized_quotes_p50_us` / `_p99_us`: one book delta applied to a
 *   `MarketState`, its snapshot taken, quotes computed, risk checked and sizes cut — the synchronous
 *   part of the maker's path from a book event to an order intent, per event;
 * - `strategy.sim_<mode>_*`: a toy closed loop (see `closedLoop`) showing each mode's inventory control.
 */
import { DEFAULT_FEE_SCHEDULE, SeededRng, TickGrid, type Cash, type Count, type Price } from '../src/core/index.js';
import { DEFAULT_MARKET_STATE_OPTIONS, MarketState, type MarketSnapshot } from '../src/marketdata/index.js';
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

/**
 * A toy closed loop (not a backtest: the market is the model's own world): the fair probability walks
 * in log-odds (σₓ = 0.004/√s), the book sits 1¢ outside fair, and each second each of our quotes is
 * hit with probability A·e^(−κ·δ) (A = 0.5/s, κ = 1.5/¢, δ = distance from fair in ¢). Four simulated
 * hours per mode, risk sizing on, fees on a taker-only series. Reports PnL marked to fair, fills and the
 * mean |inventory|, to show the inventory control of each mode (and of γ ≈ 0 as a no-skew baseline).
 */
function closedLoop(report: Report, mode: StrategyMode, gamma: number, label: string): void {
  const rng = new SeededRng(11);
  const params = { ...DEFAULT_STRATEGY_PARAMS, mode, gamma, stopBeforeCloseMs: 0 };
  const risk = new RiskManager({ ...DEFAULT_RISK_LIMITS, sizeVolScaling: 0 });
  const sigmaX = 0.004;
  const steps = 4 * 3_600;
  let x = 0;
  let cash = 0;
  let fills = 0;
  let sumAbsQ = 0;
  for (let i = 0; i < steps; i++) {
    x += sigmaX * rng.normal();
    const p = 1 / (1 + Math.exp(-x));
    const fairCents = 100 * p;
    const bestBid = Math.max(1, Math.min(97, Math.floor(fairCents - 1)));
    const bestAsk = Math.max(bestBid + 1, Math.min(99, Math.ceil(fairCents + 1)));
    const nowMs = START_MS + i * 1_000;
    const snapshot = {
      ...snapshotTemplate,
      nowMs,
      closeTimeMs: START_MS + steps * 1_000 + 600_000,
      bestBid: (bestBid * 100) as Price,
      bestAsk: (bestAsk * 100) as Price,
      mid: fairCents * 100,
      microPrice: fairCents * 100,
      spread: (bestAsk - bestBid) * 100,
      sigmaLogOddsPerSqrtSec: sigmaX,
      tradeStdDevCents: 100 * p * (1 - p) * sigmaX * Math.sqrt(60),
    };
    const position = risk.position('SIM');
    const sized = risk.sizeQuotes(computeQuotes({ snapshot, position }, params).quotes, snapshot).quotes;
    for (const quote of [sized.bid, sized.ask]) {
      if (!quote) continue;
      const distance = quote.side === 'bid' ? fairCents - quote.price / 100 : quote.price / 100 - fairCents;
      if (!rng.chance(Math.min(1, 0.5 * Math.exp(-1.5 * Math.max(0, distance))))) continue;
      fills++;
      const sign = quote.side === 'bid' ? 1 : -1;
      cash -= (sign * quote.price * quote.count) / 1_000_000; // dollars
      risk.onFill({ tradeId: `s${fills}`, orderId: 'o', ticker: 'SIM', side: quote.side, price: quote.price, count: quote.count, isTaker: false, fee: 0 as Cash, tsMs: nowMs });
    }
    sumAbsQ += Math.abs(risk.position('SIM')) / 100;
  }
  const finalP = 1 / (1 + Math.exp(-x));
  const pnl = cash + (risk.position('SIM') / 100) * finalP;
  report(`strategy.sim_${label}_pnl_usd`, pnl, '$ per 4 h');
  report(`strategy.sim_${label}_fills`, fills, 'fills per 4 h');
  report(`strategy.sim_${label}_mean_abs_inventory`, sumAbsQ / steps, 'contracts');
}

const snapshotTemplate: MarketSnapshot = {
  ticker: 'SIM',
  nowMs: START_MS,
  grid: TickGrid.linearCent(),
  fees: DEFAULT_FEE_SCHEDULE,
  hasMetadata: true,
  status: 'active',
  bestBidSize: 10_000 as Count,
  bestAskSize: 10_000 as Count,
  tradesInVolWindow: 0,
  sigmaLogOddsPerSqrtSec: 0.004,
  kappaPerCent: 1.5,
  arrivalPerSec: 0.5,
  effectiveTrades: 0,
  volume24h: 0 as Count,
  volume1h: 0 as Count,
  buyVolume1h: 0 as Count,
  sellVolume1h: 0 as Count,
  stale: false,
};

/** Runs the quoting benchmarks (a few seconds). */
export async function run(report: Report): Promise<void> {
  for (const mode of ['textbook', 'binary', 'glft'] as const) computeQuotesNs(report, mode);
  eventToSizedQuotes(report);
  closedLoop(report, 'binary', 0.1, 'binary');
  closedLoop(report, 'binary', 0.001, 'binary_no_skew');
  closedLoop(report, 'textbook', 0.1, 'textbook');
  closedLoop(report, 'glft', 0.1, 'glft');
  await Promise.resolve();
}
