import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cents, contracts, OrderRejectedError, SeededRng, type Cash, type PortEvent } from '../core/index.js';
import { BacktestExchange } from './exchange-port.js';
import { ConstantJitterLatency, feeModelFor, RiskAverseQueue } from './models/index.js';
import { ReplayClock } from './replay-clock.js';
import { SimulatorCore } from './simulator.js';

const T = 'KXTEST-26JAN01-T50';

function harness(startingCash: number, latencyMs = 10) {
  const clock = new ReplayClock(1_000);
  const sim = new SimulatorCore({
    clock,
    queue: new RiskAverseQueue(),
    latency: new ConstantJitterLatency({ entryMs: latencyMs, entryJitterMs: 0, cancelMs: latencyMs, cancelJitterMs: 0 }, new SeededRng(1)),
    fees: feeModelFor('quadratic_with_maker_fees'),
    account: { startingCash: startingCash as Cash },
  });
  const port = new BacktestExchange(sim);
  const at = (tMs: number, event?: PortEvent): void => {
    sim.settleQueues();
    clock.advanceTo(tMs);
    if (event) sim.onMarketEvent(event);
  };
  at(1_000, { type: 'book_snapshot', recvMs: 1_000, ticker: T, yes: [{ price: cents(40), count: contracts(50) }], no: [{ price: cents(40), count: contracts(20) }] });
  return { sim, port, at, balance: async () => (await port.getBalance()).balance };
}

function order(side: 'bid' | 'ask', priceCents: number, whole: number, id: string) {
  return { ticker: T, side, price: cents(priceCents), count: contracts(whole), timeInForce: 'good_till_canceled' as const, postOnly: true, selfTradePrevention: 'maker' as const, clientOrderId: id };
}

const tooLow = (e: unknown): boolean => e instanceof OrderRejectedError && e.reason === 'available_balance_too_low';

test('an order locks price × count plus its maker fee and $0.01 rounding reserve; one the rest cannot cover is refused', async () => {
  const h = harness(10_000);
  await h.port.createOrder(order('bid', 48, 2, 'a'));
  // 2 × $0.48 = $0.96, maker fee 0.0175 × 2 × 0.48 × 0.52 = $0.008736 → $0.0088, rounding reserve $0.01.
  assert.equal(await h.balance(), 10_000 - 9_600 - 88 - 100);
  await assert.rejects(h.port.createOrder(order('bid', 2, 1, 'b')), tooLow, '$0.02 + $0.0004 fee + $0.01 reserve > $0.0212');
  const [batch] = await h.port.createOrders([order('ask', 52, 1, 'c')]);
  assert.deepEqual(batch?.ok === false ? batch.errorCode : 'ok', 'available_balance_too_low', 'a NO leg costs 1 − p');
  assert.equal(h.sim.account.balanceRejections, 2);
  assert.equal(await h.balance(), 212, 'a refusal locks nothing');
});

test('after the bid fills, an ask that sells the YES held needs only its fee reserve', async () => {
  const h = harness(10_000);
  await h.port.createOrder(order('bid', 48, 2, 'a'));
  h.at(1_020);
  h.at(1_030, { type: 'trade', recvMs: 1_030, trade: { tradeId: 't1', ticker: T, price: cents(47), count: contracts(2), takerSide: 'ask', tsMs: 1_030 } });
  // Paid $0.96 + $0.0088 fee, floored to the cent: −$0.97.
  assert.equal(await h.balance(), 300);
  await h.port.createOrder(order('ask', 52, 2, 'b'));
  // Fee reserve 0.0175 × 2 × 0.52 × 0.48 → $0.0088, plus $0.01: nothing for the leg, the long YES covers it.
  assert.equal(await h.balance(), 300 - 88 - 100);
  await assert.rejects(h.port.createOrder(order('ask', 52, 3, 'c')), tooLow, 'a third contract would open a short');
});

test('an amend the balance cannot cover is refused and the order keeps its terms; a cancel frees the collateral', async () => {
  const h = harness(10_000);
  const ack = await h.port.createOrder(order('bid', 48, 2, 'a'));
  h.at(1_020);
  await assert.rejects(h.port.amendOrder({ orderId: ack.orderId, ticker: T, side: 'bid', price: cents(48), count: contracts(3) }), tooLow);
  assert.equal((await h.port.getOrder(ack.orderId)).remainingCount, contracts(2));
  assert.equal(await h.balance(), 212);
  // A cheaper amend is accepted; while in flight the order holds the worse of old and new terms.
  await h.port.amendOrder({ orderId: ack.orderId, ticker: T, side: 'bid', price: cents(30), count: contracts(2) });
  assert.equal(await h.balance(), 212);
  h.at(1_040);
  assert.equal(await h.balance(), 10_000 - 6_000 - 74 - 100, 'after it lands: 2 × $0.30 + fee $0.00735 → $0.0074 + $0.01');
  await h.port.cancelOrder(ack.orderId, T);
  h.at(1_060);
  assert.equal(await h.balance(), 10_000);
});

test('a non-post-only order holds the taker fee reserve until it arrives', async () => {
  const h = harness(10_000, 50);
  await h.port.createOrder({ ...order('bid', 45, 2, 'a'), postOnly: false });
  // Lock 2 × $0.45 + maker fee $0.0087 (0.0175 × 2 × 0.45 × 0.55 = 0.0086625) + $0.01, and in flight
  // the taker fee 0.07 × 2 × 0.45 × 0.55 = $0.03465 → $0.0347 + $0.01.
  assert.equal(await h.balance(), 10_000 - 9_000 - 87 - 100 - 347 - 100);
  h.at(1_060);
  assert.equal(await h.balance(), 10_000 - 9_000 - 87 - 100, 'rested without taking: the taker reserve is released');
});
