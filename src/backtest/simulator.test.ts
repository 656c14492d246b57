import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cents, contracts, OrderRejectedError, SeededRng, type PortEvent, type Price, type Count } from '../core/index.js';
import { BacktestExchange } from './exchange-port.js';
import { ConstantJitterLatency, feeModelFor, ProbabilisticQueue, RiskAverseQueue, type CrossFillModel, type QueueModel } from './models/index.js';
import { SimulatorCore } from './simulator.js';
import { ReplayClock } from './replay-clock.js';

const T = 'KXTEST-26JAN01-T50';

function harness(options: { latencyMs?: number; cancelMs?: number; queue?: QueueModel; makerFees?: boolean; precision?: 1 | 100; crossFills?: CrossFillModel } = {}) {
  const clock = new ReplayClock(1_000);
  const sim = new SimulatorCore({
    clock,
    queue: options.queue ?? new RiskAverseQueue(),
    latency: new ConstantJitterLatency({ entryMs: options.latencyMs ?? 10, entryJitterMs: 0, cancelMs: options.cancelMs ?? 10, cancelJitterMs: 0 }, new SeededRng(1)),
    fees: feeModelFor(options.makerFees === false ? 'quadratic' : 'quadratic_with_maker_fees'),
    ...(options.precision === undefined ? {} : { account: { precision: options.precision } }),
    ...(options.crossFills === undefined ? {} : { crossFills: options.crossFills }),
  });
  const port = new BacktestExchange(sim);
  const at = (tMs: number, event?: PortEvent): void => {
    if (tMs > clock.nowMs()) {
      sim.settleQueues();
      clock.advanceTo(tMs);
    }
    if (event) sim.onMarketEvent(event);
  };
  // YES bids: 40¢ ×50, 45¢ ×30; NO bids 50¢ ×20 (YES ask 50¢), 45¢ ×10 (YES ask 55¢).
  at(1_000, { type: 'book_snapshot', recvMs: 1_000, ticker: T, yes: [lvl(40, 50), lvl(45, 30)], no: [lvl(45, 10), lvl(50, 20)] });
  return { clock, sim, port, at, metrics: () => sim.market(T).metrics };
}

function lvl(priceCents: number, whole: number) {
  return { price: cents(priceCents), count: contracts(whole) };
}

function trade(tMs: number, priceCents: number, whole: number, takerSide: 'bid' | 'ask'): PortEvent {
  return { type: 'trade', recvMs: tMs, trade: { tradeId: `t${tMs}`, ticker: T, price: cents(priceCents), count: contracts(whole), takerSide, tsMs: tMs } };
}

function bid(priceCents: number, whole: number, id = `c${priceCents}`) {
  return { ticker: T, side: 'bid' as const, price: cents(priceCents), count: contracts(whole), timeInForce: 'good_till_canceled' as const, postOnly: true, selfTradePrevention: 'maker' as const, clientOrderId: id };
}

test('a trade smaller than the queue ahead does not fill us; the next one reaches us and fills partially', async () => {
  const h = harness();
  await h.port.createOrder(bid(45, 10));
  h.at(1_020);
  h.at(1_030, trade(1_030, 45, 20, 'ask'));
  assert.equal(h.metrics().fills, 0, '20 of the 30 ahead traded: we are not reached');
  h.at(1_040, trade(1_040, 45, 15, 'ask'));
  assert.equal(h.metrics().fills, 1);
  assert.equal(h.metrics().inventory, contracts(5), '10 ahead left, 15 traded: 5 reach us');
  const [order] = await h.port.getOrders({ ticker: T });
  assert.equal(order?.remainingCount, contracts(5));
});

test('an order is not live before its entry latency: an earlier trade at its price does not fill it', async () => {
  const h = harness({ latencyMs: 100 });
  h.at(1_000, { type: 'book_snapshot', recvMs: 1_000, ticker: T, yes: [lvl(40, 50)], no: [lvl(50, 20)] });
  await h.port.createOrder(bid(45, 10));
  h.at(1_050, trade(1_050, 45, 5, 'ask'));
  assert.equal(h.metrics().fills, 0);
  h.at(1_150, trade(1_150, 45, 5, 'ask'));
  assert.equal(h.metrics().inventory, contracts(5), 'live at 1100 with an empty level: the trade fills us');
});

test('a cancel in flight can still be filled, and after it takes effect nothing fills', async () => {
  const h = harness({ cancelMs: 50 });
  h.at(1_000, { type: 'book_snapshot', recvMs: 1_000, ticker: T, yes: [lvl(40, 50)], no: [lvl(50, 20)] });
  const ack = await h.port.createOrder(bid(45, 10));
  h.at(1_020);
  const cancel = await h.port.cancelOrder(ack.orderId, T);
  assert.equal(cancel.reducedBy, contracts(10));
  h.at(1_040, trade(1_040, 45, 4, 'ask'));
  assert.equal(h.metrics().inventory, contracts(4), 'the cancel sent at 1020 lands at 1070: the quote is hit at 1040');
  h.at(1_080, trade(1_080, 45, 4, 'ask'));
  assert.equal(h.metrics().inventory, contracts(4));
  const order = await h.port.getOrder(ack.orderId);
  assert.equal(order.status, 'canceled');
  await assert.rejects(h.port.cancelOrder(ack.orderId, T), /not resting/);
});

test('a post-only order that would cross is rejected as the exchange would', async () => {
  const h = harness();
  await assert.rejects(h.port.createOrder(bid(50, 1)), (e: unknown) => e instanceof OrderRejectedError && e.reason === 'invalid_order' && /post only cross/.test(e.message));
  const [result] = await h.port.createOrders([bid(55, 1, 'x')]);
  assert.equal(result?.ok, false);
});

test('a post-only order whose price became crossing while in flight is cancelled on arrival', async () => {
  const h = harness({ latencyMs: 100 });
  const ack = await h.port.createOrder(bid(48, 1));
  h.at(1_050, { type: 'book_delta', recvMs: 1_050, ticker: T, side: 'no', price: cents(52), delta: contracts(5) });
  h.at(1_200);
  assert.equal((await h.port.getOrder(ack.orderId)).status, 'canceled');
  assert.equal(h.metrics().fills, 0);
});

test('cash, inventory and maker fees update exactly on fills', async () => {
  const h = harness();
  await h.port.createOrder(bid(48, 10));
  h.at(1_020);
  h.at(1_030, trade(1_030, 47, 10, 'ask'));
  const m = h.metrics();
  // Bought 10 at $0.48 (a trade through our price fills at our price): −$4.80; maker fee
  // 0.0175 × 10 × 0.48 × 0.52 = $0.04368 → $0.0437 rounded up; a cent-precision account's balance
  // change −$4.8437 is floored to −$4.85, so the fee charged is $0.05 (rounding fee $0.0063, no rebate yet).
  assert.equal(m.inventory, 1_000);
  assert.equal(m.fees, 500);
  assert.equal(m.cash, -48_500);
  assert.equal(m.makerVolume, 1_000);
  const fills = [];
  for await (const f of h.port.listFills()) fills.push(f);
  assert.equal(fills.length, 0, 'listFills holds fills the runner delivered; nothing was delivered here');
  assert.equal(h.sim.outbox.filter((e) => e.type === 'fill').length, 1);
});

test('a direct member (balance in $0.0001) pays the trade fee rounded up to $0.0001 and no rounding fee', async () => {
  const h = harness({ precision: 1 });
  await h.port.createOrder(bid(48, 10));
  h.at(1_020);
  h.at(1_030, trade(1_030, 47, 10, 'ask'));
  assert.equal(h.metrics().fees, 437);
  assert.equal(h.metrics().cash, -48_437);
});

test('with a maker-fee-free schedule a maker fill pays nothing', async () => {
  const h = harness({ makerFees: false });
  await h.port.createOrder(bid(48, 10));
  h.at(1_020);
  h.at(1_030, trade(1_030, 47, 10, 'ask'));
  assert.equal(h.metrics().fees, 0);
});

test('a trade and the book delta it caused in the same millisecond are not counted twice', async () => {
  const h = harness();
  await h.port.createOrder(bid(45, 10));
  h.at(1_020);
  // 30 ahead. Book delta −20 then the trade of 20 at 1030 (tie rule: book first).
  h.at(1_030, { type: 'book_delta', recvMs: 1_030, ticker: T, side: 'yes', price: cents(45), delta: (-contracts(20)) as Count });
  h.at(1_030, trade(1_030, 45, 20, 'ask'));
  h.at(1_040);
  h.at(1_050, trade(1_050, 45, 9, 'ask'));
  assert.equal(h.metrics().fills, 0, '10 still ahead after 20 traded; a 9-lot does not reach us');
  h.at(1_060, trade(1_060, 45, 3, 'ask'));
  assert.equal(h.metrics().inventory, contracts(2));
});

test('the risk-averse queue ignores cancellations; the probabilistic one moves us up', async () => {
  const cancelTen: PortEvent = { type: 'book_delta', recvMs: 1_030, ticker: T, side: 'yes', price: cents(45), delta: (-contracts(10)) as Count };
  const averse = harness();
  await averse.port.createOrder(bid(45, 10));
  averse.at(1_020);
  averse.at(1_030, cancelTen);
  averse.at(1_040);
  const prob = harness({ queue: new ProbabilisticQueue(3) });
  await prob.port.createOrder(bid(45, 10));
  prob.at(1_020);
  prob.at(1_030, cancelTen);
  prob.at(1_040);
  const aheadOf = (h: ReturnType<typeof harness>): number => [...h.sim.orders.values()][0]?.queue.ahead ?? -1;
  assert.equal(aheadOf(averse), contracts(20), 'capped at the level size (20 left), no further');
  // We stood at the back (front 30, back 0): every cancel came from ahead.
  assert.equal(aheadOf(prob), contracts(20));
  const prob2 = harness({ queue: new ProbabilisticQueue(1) });
  prob2.at(1_000, { type: 'book_snapshot', recvMs: 1_000, ticker: T, yes: [lvl(45, 30)], no: [lvl(50, 20)] });
  await prob2.port.createOrder(bid(45, 10));
  prob2.at(1_020, { type: 'book_delta', recvMs: 1_020, ticker: T, side: 'yes', price: cents(45), delta: contracts(30) });
  prob2.at(1_030, { type: 'book_delta', recvMs: 1_030, ticker: T, side: 'yes', price: cents(45), delta: (-contracts(30)) as Count });
  prob2.at(1_040);
  // front 30, back 30, n = 1: half of the 30 cancelled came from ahead.
  assert.equal(aheadOf(prob2), contracts(15));
});

test('full: a book that crosses our bid fills the remainder at our price; a stale book does not', async () => {
  const h = harness({ crossFills: 'full' });
  await h.port.createOrder(bid(48, 10));
  h.at(1_020);
  h.at(1_025, { type: 'stale', recvMs: 1_025, ticker: T, reason: 'gap' });
  h.at(1_030, { type: 'book_delta', recvMs: 1_030, ticker: T, side: 'no', price: cents(53), delta: contracts(5) });
  assert.equal(h.metrics().fills, 0, 'stale book: not used');
  h.at(1_040, { type: 'book_snapshot', recvMs: 1_040, ticker: T, yes: [lvl(40, 50)], no: [lvl(53, 5)] });
  assert.equal(h.metrics().inventory, contracts(10));
  const fill = h.sim.outbox.find((e) => e.type === 'fill');
  assert.equal(fill?.type === 'fill' ? fill.fill.price : 0, cents(48) as Price);
});

test('a market that closes cancels our resting orders', async () => {
  const h = harness();
  const ack = await h.port.createOrder(bid(45, 10));
  h.at(1_020);
  h.at(1_030, { type: 'market', recvMs: 1_030, ticker: T, status: 'closed' });
  assert.equal((await h.port.getOrder(ack.orderId)).status, 'canceled');
  await assert.rejects(h.port.createOrder(bid(44, 1, 'late')), (e: unknown) => e instanceof OrderRejectedError && e.reason === 'market_closed');
});

function taker(priceCents: number, whole: number, timeInForce: 'immediate_or_cancel' | 'fill_or_kill', id: string) {
  return { ...bid(priceCents, whole, id), postOnly: false, timeInForce };
}

test('an IOC that cannot fill on arrival is canceled, not rested: a later trade at its price does not fill it', async () => {
  const h = harness();
  const ack = await h.port.createOrder(taker(48, 10, 'immediate_or_cancel', 'ioc'));
  h.at(1_020);
  const order = await h.port.getOrder(ack.orderId);
  assert.equal(order.status, 'canceled', 'asks start at 50¢: a 48¢ IOC finds nothing and is canceled');
  assert.equal(order.fillCount, 0);
  assert.equal(order.remainingCount, 0);
  assert.deepEqual(await h.port.getOrders({ ticker: T, status: 'resting' }), []);
  h.at(1_030, trade(1_030, 47, 10, 'ask'));
  assert.equal(h.metrics().fills, 0, 'a seller printing through 48¢ would have filled a resting bid');
});

test('a FOK the displayed size cannot fill entirely takes nothing and is canceled', async () => {
  const h = harness();
  // Asks: 20 at 50¢, 10 at 55¢: 30 reachable at 55¢, 40 wanted.
  const ack = await h.port.createOrder(taker(55, 40, 'fill_or_kill', 'fok-big'));
  h.at(1_020);
  const order = await h.port.getOrder(ack.orderId);
  assert.equal(order.status, 'canceled');
  assert.equal(order.fillCount, 0, 'fill or kill: no partial fill');
  assert.equal(h.metrics().fills, 0);
  assert.equal(h.metrics().inventory, 0);
});

test('a FOK the displayed size covers fills entirely across levels', async () => {
  const h = harness();
  const ack = await h.port.createOrder(taker(55, 25, 'fill_or_kill', 'fok-ok'));
  h.at(1_020);
  const order = await h.port.getOrder(ack.orderId);
  assert.equal(order.status, 'executed');
  assert.equal(order.fillCount, contracts(25));
  assert.equal(h.metrics().inventory, contracts(25), '20 at 50¢ and 5 at 55¢');
});

test('a FOK that does not cross on arrival is canceled, not rested', async () => {
  const h = harness();
  const ack = await h.port.createOrder(taker(46, 5, 'fill_or_kill', 'fok-away'));
  h.at(1_020);
  assert.equal((await h.port.getOrder(ack.orderId)).status, 'canceled');
  h.at(1_030, trade(1_030, 45, 10, 'ask'));
  assert.equal(h.metrics().fills, 0);
});

function ask(priceCents: number, whole: number, id: string) {
  return { ...bid(priceCents, whole, id), side: 'ask' as const };
}

test('a post-only order that would cross our own resting order is rejected, as the exchange (whose book holds it) rejects it', async () => {
  const h = harness();
  await h.port.createOrder(bid(48, 5, 'our-bid'));
  const early = await h.port.createOrder(ask(48, 1, 'early'));
  h.at(1_020);
  const crossing = (e: unknown): boolean => e instanceof OrderRejectedError && e.reason === 'invalid_order' && /post only cross/.test(e.message);
  await assert.rejects(h.port.createOrder(ask(47, 1, 'cross')), crossing);
  await assert.rejects(h.port.createOrder(ask(48, 1, 'touch')), crossing);
  const late = await h.port.getOrder(early.orderId);
  assert.equal(late.status, 'canceled', 'accepted while our bid was in flight (the exchange had not seen it), cancelled on arrival behind it');
  assert.equal(h.metrics().fills, 0);
  const ok = await h.port.createOrder(ask(49, 1, 'fine'));
  await assert.rejects(h.port.amendOrder({ orderId: ok.orderId, ticker: T, side: 'ask', price: cents(48), count: contracts(1) }), crossing);
});

test('a decrease by an amount applies to what remains when it lands, as the exchange applies it', async () => {
  const remainingAfter = async (decrease: { reduceBy: Count } | { reduceTo: Count }): Promise<number> => {
    const h = harness({ cancelMs: 50 });
    const ack = await h.port.createOrder(bid(46, 10));
    h.at(1_020);
    await h.port.decreaseOrder({ orderId: ack.orderId, ticker: T, ...decrease });
    h.at(1_040, trade(1_040, 45, 5, 'ask'));
    assert.equal(h.metrics().inventory, contracts(5), 'a seller through 46¢ fills 5 while the decrease is in flight');
    h.at(1_100);
    return (await h.port.getOrder(ack.orderId)).remainingCount;
  };
  assert.equal(await remainingAfter({ reduceBy: contracts(3) }), contracts(2), '5 left when it lands, less 3');
  assert.equal(await remainingAfter({ reduceTo: contracts(7) }), contracts(5), 'already below 7: unchanged');
  assert.equal(await remainingAfter({ reduceTo: contracts(4) }), contracts(4));
});

test('a post-only order crossing our own order that is being moved away is judged when it lands, not refused at the call', async () => {
  const h = harness();
  const ourBid = await h.port.createOrder(bid(48, 5, 'our-bid'));
  h.at(1_020);
  // Quotes shift down past the old bid: the bid's amend is sent first and lands first.
  await h.port.amendOrder({ orderId: ourBid.orderId, ticker: T, side: 'bid', price: cents(44), count: contracts(5) });
  const ack = await h.port.createOrder(ask(47, 1, 'new-ask'));
  h.at(1_100);
  assert.equal((await h.port.getOrder(ack.orderId)).status, 'resting', 'by the time the ask lands our bid is at 44¢');
  assert.equal((await h.port.getOrder(ourBid.orderId)).price, cents(44));
});
