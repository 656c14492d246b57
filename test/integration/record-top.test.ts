/**
 * `kalshi-mm record --top 1` follows the scanner's selection as it changes, over real sockets: a
 * local exchange without the generator holds two known markets; the one that traded is recorded
 * first; once the other trades far more, the next reselection (1 s refresh) writes the new market's
 * `market` line and `orderbook_snapshot`, and the dropped market's deltas stop being written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contracts, DEFAULT_FEE_SCHEDULE, TickGrid, type BookSide, type Price } from '../../src/core/index.js';
import { startLocalExchange } from '../../src/exchange/index.js';
import { ROOT, until } from './run-harness.js';

const QUIET = 'TOPA-1';
const BUSY = 'TOPB-1';

interface Line {
  readonly type: string;
  readonly msg: { readonly market_ticker?: string; readonly ticker?: string };
}

/** Returns the complete lines written so far (the last one may still be partial: skipped). */
async function linesOf(path: string): Promise<Line[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const out: Line[] = [];
  for (const raw of text.split('\n').slice(1)) {
    try {
      out.push(JSON.parse(raw) as Line);
    } catch {
      // partial last line
    }
  }
  return out;
}

const tickerOf = (l: Line): string | undefined => l.msg.market_ticker ?? l.msg.ticker;

test(
  'record --top follows the selection: the newly busier market is added with a market line and a snapshot, the dropped one is no longer written',
  { timeout: 60_000 },
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kalshi-mm-rectop-'));
    const now = Date.now();
    const exchange = await startLocalExchange({
      dataDir: join(dir, 'ex'),
      simulate: false,
      accounts: 2,
      markets: [QUIET, BUSY].map((ticker) => ({
        ticker,
        eventTicker: ticker.slice(0, 4),
        seriesTicker: ticker.slice(0, 4),
        title: `Market ${ticker}`,
        grid: TickGrid.linearCent(),
        fees: DEFAULT_FEE_SCHEDULE,
        openTimeMs: now - 3_600_000,
        closeTimeMs: now + 3 * 3_600_000,
        status: 'active' as const,
      })),
    });
    let child: ReturnType<typeof spawn> | undefined;
    try {
      const maker = exchange.accountIdOf(exchange.credentials.keyId);
      const taker = exchange.accountIdOf(exchange.accounts[0]?.keyId ?? '');
      let n = 0;
      const order = (account: string, ticker: string, side: BookSide, cents: number, count: number, ioc: boolean): void => {
        exchange.engine.createOrder(account, {
          ticker,
          side,
          price: (cents * 100) as Price,
          count: contracts(count),
          timeInForce: ioc ? 'immediate_or_cancel' : 'good_till_canceled',
          postOnly: false,
          selfTradePrevention: 'taker_at_cross',
          clientOrderId: `t${n++}`,
        });
      };
      /** `pairs` balanced round trips of `size` contracts through the 40/44 book. */
      const trade = (ticker: string, pairs: number, size: number): void => {
        for (let i = 0; i < pairs; i++) {
          order(taker, ticker, 'bid', 44, size, true);
          order(taker, ticker, 'ask', 40, size, true);
        }
      };
      for (const t of [QUIET, BUSY]) {
        order(maker, t, 'bid', 40, 500, false);
        order(maker, t, 'ask', 44, 500, false);
      }
      trade(QUIET, 1, 1); // QUIET is the only market with volume: it is the top 1
      const out = join(dir, 'top.jsonl');
      child = spawn(
        process.execPath,
        [
          join(ROOT, 'bin/kalshi-mm.js'),
          'record',
          '--credentials',
          join(dir, 'ex', 'credentials.json'),
          '--top',
          '1',
          '--market-refresh-interval-ms',
          '1000',
          '--out',
          out,
        ],
        { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env['PATH'] ?? '' } },
      );
      let stderr = '';
      child.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      child.stdout?.resume();
      const running = child;
      const exited = new Promise<number | null>((r) => running.once('exit', (code) => r(code)));
      const marketLine = (lines: Line[], ticker: string): number => lines.findIndex((l) => l.type === 'market' && tickerOf(l) === ticker);
      await until(
        async () => (await linesOf(out)).some((l) => l.type === 'orderbook_snapshot' && tickerOf(l) === QUIET),
        'the quiet market recorded',
        20_000,
      );
      order(maker, QUIET, 'bid', 39, 5, false); // a QUIET delta while it is selected
      await until(
        async () => (await linesOf(out)).some((l) => l.type === 'orderbook_delta' && tickerOf(l) === QUIET),
        'a quiet-market delta',
        10_000,
      );
      assert.equal(marketLine(await linesOf(out), BUSY), -1, 'the busy market is not recorded before it trades');

      trade(BUSY, 20, 5); // BUSY now has 50× the volume: the next reselection swaps the markets
      await until(
        async () => (await linesOf(out)).some((l) => l.type === 'orderbook_snapshot' && tickerOf(l) === BUSY),
        'the busy market recorded',
        15_000,
      );
      // The dropped market still changes on the exchange; none of it may be written any more.
      for (let i = 0; i < 5; i++) order(maker, QUIET, 'bid', 30 + i, 1, false);
      order(maker, BUSY, 'bid', 38, 2, false);
      await until(
        async () => (await linesOf(out)).filter((l) => l.type === 'orderbook_delta' && tickerOf(l) === BUSY).length >= 1,
        'a busy-market delta after the swap',
        10_000,
      );
      child.kill('SIGINT');
      assert.equal(await exited, 0, stderr);

      const lines = await linesOf(out);
      const busyMarket = marketLine(lines, BUSY);
      const busySnapshot = lines.findIndex((l) => l.type === 'orderbook_snapshot' && tickerOf(l) === BUSY);
      assert.ok(busyMarket > 0 && busySnapshot > busyMarket, 'the busy market line precedes its snapshot');
      const quietDeltas = lines.map((l, i) => (l.type === 'orderbook_delta' && tickerOf(l) === QUIET ? i : -1)).filter((i) => i >= 0);
      assert.ok(quietDeltas.length > 0, 'the quiet market was recorded while selected');
      assert.ok(
        quietDeltas.every((i) => i < busyMarket),
        `no quiet-market delta after the swap (quiet deltas at ${quietDeltas.join(',')}, swap at ${busyMarket})`,
      );
      const busyTrades = lines.filter((l) => l.type === 'trade' && tickerOf(l) === BUSY).length;
      assert.equal(busyTrades, 0, 'the busy market trades happened before it was selected, none is invented');
    } finally {
      child?.kill('SIGKILL');
      await exchange.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
);
