import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger, OrderRejectedError, type PortEvent, type Price, type Count } from '../../src/core/index.js';
import { startLocalExchange, type LocalExchange } from '../../src/exchange/index.js';
import { SystemClock } from '../../src/exchange/server/system-clock.js';
import { ExchangeClient, loadCredentials } from '../../src/kalshi/index.js';

/** Pulls events until one matches, failing after `timeoutMs` of real time. */
async function waitFor(events: AsyncIterator<PortEvent>, predicate: (e: PortEvent) => boolean, timeoutMs = 5_000): Promise<PortEvent[]> {
  const seen: PortEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms; saw ${seen.map((e) => e.type).join(',')}`)), timeoutMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([events.next(), timeout]);
      if (next.done) throw new Error('event stream ended');
      seen.push(next.value);
      if (predicate(next.value)) return seen;
    }
  } finally {
    clearTimeout(timer);
  }
}

describe('ExchangeClient against the local exchange over sockets', () => {
  let exchange: LocalExchange;
  let client: ExchangeClient;
  let events: AsyncIterator<PortEvent>;
  let ticker: string;
  const logger = new MemoryLogger();

  before(async () => {
    exchange = await startLocalExchange({ dataDir: mkdtempSync(join(tmpdir(), 'kmm-kalshi-')), port: 0, seed: 7 });
    const credentials = await loadCredentials({ keyId: exchange.credentials.keyId, privateKeyPath: exchange.credentials.privateKeyPath });
    client = new ExchangeClient({ restBaseUrl: exchange.credentials.rest, wsUrl: exchange.credentials.ws, credentials, clock: new SystemClock(), logger });
    events = client.events()[Symbol.asyncIterator]();
  });

  after(async () => {
    await client.close();
    await exchange.close();
  });

  test('markets list through the paginated iterator with grids and series fee schedules', async () => {
    const markets = [];
    for await (const m of client.listMarkets({ status: 'open' })) markets.push(m);
    assert.ok(markets.length > 0);
    const first = markets[0]!;
    ticker = first.ticker;
    assert.ok(first.grid.isValid(5000));
    assert.ok(first.seriesTicker, 'the series was looked up for the fee schedule');
    assert.equal((await client.getMarket(ticker)).ticker, ticker);
  });

  test('the account limits reconfigure the limiter', async () => {
    assert.equal(await client.syncRateLimits(), 'basic');
  });

  test('subscribing yields a snapshot, then deltas that keep the local book valid', async () => {
    await client.subscribeMarkets([ticker]);
    await waitFor(events, (e) => e.type === 'book_snapshot' && e.ticker === ticker);
    await client.createOrder({ ticker, side: 'bid', price: 200 as Price, count: 300 as Count, timeInForce: 'good_till_canceled', postOnly: true, selfTradePrevention: 'taker_at_cross', clientOrderId: 'itest-delta' });
    await waitFor(events, (e) => e.type === 'book_delta' && e.ticker === ticker && e.clientOrderId === 'itest-delta');
    const book = client.books.get(ticker)!;
    assert.equal(book.isValid, true);
    assert.ok(book.bidSizeAt(200 as Price) >= 300);
  });

  test('a create whose reply is lost is retried with the same client id and yields one order', async () => {
    exchange.injectFault({ kind: 'accept_then_fail', count: 1, status: 500 });
    const ack = await client.createOrder({ ticker, side: 'bid', price: 300 as Price, count: 100 as Count, timeInForce: 'good_till_canceled', postOnly: true, selfTradePrevention: 'taker_at_cross', clientOrderId: 'itest-once' });
    const mine = (await client.getOrders({ ticker, status: 'resting' })).filter((o) => o.clientOrderId === 'itest-once');
    assert.equal(mine.length, 1);
    assert.equal(mine[0]?.orderId, ack.orderId);
  });

  test('a business refusal is an OrderRejectedError with Kalshi code', async () => {
    await assert.rejects(
      client.createOrder({ ticker, side: 'bid', price: 255 as Price, count: 100 as Count, timeInForce: 'good_till_canceled', postOnly: true, selfTradePrevention: 'taker_at_cross', clientOrderId: 'itest-offgrid' }),
      (e: unknown) => e instanceof OrderRejectedError && e.reason === 'invalid_price',
    );
  });

  test('a batch create reports per-item results and a batch cancel removes the created orders', async () => {
    const base = { ticker, side: 'bid' as const, count: 100 as Count, timeInForce: 'good_till_canceled' as const, postOnly: true, selfTradePrevention: 'taker_at_cross' as const };
    const results = await client.createOrders([
      { ...base, price: 500 as Price, clientOrderId: 'itest-batch-1' },
      { ...base, price: 555 as Price, clientOrderId: 'itest-batch-bad' },
    ]);
    assert.equal(results[0]?.ok, true);
    assert.ok(results[1] && !results[1].ok && results[1].errorCode === 'invalid_price');
    const created = results[0]?.ok ? results[0].ack.orderId : '';
    const cancelled = await client.cancelOrders([{ orderId: created, ticker }, { orderId: 'no-such-order', ticker }]);
    assert.ok(cancelled[0] && 'reducedBy' in cancelled[0] && cancelled[0].reducedBy === 100);
    assert.ok(cancelled[1] && 'errorCode' in cancelled[1]);
  });

  test('a skipped seq marks the book stale and a fresh snapshot follows', async () => {
    exchange.injectFault({ kind: 'skip_seq' });
    await client.createOrder({ ticker, side: 'bid', price: 400 as Price, count: 100 as Count, timeInForce: 'good_till_canceled', postOnly: true, selfTradePrevention: 'taker_at_cross', clientOrderId: 'itest-gap' });
    const seen = await waitFor(events, (e) => e.type === 'stale' && e.ticker === ticker);
    assert.ok(seen.length > 0);
    const after = await waitFor(events, (e) => e.type === 'book_snapshot' || e.type === 'book_delta');
    assert.equal(after.at(-1)?.type, 'book_snapshot', 'no delta is delivered between the gap and the fresh snapshot');
    assert.equal(client.books.get(ticker)?.isValid, true);
  });

  test('a dropped socket reconnects, resubscribes and sends a fresh snapshot', async () => {
    exchange.injectFault({ kind: 'drop_ws' });
    const down = await waitFor(events, (e) => e.type === 'connection' && !e.connected);
    assert.ok(down.some((e) => e.type === 'stale' && e.ticker === undefined), 'every book is stale while disconnected');
    let connected = false;
    let snapshot = false;
    await waitFor(events, (e) => {
      connected ||= e.type === 'connection' && e.connected;
      snapshot ||= e.type === 'book_snapshot' && e.ticker === ticker;
      return connected && snapshot;
    });
    assert.equal(client.books.get(ticker)?.isValid, true);
  });

  test('cancel removes the order; a second cancel is a 404 ApiError; cancel-all leaves nothing resting', async () => {
    const resting = await client.getOrders({ ticker, status: 'resting' });
    assert.ok(resting.length >= 1);
    const first = resting[0]!;
    const ack = await client.cancelOrder(first.orderId, ticker);
    assert.equal(ack.reducedBy, first.remainingCount);
    await assert.rejects(client.cancelOrder(first.orderId, ticker), (e: unknown) => e instanceof Error && 'status' in e && (e as { status: number }).status === 404);
    await client.cancelAll();
    assert.equal((await client.getOrders({ status: 'resting' })).length, 0);
  });

  test('nothing logged contains the key id', () => {
    const text = JSON.stringify(logger.records);
    assert.ok(!text.includes(exchange.credentials.keyId));
  });
});
