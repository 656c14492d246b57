/**
 * An inherited position over real sockets: before `kalshi-mm run` starts, the bot's account buys 3
 * contracts from a second account in a market the run will not trade (`--markets` names two others),
 * as a trade by hand or an earlier run would leave it. Under the default `dropPolicy: unwind` the bot
 * works that position flat with reduce-only quotes (only asks, never more than it holds), the second
 * account taking them; once flat the market is left, and SIGTERM leaves no resting order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contracts, type Count, type Price } from '../../src/core/index.js';
import { spawnBot, startHarness, TEST_MARKETS, until, type Harness } from './run-harness.js';

/** Open for hours, not selected: the bot's `--markets` are TEST_MARKETS. */
const INHERITED = 'KXFED-26JAN-T3.25';
const HELD = contracts(3);

function order(h: Harness, accountId: string, side: 'bid' | 'ask', price: number, count: number, tif: 'good_till_canceled' | 'immediate_or_cancel', id: string) {
  return h.exchange.engine.createOrder(accountId, {
    ticker: INHERITED,
    side,
    price: price as Price,
    count: count as Count,
    timeInForce: tif,
    postOnly: tif === 'good_till_canceled',
    selfTradePrevention: 'taker_at_cross',
    clientOrderId: id,
  });
}

/** The log file's JSON records with `message`. */
function logged(h: Harness, message: string): Record<string, unknown>[] {
  const dir = join(h.dir, '.kalshi-mm', 'logs');
  return readdirSync(dir)
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
    .filter((l) => l.includes(`"${message}"`))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

test(
  'a position found at start in a market not selected is unwound to 0 with reduce-only asks; the bot exits with no resting order',
  { timeout: 90_000 },
  async (t) => {
    const h = await startHarness(10);
    const other = h.exchange.accountIdOf(h.exchange.accounts[0]?.keyId ?? '');
    const position = (): number => h.exchange.engine.getPositions(h.accountId).find((p) => p.ticker === INHERITED)?.position ?? 0;
    const ours = () => h.exchange.engine.restingOrders(h.accountId, INHERITED);
    // The inherited position: the second account offers 3 inside the spread, our account lifts it.
    const top = h.exchange.engine.topOfBook(INHERITED);
    assert.ok(top.yesBid !== undefined && top.yesAsk !== undefined && top.yesAsk - top.yesBid >= 200, 'a spread to trade inside');
    const price = top.yesAsk - 100;
    order(h, other, 'ask', price, HELD, 'good_till_canceled', 'other-offer');
    order(h, h.accountId, 'bid', price, HELD, 'immediate_or_cancel', 'by-hand-buy');
    assert.equal(position(), HELD, 'long 3 before the bot starts');

    const startedMs = Date.now();
    const bot = spawnBot(h, ['--markets', TEST_MARKETS.join(','), '--no-dashboard', '--status-every', '500ms', '--min-requote-interval-ms', '200ms']);
    /** Every order of ours seen resting in the inherited market, with the position at that moment. */
    const seen: { side: string; remaining: number; position: number }[] = [];
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const held = position();
        for (const o of ours()) seen.push({ side: o.side, remaining: o.remainingCount, position: held });
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      await until(() => ours().length > 0, 'the bot to quote the inherited market', 30_000);
      const firstQuoteMs = Date.now() - startedMs;
      await bot.waitFor(/inherited: unwinding/, 10_000);
      // The second account takes whatever of ours rests there, at our price, until we are flat.
      let takes = 0;
      await until(
        () => {
          const ask = ours().find((o) => o.side === 'ask');
          if (ask) {
            takes += 1;
            h.exchange.engine.createOrder(other, {
              ticker: INHERITED,
              side: 'bid',
              price: ask.price,
              count: ask.remainingCount,
              timeInForce: 'immediate_or_cancel',
              postOnly: false,
              selfTradePrevention: 'taker_at_cross',
              clientOrderId: `take-${takes}`,
            });
          }
          return position() === 0;
        },
        'the inherited position to be unwound to 0',
        30_000,
      );
      await until(() => logged(h, 'unwind ended').length > 0, 'the unwind to end', 10_000);
      await until(() => ours().length === 0, 'no order left in the inherited market', 5_000);
      watching = false;
      await watch;
      assert.ok(seen.length > 0);
      assert.deepEqual(
        seen.filter((s) => s.side !== 'ask' || s.remaining > s.position),
        [],
        'only asks, never more than the position held',
      );
      const placed = h.exchange.engine.listOrders(h.accountId).filter((o) => o.ticker === INHERITED && o.clientOrderId !== 'by-hand-buy');
      assert.ok(placed.length > 0);
      assert.deepEqual(
        placed.filter((o) => o.side !== 'ask' || o.initialCount > HELD),
        [],
        'every order the bot placed there was an ask of at most 3',
      );
      const [found] = logged(h, 'position found in a market not selected: unwinding it');
      assert.equal(found?.['ticker'], INHERITED);
      assert.equal(found?.['position'], HELD);
      const [ended] = logged(h, 'unwind ended');
      assert.equal(ended?.['end'], 'flat');
      assert.equal(ended?.['inherited'], true);
      bot.child.kill('SIGTERM');
      assert.equal(await bot.exited, 0, bot.stderr().slice(-3000));
      assert.equal(h.exchange.engine.restingOrders(h.accountId).length, 0, 'no resting order after SIGTERM');
      assert.equal(position(), 0);
      // The figures for docs/bot.md.
      t.diagnostic(
        JSON.stringify({
          firstQuoteMs,
          unwindMs: ended?.['forMs'],
          orders: placed.length,
          takes,
          boughtCents: price / 100,
          askCents: placed.map((o) => o.price / 100),
          realizedPnl: h.exchange.engine.getPositions(h.accountId).find((p) => p.ticker === INHERITED)?.realizedPnl,
        }),
      );
    } finally {
      watching = false;
      bot.child.kill('SIGKILL');
      await h.close();
    }
  },
);
