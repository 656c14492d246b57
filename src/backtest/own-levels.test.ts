import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cents, contracts, L2Book, SeededRng, type PortEvent } from '../core/index.js';
import { BacktestExchange } from './exchange-port.js';
import { ConstantJitterLatency, feeModelFor, RiskAverseQueue } from './models/index.js';
import { SimulatorCore } from './simulator.js';
import { ReplayClock } from './replay-clock.js';

const T = 'KXTEST-26JAN01-T50';

function lvl(priceCents: number, whole: number) {
  return { price: cents(priceCents), count: contracts(whole) };
}

/** YES bids 40¢ ×50, 45¢ ×1; NO bid 50¢ ×20 (YES ask 50¢). */
const SNAPSHOT: PortEvent = { type: 'book_snapshot', recvMs: 1_000, ticker: T, yes: [lvl(40, 50), lvl(45, 1)], no: [lvl(50, 20)] };

/**
 * A simulator with 10 ms entry and 50 ms cancel latency and the book its agent sees, fed as the runner
 * feeds an agent: the event `onMarketEvent` returns, then the simulator's outbox.
 */
function harness() {
  const clock = new ReplayClock(1_000);
  const sim = new SimulatorCore({
    clock,
    queue: new RiskAverseQueue(),
    latency: new ConstantJitterLatency({ entryMs: 10, entryJitterMs: 0, cancelMs: 50, cancelJitterMs: 0 }, new SeededRng(1)),
    fees: feeModelFor('quadratic_with_maker_fees'),
  });
  const port = new BacktestExchange(sim);
  const seen = new L2Book(T);
  const deliver = (event: PortEvent): void => {
    if (event.type === 'book_snapshot') seen.applySnapshot(event.yes, event.no);
    if (event.type === 'book_delta')
      assert.ok(seen.applyDelta(event.side, event.price, event.delta), "every delta applies to the agent's book");
  };
  const drain = (): void => {
    for (const event of sim.outbox) deliver(event);
    sim.outbox.length = 0;
  };
  const at = (tMs: number, event?: PortEvent): PortEvent | undefined => {
    if (tMs > clock.nowMs()) {
      sim.settleQueues();
      clock.advanceTo(tMs);
    }
    drain();
    if (!event) return undefined;
    const view = sim.onMarketEvent(event);
    deliver(view);
    drain();
    return view;
  };
  at(1_000, SNAPSHOT);
  const bid = (priceCents: number, whole: number, id: string) =>
    port.createOrder({
      ticker: T,
      side: 'bid',
      price: cents(priceCents),
      count: contracts(whole),
      timeInForce: 'good_till_canceled',
      postOnly: true,
      selfTradePrevention: 'maker',
      clientOrderId: id,
    });
  return { sim, port, seen, at, bid, recorded: () => sim.market(T).book };
}

test("our bid joins the agent's book at its price and size when it arrives, and leaves it when its cancel takes effect, never touching the recorded book", async () => {
  const h = harness();
  const ack = await h.bid(45, 3, 'b45');
  h.at(1_009);
  assert.equal(h.seen.bidSizeAt(cents(45)), contracts(1), 'in flight: not in the book yet');
  h.at(1_010);
  assert.equal(h.seen.bidSizeAt(cents(45)), contracts(4), 'arrived: the recorded contract and our 3');
  assert.equal(h.seen.bestBid(), cents(45));
  assert.equal(h.recorded().bidSizeAt(cents(45)), contracts(1), 'the recorded book the simulator fills against is unchanged');
  await h.port.cancelOrder(ack.orderId, T);
  h.at(1_059);
  assert.equal(h.seen.bidSizeAt(cents(45)), contracts(4), 'the cancel is in flight: our bid still rests');
  h.at(1_060);
  assert.equal(h.seen.bidSizeAt(cents(45)), contracts(1), 'the cancel took effect 50 ms after the call');
});

test('a recorded snapshot while our bid rests gives the agent a copy with our size added; the shared event and the recorded book keep the recorded sizes', async () => {
  const h = harness();
  assert.equal(h.sim.onMarketEvent(SNAPSHOT), SNAPSHOT, 'with none of our orders resting, the agent gets the recorded event itself');
  await h.bid(42, 2, 'b42');
  h.at(1_010);
  const snapshot: PortEvent = { type: 'book_snapshot', recvMs: 1_020, ticker: T, yes: [lvl(40, 50), lvl(45, 1)], no: [lvl(50, 20)] };
  const view = h.at(1_020, snapshot);
  assert.notEqual(view, snapshot);
  assert.deepEqual(
    view?.type === 'book_snapshot' ? view.yes : undefined,
    [lvl(40, 50), lvl(42, 2), lvl(45, 1)],
    'our 42¢ bid is inserted in price order',
  );
  assert.deepEqual(snapshot.yes, [lvl(40, 50), lvl(45, 1)], 'the recorded event is not modified (every run of a grid shares it)');
  assert.equal(h.recorded().bidSizeAt(cents(42)), 0);
  assert.equal(h.seen.bidSizeAt(cents(42)), contracts(2));
});

test('an amend moves our size to its new price when it lands, a decrease and a partial fill shrink it, and an ask shows as a NO bid at 1 − price', async () => {
  const h = harness();
  const ack = await h.bid(45, 5, 'b45');
  await h.port.createOrder({
    ticker: T,
    side: 'ask',
    price: cents(52),
    count: contracts(2),
    timeInForce: 'good_till_canceled',
    postOnly: true,
    selfTradePrevention: 'maker',
    clientOrderId: 'a52',
  });
  h.at(1_010);
  assert.equal(h.seen.askSizeAt(cents(52)), contracts(2), 'our 52¢ ask is a 48¢ NO bid');
  assert.equal(h.seen.bestAsk(), cents(50));
  await h.port.amendOrder({ orderId: ack.orderId, ticker: T, side: 'bid', price: cents(44), count: contracts(5) });
  h.at(1_015);
  assert.equal(h.seen.bidSizeAt(cents(45)), contracts(6), 'the amend is in flight');
  h.at(1_020);
  assert.equal(h.seen.bidSizeAt(cents(45)), contracts(1), 'the amend landed: gone from 45¢');
  assert.equal(h.seen.bidSizeAt(cents(44)), contracts(5), 'and at 44¢');
  await h.port.decreaseOrder({ orderId: ack.orderId, ticker: T, reduceTo: contracts(4) });
  h.at(1_070);
  assert.equal(h.seen.bidSizeAt(cents(44)), contracts(4), 'decreased to 4');
  // A seller prints 3 at 43¢, through our 44¢ bid: 3 of our 4 fill.
  h.at(1_080, {
    type: 'trade',
    recvMs: 1_080,
    trade: { tradeId: 'x', ticker: T, price: cents(43), count: contracts(3), takerSide: 'ask', tsMs: 1_080 },
  });
  assert.equal(h.seen.bidSizeAt(cents(44)), contracts(1), 'a partial fill leaves our remaining 1');
  const book = await h.port.getOrderBook(T);
  assert.deepEqual(book.yes, [lvl(40, 50), lvl(44, 1), lvl(45, 1)], 'getOrderBook shows the recorded levels and our remaining bid');
  assert.deepEqual(book.no, [lvl(48, 2), lvl(50, 20)], 'and our ask as a NO bid');
  assert.deepEqual(h.recorded().bids(), [lvl(45, 1), lvl(40, 50)], 'the recorded book never saw our orders');
});
