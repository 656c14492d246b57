/**
 * Queue position of our simulated orders against recorded depth (fill rules 3–5, 7, 8 of
 * docs/backtesting.md): the order of a trade and the depth change it caused, both queue models, asks
 * (NO-side book lines), amends and decreases, arrivals at a level that vanished, sub-cent grids.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cents, contracts, OrderRejectedError, SeededRng, TickGrid, type Count, type PortEvent, type Price } from '../core/index.js';
import { BacktestExchange } from './exchange-port.js';
import { ConstantJitterLatency, feeModelFor, ProbabilisticQueue, RiskAverseQueue, type QueueModel } from './models/index.js';
import { SimulatorCore } from './simulator.js';
import { ReplayClock } from './replay-clock.js';

const T = 'KXQUEUE-26JAN01-T50';

function harness(options: { queue?: QueueModel; latencyMs?: number; cancelMs?: number } = {}) {
  const clock = new ReplayClock(1_000);
  const sim = new SimulatorCore({
    clock,
    queue: options.queue ?? new RiskAverseQueue(),
    latency: new ConstantJitterLatency({ entryMs: options.latencyMs ?? 10, entryJitterMs: 0, cancelMs: options.cancelMs ?? 10, cancelJitterMs: 0 }, new SeededRng(1)),
    fees: feeModelFor(),
  });
  const port = new BacktestExchange(sim);
  // As the runner does: queues are settled whenever replay time moves on, before the next event.
  const at = (tMs: number, event?: PortEvent): void => {
    if (tMs > clock.nowMs()) {
      sim.settleQueues();
      clock.advanceTo(tMs);
    }
    if (event) sim.onMarketEvent(event);
  };
  // YES bids 44¢ ×20, 45¢ ×30; NO bids 45¢ ×10 (YES ask 55¢), 50¢ ×20 (YES ask 50¢).
  at(1_000, { type: 'book_snapshot', recvMs: 1_000, ticker: T, yes: [lvl(44, 20), lvl(45, 30)], no: [lvl(45, 10), lvl(50, 20)] });
  const m = () => sim.market(T).metrics;
  const ahead = (orderId: string): number => sim.orders.get(orderId)?.queue.ahead ?? -1;
  return { clock, sim, port, at, m, ahead };
}

function lvl(priceCents: number, whole: number) {
  return { price: cents(priceCents), count: contracts(whole) };
}

function yesDelta(tMs: number, priceCents: number, whole: number): PortEvent {
  return { type: 'book_delta', recvMs: tMs, ticker: T, side: 'yes', price: cents(priceCents), delta: contracts(whole) as Count };
}

function noDelta(tMs: number, noPriceCents: number, whole: number): PortEvent {
  return { type: 'book_delta', recvMs: tMs, ticker: T, side: 'no', price: cents(noPriceCents), delta: contracts(whole) as Count };
}

function trade(tMs: number, priceCents: number, whole: number, takerSide: 'bid' | 'ask'): PortEvent {
  return { type: 'trade', recvMs: tMs, trade: { tradeId: `t${tMs}`, ticker: T, price: cents(priceCents), count: contracts(whole), takerSide, tsMs: tMs } };
}

function order(side: 'bid' | 'ask', priceCents: number, whole: number, id: string) {
  return { ticker: T, side, price: cents(priceCents), count: contracts(whole), timeInForce: 'good_till_canceled' as const, postOnly: true, selfTradePrevention: 'maker' as const, clientOrderId: id };
}

for (const queue of [new RiskAverseQueue(), new ProbabilisticQueue(3)]) {
  test(`${queue.name}: a depth decrease recorded a few ms before the trade that caused it is not counted twice`, async () => {
    const h = harness({ queue });
    await h.port.createOrder(order('bid', 45, 10, 'b'));
    h.at(1_020);
    // 30 ahead. A REST-poll recording writes the book (already without the 20 traded) before the
    // trade line, a round trip later: the decrease comes first, in an earlier millisecond.
    h.at(1_030, yesDelta(1_030, 45, -20));
    h.at(1_180, trade(1_180, 45, 20, 'ask'));
    assert.equal(h.m().fills, 0, '20 of the 30 ahead traded: 10 still ahead');
    h.at(1_200, trade(1_200, 45, 9, 'ask'));
    assert.equal(h.m().fills, 0, 'a 9-lot leaves 1 ahead');
    h.at(1_210, trade(1_210, 45, 3, 'ask'));
    assert.equal(h.m().inventory, contracts(2));
  });

  test(`${queue.name}: a trade and the book delta it caused in the same millisecond are netted`, async () => {
    const h = harness({ queue });
    await h.port.createOrder(order('bid', 45, 10, 'b'));
    h.at(1_020);
    h.at(1_030, yesDelta(1_030, 45, -20));
    h.at(1_030, trade(1_030, 45, 20, 'ask'));
    h.at(1_040);
    h.at(1_050, trade(1_050, 45, 9, 'ask'));
    assert.equal(h.m().fills, 0, '10 still ahead after 20 traded; a 9-lot does not reach us');
    h.at(1_060, trade(1_060, 45, 3, 'ask'));
    assert.equal(h.m().inventory, contracts(2));
  });

  test(`${queue.name}: a trade's book delta recorded within a second after it is not counted again`, async () => {
    const h = harness({ queue });
    await h.port.createOrder(order('bid', 45, 10, 'b'));
    h.at(1_020);
    // 10 more join behind us, so the probabilistic model would move us for an unexplained decrease.
    h.at(1_025, yesDelta(1_025, 45, 10));
    h.at(1_030, trade(1_030, 45, 20, 'ask'));
    h.at(1_600, yesDelta(1_600, 45, -20));
    h.at(1_700, trade(1_700, 45, 10, 'ask'));
    assert.equal(h.m().fills, 0, '10 ahead after the trade; its delta moves nobody, so a 10-lot does not reach us');
  });
}

test('probabilistic: a cancel stands when a later trade comes with its own book delta in one millisecond', async () => {
  const h = harness({ queue: new ProbabilisticQueue(3) });
  h.at(1_000, { type: 'book_snapshot', recvMs: 1_000, ticker: T, yes: [lvl(45, 10)], no: [lvl(50, 20)] });
  await h.port.createOrder(order('bid', 45, 10, 'b'));
  h.at(1_020, yesDelta(1_020, 45, 30));
  h.at(1_030, yesDelta(1_030, 45, -20));
  // front 10, back 30: (1/28) × 20 of the cancel came from ahead: 9.29 ahead.
  h.at(1_100, yesDelta(1_100, 45, -10));
  h.at(1_100, trade(1_100, 45, 10, 'ask'));
  assert.equal(h.m().inventory, 71, 'the trade explains its own delta, not the earlier cancel: 10 − 9.29 reach us');
});

test('probabilistic: a cancel splits by the power of the queue on each side (n = 3: mostly from the longer back)', async () => {
  const h = harness({ queue: new ProbabilisticQueue(3) });
  h.at(1_000, { type: 'book_snapshot', recvMs: 1_000, ticker: T, yes: [lvl(45, 10)], no: [lvl(50, 20)] });
  const ack = await h.port.createOrder(order('bid', 45, 10, 'b'));
  h.at(1_020, yesDelta(1_020, 45, 30));
  h.at(1_030, yesDelta(1_030, 45, -10));
  h.at(1_040);
  // front 10, back 30: p(behind) = 30³ / (10³ + 30³) = 27/28; from ahead (1/28) × 10 = 0.357 contracts.
  assert.equal(h.ahead(ack.orderId), 964);
});

test("probabilistic: depth changes while the book is stale (after a gap) are not counted, the next snapshot's are, once", async () => {
  const h = harness({ queue: new ProbabilisticQueue(3) });
  h.at(1_000, { type: 'book_snapshot', recvMs: 1_000, ticker: T, yes: [lvl(45, 10)], no: [lvl(50, 20)] });
  const ack = await h.port.createOrder(order('bid', 45, 10, 'b'));
  h.at(1_020, yesDelta(1_020, 45, 30));
  h.at(1_030, { type: 'stale', recvMs: 1_030, ticker: T, reason: 'gap' });
  h.at(1_040, yesDelta(1_040, 45, -20));
  h.at(1_050);
  assert.equal(h.ahead(ack.orderId), contracts(10), 'a delta on a stale book is not applied: it moves nobody');
  h.at(1_060, { type: 'book_snapshot', recvMs: 1_060, ticker: T, yes: [lvl(45, 20)], no: [lvl(50, 20)] });
  h.at(1_070);
  // 40 → 20 across the gap, front 10, back 30: (1/28) × 20 from ahead.
  assert.equal(h.ahead(ack.orderId), 929);
});

test('risk-averse: a cancel moves us only as far as the level size forces', async () => {
  const h = harness();
  const ack = await h.port.createOrder(order('bid', 45, 10, 'b'));
  h.at(1_020, yesDelta(1_020, 45, 30));
  h.at(1_030, yesDelta(1_030, 45, -25));
  h.at(1_040);
  assert.equal(h.ahead(ack.orderId), contracts(30), '35 left at the level: the cancels came from behind');
  h.at(1_050, yesDelta(1_050, 45, -30));
  h.at(1_060);
  assert.equal(h.ahead(ack.orderId), contracts(5), 'only 5 left at the level');
});

test('an ask queues behind the NO bids at 1 − price: NO-side depth changes and buyer trades move it', async () => {
  const h = harness({ queue: new ProbabilisticQueue(3) });
  // Our ask at 55¢ rests behind the NO bid at 45¢ ×10.
  const ack = await h.port.createOrder(order('ask', 55, 10, 'a'));
  h.at(1_020, noDelta(1_020, 45, 10));
  assert.equal(h.ahead(ack.orderId), contracts(10));
  h.at(1_030, noDelta(1_030, 45, -10));
  h.at(1_040);
  // front 10, back 10: half of the cancelled 10 came from ahead.
  assert.equal(h.ahead(ack.orderId), contracts(5));
  // Trades more than a second after the cancel (one within it could have caused that decrease).
  h.at(2_050, trade(2_050, 55, 4, 'ask'));
  assert.equal(h.m().fills, 0, 'a seller at 55¢ does not fill our ask');
  h.at(2_060, trade(2_060, 55, 6, 'bid'));
  assert.equal(h.m().inventory, -contracts(1), 'a buyer of 6 takes the 5 ahead, then 1 of ours');
  h.at(2_070, trade(2_070, 57, 3, 'bid'));
  assert.equal(h.m().inventory, -contracts(4), 'a buyer printing above our ask fills us at our price');
  const fills = h.sim.outbox.filter((e) => e.type === 'fill');
  assert.deepEqual(
    fills.map((e) => (e.type === 'fill' ? e.fill.price : 0)),
    [cents(55), cents(55)],
  );
});

test('an amend to a new price goes to the back of the new level; a smaller size keeps priority; a larger one loses it', async () => {
  const setup = async () => {
    const h = harness();
    const ack = await h.port.createOrder(order('bid', 45, 10, 'b'));
    h.at(1_020);
    h.at(1_030, trade(1_030, 45, 25, 'ask'));
    h.at(1_030, yesDelta(1_030, 45, -25));
    h.at(1_040, yesDelta(1_040, 45, 20));
    assert.equal(h.ahead(ack.orderId), contracts(5), '5 ahead, 20 behind');
    return { h, id: ack.orderId };
  };
  {
    const { h, id } = await setup();
    await h.port.amendOrder({ orderId: id, ticker: T, side: 'bid', price: cents(45), count: contracts(8) });
    h.at(1_060);
    assert.equal(h.ahead(id), contracts(5), 'a decrease by amend keeps the place');
    h.at(1_070, trade(1_070, 45, 6, 'ask'));
    assert.equal(h.m().inventory, contracts(1));
  }
  {
    const { h, id } = await setup();
    await h.port.decreaseOrder({ orderId: id, ticker: T, reduceTo: contracts(8) });
    h.at(1_060);
    assert.equal(h.ahead(id), contracts(5), 'a decrease keeps the place');
  }
  {
    const { h, id } = await setup();
    await h.port.amendOrder({ orderId: id, ticker: T, side: 'bid', price: cents(45), count: contracts(12) });
    h.at(1_060);
    assert.equal(h.ahead(id), contracts(25), 'a larger size re-queues behind all 25 at the level');
    h.at(1_070, trade(1_070, 45, 6, 'ask'));
    assert.equal(h.m().fills, 0);
  }
  {
    const { h, id } = await setup();
    await h.port.amendOrder({ orderId: id, ticker: T, side: 'bid', price: cents(44), count: contracts(10) });
    h.at(1_045, trade(1_045, 45, 6, 'ask'));
    assert.equal(h.m().inventory, contracts(1), 'until the amend lands the order still rests at 45¢ in its place');
    h.at(1_060);
    assert.equal(h.ahead(id), contracts(20), 'at 44¢ behind the 20 there');
    h.at(1_070, trade(1_070, 44, 19, 'ask'));
    assert.equal(h.m().inventory, contracts(1));
  }
});

test('an order arriving at a level that emptied while it was in flight is first in the queue', async () => {
  const h = harness({ latencyMs: 100 });
  await h.port.createOrder(order('bid', 45, 10, 'b'));
  h.at(1_050, yesDelta(1_050, 45, -30));
  h.at(1_150, trade(1_150, 45, 3, 'ask'));
  assert.equal(h.m().inventory, contracts(3));
});

test('a partial fill then a cancel: the fill stands, the rest is cancelled, nothing rests or fills later', async () => {
  const h = harness();
  const ack = await h.port.createOrder(order('bid', 46, 10, 'b'));
  h.at(1_020, trade(1_020, 46, 4, 'ask'));
  await h.port.cancelOrder(ack.orderId, T);
  h.at(1_040, trade(1_040, 46, 4, 'ask'));
  const o = await h.port.getOrder(ack.orderId);
  assert.equal(o.status, 'canceled');
  assert.equal(o.fillCount, contracts(4));
  assert.equal(o.remainingCount, 0);
  assert.equal(h.m().inventory, contracts(4));
  assert.equal(h.sim.account.state.locked, 0, 'the cancelled rest holds no collateral');
});

test('a cancel sent while the order is in flight lands after it: a crossing order still takes on arrival', async () => {
  const h = harness({ latencyMs: 100, cancelMs: 10 });
  const ack = await h.port.createOrder({ ...order('bid', 50, 5, 'x'), postOnly: false });
  await h.port.cancelOrder(ack.orderId, T);
  h.at(1_200);
  const o = await h.port.getOrder(ack.orderId);
  assert.equal(o.fillCount, contracts(5), 'the exchange handles the order before its cancel');
  assert.equal(o.status, 'executed');
});

test('on a 0.1¢ grid: sub-cent prices queue and fill; a price off the grid is refused', async () => {
  const h = harness();
  const grid = new TickGrid([{ start: 0 as Price, end: 10_000 as Price, step: 10 }]);
  h.at(1_000, { type: 'market', recvMs: 1_000, ticker: T, status: 'active', grid });
  h.at(1_000, { type: 'book_snapshot', recvMs: 1_000, ticker: T, yes: [{ price: 4_550 as Price, count: contracts(5) }], no: [{ price: 5_440 as Price, count: contracts(5) }] });
  await assert.rejects(h.port.createOrder({ ...order('bid', 45, 1, 'off'), price: 4_555 as Price }), (e: unknown) => e instanceof OrderRejectedError && e.reason === 'invalid_price');
  const ack = await h.port.createOrder({ ...order('bid', 45, 2, 'b'), price: 4_550 as Price });
  h.at(1_020);
  assert.equal(h.ahead(ack.orderId), contracts(5));
  await assert.rejects(h.port.createOrder({ ...order('ask', 45, 1, 'x'), price: 4_550 as Price }), (e: unknown) => e instanceof OrderRejectedError && e.reason === 'invalid_order', 'a post-only ask at the 45.5¢ bid crosses');
  h.at(1_030, tradeAt(1_030, 4_550, 6, 'ask'));
  assert.equal(h.m().inventory, contracts(1), 'a seller of 6 at 45.5¢ takes the 5 ahead, then 1 of ours');
  h.at(1_040, tradeAt(1_040, 4_540, 3, 'ask'));
  assert.equal(h.m().inventory, contracts(2), 'a seller printing at 45.4¢ fills the rest at our 45.5¢');
  const prices = h.sim.outbox.flatMap((e) => (e.type === 'fill' ? [e.fill.price] : []));
  assert.deepEqual(prices, [4_550, 4_550]);
});

function tradeAt(tMs: number, price: number, whole: number, takerSide: 'bid' | 'ask'): PortEvent {
  return { type: 'trade', recvMs: tMs, trade: { tradeId: `t${tMs}`, ticker: T, price: price as Price, count: contracts(whole), takerSide, tsMs: tMs } };
}
