/**
 * `kalshi-mm scan --json` over real sockets against a local exchange with one quiet market and known
 * trades: every figure equals the hand computation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contracts, DEFAULT_FEE_SCHEDULE, TickGrid, type BookSide, type Price } from '../../src/core/index.js';
import { startLocalExchange } from '../../src/exchange/index.js';
import type { ScanRow } from '../../src/scan/index.js';
import { ROOT } from './run-harness.js';

test(
  'scan reports the hand-computed spread, mid, 1 h volume, size, high/low and time to close of known trades',
  { timeout: 60_000 },
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kalshi-mm-scan-'));
    const now = Date.now();
    const exchange = await startLocalExchange({
      dataDir: join(dir, 'ex'),
      simulate: false,
      accounts: 2,
      markets: [
        {
          ticker: 'KNOWN-1',
          eventTicker: 'KNOWN',
          seriesTicker: 'KN',
          title: 'Known, trades',
          grid: TickGrid.linearCent(),
          fees: DEFAULT_FEE_SCHEDULE,
          openTimeMs: now - 3_600_000,
          closeTimeMs: now + 3 * 3_600_000,
          status: 'active',
        },
      ],
    });
    try {
      const a = exchange.accountIdOf(exchange.credentials.keyId);
      const b = exchange.accountIdOf(exchange.accounts[0]?.keyId ?? '');
      let n = 0;
      const order = (
        account: string,
        side: BookSide,
        cents: number,
        count: number,
        tif: 'good_till_canceled' | 'immediate_or_cancel',
      ): void => {
        exchange.engine.createOrder(account, {
          ticker: 'KNOWN-1',
          side,
          price: (cents * 100) as Price,
          count: contracts(count),
          timeInForce: tif,
          postOnly: false,
          selfTradePrevention: 'taker_at_cross',
          clientOrderId: `o${n++}`,
        });
      };
      // Trades: 10 @ 40¢ (B sells), 5 @ 44¢ (B buys), 20 @ 38¢ (B sells); A rests, B takes.
      for (const [cents, count, taker] of [
        [40, 10, 'ask'],
        [44, 5, 'bid'],
        [38, 20, 'ask'],
      ] as const) {
        order(a, taker === 'ask' ? 'bid' : 'ask', cents, count, 'good_till_canceled');
        order(b, taker, cents, count, 'immediate_or_cancel');
      }
      // Book left: YES bid 37¢ and YES ask 41¢.
      order(a, 'bid', 37, 3, 'good_till_canceled');
      order(a, 'ask', 41, 4, 'good_till_canceled');
      const child = spawn(
        process.execPath,
        [join(ROOT, 'bin/kalshi-mm.js'), 'scan', '--json', '--credentials', join(dir, 'ex', 'credentials.json')],
        { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env['PATH'] ?? '' } },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
      const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      assert.equal(code, 0, err);
      const rows = JSON.parse(out) as ScanRow[];
      assert.equal(rows.length, 1);
      const row = rows[0];
      assert.ok(row);
      assert.equal(row.bestBidCents, 37);
      assert.equal(row.bestAskCents, 41);
      assert.equal(row.spreadCents, 4);
      assert.equal(row.midCents, 39);
      assert.equal(row.trades1h, 3);
      assert.equal(row.volume1h, 35);
      assert.ok(Math.abs((row.avgTradeSize1h ?? 0) - 35 / 3) < 1e-9);
      assert.equal(row.high1hCents, 44);
      assert.equal(row.low1hCents, 38);
      assert.equal(row.volume24h, 35);
      assert.ok(Math.abs(row.timeToCloseMs - 3 * 3_600_000) < 30_000);
      assert.ok(row.score > 0, 'two-sided flow scores above zero');
    } finally {
      await exchange.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
);

test(
  'a scan that outruns the rate limit waits for tokens and lists every market (the process does not exit mid-way)',
  { timeout: 60_000 },
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kalshi-mm-scan-'));
    const now = Date.now();
    const markets = Array.from({ length: 60 }, (_, i) => ({
      ticker: `MANY-${i}`,
      eventTicker: 'MANY',
      seriesTicker: 'MN',
      title: `Market ${i}`,
      grid: TickGrid.linearCent(),
      fees: DEFAULT_FEE_SCHEDULE,
      openTimeMs: now - 3_600_000,
      closeTimeMs: now + 3_600_000,
      status: 'active' as const,
    }));
    const exchange = await startLocalExchange({ dataDir: join(dir, 'ex'), simulate: false, markets });
    try {
      const child = spawn(
        process.execPath,
        [join(ROOT, 'bin/kalshi-mm.js'), 'scan', '--json', '--credentials', join(dir, 'ex', 'credentials.json')],
        { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env['PATH'] ?? '' } },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
      const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      assert.equal(code, 0, err);
      assert.equal((JSON.parse(out) as ScanRow[]).length, 60);
    } finally {
      await exchange.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
);
