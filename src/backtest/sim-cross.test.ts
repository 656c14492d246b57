// Fill rule 6 (docs/backtesting.md): how much of our resting order fills when the recorded book
// crosses it, under each `--cross-fills` model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cents, contracts, SeededRng, type Count, type PortEvent } from '../core/index.js';
import { BacktestExchange } from './exchange-port.js';
import { ConstantJitterLatency, feeModelFor, RiskAverseQueue, type CrossFillModel } from './models/index.js';
import { SimulatorCore } from './simulator.js';
import { ReplayClock } from './replay-clock.js';

const T = 'KXTEST-26JAN01-T50';

function harness(crossFills?: CrossFillModel) {
  const clock = new ReplayClock(1_000);
  const sim = new SimulatorCore({
    clock,
    queue: new RiskAverseQueue(),
    latency: new ConstantJitterLatency({ entryMs: 10, entryJitterMs: 0, cancelMs: 10, cancelJitterMs: 0 }, new SeededRng(1)),
    fees: feeModelFor('quadratic_with_maker_fees'),
    ...(crossFills === undefined ? {} : { crossFills }),
  });
  const port = new BacktestExchange(sim);
  const at = (tMs: number, event?: PortEvent): void => {
    if (tMs > clock.nowMs()) {
      sim.settleQueues();
      clock.advanceTo(tMs);
    }
    if (event) sim.onMarketEvent(event);
  };
  // YES bids 40¢ ×50, 45¢ ×30; YES asks 50¢ ×20 (NO bid 50¢), 55¢ ×10 (NO bid 45¢).
  at(1_000, snapshot(1_000, []));
  const inventory = (): number => sim.market(T).metrics.inventory;
  const filled = (orderId: string): number => sim.orders.get(orderId)?.filled ?? -1;
  return { sim, port, at, inventory, filled };
}

/** The harness book plus extra YES asks, given as [YES price in cents, contracts]. */
function snapshot(tMs: number, extraAsks: readonly (readonly [number, number])[]): PortEvent {
  const no = [lvl(45, 10), lvl(50, 20), ...extraAsks.map(([p, n]) => lvl(100 - p, n))].sort((a, b) => a.price - b.price);
  return { type: 'book_snapshot', recvMs: tMs, ticker: T, yes: [lvl(40, 50), lvl(45, 30)], no };
}

function lvl(priceCents: number, whole: number) {
  return { price: cents(priceCents), count: contracts(whole) };
}

/** A change of the YES ask at `askCents` by `whole` contracts (a NO bid at 1 − ask). */
function askDelta(tMs: number, askCents: number, whole: number): PortEvent {
  return { type: 'book_delta', recvMs: tMs, ticker: T, side: 'no', price: cents(100 - askCents), delta: contracts(whole) as Count };
}

function bid(priceCents: number, whole: number, id = `b${priceCents}`) {
  return {
    ticker: T,
    side: 'bid' as const,
    price: cents(priceCents),
    count: contracts(whole),
    timeInForce: 'good_till_canceled' as const,
    postOnly: true,
    selfTradePrevention: 'maker' as const,
    clientOrderId: id,
  };
}

test('a 100-lot bid crossed by a 1-lot ask fills 1 with displayed (the default), 100 with full, 0 with off', async () => {
  const expected: [CrossFillModel | undefined, number][] = [
    [undefined, 1],
    ['displayed', 1],
    ['full', 100],
    ['off', 0],
  ];
  for (const [model, whole] of expected) {
    const h = harness(model);
    await h.port.createOrder(bid(48, 100));
    h.at(1_020);
    h.at(1_030, askDelta(1_030, 47, 1));
    assert.equal(h.inventory(), contracts(whole), `${model ?? 'default'}`);
    const fill = h.sim.outbox.find((e) => e.type === 'fill');
    if (whole > 0) assert.equal(fill?.type === 'fill' ? fill.fill.price : 0, cents(48), 'at our price');
  }
});

test('displayed: the same crossing size persisting over later deltas, trades and snapshots does not fill again', async () => {
  const h = harness('displayed');
  const ack = await h.port.createOrder(bid(48, 100));
  h.at(1_020);
  h.at(1_030, askDelta(1_030, 47, 1));
  assert.equal(h.filled(ack.orderId), contracts(1));
  h.at(1_040, askDelta(1_040, 55, 3));
  h.at(1_050, { type: 'book_delta', recvMs: 1_050, ticker: T, side: 'yes', price: cents(40), delta: contracts(-5) as Count });
  h.at(1_060, {
    type: 'trade',
    recvMs: 1_060,
    trade: { tradeId: 't1', ticker: T, price: cents(50), count: contracts(2), takerSide: 'bid', tsMs: 1_060 },
  });
  h.at(1_070, snapshot(1_070, [[47, 1]]));
  h.at(1_080, snapshot(1_080, [[47, 1]]));
  assert.equal(h.filled(ack.orderId), contracts(1), 'the 1 lot at 47 was used once; it still shows, but is not new');
});

test('displayed: an increase of the crossing level, or a new crossing level, fills the new size only', async () => {
  const h = harness('displayed');
  const ack = await h.port.createOrder(bid(48, 100));
  h.at(1_020);
  h.at(1_030, askDelta(1_030, 47, 1));
  h.at(1_040, askDelta(1_040, 47, 3));
  assert.equal(h.filled(ack.orderId), contracts(4), '1, then the 3 added');
  h.at(1_050, askDelta(1_050, 46, 2));
  assert.equal(h.filled(ack.orderId), contracts(6), 'a new level at 46: its 2');
  h.at(
    1_060,
    snapshot(1_060, [
      [46, 2],
      [47, 9],
    ]),
  );
  assert.equal(h.filled(ack.orderId), contracts(11), 'a snapshot showing 5 more at 47');
});

test('displayed: a decrease brings the used size down to what shows; an emptied level that comes back is new size', async () => {
  const h = harness('displayed');
  const ack = await h.port.createOrder(bid(48, 100));
  h.at(1_020);
  h.at(1_030, askDelta(1_030, 47, 5));
  assert.equal(h.filled(ack.orderId), contracts(5));
  h.at(1_040, askDelta(1_040, 47, -2));
  h.at(1_050, snapshot(1_050, [[47, 3]]));
  assert.equal(h.filled(ack.orderId), contracts(5), 'the 3 left are taken as among the 5 used');
  h.at(1_060, askDelta(1_060, 47, 1));
  assert.equal(h.filled(ack.orderId), contracts(6), 'used 3 of 4 shown: the 1 added fills');
  h.at(1_070, askDelta(1_070, 47, -4));
  h.at(1_080, askDelta(1_080, 47, 2));
  assert.equal(h.filled(ack.orderId), contracts(8), 'the level emptied: its return is new size');
});

test('displayed: two of our bids crossed at once share the crossing size, the better price first', async () => {
  const h = harness('displayed');
  const low = await h.port.createOrder(bid(48, 5));
  const high = await h.port.createOrder(bid(49, 5));
  h.at(1_020);
  h.at(1_030, askDelta(1_030, 47, 3));
  assert.equal(h.filled(high.orderId), contracts(3), 'the 49 bid first');
  assert.equal(h.filled(low.orderId), 0);
  h.at(1_040, askDelta(1_040, 47, 4));
  assert.equal(h.filled(high.orderId), contracts(5));
  assert.equal(h.filled(low.orderId), contracts(2), 'what the 49 bid left: never more in total than the 7 displayed');
  assert.equal(h.inventory(), contracts(7));
  h.at(1_050, snapshot(1_050, [[47, 7]]));
  assert.equal(h.inventory(), contracts(7));
});

test('displayed: our ask crossed by a recorded bid fills at most its size, once', async () => {
  const h = harness('displayed');
  const ack = await h.port.createOrder({ ...bid(47, 50, 'a47'), side: 'ask' as const });
  h.at(1_020);
  h.at(1_030, { type: 'book_delta', recvMs: 1_030, ticker: T, side: 'yes', price: cents(48), delta: contracts(2) as Count });
  h.at(1_040, { type: 'book_delta', recvMs: 1_040, ticker: T, side: 'yes', price: cents(40), delta: contracts(1) as Count });
  assert.equal(h.filled(ack.orderId), contracts(2));
  assert.equal(h.inventory(), -contracts(2));
});

test('displayed: size our order took on arrival (as a taker) does not fill its resting rest again', async () => {
  const h = harness('displayed');
  const ack = await h.port.createOrder({ ...bid(50, 100, 'take'), postOnly: false });
  h.at(1_020);
  assert.equal(h.filled(ack.orderId), contracts(20), 'took the 20 at 50, rests 80');
  h.at(1_030, askDelta(1_030, 55, 1));
  h.at(1_040, snapshot(1_040, []));
  assert.equal(h.filled(ack.orderId), contracts(20), 'the 20 still shown at 50 were taken');
  h.at(1_050, askDelta(1_050, 50, 5));
  assert.equal(h.filled(ack.orderId), contracts(25));
});

test('no model fills on a stale book; the next snapshot fills only what it displays', async () => {
  for (const [model, whole] of [
    ['displayed', 2],
    ['full', 100],
    ['off', 0],
  ] as const) {
    const h = harness(model);
    await h.port.createOrder(bid(48, 100));
    h.at(1_020);
    h.at(1_025, { type: 'stale', recvMs: 1_025, ticker: T, reason: 'gap' });
    h.at(1_030, askDelta(1_030, 47, 5));
    assert.equal(h.inventory(), 0, `${model}: stale book not used`);
    h.at(1_040, snapshot(1_040, [[47, 2]]));
    assert.equal(h.inventory(), contracts(whole), model);
  }
});

test('displayed: a later taker order of ours takes only crossing size our orders have not used', async () => {
  for (const [model, whole] of [['displayed', 0], ['full', 1]] as const) {
    const h = harness(model);
    const rest = await h.port.createOrder(bid(48, 1));
    h.at(1_020);
    h.at(1_030, askDelta(1_030, 47, 1));
    assert.equal(h.filled(rest.orderId), contracts(1), `${model}: the resting bid used the 1 at 47`);
    const ioc = await h.port.createOrder({ ...bid(47, 5, 'ioc'), postOnly: false, timeInForce: 'immediate_or_cancel' as const });
    h.at(1_050);
    assert.equal(h.filled(ioc.orderId), contracts(whole), model);
  }
});
