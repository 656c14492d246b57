// A selected market's book can go hollow: one print takes the top levels and only far orders (Kalshi's
// 1¢ / 99¢ backstops) remain. Its mid (50¢) is then no price at all, and a maker quoting around it buys
// or sells far from the market. The maker pulls its quotes while others' book (ours taken out) is
// wider than maxMarketSpreadCents or one-sided, at once, and quotes again when it is tight.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, MemoryLogger, type BookLevel, type Count, type PortEvent, type Price } from '../core/index.js';
import { ClientOrderIds } from '../orders/index.js';
import { MarketMaker } from './maker.js';
import { TEST_PARAMS, START_MS, advance, levels, portWith, settle } from './test-kit.test-helper.js';

const T = 'MKT-A';
const ORDER_METHODS = ['createOrder', 'amendOrder', 'decreaseOrder'];

async function started() {
  const clock = new ManualClock(START_MS);
  const port = portWith(clock, T);
  const maker = new MarketMaker({ port, clock, logger: new MemoryLogger(), ticker: T, params: TEST_PARAMS, ids: new ClientOrderIds('t1'), timings: { heartbeatMs: 1_000, refreshBackoffMs: 5_000 } });
  await maker.start();
  await settle();
  assert.equal(port.resting(T).length, 2, 'quoting a 45¢ × 55¢ book');
  return { clock, port, maker };
}

/**
 * The book as the exchange shows it: `yes` and `no` levels of others plus our resting orders (a bid
 * at p rests on the YES side at p, an ask at p on the NO side at 100 − p), as the live stream does.
 */
function withOurs(port: ReturnType<typeof portWith>, yes: BookLevel[], no: BookLevel[]): { yes: BookLevel[]; no: BookLevel[] } {
  const y = new Map(yes.map((l) => [l.price as number, l.count as number]));
  const n = new Map(no.map((l) => [l.price as number, l.count as number]));
  for (const o of port.resting(T)) {
    const [side, price] = o.side === 'bid' ? [y, o.price as number] : [n, 10_000 - o.price];
    side.set(price, (side.get(price) ?? 0) + o.remainingCount);
  }
  const list = (m: Map<number, number>): BookLevel[] => [...m].map(([price, count]) => ({ price: price as Price, count: count as Count }));
  return { yes: list(y), no: list(n) };
}

function snapshotEvent(recvMs: number, book: { yes: BookLevel[]; no: BookLevel[] }): PortEvent {
  return { type: 'book_snapshot', recvMs, ticker: T, yes: book.yes, no: book.no };
}

function orderCallsSince(port: ReturnType<typeof portWith>, from: number) {
  return port.calls.slice(from).filter((c) => ORDER_METHODS.includes(c.method));
}

describe('MarketMaker on a hollow book', () => {
  test("others' book left with only the 1¢ / 99¢ backstops: quotes pulled at once, nothing new sent; tight again: quoted again", async () => {
    const { clock, port, maker } = await started();
    // Our own orders stay on the book the stream shows: the raw book looks quoted (our bid × our ask),
    // others' book is 1¢ × 99¢.
    const ours = port.resting(T);
    const hollow = withOurs(port, levels([1, 25_000]), levels([1, 25_000]));
    port.setBook(T, levels([1, 25_000]), levels([1, 25_000]));
    const calls = port.calls.length;
    await maker.onEvent(snapshotEvent(clock.nowMs(), hollow));
    await settle();
    // No clock advance: pulling does not wait for the minimum requote interval.
    assert.equal(port.resting(T).length, 0, 'both quotes cancelled');
    const status = maker.status();
    assert.ok(status.reasons.includes('bid: wide_market') && status.reasons.includes('ask: wide_market'), `reasons: ${status.reasons.join(', ')}`);
    assert.equal(status.diagnostics?.bidWithheld, 'wide_market');
    assert.equal(status.desiredBid, undefined);
    assert.equal(status.desiredAsk, undefined);
    // The stream takes our cancelled orders off the book, as the exchange's does.
    for (const o of ours) {
      const [side, price] = o.side === 'bid' ? (['yes', o.price] as const) : (['no', (10_000 - o.price) as Price] as const);
      await maker.onEvent({ type: 'book_delta', recvMs: clock.nowMs(), ticker: T, side, price, delta: -o.remainingCount as Count });
    }
    // The book stays hollow: heartbeats and further events quote nothing (no bid near the 50¢ mid).
    await advance(clock, 5_000);
    await maker.onEvent({ type: 'book_delta', recvMs: clock.nowMs(), ticker: T, side: 'yes', price: 200 as Price, delta: 1_000 as Count });
    await advance(clock, 5_000);
    assert.deepEqual(orderCallsSince(port, calls), [], 'no order sent while hollow');
    assert.equal(port.resting(T).length, 0);
    // Tight again (44¢ × 56¢): both sides come back.
    port.setBook(T, levels([1, 25_000], [44, 100]), levels([1, 25_000], [44, 100]));
    await maker.onEvent(snapshotEvent(clock.nowMs(), { yes: levels([1, 25_000], [44, 100]), no: levels([1, 25_000], [44, 100]) }));
    await advance(clock, 1_000);
    const resting = port.resting(T);
    assert.equal(resting.length, 2, 'quoted again');
    assert.deepEqual(maker.status().reasons, []);
    const bid = resting.find((o) => o.side === 'bid');
    const ask = resting.find((o) => o.side === 'ask');
    assert.ok(bid && ask && bid.price < 5_600 && ask.price > 4_400, `inside the tight book: ${bid?.price} × ${ask?.price}`);
  });

  test('one delta that takes the best ask away pulls both quotes before the requote interval ends', async () => {
    const { clock, port, maker } = await started();
    // Others: 45¢ × 55¢ over the backstops. A print takes the 55¢ ask (NO 45¢): others' ask is 99¢.
    const book = withOurs(port, levels([1, 25_000], [45, 100]), levels([1, 25_000], [45, 100]));
    port.setBook(T, book.yes, book.no);
    await maker.onEvent(snapshotEvent(clock.nowMs(), book));
    await advance(clock, 1_000);
    assert.equal(port.resting(T).length, 2);
    await maker.onEvent({ type: 'book_delta', recvMs: clock.nowMs(), ticker: T, side: 'no', price: 4_500 as Price, delta: -10_000 as Count });
    await settle();
    assert.equal(port.resting(T).length, 0, 'pulled without waiting for the 1 s interval');
    assert.ok(maker.status().reasons.includes('ask: wide_market'));
  });

  test("a one-sided book of others (only our ask on the ask side) is not quoted", async () => {
    const { clock, port, maker } = await started();
    const book = withOurs(port, levels([45, 100]), []);
    port.setBook(T, book.yes, book.no);
    await maker.onEvent(snapshotEvent(clock.nowMs(), book));
    await settle();
    assert.equal(port.resting(T).length, 0, 'pulled at once');
    assert.ok(maker.status().reasons.includes('bid: no_two_sided_book'), maker.status().reasons.join(', '));
  });

  test('a book just inside the limit is quoted (30¢ wide by default)', async () => {
    const { clock, port, maker } = await started();
    const book = levels([35, 100]);
    port.setBook(T, book, levels([35, 100]));
    await maker.onEvent(snapshotEvent(clock.nowMs(), { yes: book, no: levels([35, 100]) }));
    await advance(clock, 1_000);
    assert.equal(port.resting(T).length, 2, maker.status().reasons.join(', '));
  });
});
