import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, ManualClock, MemoryLogger, TransportError, type AmendRequest, type OrderRequest, type PortEvent } from '../core/index.js';
import { ClientOrderIds } from '../orders/index.js';
import { MarketMaker } from './maker.js';
import { TEST_PARAMS, START_MS, advance, levels, portWith, settle } from './test-kit.test-helper.js';

const T = 'MKT-A';

async function started(overrides: Partial<typeof TEST_PARAMS> = {}) {
  const clock = new ManualClock(START_MS);
  const port = portWith(clock, T);
  const logger = new MemoryLogger();
  const maker = new MarketMaker({ port, clock, logger, ticker: T, params: { ...TEST_PARAMS, ...overrides }, ids: new ClientOrderIds('t1'), timings: { heartbeatMs: 1_000, refreshBackoffMs: 5_000 } });
  await maker.start();
  await settle();
  return { clock, port, maker, logger };
}

function snapshot(yesBidCents: number, noBidCents: number, recvMs: number): PortEvent {
  return { type: 'book_snapshot', recvMs, ticker: T, yes: levels([yesBidCents, 100]), no: levels([noBidCents, 100]) };
}

describe('MarketMaker', () => {
  test('on start it loads the market and rests a bid below and an ask above the mid', async () => {
    const { port, maker } = await started();
    const resting = port.resting(T);
    const bid = resting.find((o) => o.side === 'bid');
    const ask = resting.find((o) => o.side === 'ask');
    assert.ok(bid && ask, 'both sides quoted');
    assert.ok(bid.price < 5_000 && ask.price > 5_000, `bid ${bid.price} < mid < ask ${ask.price}`);
    assert.ok(bid.price < 5_500 && ask.price > 4_500, 'post-only: neither crosses the opposite best');
    assert.equal(maker.status().state, 'running');
    assert.equal(maker.status().orders.length, 2);
  });

  test('a book move requotes only once the minimum requote interval has passed', async () => {
    const { clock, port, maker } = await started();
    const before = port.resting(T).map((o) => o.price).sort();
    port.setBook(T, levels([55, 100]), levels([35, 100])); // mid moves to 60¢
    await maker.onEvent(snapshot(55, 35, clock.nowMs()));
    await settle();
    assert.deepEqual(port.resting(T).map((o) => o.price).sort(), before, 'no requote inside the interval');
    assert.equal(port.callsOf('amendOrder').length, 0);
    await advance(clock, 1_000);
    assert.equal(port.callsOf('amendOrder').length, 2, 'both sides amended after the interval');
    const bid = port.resting(T).find((o) => o.side === 'bid');
    assert.ok(bid && bid.price > 5_000, `bid follows the market up (was ${bid?.price})`);
  });

  test('a move within the requote threshold leaves the quotes alone; a larger one requotes', async () => {
    const { clock, port, maker } = await started({ requoteThresholdTicks: 3, fixedSigmaCentsPerSqrtSec: 0.05 });
    const before = maker.status();
    port.setBook(T, levels([46, 100]), levels([44, 100])); // mid 50 → 51¢
    await maker.onEvent(snapshot(46, 44, clock.nowMs()));
    await advance(clock, 1_000);
    const moved = maker.status();
    assert.notEqual(moved.desiredBid?.price, before.desiredBid?.price, 'the desired bid moved');
    assert.ok(Math.abs((moved.desiredBid?.price ?? 0) - (before.desiredBid?.price ?? 0)) <= 300, 'by at most the threshold');
    assert.equal(port.callsOf('amendOrder').length, 0, 'within 3 ticks: left alone');
    port.setBook(T, levels([52, 100]), levels([38, 100])); // mid → 57¢
    await maker.onEvent(snapshot(52, 38, clock.nowMs()));
    await advance(clock, 1_000);
    assert.ok(port.callsOf('amendOrder').length >= 1, 'beyond 3 ticks: requoted');
  });

  test('an unchanged book sends nothing on later cycles', async () => {
    const { clock, port } = await started();
    const calls = port.calls.length;
    await advance(clock, 5_000);
    const sent = port.calls.slice(calls).filter((c) => ['createOrder', 'amendOrder', 'decreaseOrder', 'cancelOrder'].includes(c.method));
    assert.deepEqual(sent, []);
  });

  test('a fill updates inventory and skews both quotes down toward flat', async () => {
    const { clock, port, maker } = await started();
    const before = maker.status();
    const bid = port.resting(T).find((o) => o.side === 'bid');
    assert.ok(bid);
    const fill = port.fill(bid.orderId, bid.remainingCount);
    await maker.onEvent({ type: 'fill', recvMs: clock.nowMs(), fill });
    await advance(clock, 1_000);
    const after = maker.status();
    assert.equal(after.position, bid.remainingCount, 'long what was bought');
    assert.equal(after.fills, 1);
    assert.ok(before.desiredBid && after.desiredAsk && before.desiredAsk);
    assert.ok((after.desiredAsk?.price ?? 0) <= before.desiredAsk.price, 'ask no higher after buying');
    const reservationBefore = before.diagnostics?.reservationCents ?? 0;
    const reservationAfter = after.diagnostics?.reservationCents ?? 0;
    assert.ok(reservationAfter < reservationBefore, `reservation price falls with long inventory (${reservationBefore} → ${reservationAfter})`);
  });

  test('a stale book cancels the quotes at once and nothing is quoted until a new snapshot', async () => {
    const { clock, port, maker } = await started();
    assert.equal(port.resting(T).length, 2);
    await maker.onEvent({ type: 'stale', recvMs: clock.nowMs(), ticker: T, reason: 'seq gap' });
    await settle();
    assert.equal(port.resting(T).length, 0, 'cancelled without waiting for the requote interval');
    assert.ok(maker.status().reasons.includes('stale_market'));
    // The REST refresh is held back by its backoff; the stream's snapshot brings quoting back.
    await advance(clock, 2_000);
    assert.equal(port.resting(T).length, 0);
    await maker.onEvent(snapshot(45, 45, clock.nowMs()));
    await advance(clock, 1_000);
    assert.equal(port.resting(T).length, 2);
  });

  test('a lost connection cancels quotes; the reconnect reconciles orders before quoting again', async () => {
    const { clock, port, maker } = await started();
    await maker.onEvent({ type: 'connection', recvMs: clock.nowMs(), connected: false });
    await settle();
    assert.equal(port.resting(T).length, 0);
    assert.ok(maker.status().reasons.includes('disconnected'));
    await advance(clock, 10_000);
    assert.equal(port.resting(T).length, 0, 'no REST refresh or quote while disconnected');
    const reads = port.callsOf('getOrders').length;
    await maker.onEvent({ type: 'connection', recvMs: clock.nowMs(), connected: true });
    await maker.onEvent(snapshot(45, 45, clock.nowMs()));
    await advance(clock, 1_000);
    assert.ok(port.callsOf('getOrders').length > reads, 'reconciled after reconnect');
    assert.equal(port.resting(T).length, 2);
  });

  test('an exchange pause pulls quotes and resuming quotes again', async () => {
    const { clock, port, maker } = await started();
    await maker.setPaused(['exchange_paused']);
    await settle();
    assert.equal(port.resting(T).length, 0);
    await maker.setPaused([]);
    await advance(clock, 1_000);
    assert.equal(port.resting(T).length, 2);
  });

  test('a market whose metadata failed to load is not quoted until a later REST refresh loads it', async () => {
    const clock = new ManualClock(START_MS);
    const port = portWith(clock, T);
    port.failNext('getMarket', new ApiError(404, 'not_found', 'market not found yet', 'GET', `/markets/${T}`));
    const maker = new MarketMaker({ port, clock, logger: new MemoryLogger(), ticker: T, params: TEST_PARAMS, timings: { refreshBackoffMs: 5_000 } });
    await maker.start();
    await maker.onEvent(snapshot(45, 45, clock.nowMs()));
    await settle();
    assert.equal(port.resting(T).length, 0, 'no close time, no quote');
    await advance(clock, 6_000);
    assert.equal(port.callsOf('getMarket').length, 2);
    assert.equal(port.resting(T).length, 2);
  });

  test('a market near its close is not quoted', async () => {
    const clock = new ManualClock(START_MS);
    const port = portWith(clock, T);
    port.markets.set(T, { ...(port.markets.get(T) ?? assert.fail()), closeTimeMs: START_MS + 60_000 });
    const maker = new MarketMaker({ port, clock, logger: new MemoryLogger(), ticker: T, params: TEST_PARAMS });
    await maker.start();
    await settle();
    assert.equal(port.resting(T).length, 0);
    assert.ok(maker.status().reasons.includes('near_close'));
  });

  test('a failed amend is contained: the maker reads the order back and keeps quoting', async () => {
    const { clock, port, maker, logger } = await started();
    // Three attempts per side, both sides: every attempt of the first cycle fails.
    port.failNext('amendOrder', ...Array.from({ length: 6 }, () => new TransportError('reset')));
    port.setBook(T, levels([55, 100]), levels([35, 100]));
    await maker.onEvent(snapshot(55, 35, clock.nowMs()));
    await advance(clock, 3_000);
    assert.ok(logger.records.some((r) => r.level === 'warn' && r.message === 'amend failed'));
    const amends = port.callsOf('amendOrder').map((c) => c.args as AmendRequest);
    assert.ok(amends.length >= 8, `amended again after the failure (${amends.length} amends)`);
    assert.ok((port.resting(T).find((o) => o.side === 'bid')?.price ?? 0) > 5_000, 'the bid reached the new market');
    assert.equal(port.resting(T).length, 2);
    assert.equal(maker.status().state, 'running');
  });

  test('stop with cancels leaves no order resting and stops cycling', async () => {
    const { clock, port, maker } = await started();
    const result = await maker.stop({ cancelOrders: true });
    assert.deepEqual(result, { restingLeft: 0 });
    assert.equal(port.resting(T).length, 0);
    const creates = port.callsOf('createOrder').length;
    await maker.onEvent(snapshot(45, 45, clock.nowMs()));
    await advance(clock, 5_000);
    assert.equal(port.callsOf('createOrder').length, creates);
  });

  test('every create carries a client order id of this run', async () => {
    const { port } = await started();
    const ids = port.callsOf('createOrder').map((c) => (c.args as OrderRequest).clientOrderId);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.every((id) => id.startsWith('kmm-t1-')));
  });
});
