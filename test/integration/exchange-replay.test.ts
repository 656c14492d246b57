/**
 * Replay mode: a recording drives the public book and tape; an account's orders fill against it as
 * the replay's fill model says (src/exchange/server/replay.ts). Time is a ManualClock, advanced line
 * by line, so the test controls exactly which recorded lines have played.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/index.js';
import { startLocalExchange } from '../../src/exchange/index.js';
import { rest } from '../conformance/exchange-support.js';

const T = 'KXREPLAY-26JAN01-T1';

function recording(r: number): string {
  const market = (result: string, status: string) => ({
    ticker: T,
    event_ticker: 'KXREPLAY-26JAN01',
    open_time: new Date(r - 3_600_000).toISOString(),
    close_time: new Date(r + 3_600_000).toISOString(),
    status,
    yes_bid_dollars: '0.0000',
    yes_ask_dollars: '1.0000',
    last_price_dollars: '0.0000',
    volume_fp: '0.00',
    open_interest_fp: '0.00',
    result,
    price_level_structure: 'linear_cent',
    price_ranges: [{ start: '0.0000', end: '1.0000', step: '0.0100' }],
  });
  const lines = [
    { recv_ms: r, type: 'header', msg: { format: 'kalshi-mm.recording', version: 1, source: 'synthetic', created: new Date(r).toISOString() } },
    { recv_ms: r, type: 'market', msg: market('', 'active') },
    { recv_ms: r + 1000, type: 'orderbook_snapshot', sid: 1, seq: 1, msg: { market_ticker: T, yes_dollars_fp: [['0.4000', '10.00']], no_dollars_fp: [['0.5500', '5.00']] } },
    { recv_ms: r + 2000, type: 'orderbook_delta', sid: 1, seq: 2, msg: { market_ticker: T, price_dollars: '0.4000', delta_fp: '-4.00', side: 'yes' } },
    { recv_ms: r + 3000, type: 'trade', sid: 2, seq: 1, msg: { trade_id: 'rec-trade-1', market_ticker: T, yes_price_dollars: '0.4000', no_price_dollars: '0.6000', count_fp: '3.00', taker_outcome_side: 'no', taker_book_side: 'ask' } },
    { recv_ms: r + 4000, type: 'market', msg: market('yes', 'finalized') },
  ];
  return `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
}

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('a recording drives the book and tape, and an account fills only ahead of the recorded queue', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kalshi-mm-replay-'));
  const start = Date.now();
  const file = join(dir, 'rec.jsonl');
  await writeFile(file, recording(1_767_225_600_000));
  const clock = new ManualClock(start);
  const exchange = await startLocalExchange({ dataDir: dir, replayFile: file, speed: 1, clock, rateLimitTier: 'prestige' });
  const me = exchange.credentials;
  const book = async (): Promise<{ yes_dollars: string[][]; no_dollars: string[][] } | undefined> => {
    const answer = await rest(me, 'GET', `/markets/${T}/orderbook`, { sign: false });
    return answer.status === 200 ? (answer.body as { orderbook_fp: { yes_dollars: string[][]; no_dollars: string[][] } }).orderbook_fp : undefined;
  };
  try {
    assert.equal(exchange.simulator, undefined, 'no generator in replay mode');
    await until(book, 'the market line');
    clock.advanceBy(1000);
    const snapshot = await until(async () => ((await book())?.yes_dollars.length ? book() : undefined), 'the snapshot');
    assert.deepEqual(snapshot, { yes_dollars: [['0.4000', '10.00']], no_dollars: [['0.5500', '5.00']] });

    const place = (price: string, id: string) => rest(me, 'POST', '/portfolio/events/orders', { body: { ticker: T, side: 'bid', price, count: price === '0.41' ? '2' : '1', time_in_force: 'good_till_canceled', self_trade_prevention_type: 'taker_at_cross', client_order_id: id } });
    assert.equal((await place('0.41', 'better')).status, 201);
    assert.equal((await place('0.40', 'behind')).status, 201);

    clock.advanceBy(1000);
    await until(async () => ((await book())?.yes_dollars.find((l) => l[0] === '0.4000')?.[1] === '7.00' ? true : undefined), 'the delta (6 recorded + 1 ours at 0.40)');

    clock.advanceBy(1000);
    const fills = await until(async () => {
      const answer = (await rest(me, 'GET', '/portfolio/fills')).body as { fills: { yes_price_dollars: string; count_fp: string; order_id: string }[] };
      return answer.fills.length > 0 ? answer.fills : undefined;
    }, 'the recorded trade');
    assert.deepEqual(fills.map((f) => [f.yes_price_dollars, f.count_fp]), [['0.4100', '2.00']], 'the better bid fills; the one behind the recorded queue does not');
    const tape = (await rest(me, 'GET', `/markets/trades?ticker=${T}`, { sign: false })).body as { trades: { trade_id: string }[] };
    assert.ok(tape.trades.some((t) => t.trade_id === 'rec-trade-1'), 'the recorded print is on the public tape');

    clock.advanceBy(1000);
    const settlements = await until(async () => {
      const answer = (await rest(me, 'GET', '/portfolio/settlements')).body as { settlements: { market_result: string; yes_count_fp: string }[] };
      return answer.settlements.length > 0 ? answer.settlements : undefined;
    }, 'the settlement');
    assert.deepEqual(settlements.map((s) => [s.market_result, s.yes_count_fp]), [['yes', '2.00']]);
  } finally {
    await exchange.close();
    await rm(dir, { recursive: true, force: true });
  }
});
