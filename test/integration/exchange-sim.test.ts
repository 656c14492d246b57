/**
 * The local exchange with its market generator running (real clock × speed): markets trade on their
 * own, and the admin API moves a hidden fair value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalExchange } from '../../src/exchange/index.js';

test('generated markets trade on their own and the fair value can be moved through the admin API', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kalshi-mm-sim-'));
  const exchange = await startLocalExchange({ dataDir: dir, speed: 600, seed: 3 });
  try {
    const rest = exchange.credentials.rest;
    const markets = (await (await fetch(`${rest}/markets?status=open&limit=1000`)).json()) as { markets: { ticker: string; price_level_structure: string; close_time: string }[] };
    assert.ok(markets.markets.length >= 10);
    assert.ok(new Set(markets.markets.map((m) => m.price_level_structure)).size >= 2, 'several tick structures');
    const deadline = Date.now() + 10_000;
    let trades = 0;
    while (trades === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      trades = ((await (await fetch(`${rest}/markets/trades?limit=10`)).json()) as { trades: unknown[] }).trades.length;
    }
    assert.ok(trades > 0, 'background agents traded');
    // The longest-lived market: at speed 600 the shortest ones settle within seconds of real time.
    const ticker = [...markets.markets].sort((a, b) => Date.parse(b.close_time) - Date.parse(a.close_time))[0]!.ticker;
    const moved = await fetch(`${rest.replace('/trade-api/v2', '')}/_admin/markets/${ticker}/fair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ probability: 0.9 }) });
    assert.equal(moved.status, 200);
    // The walk keeps running between the reply and this read, so allow for a few simulated seconds of motion.
    assert.ok(Math.abs((exchange.simulator?.fairProbability(ticker) ?? 0) - 0.9) < 0.05);
  } finally {
    await exchange.close();
    await rm(dir, { recursive: true, force: true });
  }
});
