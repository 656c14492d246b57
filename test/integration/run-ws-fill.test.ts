/**
 * A fill made while the bot's WebSocket is down: the stream never delivers it, so the bot must find it
 * on the exchange after reconnecting; its journal and its ledger must equal the exchange's at exit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '../../src/journal/index.js';
import { hitOurQuote, spawnBot, startHarness, TEST_MARKETS, until } from './run-harness.js';

const BOT_ARGS = ['--markets', TEST_MARKETS.join(','), '--no-dashboard', '--status-every', '0', '--min-requote-interval-ms', '200ms'];

test('a fill while the WebSocket is down is journaled once and counted in the bot ledger', { timeout: 90_000 }, async () => {
  const h = await startHarness();
  const resting = (): number => h.exchange.engine.restingOrders(h.accountId).length;
  const bot = spawnBot(h, BOT_ARGS);
  try {
    await until(() => resting() >= 4, 'quotes', 30_000);
    // Same synchronous step: the sockets are closed and our bid is taken before the bot can react.
    h.exchange.injectFault({ kind: 'drop_ws' });
    assert.ok(hitOurQuote(h, TEST_MARKETS[0], 'bid') > 0, 'the taker filled against our bid');
    await until(() => resting() >= 4, 'quotes again after the reconnect', 20_000);
    await new Promise((r) => setTimeout(r, 1500));
    bot.child.kill('SIGTERM');
    assert.equal(await bot.exited, 0, bot.stderr().slice(-3000));
    const exchangeFills = h.exchange.engine.listFills(h.accountId);
    assert.match(bot.stderr(), new RegExp(`resting orders left: 0; fills ${exchangeFills.length};`), 'the bot counted the fill');
    const dir = join(h.dir, '.kalshi-mm', 'logs');
    const summary = readdirSync(dir)
      .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
      .filter((l) => l.includes('"run summary"'))
      .map((l) => JSON.parse(l) as { risk: { ticker: string; position: number; realizedPnl: number; fees: number }[] })[0];
    for (const p of h.exchange.engine.getPositions(h.accountId)) {
      const r = summary?.risk.find((x) => x.ticker === p.ticker);
      assert.deepEqual(
        { position: r?.position ?? 0, fees: r?.fees ?? 0 },
        { position: p.position, fees: p.feesPaid },
        `${p.ticker} ledger`,
      );
    }
    const journal = Journal.open(join(h.dir, 'journal.sqlite'));
    try {
      assert.equal(journal.fillSummary().count, exchangeFills.length, 'every exchange fill journaled exactly once');
    } finally {
      journal.close();
    }
  } finally {
    bot.child.kill('SIGKILL');
    await h.close();
  }
});
