/**
 * ExchangePort conformance cases on market data: listing, markets, order books, subscriptions.
 */
import assert from 'node:assert/strict';
import { ApiError, OrderRejectedError } from '../../src/core/index.js';
import { ascending, c, collect, level, limit, p, readEvents, type CaseContext } from './port-kit.js';

/** Declares the market-data cases. */
export function marketCases({ fixture, market, it }: CaseContext): void {
  it('listing', 'listMarkets yields every market across its pages, and getMarket returns the grid and fee schedule', async () => {
    const f = fixture();
    const listed = await collect(f.port.listMarkets());
    const tickers = listed.map((m) => m.ticker);
    assert.equal(new Set(tickers).size, tickers.length, 'no market is listed twice (pages do not overlap)');
    assert.deepEqual([...tickers].sort(), [...f.listedTickers].sort(), 'every market is listed, the last page included');
    const ticker = f.tickers[0] as string;
    const fromList = listed.find((m) => m.ticker === ticker);
    assert.deepEqual(fromList?.grid.ranges, f.gridRanges, 'the listed market carries its price_ranges grid');
    const got = await f.port.getMarket(ticker);
    assert.equal(got.ticker, ticker);
    assert.equal(got.status, 'active');
    assert.deepEqual(got.grid.ranges, f.gridRanges, 'getMarket returns the market grid, not a default one');
    assert.deepEqual(got.fees, f.fees, 'getMarket returns the series fee schedule, not a default one');
    await assert.rejects(f.port.getMarket('CONF-NO-SUCH-MARKET'), (e: unknown) => e instanceof ApiError && e.status === 404);
  });

  it('orderBook', 'getOrderBook reports bids only, each leg at its own price, and depth 1 is the best level of each leg', async () => {
    const f = fixture();
    const ticker = market();
    // YES bids 30¢×5, 40¢×4; NO bids 45¢×3, 50¢×2 (YES asks at 55¢ and 50¢).
    const yes = [level(30, 5), level(40, 4)];
    const no = [level(45, 3), level(50, 2)];
    await f.seedBook(ticker, { yes, no });
    const book = await f.port.getOrderBook(ticker);
    assert.equal(book.ticker, ticker);
    assert.deepEqual(ascending(book.yes), yes, 'YES bids at YES prices');
    assert.deepEqual(ascending(book.no), no, 'NO bids at NO prices (not converted to YES asks)');
    const top = await f.port.getOrderBook(ticker, 1);
    assert.deepEqual(top.yes, [level(40, 4)], 'depth 1: the best YES bid');
    assert.deepEqual(top.no, [level(50, 2)], 'depth 1: the best NO bid');
  });

  it(
    'subscribeSnapshotFirst',
    'subscribeMarkets yields a book_snapshot equal to getOrderBook before any book_delta of that market',
    async () => {
      const f = fixture();
      const ticker = market();
      await f.seedBook(ticker, { yes: [level(20, 1)], no: [level(60, 2)] });
      const events = readEvents(f.port);
      try {
        await f.port.subscribeMarkets([ticker]);
        const seen = await events.until(
          (e) => (e.type === 'book_snapshot' || e.type === 'book_delta') && e.ticker === ticker,
          `book event of ${ticker}`,
        );
        const first = seen.at(-1);
        assert.equal(first?.type, 'book_snapshot', 'the first book event of a subscribed market is its snapshot');
        const rest = await f.port.getOrderBook(ticker);
        if (first?.type === 'book_snapshot') {
          assert.deepEqual(ascending(first.yes), ascending(rest.yes));
          assert.deepEqual(ascending(first.no), ascending(rest.no));
        }
        // Another participant adds a YES bid: a delta of the YES leg follows the snapshot.
        await f.seedBook(ticker, { yes: [level(25, 3)], no: [] });
        const more = await events.until((e) => e.type === 'book_delta' && e.ticker === ticker, `book_delta of ${ticker}`);
        const delta = more.at(-1);
        assert.ok(delta?.type === 'book_delta');
        assert.equal(delta.side, 'yes');
        assert.equal(delta.price, p(25));
        assert.equal(delta.delta, c(3));
      } finally {
        events.stop();
        await f.port.unsubscribeMarkets([ticker]);
      }
    },
  );

  it(
    'unknownMarket',
    'a market that does not exist is a 404: getOrderBook throws ApiError 404, createOrder is refused, and it never gets listed',
    async () => {
      const f = fixture();
      const ticker = 'CONF-NO-SUCH-MARKET';
      // Every check runs, so one failure report names all the ways the port deviates.
      const problems: string[] = [];
      const refused = async (what: string, call: () => Promise<unknown>, ok: (e: unknown) => boolean): Promise<void> => {
        try {
          await call();
          problems.push(`${what} resolved instead of throwing`);
        } catch (error) {
          if (!ok(error)) problems.push(`${what} threw ${String(error)}, expected ApiError 404`);
        }
      };
      await refused(
        'getOrderBook(unknown market)',
        () => f.port.getOrderBook(ticker),
        (e) => e instanceof ApiError && e.status === 404,
      );
      await refused(
        'createOrder(unknown market)',
        () => f.port.createOrder(limit(ticker, 'bid', 30, 1)),
        (e) => (e instanceof ApiError && e.status === 404) || e instanceof OrderRejectedError,
      );
      await f.settle();
      if ((await collect(f.port.listMarkets())).some((m) => m.ticker === ticker)) problems.push('listMarkets now lists the unknown market');
      if ((await f.port.getOrders({ ticker })).length > 0) problems.push('an order exists on the unknown market');
      assert.deepEqual(problems, []);
    },
  );
}
