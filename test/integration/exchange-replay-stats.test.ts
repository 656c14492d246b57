/**
 * Replay mode: recorded prints count in the market's statistics (last price, volume, 24 h volume) as
 * the generator's trades do, so GET /markets — and `scan`, which ranks by it — sees a traded market.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/index.js';
import { startLocalExchange } from '../../src/exchange/index.js';
import { rest } from '../conformance/exchange-support.js';

const T = 'KXREPLAYVOL-26JAN01-T1';
const DAY_MS = 86_400_000;

function recording(r: number): string {
  const market = {
    ticker: T,
    event_ticker: 'KXREPLAYVOL-26JAN01',
    open_time: new Date(r - 3_600_000).toISOString(),
    close_time: new Date(r + 3 * DAY_MS).toISOString(),
    status: 'active',
    yes_bid_dollars: '0.0000',
    yes_ask_dollars: '1.0000',
    last_price_dollars: '0.0000',
    volume_fp: '0.00',
    open_interest_fp: '0.00',
    result: '',
    price_level_structure: 'linear_cent',
    price_ranges: [{ start: '0.0000', end: '1.0000', step: '0.0100' }],
  };
  const trade = (id: string, price: string, count: string) => ({ trade_id: id, market_ticker: T, yes_price_dollars: price, no_price_dollars: (1 - Number(price)).toFixed(4), count_fp: count, taker_outcome_side: 'yes', taker_book_side: 'bid' });
  const lines = [
    { recv_ms: r, type: 'header', msg: { format: 'kalshi-mm.recording', version: 1, source: 'synthetic', created: new Date(r).toISOString() } },
    { recv_ms: r, type: 'market', msg: market },
    { recv_ms: r + 1000, type: 'orderbook_snapshot', sid: 1, seq: 1, msg: { market_ticker: T, yes_dollars_fp: [['0.4000', '10.00']], no_dollars_fp: [['0.5500', '5.00']] } },
    { recv_ms: r + 2000, type: 'trade', sid: 2, seq: 1, msg: trade('rec-1', '0.4500', '3.00') },
    { recv_ms: r + 3000, type: 'trade', sid: 2, seq: 2, msg: trade('rec-2', '0.4400', '2.00') },
  ];
  return `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
}

interface WireMarket { ticker: string; last_price_dollars: string; volume_fp: string; volume_24h_fp: string }

test('replayed prints update last price, volume and 24 h volume of GET /markets', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kalshi-mm-replay-stats-'));
  const file = join(dir, 'rec.jsonl');
  await writeFile(file, recording(1_767_225_600_000));
  const clock = new ManualClock(Date.now());
  const exchange = await startLocalExchange({ dataDir: dir, replayFile: file, speed: 1, clock, rateLimitTier: 'prestige' });
  const me = exchange.credentials;
  const listed = async (): Promise<WireMarket | undefined> => {
    const answer = await rest(me, 'GET', '/markets', { sign: false });
    return answer.status === 200 ? (answer.body as { markets: WireMarket[] }).markets.find((m) => m.ticker === T) : undefined;
  };
  try {
    clock.advanceBy(3000);
    await exchange.replay?.finished();
    const market = await listed();
    assert.ok(market, 'the replayed market is listed');
    assert.deepEqual([market.last_price_dollars, market.volume_fp, market.volume_24h_fp], ['0.4400', '5.00', '5.00']);
    const one = (await rest(me, 'GET', `/markets/${T}`, { sign: false })).body as { market: WireMarket };
    assert.deepEqual([one.market.volume_fp, one.market.volume_24h_fp], ['5.00', '5.00'], 'GET /markets/{ticker} agrees');

    clock.advanceBy(DAY_MS);
    const dayLater = await listed();
    assert.deepEqual([dayLater?.volume_fp, dayLater?.volume_24h_fp], ['5.00', '0.00'], 'prints older than 24 h leave volume_24h');
  } finally {
    await exchange.close();
    await rm(dir, { recursive: true, force: true });
  }
});
