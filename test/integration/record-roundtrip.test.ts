/**
 * `kalshi-mm record` against a local exchange over real sockets, read back through the recording
 * reader: the rebuilt books equal the exchange's, every trade is in the file once, an injected seq gap
 * shows as a `gap` line followed by a snapshot, SIGINT leaves a valid gzip file, and poll mode writes
 * no trade twice.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { contracts, L2Book } from '../../src/core/index.js';
import { LineDecoder } from '../../src/backtest/decode.js';
import { readRecording, readRecordingHeader, type RecordingLine } from '../../src/record/index.js';
import { ROOT, startHarness, TEST_MARKETS, until, type Harness } from './run-harness.js';

function spawnRecord(h: Harness, args: readonly string[]) {
  const child = spawn(process.execPath, [join(ROOT, 'bin/kalshi-mm.js'), 'record', '--credentials', h.credentialsFile, ...args], {
    cwd: h.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env['PATH'] ?? '' },
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.stdout.resume();
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exited, stderr: () => stderr };
}

/** Makes the second account sell one contract into the best bid of `ticker` (a public trade). */
function trade(h: Harness, ticker: string, n: number): void {
  const taker = h.exchange.accountIdOf(h.exchange.accounts[0]?.keyId ?? '');
  const best = h.exchange.engine.topOfBook(ticker).yesBid;
  if (best === undefined) return;
  h.exchange.engine.createOrder(taker, {
    ticker,
    side: 'ask',
    price: best,
    count: contracts(1),
    timeInForce: 'immediate_or_cancel',
    postOnly: false,
    selfTradePrevention: 'taker_at_cross',
    clientOrderId: `rt-${ticker}-${n}`,
  });
}

async function readAll(path: string): Promise<RecordingLine[]> {
  const lines: RecordingLine[] = [];
  for await (const line of readRecording(path)) lines.push(line);
  return lines;
}

function tradeIds(lines: readonly RecordingLine[]): string[] {
  return lines.filter((l) => l.type === 'trade').map((l) => String((l.msg as { trade_id: unknown }).trade_id));
}

describe('kalshi-mm record', { timeout: 90_000 }, () => {
  test('a WS recording replays to the exchange book, holds every trade once, and marks an injected seq gap before a fresh snapshot', async () => {
    const h = await startHarness(60);
    const out = join(h.dir, 'rec.jsonl.gz');
    const rec = spawnRecord(h, ['--markets', TEST_MARKETS.join(','), '--out', out]);
    try {
      await until(() => /ws mode/.test(rec.stderr()), 'the recorder to start', 15_000);
      const startedMs = Date.now();
      await new Promise((r) => setTimeout(r, 1_000));
      for (const t of TEST_MARKETS) trade(h, t, 1);
      await new Promise((r) => setTimeout(r, 500));
      h.exchange.injectFault({ kind: 'skip_seq' });
      await new Promise((r) => setTimeout(r, 500));
      for (const t of TEST_MARKETS) trade(h, t, 2);
      await new Promise((r) => setTimeout(r, 1_000));
      for (const t of TEST_MARKETS) h.exchange.pause(t);
      await new Promise((r) => setTimeout(r, 700));
      const books = new Map(TEST_MARKETS.map((t) => [t, h.exchange.engine.getBook(t)]));
      const trades = TEST_MARKETS.flatMap((t) => h.exchange.engine.listTrades(t));
      rec.child.kill('SIGINT');
      assert.equal(await rec.exited, 0, rec.stderr());
      // stderr is a pipe, not a terminal: no progress line, so no blank line before the summary.
      // The markets are named, so a backtest of the file knows its tickers.
      assert.match(rec.stderr(), /^kalshi-mm record: ws mode, \d+ markets → .*\nkalshi-mm record: markets (.+)\nkalshi-mm record: wrote .*rec\.jsonl\.gz\n$/);
      assert.equal(/record: markets (.+)\n/.exec(rec.stderr())?.[1], TEST_MARKETS.join(', '));

      const lines = await readAll(out); // throws on a truncated gzip or a malformed line
      assert.equal((await readRecordingHeader(out)).source, 'ws');
      const decoder = new LineDecoder(out);
      const rebuilt = new Map<string, L2Book>();
      for (const line of lines) {
        const event = decoder.decode(line);
        if (event?.type === 'book_snapshot') {
          const book = rebuilt.get(event.ticker) ?? new L2Book(event.ticker);
          book.applySnapshot(event.yes, event.no);
          rebuilt.set(event.ticker, book);
        } else if (event?.type === 'book_delta') {
          rebuilt.get(event.ticker)?.applyDelta(event.side, event.price, event.delta);
        }
      }
      for (const ticker of TEST_MARKETS) {
        const expected = books.get(ticker);
        assert.deepEqual(
          rebuilt.get(ticker)?.toSnapshot(),
          { yes: expected?.yes, no: expected?.no },
          `${ticker} rebuilt book equals the exchange book`,
        );
      }

      const ids = tradeIds(lines);
      assert.equal(new Set(ids).size, ids.length, 'no trade twice');
      const exchangeIds = new Set(trades.map((t) => t.tradeId));
      for (const id of ids) assert.ok(exchangeIds.has(id), `recorded trade ${id} was printed by the exchange`);
      const firstSnapshotMs = lines.find((l) => l.type === 'orderbook_snapshot')?.recvMs ?? Infinity;
      const expected = trades.filter((t) => t.tsMs > firstSnapshotMs + 50);
      assert.ok(expected.length > 0, 'the exchange traded while recording');
      const recorded = new Set(ids);
      for (const t of expected) assert.ok(recorded.has(t.tradeId), `exchange trade ${t.tradeId} is in the file`);

      const gapIndex = lines.findIndex((l) => l.type === 'gap' && /seq gap/.test(String((l.msg as { reason?: unknown }).reason)));
      assert.ok(gapIndex > 0, 'a gap line for the injected seq gap');
      assert.ok((lines[gapIndex]?.recvMs ?? 0) >= startedMs);
      const gapTicker = (lines[gapIndex]?.msg as { market_ticker: string }).market_ticker;
      // The message that arrived with the skipped seq is kept (verbatim recording); readers ignore book
      // lines between a gap and the next snapshot, which must follow.
      const snapshotAfter = lines
        .slice(gapIndex + 1)
        .findIndex((l) => l.type === 'orderbook_snapshot' && (l.msg as { market_ticker: string }).market_ticker === gapTicker);
      assert.ok(snapshotAfter >= 0, 'a fresh snapshot follows the gap');
      assert.ok((lines[gapIndex + 1 + snapshotAfter]?.recvMs ?? 0) - (lines[gapIndex]?.recvMs ?? 0) < 2_000, 'within two seconds');
    } finally {
      rec.child.kill('SIGKILL');
      await h.close();
    }
  });

  test('poll mode writes books as snapshots and each trade once', async () => {
    const h = await startHarness(60);
    const out = join(h.dir, 'poll.jsonl');
    const rec = spawnRecord(h, [
      '--markets',
      TEST_MARKETS.join(','),
      '--out',
      out,
      '--mode',
      'poll',
      '--interval',
      '150ms',
      '--duration',
      '3s',
    ]);
    try {
      assert.equal(await rec.exited, 0, rec.stderr());
      const lines = await readAll(out);
      assert.equal(lines.filter((l) => l.type === 'market').length, TEST_MARKETS.length);
      assert.ok(lines.filter((l) => l.type === 'orderbook_snapshot').length >= 2 * TEST_MARKETS.length, 'several polls');
      const ids = tradeIds(lines);
      assert.ok(ids.length > 0, 'trades recorded');
      assert.equal(new Set(ids).size, ids.length, 'no trade twice');
      const exchangeIds = new Set(TEST_MARKETS.flatMap((t) => h.exchange.engine.listTrades(t)).map((t) => t.tradeId));
      for (const id of ids) assert.ok(exchangeIds.has(id));
      const decoder = new LineDecoder(out);
      for (const line of lines) decoder.decode(line); // every line parses as the replay parser reads it
    } finally {
      rec.child.kill('SIGKILL');
      await h.close();
    }
  });
});
