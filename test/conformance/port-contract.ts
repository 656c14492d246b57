/**
 * The ExchangePort conformance suite (STYLE.md §3 "One exchange port"): the same cases run against
 * every implementation — `kalshi/ExchangeClient` over sockets to the local exchange, the in-process
 * `exchange/LocalPort`, and the backtest's `BacktestExchange`. Each case reads only the port's
 * contract (core/port.ts doc comments, core/types.ts field docs); what differs between
 * implementations (how another participant's liquidity gets into the book, whether requests take
 * replay time to arrive) is hidden behind `PortFixture`.
 *
 * Every case takes its own market (`fixture.tickers[i]`), so cases do not see each other's orders
 * and books. A case an implementation cannot support is skipped with a reason; a case it fails
 * against the contract is marked `todo` with the reason, never weakened.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CASE_MARKETS, type CaseContext, type CaseName, type ContractOptions, type PortFixture } from './port-kit.js';
import { marketCases } from './port-cases-market.js';
import { orderCases } from './port-cases-orders.js';
import { streamCases } from './port-cases-stream.js';

export { CASE_MARKETS, CONFORMANCE_FEES, CONFORMANCE_GRID, type CaseName, type ContractOptions, type PortFixture } from './port-kit.js';

/** Declares the conformance cases for one implementation; `make` builds its fixture once. */
export function portContract(name: string, make: () => Promise<PortFixture>, options: ContractOptions = {}): void {
  describe(`ExchangePort conformance: ${name}`, () => {
    let f: PortFixture | undefined;
    let used = 0;
    const fixture = (): PortFixture => {
      assert.ok(f, 'the fixture was built');
      return f;
    };
    const context: CaseContext = {
      fixture,
      market: () => {
        const tickers = fixture().tickers;
        const ticker = tickers[used++];
        assert.ok(ticker !== undefined, `the fixture provides ${tickers.length} case markets; more are needed`);
        return ticker;
      },
      it: (id: CaseName, title: string, fn: () => Promise<void>) => {
        const skip = options.skip?.[id];
        const todo = options.todo?.[id];
        test(title, { ...(skip === undefined ? {} : { skip }), ...(todo === undefined ? {} : { todo }) }, fn);
      },
    };

    before(async () => {
      f = await make();
      assert.ok(f.tickers.length >= CASE_MARKETS, `fixture has ${f.tickers.length} case markets, expected ${CASE_MARKETS}`);
    });
    after(async () => {
      await f?.port.close();
      await f?.dispose();
    });

    marketCases(context);
    orderCases(context);
    streamCases(context);
  });
}
