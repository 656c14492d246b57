/**
 * The live composition (ExchangeClient over sockets → JournaledPort → Supervisor) when a market
 * leaves the selection: its orders are cancelled on the exchange and it is unsubscribed on the live
 * stream, while the market that stays keeps quoting. The scan's inputs are scripted (a decorator over
 * the journaled port), so the selection change is deterministic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEFAULT_SELECTION_FILTERS, Supervisor, type BotParams } from '../../src/bot/index.js';
import { defaultTradingConfig } from '../../src/config/index.js';
import {
  silentLogger,
  type Count,
  type Market,
  type MarketFilter,
  type Price,
  type PublicTrade,
  type TradeQuery,
} from '../../src/core/index.js';
import { SystemClock } from '../../src/exchange/index.js';
import { Journal, JournaledPort } from '../../src/journal/index.js';
import { ExchangeClient, loadCredentials } from '../../src/kalshi/index.js';
import { ClientOrderIds } from '../../src/orders/index.js';
import { startHarness, TEST_MARKETS, until } from './run-harness.js';

/** The journaled port with a scripted market list and two-sided recent trades for the scan. */
class ScriptedScanPort extends JournaledPort {
  allowed = new Set<string>(TEST_MARKETS);
  readonly unsubscribed: string[] = [];
  constructor(
    inner: ExchangeClient,
    journal: Journal,
    private readonly wallClock: SystemClock,
  ) {
    super(inner, journal, wallClock);
  }
  override async *listMarkets(filter?: MarketFilter): AsyncIterable<Market> {
    for await (const m of super.listMarkets(filter)) if (this.allowed.has(m.ticker)) yield m;
  }
  override async *listTrades(query: TradeQuery): AsyncIterable<PublicTrade> {
    await Promise.resolve();
    const ticker = query.ticker ?? '';
    const now = this.wallClock.nowMs();
    yield { tradeId: `${ticker}-1`, ticker, price: 5_000 as Price, count: 1_000 as Count, takerSide: 'bid', tsMs: now - 60_000 };
    yield { tradeId: `${ticker}-2`, ticker, price: 5_200 as Price, count: 1_000 as Count, takerSide: 'ask', tsMs: now - 30_000 };
  }
  override unsubscribeMarkets(tickers: readonly string[]): Promise<void> {
    this.unsubscribed.push(...tickers);
    return super.unsubscribeMarkets(tickers);
  }
}

test(
  'a market that leaves the selection has its orders cancelled and is unsubscribed; the other keeps quoting',
  { timeout: 60_000 },
  async () => {
    const h = await startHarness();
    const clock = new SystemClock();
    const key = await loadCredentials({ keyId: h.exchange.credentials.keyId, privateKeyPath: h.exchange.credentials.privateKeyPath });
    const client = new ExchangeClient({
      restBaseUrl: h.exchange.credentials.rest,
      wsUrl: h.exchange.credentials.ws,
      credentials: key,
      clock,
    });
    const journal = Journal.open(join(h.dir, 'selection.sqlite'));
    journal.startRun('sel', clock.nowMs());
    const port = new ScriptedScanPort(client, journal, clock);
    const params: BotParams = {
      ...defaultTradingConfig(),
      ...DEFAULT_SELECTION_FILTERS,
      maxMarkets: 2,
      selectMinVolume24hContracts: 0,
      selectMinTimeToCloseMs: 0,
      marketRefreshIntervalMs: 3_600_000,
      minRequoteIntervalMs: 200,
    };
    const supervisor = new Supervisor({ port, clock, logger: silentLogger, params, ids: new ClientOrderIds('sel') });
    const [stays, leaves] = TEST_MARKETS;
    const resting = (ticker: string): number => h.exchange.engine.restingOrders(h.accountId, ticker).length;
    try {
      await supervisor.start();
      assert.deepEqual(
        supervisor
          .status()
          .markets.map((m) => m.ticker)
          .sort(),
        [...TEST_MARKETS].sort(),
      );
      await until(() => resting(stays) >= 2 && resting(leaves) >= 2, 'quotes in both markets');
      port.allowed = new Set([stays]);
      await supervisor.refreshSelection();
      assert.deepEqual(
        supervisor.status().markets.map((m) => m.ticker),
        [stays],
      );
      assert.equal(resting(leaves), 0, 'the dropped market has no resting order');
      assert.deepEqual(port.unsubscribed, [leaves]);
      assert.ok(resting(stays) >= 1, 'the remaining market still quotes');
      const report = await supervisor.shutdown('test over');
      assert.equal(report.restingLeft, 0);
      assert.equal(h.exchange.engine.restingOrders(h.accountId).length, 0);
    } finally {
      await supervisor.shutdown('test over');
      await client.close();
      journal.close();
      await h.close();
    }
  },
);
