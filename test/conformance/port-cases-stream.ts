/**
 * ExchangePort conformance cases on the event stream: fills as events, aborted streams, close() (last: it closes the port).
 */
import assert from 'node:assert/strict';
import { type Fill } from '../../src/core/index.js';
import { c, level, limit, p, positionOf, readEvents, type CaseContext } from './port-kit.js';

/** Declares the event-stream cases; `close` runs last because it closes the port. */
export function streamCases({ fixture, market, it }: CaseContext): void {
  it(
    'iocFillEvent',
    'a marketable IOC against resting liquidity produces fill events on events(), matching the change in getPositions',
    async () => {
      const f = fixture();
      const ticker = market();
      await f.seedBook(ticker, { yes: [], no: [level(45, 5)] });
      const events = readEvents(f.port);
      try {
        // Subscribing first makes the stream live (the client has its account channels by then).
        await f.port.subscribeMarkets([ticker]);
        await events.until((e) => e.type === 'book_snapshot' && e.ticker === ticker, `book_snapshot of ${ticker}`);
        const before = await positionOf(f.port, ticker);
        const ack = await f.port.createOrder(limit(ticker, 'bid', 55, 2, { postOnly: false, timeInForce: 'immediate_or_cancel' }));
        await f.settle();
        const fills: Fill[] = [];
        await events.until((e) => {
          if (e.type === 'fill' && e.fill.orderId === ack.orderId) fills.push(e.fill);
          return fills.reduce((s, x) => s + x.count, 0) >= c(2);
        }, `fill events of order ${ack.orderId} totalling 2 contracts`);
        for (const fill of fills) {
          assert.equal(fill.ticker, ticker);
          assert.equal(fill.side, 'bid');
          assert.equal(fill.price, p(55), 'the fill is at the resting ask (YES price)');
          assert.equal(fill.isTaker, true);
        }
        const filled = fills.reduce((s, x) => s + x.count, 0);
        assert.equal((await positionOf(f.port, ticker)) - before, filled, 'getPositions moved by the filled count');
      } finally {
        events.stop();
        await f.port.unsubscribeMarkets([ticker]);
      }
    },
  );

  it(
    'abortedStream',
    'an events() stream whose signal was aborted stops taking events: a stream opened after it gets the next snapshot',
    async () => {
      const f = fixture();
      const first = market();
      const second = market();
      const earlier = readEvents(f.port);
      try {
        await f.port.subscribeMarkets([first]);
        await earlier.until((e) => e.type === 'book_snapshot' && e.ticker === first, `book_snapshot of ${first}`);
        // The consumer aborts and stops reading, without calling return() on its iterator.
        earlier.abort();
        const later = readEvents(f.port);
        try {
          await f.port.subscribeMarkets([second]);
          await later.until(
            (e) => e.type === 'book_snapshot' && e.ticker === second,
            `book_snapshot of ${second} on the stream opened after the abort`,
          );
        } finally {
          later.stop();
        }
      } finally {
        earlier.stop();
        await f.port.unsubscribeMarkets([first, second]);
      }
    },
  );

  it('close', 'close() is idempotent and ends events()', async () => {
    const f = fixture();
    const events = readEvents(f.port);
    try {
      await f.port.close();
      await f.port.close();
      assert.equal(await events.ended(), true, 'an open events() stream ends after close()');
      assert.equal(await readEvents(f.port).ended(), true, 'events() opened after close() ends at once');
    } finally {
      events.stop();
    }
  });
}
