// The book a backtest's agent sees holds our own resting orders, as Kalshi's live book does: the
// MarketMaker takes them out again (bot/own-book.ts), so without them it would read the market wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cents, contracts, L2Book, MemoryLogger, type BookLevel, type PortEvent, type Price } from '../../src/core/index.js';
import { encodeMarket, encodeWsOrderbookDelta, encodeWsOrderbookSnapshot } from '../../src/kalshi/wire/index.js';
import { loadConfig } from '../../src/config/index.js';
import { RecordingWriter } from '../../src/record/index.js';
import type { MarketMaker } from '../../src/bot/index.js';
import { defaultAgentFactory, replay, type AgentFactory } from '../../src/backtest/index.js';
import { testMarket } from './recording-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'kmm-own-'));
const T = 'KXTEST-26JAN01-T50';
const T0 = 1_767_276_000_000;
const level = (priceCents: number, whole: number): BookLevel => ({ price: cents(priceCents), count: contracts(whole) });

/**
 * Recorded book: YES bids 45¢ ×10 and 47¢ ×1, NO bids 45¢ ×10 and 48¢ ×1 (YES asks 55¢ and 52¢). The
 * default maker quotes 47¢ / 52¢ ×8 on it: it joins both recorded best levels with more than they hold.
 */
const YES = [level(45, 10), level(47, 1)];
const NO = [level(45, 10), level(48, 1)];

/** Writes the recording: the book at T0, a far delta at T0 + 2 s (a probe), the same snapshot at T0 + 3 s, another far delta at T0 + 4 s. */
async function recording(): Promise<string> {
  const path = join(dir, 'own.jsonl');
  const writer = RecordingWriter.open(path, { source: 'synthetic', created: '2026-01-01T14:00:00Z', headerMs: T0 });
  const market = testMarket(T, T0, T0 + 3_600_000);
  await writer.write({ recv_ms: T0, type: 'market', msg: encodeMarket(market) });
  const snapshot = (seq: number): Record<string, unknown> =>
    encodeWsOrderbookSnapshot({ ticker: T, yes: YES, no: NO }, { sid: 1, seq })['msg'] as Record<string, unknown>;
  await writer.write({ recv_ms: T0, type: 'orderbook_snapshot', sid: 1, seq: 1, msg: snapshot(1) });
  const delta = (seq: number, priceCents: number): Record<string, unknown> =>
    encodeWsOrderbookDelta({ ticker: T, side: 'yes', price: cents(priceCents), delta: contracts(1), tsMs: T0 }, { sid: 1, seq })[
      'msg'
    ] as Record<string, unknown>;
  await writer.write({ recv_ms: T0 + 2_000, type: 'orderbook_delta', sid: 1, seq: 2, msg: delta(2, 10) });
  await writer.write({ recv_ms: T0 + 3_000, type: 'orderbook_snapshot', sid: 1, seq: 3, msg: snapshot(3) });
  await writer.write({ recv_ms: T0 + 4_000, type: 'orderbook_delta', sid: 1, seq: 4, msg: delta(4, 11) });
  await writer.close();
  return path;
}

interface Probe {
  readonly atMs: number;
  /** Size at 47¢ in the book the agent was handed (recorded + ours, if ours rests there). */
  readonly rawAt47: number;
  /** Our resting size at 47¢ as the maker's order manager knows it. */
  readonly oursAt47: number;
  readonly othersBid: Price | undefined;
  readonly othersAsk: Price | undefined;
}

test("the maker quoting at the recorded best bid with more than its recorded size reads that bid as others' best, as live; a snapshot keeps our order in its book", async () => {
  const file = await recording();
  const probes: Probe[] = [];
  const factory = defaultAgentFactory({ config: loadConfig({ flags: {} }) });
  const agent: AgentFactory = (context) => {
    const maker = factory(context) as MarketMaker;
    const seen = new L2Book(T);
    return {
      onEvent(event: PortEvent) {
        if (event.type === 'book_snapshot') seen.applySnapshot(event.yes, event.no);
        if (event.type === 'book_delta') seen.applyDelta(event.side, event.price, event.delta);
        const result = maker.onEvent(event);
        if (event.type === 'book_delta' || event.type === 'book_snapshot') {
          const top = maker.othersTop();
          const ours = maker.orders.orders().filter((o) => o.side === 'bid' && o.price === cents(47) && o.orderId !== undefined);
          probes.push({
            atMs: event.recvMs,
            rawAt47: seen.bidSizeAt(cents(47)),
            oursAt47: ours.reduce((n, o) => n + o.remaining, 0),
            othersBid: top?.bid,
            othersAsk: top?.ask,
          });
        }
        return result;
      },
      finish: () => maker.finish(),
    };
  };
  await replay({ file, tickers: [T], params: [{ gamma: 0.1, kappa: 1.5 }], agent, logger: new MemoryLogger() });
  const at = (ms: number): Probe | undefined => probes.filter((p) => p.atMs === ms).at(-1);
  const probe = at(T0 + 2_000);
  assert.ok(probe, `probed at T0 + 2 s: ${JSON.stringify(probes)}`);
  assert.ok(
    probe.oursAt47 > contracts(1),
    `precondition: the maker's bid rests at the recorded best bid, larger than its 1 contract (${JSON.stringify(probes)})`,
  );
  assert.equal(probe.rawAt47, contracts(1) + probe.oursAt47, "the agent's book holds the recorded contract and our bid at 47¢");
  assert.equal(probe.othersBid, cents(47), "others' best bid is still 47¢ (the recorded contract), not 45¢");
  assert.equal(probe.othersAsk, cents(52), 'and offer 52¢ beside our ask, not 55¢');
  const afterSnapshot = at(T0 + 3_000);
  assert.equal(
    afterSnapshot?.rawAt47,
    contracts(1) + (afterSnapshot?.oursAt47 ?? 0),
    "a recorded snapshot keeps our resting bid in the agent's book",
  );
  assert.ok((afterSnapshot?.oursAt47 ?? 0) > 0, 'our bid still rests after the snapshot');
  assert.equal(afterSnapshot?.othersBid, cents(47));
  assert.equal(at(T0 + 4_000)?.othersBid, cents(47), 'and the deltas after it apply to a consistent book');
});

test('a REST book read while our own book changes are still queued for the agent does not count them twice', async () => {
  const file = await recording();
  const sizes: number[] = [];
  const agent: AgentFactory = (context) => {
    const seen = new L2Book(T);
    let sent = false;
    let refreshed = false;
    return {
      onEvent(event: PortEvent) {
        if (event.type === 'book_snapshot') seen.applySnapshot(event.yes, event.no);
        if (event.type === 'book_delta') seen.applyDelta(event.side, event.price, event.delta);
        if (event.type === 'book_delta' && event.recvMs === T0 + 2_000) sizes.push(seen.bidSizeAt(cents(46)));
        if (event.type === 'book_snapshot' && !sent) {
          sent = true;
          return context.port
            .createOrder({
              ticker: T,
              side: 'bid',
              price: cents(46),
              count: contracts(3),
              timeInForce: 'good_till_canceled',
              postOnly: true,
              selfTradePrevention: 'maker',
              clientOrderId: 'b46',
            })
            .then(() => undefined);
        }
        // Our bid's `order` update comes before its book delta: a refresh here must not include the bid yet.
        if (event.type === 'order' && event.order.status === 'resting' && !refreshed) {
          refreshed = true;
          return context.port.getOrderBook(T).then((book) => seen.applySnapshot(book.yes, book.no));
        }
        return undefined;
      },
    };
  };
  await replay({ file, tickers: [T], params: [{ gamma: 0.1, kappa: 1.5 }], agent, logger: new MemoryLogger() });
  assert.deepEqual(sizes, [contracts(3)], 'our 3 contracts at 46¢, once');
});
