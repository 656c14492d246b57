/**
 * A freshly started local exchange (simulated universe, hardly any trade yet) over real sockets: the
 * bot must quote `maxMarkets` markets within seconds — the scored ones plus the tightest zero-score
 * ones — instead of only the few that happen to have traded, and pick markets up by quick rescans.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanMarkets, Supervisor, type BotParams } from '../../src/bot/index.js';
import { defaultTradingConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/core/index.js';
import { SystemClock } from '../../src/exchange/index.js';
import { ExchangeClient, loadCredentials } from '../../src/kalshi/index.js';
import { ClientOrderIds } from '../../src/orders/index.js';
import { startHarness, until } from './run-harness.js';

test(
  'a fresh exchange gets maxMarkets markets quoted within seconds, and under-filled selections rescan quickly',
  { timeout: 120_000 },
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
    const maxMarkets = 8;
    const params: BotParams = {
      ...defaultTradingConfig(),
      maxMarkets,
      // What `kalshi-mm run` uses on a local exchange (fresh markets have no 24 h volume yet).
      selectMinVolume24hContracts: 0,
      // The default universe's markets close within hours at this speed; the test is about scores.
      selectMinTimeToCloseMs: 0,
      minRequoteIntervalMs: 200,
      selectRescanBackoffMs: 500,
    };
    let scans = 0;
    const supervisor = new Supervisor({
      port: client,
      clock,
      logger: silentLogger,
      params,
      ids: new ClientOrderIds('young'),
      listener: { onSelection: () => (scans += 1) },
    });
    const quoted = (): number => new Set(h.exchange.engine.restingOrders(h.accountId).map((o) => o.ticker)).size;
    try {
      // Started with the exchange: books are still filling, almost nothing has traded.
      const startMs = Date.now();
      await supervisor.start();
      await until(() => quoted() === maxMarkets, `quotes in ${maxMarkets} markets`, 15_000);
      const tookMs = Date.now() - startMs;
      // What the selection alone (no topping up) finds now: fewer than maxMarkets markets score above 0.
      const plain = await scanMarkets({ port: client, clock, params });
      assert.ok(
        plain.selected.length < maxMarkets,
        `${plain.selected.length} markets score above 0 of ${plain.candidates.length} eligible`,
      );
      assert.ok(tookMs < 15_000, `quoted in ${tookMs} ms`);
      assert.equal(supervisor.status().markets.length, maxMarkets);
      // Still under-filled (not all scored): the scans keep coming quickly rather than every 5 minutes.
      // The quick rescans back off, doubling from selectRescanBackoffMs per under-filled scan, so how
      // soon the next two come depends on how long the bot has run: a loaded machine that took longer
      // to quote is further along the doubling (a fixed 10 s wait failed there). The delays so far sum
      // to under the time since start, so the next delay d ≤ elapsed + 500 ms and the next two come
      // within 3·d, plus the scans' own time — still far below marketRefreshIntervalMs.
      const seen = scans;
      const nextTwoMs = 3 * (Date.now() - startMs + params.selectRescanBackoffMs) + 10_000;
      assert.ok(nextTwoMs < params.marketRefreshIntervalMs / 2, `the wait (${nextTwoMs} ms) tells quick rescans from the ${params.marketRefreshIntervalMs} ms interval`);
      await until(() => scans >= seen + 2, 'two more quick rescans', nextTwoMs);
      assert.equal(supervisor.status().markets.length, maxMarkets, 'rescans keep the selection full');
      const report = await supervisor.shutdown('test over');
      assert.equal(report.restingLeft, 0);
    } finally {
      await supervisor.shutdown('test over');
      await client.close();
      await h.close();
    }
  },
);
