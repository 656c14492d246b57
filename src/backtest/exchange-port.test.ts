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

const OTHER = 'KXTEST-26JAN01-T60';

/** Reads `count` events from `iterator`. */
async function take(iterator: AsyncIterator<PortEvent>, count: number): Promise<PortEvent[]> {
  const out: PortEvent[] = [];
  while (out.length < count) {
    const next = await iterator.next();
    if (next.done === true) break;
    out.push(next.value);
  }
  return out;
}

function describeEvent(e: PortEvent): string {
  switch (e.type) {
    case 'book_delta':
      return `${e.type}:${e.ticker}:${e.side}@${e.price}${e.delta > 0 ? '+' : ''}${e.delta}`;
    case 'book_snapshot':
    case 'market':
      return `${e.type}:${e.ticker}`;
    case 'stale':
      return `stale:${e.ticker ?? '*'}`;
    case 'trade':
      return `trade:${e.trade.ticker}`;
    case 'fill':
      return `fill:${e.fill.orderId}`;
    case 'order':
      return `order:${e.order.orderId}:${e.order.status}`;
    case 'position':
      return `position:${e.ticker}`;
    case 'connection':
      return 'connection';
    case 'order_group':
      return `order_group:${e.orderGroupId}:${e.kind}`;
  }
}

describe('BacktestExchange.events()', () => {
  test('streams a snapshot of a subscribed market first, then its recorded data and our fills and orders, not other markets', async () => {
    const h = harness();
    h.at(1_000, { type: 'book_snapshot', recvMs: 1_000, ticker: OTHER, yes: [], no: [] });
    await h.port.subscribeMarkets([T]);
    const it = h.port.events()[Symbol.asyncIterator]();
    const [snapshot] = await take(it, 1);
    assert.deepEqual(snapshot, { type: 'book_snapshot', recvMs: 1_000, ticker: T, yes: [{ price: cents(40), count: contracts(50) }], no: [{ price: cents(50), count: contracts(20) }] });
    const ack = await h.port.createOrder(request(T, 45, 'b45', { count: contracts(2) }));
    h.at(1_010, { type: 'book_delta', recvMs: 1_010, ticker: OTHER, side: 'yes', price: cents(30), delta: contracts(1) });
    h.at(1_020, { type: 'book_delta', recvMs: 1_020, ticker: T, side: 'yes', price: cents(41), delta: contracts(1) });
    h.at(1_030, { type: 'trade', recvMs: 1_030, trade: { tradeId: 'x', ticker: T, price: cents(44), count: contracts(2), takerSide: 'ask', tsMs: 1_030 } });
    const seen = (await take(it, 8)).map(describeEvent);
    assert.deepEqual(seen, [
      `order:${ack.orderId}:resting`,
      // Our bid joins the book the port shows when it arrives, and leaves it when it is filled.
      `book_delta:${T}:yes@4500+200`,
      `book_delta:${T}:yes@4100+100`,
      `trade:${T}`,
      `fill:${ack.orderId}`,
      `position:${T}`,
      `order:${ack.orderId}:executed`,
      `book_delta:${T}:yes@4500-200`,
    ]);
    await it.return?.();
  });

  test('a subscribe while a stream is open sends that market a snapshot; an unknown ticker gets none', async () => {
    const h = harness();
    h.at(1_000, { type: 'book_snapshot', recvMs: 1_000, ticker: OTHER, yes: [], no: [] });
    const it = h.port.events()[Symbol.asyncIterator]();
    const first = it.next();
    await h.port.subscribeMarkets([UNKNOWN, OTHER]);
    assert.equal(describeEvent((await first).value as PortEvent), `book_snapshot:${OTHER}`);
    await h.port.close();
    assert.equal((await it.next()).done, true, 'close() ends the stream');
    assert.equal((await h.port.events()[Symbol.asyncIterator]().next()).done, true, 'a stream opened after close() ends at once');
  });

  test('the simulator feeds the port only while a stream is open; aborting a stream paused at its yield stops it at once', async () => {
    const h = harness();
    await h.port.subscribeMarkets([T]);
    assert.equal(h.sim.tap, undefined, 'no stream: nothing is buffered for one');
    const controller = new AbortController();
    const it = h.port.events(controller.signal)[Symbol.asyncIterator]();
    await take(it, 1);
    assert.notEqual(h.sim.tap, undefined);
    // The consumer is suspended at its yield (not awaiting): the abort alone must detach it.
    controller.abort();
    assert.equal(h.sim.tap, undefined, 'the aborted stream is detached without another read');
    assert.equal((await it.next()).done, true);
  });

  test('a stream that falls behind its limit gets stale, then fresh snapshots, and the account events after the overflow', async () => {
    const h = harness();
    const port = new BacktestExchange(h.sim, { streamLimit: 3 });
    await port.subscribeMarkets([T]);
    const it = port.events()[Symbol.asyncIterator]();
    await take(it, 1);
    for (let i = 1; i <= 4; i++) h.at(1_000 + i, { type: 'book_delta', recvMs: 1_000 + i, ticker: T, side: 'yes', price: cents(30), delta: contracts(1) });
    const ack = await port.createOrder(request(T, 20, 'b20'));
    h.at(1_100);
    const seen = await take(it, 3);
    assert.deepEqual(seen.map(describeEvent), ['stale:*', `book_snapshot:${T}`, `order:${ack.orderId}:resting`]);
    const snapshot = seen[1];
    assert.deepEqual(
      snapshot?.type === 'book_snapshot' ? snapshot.yes : undefined,
      [
        { price: cents(20), count: contracts(1) },
        { price: cents(30), count: contracts(4) },
        { price: cents(40), count: contracts(50) },
      ],
      'the snapshot includes the skipped deltas and our bid that arrived meanwhile (its own delta was skipped with them)',
    );
    await it.return?.();
  });

  test('reading the stream does not change the simulation, and the stream carries the same account events as the runner gets', async () => {
    const run = async (withStream: boolean): Promise<{ outbox: string[]; streamed: string[] }> => {
      const h = harness();
      await h.port.subscribeMarkets([T]);
      const it = withStream ? h.port.events()[Symbol.asyncIterator]() : undefined;
      if (it) await take(it, 1);
      await h.port.createOrder(request(T, 45, 'a', { count: contracts(5) }));
      h.at(1_020, { type: 'trade', recvMs: 1_020, trade: { tradeId: 'y', ticker: T, price: cents(45), count: contracts(40), takerSide: 'ask', tsMs: 1_020 } });
      await h.port.createOrder(request(T, 50, 'b', { postOnly: false, timeInForce: 'immediate_or_cancel' }));
      h.at(1_100);
      const outbox = h.sim.outbox.map(describeEvent);
      // The stream also has the recorded trade.
      const streamed = it ? (await take(it, outbox.length + 1)).filter((e) => e.type !== 'trade').map(describeEvent) : [];
      return { outbox, streamed };
    };
    const read = await run(true);
    assert.deepEqual(read.outbox, (await run(false)).outbox);
    assert.ok(read.outbox.length >= 5, `fills and orders happened: ${read.outbox.join(', ')}`);
    assert.deepEqual(read.streamed, read.outbox);
  });
});
