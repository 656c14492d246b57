/**
 * An `OrderManager` through kalshi-mm's `ExchangeClient` against the local exchange over real sockets:
 * a partly filled quote made smaller at the same price is decreased, and Kalshi's decrease answer
 * carries no fill count (kalshi-api.md §5.2, `DecreaseOrderV2Response`). The manager must keep the
 * order (it still rests): forgetting it left an order on the book that nothing managed, and the next
 * sync placed a second one on the same side.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { MemoryLogger, type Count, type DesiredQuotes, type Price } from '../../src/core/index.js';
import { connectKalshi } from '../../src/cli/connection.js';
import { SystemClock } from '../../src/exchange/index.js';
import { ClientOrderIds, OrderManager } from '../../src/orders/index.js';
import { rest, startTestExchange } from '../conformance/exchange-support.js';

const bid = (count: number): DesiredQuotes => ({
  ticker: 'T-A',
  bid: { side: 'bid', price: 4_500 as Price, count: (count * 100) as Count },
});

async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test(
  'a partly filled order decreased at the same price stays managed: one resting order, the right size',
  { timeout: 30_000 },
  async () => {
    const t = await startTestExchange();
    const logger = new MemoryLogger();
    const connection = await connectKalshi({ credentials: join(t.dir, 'credentials.json') }, { env: {}, cwd: t.dir }, { logger });
    const client = connection.port;
    const abort = new AbortController();
    try {
      const manager = new OrderManager({ port: client, ticker: 'T-A', clock: new SystemClock(), logger, ids: new ClientOrderIds('dec') });
      await client.subscribeMarkets(['T-A']);
      const pump = (async () => {
        for await (const event of client.events(abort.signal)) manager.onEvent(event);
      })().catch(() => undefined);

      await manager.sync(bid(10));
      const other = t.exchange.accounts[0];
      assert.ok(other);
      const taker = await rest(other, 'POST', '/portfolio/events/orders', {
        body: {
          ticker: 'T-A',
          side: 'ask',
          price: '0.45',
          count: '6',
          time_in_force: 'immediate_or_cancel',
          self_trade_prevention_type: 'taker_at_cross',
        },
      });
      assert.ok(taker.status < 300, JSON.stringify(taker.body));
      await until('the fill reaches the manager', () => manager.orders()[0]?.filled === 600);

      const actions = await manager.sync(bid(2));
      assert.deepEqual(
        actions.map((a) => a.kind),
        ['decrease'],
      );
      assert.deepEqual(
        manager.orders().map((o) => ({ remaining: o.remaining, filled: o.filled })),
        [{ remaining: 200, filled: 600 }],
        'the decreased order is still ours',
      );
      await manager.sync(bid(2));
      const resting = await client.getOrders({ ticker: 'T-A', status: 'resting' });
      assert.deepEqual(
        resting.map((o) => o.remainingCount),
        [200],
        'one resting bid, never a second one',
      );
      await manager.cancelAll('shutdown');
      abort.abort();
      await pump;
    } finally {
      abort.abort();
      await connection.close();
      await t.cleanup();
    }
  },
);
