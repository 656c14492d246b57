import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRICE_SCALE, SeededRng, TickGrid, tradeFee, type BookSide, type Cash, type Count, type FeeSchedule, type Liquidity, type Price, type PortEvent, type Rng } from '../core/index.js';
import { testEngine, testMarket } from '../exchange/matching/test-support.js';
import { BacktestExchange } from './exchange-port.js';
import { ConstantJitterLatency, feeModelFor, RiskAverseQueue } from './models/index.js';
import { ReplayClock } from './replay-clock.js';
import { SimulatorCore } from './simulator.js';

const T = 'KXPARITY-26JAN01-T50';
const FEES: FeeSchedule = { feeType: 'quadratic_with_maker_fees', multiplier: 10_000 };
/** A 0.1¢ grid, so fill prices include sub-cent ones. */
const GRID = new TickGrid([{ start: 0 as Price, end: PRICE_SCALE as Price, step: 10 }]);
const START = 1_000_000 * 10_000;

/** One of our orders and the fills it gets: all at its price when it rests (maker), level by level when it takes. */
interface Script {
  readonly side: BookSide;
  readonly liquidity: Liquidity;
  readonly fills: readonly { readonly price: Price; readonly count: Count }[];
}

/** Many small partial fills at awkward prices (0.1¢ grid, 0.01–3.00 contracts), maker and taker, both sides. */
function scripts(rng: Rng, n: number): Script[] {
  const out: Script[] = [];
  for (let i = 0; i < n; i++) {
    const side: BookSide = rng.chance(0.5) ? 'bid' : 'ask';
    const liquidity: Liquidity = rng.chance(0.5) ? 'maker' : 'taker';
    const k = rng.int(1, 6);
    const fills: { price: Price; count: Count }[] = [];
    if (liquidity === 'maker') {
      const price = (rng.int(1, 999) * 10) as Price;
      for (let j = 0; j < k; j++) fills.push({ price, count: rng.int(1, 300) as Count });
    } else {
      const prices = new Set<number>();
      while (prices.size < k) prices.add(rng.int(1, 999) * 10);
      // Levels in the order a taker meets them: asks from the lowest, bids from the highest.
      const sorted = [...prices].sort((a, b) => (side === 'bid' ? a - b : b - a));
      for (const price of sorted) fills.push({ price: price as Price, count: rng.int(1, 300) as Count });
    }
    out.push({ side, liquidity, fills });
  }
  return out;
}

interface Outcome {
  readonly fills: [number, number, boolean, number][];
  readonly orderFees: [number, number][];
  readonly cash: number;
  readonly available: number;
  readonly position: number;
}

/** Plays the scripts on the local exchange's matching engine: a counterparty account supplies every fill. */
function onEngine(plays: readonly Script[], precision: 1 | 100): Outcome {
  const { engine, events } = testEngine({ tickers: [], accounts: [], precision });
  engine.addMarket(testMarket(T, { fees: FEES, grid: GRID }));
  engine.addAccount('us', START as Cash);
  engine.addAccount('cp', START as Cash);
  const base = { ticker: T, selfTradePrevention: 'taker_at_cross' as const };
  const orderIds: string[] = [];
  let seq = 0;
  for (const play of plays) {
    const other: BookSide = play.side === 'bid' ? 'ask' : 'bid';
    const total = play.fills.reduce((s, f) => s + f.count, 0) as Count;
    if (play.liquidity === 'maker') {
      const price = (play.fills[0]?.price ?? 0) as Price;
      const { order } = engine.createOrder('us', { ...base, side: play.side, price, count: total, timeInForce: 'good_till_canceled', postOnly: true, clientOrderId: `us-${++seq}` });
      orderIds.push(order.orderId);
      for (const f of play.fills) engine.createOrder('cp', { ...base, side: other, price, count: f.count, timeInForce: 'immediate_or_cancel', postOnly: false, clientOrderId: `cp-${++seq}` });
    } else {
      for (const f of play.fills) engine.createOrder('cp', { ...base, side: other, price: f.price, count: f.count, timeInForce: 'good_till_canceled', postOnly: true, clientOrderId: `cp-${++seq}` });
      const limit = play.fills[play.fills.length - 1]?.price ?? (0 as Price);
      const { order } = engine.createOrder('us', { ...base, side: play.side, price: limit, count: total, timeInForce: 'immediate_or_cancel', postOnly: false, clientOrderId: `us-${++seq}` });
      orderIds.push(order.orderId);
    }
  }
  const fills = events.flatMap((e) => (e.type === 'fill' && e.accountId === 'us' ? [[e.fill.price, e.fill.count, e.fill.isTaker, e.fill.fee] as [number, number, boolean, number]] : []));
  const orders = engine.listOrders('us');
  const orderFees = orderIds.map((id) => {
    const o = orders.find((x) => x.orderId === id);
    return [o?.makerFees ?? -1, o?.takerFees ?? -1] as [number, number];
  });
  const balance = engine.getBalance('us');
  return { fills, orderFees, cash: balance.cash - START, available: balance.available, position: engine.getPositions('us')[0]?.position ?? 0 };
}

/** Plays the same scripts on the backtest simulator: fills come from recorded trades (maker) and the recorded book (taker). */
async function onSimulator(plays: readonly Script[], precision: 1 | 100): Promise<Outcome & { yesLegCash: number; inventory: number; fees: number }> {
  const clock = new ReplayClock(1_000);
  const sim = new SimulatorCore({
    clock,
    queue: new RiskAverseQueue(),
    latency: new ConstantJitterLatency({ entryMs: 1, entryJitterMs: 0, cancelMs: 1, cancelJitterMs: 0 }, new SeededRng(1)),
    fees: feeModelFor('quadratic_with_maker_fees'),
    account: { precision },
  });
  const port = new BacktestExchange(sim);
  let t = 1_000;
  const at = (event?: PortEvent): void => {
    t += 10;
    sim.settleQueues();
    clock.advanceTo(t);
    if (event) sim.onMarketEvent({ ...event, recvMs: t });
  };
  at({ type: 'market', recvMs: t, ticker: T, grid: GRID, status: 'active' });
  const orderIds: string[] = [];
  let seq = 0;
  for (const play of plays) {
    const total = play.fills.reduce((s, f) => s + f.count, 0) as Count;
    if (play.liquidity === 'maker') {
      const price = (play.fills[0]?.price ?? 0) as Price;
      at({ type: 'book_snapshot', recvMs: t, ticker: T, yes: [], no: [] });
      const ack = await port.createOrder({ ticker: T, side: play.side, price, count: total, timeInForce: 'good_till_canceled', postOnly: true, selfTradePrevention: 'taker_at_cross', clientOrderId: `us-${++seq}` });
      orderIds.push(ack.orderId);
      at();
      // A taker on the other side trades at our price; nothing is ahead of us, so each print fills us.
      for (const f of play.fills) {
        at({ type: 'trade', recvMs: t, trade: { tradeId: `p${++seq}`, ticker: T, price, count: f.count, takerSide: play.side === 'bid' ? 'ask' : 'bid', tsMs: t } });
      }
    } else {
      // The other side's levels as the recording shows them: asks as NO bids at 1 − p, bids as YES bids.
      const levels = play.fills.map((f) => ({ price: (play.side === 'bid' ? PRICE_SCALE - f.price : f.price) as Price, count: f.count }));
      const sorted = [...levels].sort((a, b) => a.price - b.price);
      at({ type: 'book_snapshot', recvMs: t, ticker: T, yes: play.side === 'bid' ? [] : sorted, no: play.side === 'bid' ? sorted : [] });
      const limit = play.fills[play.fills.length - 1]?.price ?? (0 as Price);
      const ack = await port.createOrder({ ticker: T, side: play.side, price: limit, count: total, timeInForce: 'immediate_or_cancel', postOnly: false, selfTradePrevention: 'taker_at_cross', clientOrderId: `us-${++seq}` });
      orderIds.push(ack.orderId);
      at();
    }
  }
  const fills = sim.outbox.flatMap((e) => (e.type === 'fill' ? [[e.fill.price, e.fill.count, e.fill.isTaker, e.fill.fee] as [number, number, boolean, number]] : []));
  const orderFees: [number, number][] = [];
  for (const id of orderIds) {
    const o = await port.getOrder(id);
    orderFees.push([o.makerFees, o.takerFees]);
  }
  const m = sim.market(T).metrics;
  const state = sim.account.state;
  return {
    fills,
    orderFees,
    cash: state.cash - START,
    available: (await port.getBalance()).balance - START,
    position: state.positions.get(T)?.position ?? 0,
    yesLegCash: m.cash,
    inventory: m.inventory,
    fees: m.fees,
  };
}

for (const precision of [100, 1] as const) {
  const who = precision === 100 ? 'a cent-precision account' : 'a direct member ($0.0001 balance)';
  test(`for ${who}, the simulator charges every fill the fee the matching engine charges and ends with the same cash`, async () => {
    const plays = scripts(new SeededRng(precision), 60);
    const engine = onEngine(plays, precision);
    const sim = await onSimulator(plays, precision);
    assert.ok(engine.fills.length >= 150, `many fills (${engine.fills.length})`);
    assert.ok(engine.fills.some((f) => f[2]) && engine.fills.some((f) => !f[2]), 'maker and taker fills');
    assert.deepEqual(sim.fills, engine.fills, 'fill by fill: price, count, liquidity, fee');
    assert.deepEqual(sim.orderFees, engine.orderFees, 'maker and taker fees per order');
    const engineFees = engine.fills.reduce((s, f) => s + f[3], 0);
    assert.equal(sim.fees, engineFees, 'total fees to $0.0001');
    assert.equal(sim.cash, engine.cash, 'cash to $0.0001');
    assert.equal(sim.available - (engine.available - START), 0, 'balance: nothing rests at the end, so available = cash');
    assert.equal(sim.position, engine.position);
    assert.equal(sim.inventory, engine.position);
    // The metrics keep YES-leg cash (a sale brings p); the exchange buys NO at 1 − p: $1 per NO contract apart.
    assert.equal(sim.yesLegCash - 100 * Math.max(0, -sim.inventory), engine.cash);
    const perFillRounding = engine.fills.reduce((s, f) => s + tradeFee(FEES, f[2] ? 'taker' : 'maker', f[1] as Count, f[0] as Price), 0);
    if (precision === 100) assert.ok(engineFees > perFillRounding, `cent rounding costs more than per-fill rounding (${engineFees} > ${perFillRounding})`);
    else assert.equal(engineFees, perFillRounding, 'a direct member pays the per-fill trade fees only');
  });
}
