/**
 * Matching-engine benchmarks:
 * - `matching.matched_orders_per_s`: crossing IOC orders that trade, per second, against a book
 *   that makers keep refilling (each matched order books 1–3 fills, fees, positions and events);
 * - `matching.orders_per_s`: all order operations of a mixed stream (rests, crosses, cancels);
 * - `market_sim.sim_hours_per_s`: hours of the default universe the generator runs per second offline.
 */
import { ManualClock, SeededRng, type Cash, type Count, type Price } from '../src/core/index.js';
import { MatchingEngine } from '../src/exchange/matching/index.js';
import { runOffline } from '../src/exchange/market-sim/index.js';
import { order, testMarket, TEST_START_MS } from '../src/exchange/matching/test-support.js';

type Report = (name: string, value: number, unit: string) => void;

function matchingStream(report: Report): void {
  const clock = new ManualClock(TEST_START_MS);
  const engine = new MatchingEngine({ clock });
  let events = 0;
  // Orders still resting, kept from the engine's own order events (so the bench never asks for pruned orders).
  const alive = new Set<string>();
  engine.subscribe((event) => {
    events++;
    if (event.type === 'order' && event.order.status !== 'resting') alive.delete(event.order.orderId);
  });
  engine.addMarket(testMarket('M1'));
  for (const id of ['maker1', 'maker2', 'taker']) engine.addAccount(id, 1e13 as Cash, { historyLimit: 1000 });
  const rng = new SeededRng(1);
  const resting: string[] = [];
  let operations = 0;
  let matched = 0;
  const started = performance.now();
  const budgetMs = 3000;
  while (performance.now() - started < budgetMs) {
    for (let i = 0; i < 1000; i++) {
      const roll = rng.next();
      const maker = rng.chance(0.5) ? 'maker1' : 'maker2';
      if (roll < 0.55) {
        const bid = rng.chance(0.5);
        const price = (bid ? rng.int(40, 49) : rng.int(51, 60)) * 100;
        const result = engine.createOrder(maker, order(bid ? 'bid' : 'ask', 0, 0, { price: price as Price, count: (rng.int(1, 20) * 100) as Count, clientOrderId: '', postOnly: true }));
        if (result.order.status === 'resting') {
          resting.push(result.order.orderId);
          alive.add(result.order.orderId);
        }
      } else if (roll < 0.8) {
        const bid = rng.chance(0.5);
        const result = engine.createOrder('taker', order(bid ? 'bid' : 'ask', bid ? 60 : 40, rng.int(1, 30), { clientOrderId: '', timeInForce: 'immediate_or_cancel' }));
        if (result.fills.length > 0) matched++;
      } else {
        // Swap-remove a random entry: O(1), so the bench measures the engine, not its own bookkeeping.
        const index = rng.int(0, Math.max(0, resting.length - 1));
        const id = resting[index];
        const last = resting.pop();
        if (last !== undefined && index < resting.length) resting[index] = last;
        if (id !== undefined && alive.has(id)) engine.cancelOrder(engine.getOrder(id).accountId, id);
      }
      operations++;
    }
    if (resting.length > 20_000) resting.splice(0, resting.length).forEach((id) => alive.has(id) && resting.push(id));
  }
  const seconds = (performance.now() - started) / 1000;
  report('matching.matched_orders_per_s', matched / seconds, 'orders/s');
  report('matching.orders_per_s', operations / seconds, 'ops/s');
  report('matching.events_per_s', events / seconds, 'events/s');
}

function marketSim(report: Report): void {
  const started = performance.now();
  const hours = 2;
  let events = 0;
  runOffline({ seed: 1, hours, startMs: TEST_START_MS, onEvent: () => events++ });
  const seconds = (performance.now() - started) / 1000;
  report('market_sim.sim_hours_per_s', hours / seconds, 'sim h/s');
  report('market_sim.events_per_s', events / seconds, 'events/s');
}

/** Runs the benchmarks (about 5 s). */
export function run(report: Report): Promise<void> {
  matchingStream(report);
  marketSim(report);
  return Promise.resolve();
}
