/**
 * Maker benchmark: book event → order intent latency, in process.
 * - `maker.book_to_intent_p50_us` / `_p99_us`: from `MarketMaker.onEvent(book_delta)` to the moment the
 *   port's `amendOrder` is called (market data applied, risk checked, quotes computed and sized, diff
 *   planned), over deltas that move the mid between 50¢ and 52.5¢ so every event requotes;
 * - `maker.cycle_p50_us`: the same through the settled promise (acks from an in-memory port applied);
 * - `maker.idle_cycle_p50_us`: one timer wake-up (a heartbeat) when only the time moved: the full
 *   cycle runs (σ and close-time terms change with time), but plans nothing and allocates little;
 * - `orders.plan_ns_per_op`: one `planActions` call on two resting orders and two moved quotes.
 * Goal (issue 5): p99 < 1 ms.
 */
import { ManualClock, silentLogger, type Count, type PortEvent, type Price } from '../src/core/index.js';
import { MarketMaker } from '../src/bot/index.js';
import { ClientOrderIds, planActions, type LiveOrder } from '../src/orders/index.js';
import { TEST_PARAMS, levels, portWith } from '../src/bot/test-kit.test-helper.js';

type Report = (name: string, value: number, unit: string) => void;

const WARMUP = 2_000;
const SAMPLES = 20_000;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

export async function run(report: Report): Promise<void> {
  const clock = new ManualClock(1_000_000);
  const ticker = 'BENCH';
  const port = portWith(clock, ticker);
  let intentAt: number | undefined;
  const amend = port.amendOrder.bind(port);
  port.amendOrder = (request) => {
    intentAt ??= performance.now();
    return amend(request);
  };
  const maker = new MarketMaker({
    port,
    clock,
    logger: silentLogger,
    ticker,
    // A fixed σ keeps the quotes inside the price range while the bench whipsaws the mid.
    params: { ...TEST_PARAMS, minRequoteIntervalMs: 0, requoteThresholdTicks: 0, fixedSigmaCentsPerSqrtSec: 0.1 },
    ids: new ClientOrderIds('bench'),
    timings: { heartbeatMs: 0 },
  });
  await maker.start();
  port.setBook(ticker, levels([45, 100], [50, 100]), levels([45, 100]));
  const intents: number[] = [];
  const cycles: number[] = [];
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    clock.advanceBy(100);
    const event: PortEvent = { type: 'book_delta', recvMs: clock.nowMs(), ticker, side: 'yes', price: 5_000 as Price, delta: (i % 2 === 0 ? 10_000 : -10_000) as Count };
    intentAt = undefined;
    const start = performance.now();
    await maker.onEvent(event);
    const end = performance.now();
    if (port.calls.length > 10_000) port.calls.length = 0;
    if (i < WARMUP || intentAt === undefined) continue;
    intents.push((intentAt - start) * 1_000);
    cycles.push((end - start) * 1_000);
  }
  // Idle cycles: timer wake-ups with nothing changed but the time (what a heartbeat costs).
  const idle: number[] = [];
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    clock.advanceBy(1_000);
    const start = performance.now();
    await maker.onTimer();
    if (i >= WARMUP) idle.push((performance.now() - start) * 1_000);
  }
  idle.sort((a, b) => a - b);
  await maker.stop({ cancelOrders: true });
  if (intents.length === 0) throw new Error('no book event led to an order intent');
  intents.sort((a, b) => a - b);
  cycles.sort((a, b) => a - b);
  report('maker.book_to_intent_p50_us', percentile(intents, 0.5), 'us');
  report('maker.book_to_intent_p99_us', percentile(intents, 0.99), 'us');
  report('maker.cycle_p50_us', percentile(cycles, 0.5), 'us');
  report('maker.requoting_events', intents.length, 'events');
  report('maker.idle_cycle_p50_us', percentile(idle, 0.5), 'us');
  report('orders.plan_ns_per_op', planBench(), 'ns');
}

function planBench(): number {
  const live: LiveOrder[] = [
    { clientOrderId: 'b', orderId: 'ob', ticker: 'M', side: 'bid', price: 4_800 as Price, remaining: 1_000 as Count, filled: 0 as Count },
    { clientOrderId: 'a', orderId: 'oa', ticker: 'M', side: 'ask', price: 5_200 as Price, remaining: 1_000 as Count, filled: 0 as Count },
  ];
  const params = { requoteThresholdPrice: 0, sizeTolerance: 0 as Count, amend: true };
  const n = 200_000;
  let sink = 0;
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const shift = (i % 3) * 100;
    sink += planActions(live, { ticker: 'M', bid: { side: 'bid', price: (4_700 + shift) as Price, count: 1_000 as Count }, ask: { side: 'ask', price: (5_300 - shift) as Price, count: 800 as Count } }, params).length;
  }
  const ns = ((performance.now() - start) * 1e6) / n;
  if (sink === 0) throw new Error('planActions planned nothing');
  return ns;
}
