import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, cents, contracts, SeededRng, type OrderRequest, type PortEvent } from '../core/index.js';
import { BacktestExchange } from './exchange-port.js';
import { ConstantJitterLatency, feeModelFor, RiskAverseQueue } from './models/index.js';
import { ReplayClock } from './replay-clock.js';
import { SimulatorCore } from './simulator.js';

const T = 'KXTEST-26JAN01-T50';
const UNKNOWN = 'KXNOPE-26JAN01-T1';

function harness() {
  const clock = new ReplayClock(1_000);
  const sim = new SimulatorCore({
    clock,
    queue: new RiskAverseQueue(),
    latency: new ConstantJitterLatency({ entryMs: 10, entryJitterMs: 0, cancelMs: 10, cancelJitterMs: 0 }, new SeededRng(1)),
    fees: feeModelFor('quadratic_with_maker_fees'),
  });
  const port = new BacktestExchange(sim);
  const at = (tMs: number, event?: PortEvent): void => {
    if (tMs > clock.nowMs()) {
      sim.settleQueues();
      clock.advanceTo(tMs);
    }
    if (event) sim.onMarketEvent(event);
  };
  at(1_000, { type: 'book_snapshot', recvMs: 1_000, ticker: T, yes: [{ price: cents(40), count: contracts(50) }], no: [{ price: cents(50), count: contracts(20) }] });
  return { clock, sim, port, at };
}

function request(ticker: string, priceCents: number, id: string, overrides: Partial<OrderRequest> = {}): OrderRequest {
  return {
    ticker,
    side: 'bid',
    price: cents(priceCents),
    count: contracts(1),
    timeInForce: 'good_till_canceled',
    postOnly: true,
    selfTradePrevention: 'maker',
    clientOrderId: id,
    ...overrides,
  };
}

const is404 = (e: unknown): boolean => e instanceof ApiError && e.status === 404 && e.apiCode === 'market_not_found';

describe('BacktestExchange on a market the recording never mentioned', () => {
  test('getOrderBook and getMarket throw ApiError 404 and the market is not invented', async () => {
    const h = harness();
    await assert.rejects(h.port.getOrderBook(UNKNOWN), is404);
    await assert.rejects(h.port.getMarket(UNKNOWN), is404);
    const listed: string[] = [];
    for await (const m of h.port.listMarkets()) listed.push(m.ticker);
    assert.deepEqual(listed, [T]);
    assert.equal(h.sim.markets.has(UNKNOWN), false);
  });

  test('createOrder is refused with ApiError 404, per item in a batch, and no order exists afterwards', async () => {
    const h = harness();
    await assert.rejects(h.port.createOrder(request(UNKNOWN, 30, 'u1')), is404);
    const [bad, good] = await h.port.createOrders([request(UNKNOWN, 30, 'u2'), request(T, 30, 'k1')]);
    assert.equal(bad?.ok === false ? bad.errorCode : 'ok', 'market_not_found');
    assert.equal(good?.ok, true, 'the order on the recorded market is accepted');
    h.at(1_100);
    assert.deepEqual(await h.port.getOrders({ ticker: UNKNOWN }), []);
    assert.equal((await h.port.getOrders({ ticker: T, status: 'resting' })).length, 1);
    assert.equal(h.sim.markets.has(UNKNOWN), false);
  });

  test('a batched cancel of a gone order reports the exchange code not_found', async () => {
    const h = harness();
    const [gone] = await h.port.cancelOrders([{ orderId: 'bt-999', ticker: T }]);
    assert.equal(gone !== undefined && 'errorCode' in gone ? gone.errorCode : '', 'not_found');
  });
});
