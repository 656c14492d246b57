import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_FEE_SCHEDULE, TickGrid, type Count, type Market, type Price, type PublicTrade } from '../core/index.js';
import { DEFAULT_SELECTION_FILTERS, scoreMarket, tradeStats, type SelectionParams } from '../bot/index.js';
import { defaultTradingConfig } from '../config/index.js';
import { renderScanCsv, renderScanTable, scanRow, sortScanRows, formatDuration } from './index.js';

const NOW = 1_800_000_000_000;
const params: SelectionParams = { ...defaultTradingConfig(), ...DEFAULT_SELECTION_FILTERS };

function market(ticker: string, bid: number | undefined, ask: number | undefined, volume24hContracts = 500): Market {
  return {
    ticker,
    eventTicker: 'EV',
    title: `Market ${ticker}`,
    status: 'active',
    openTimeMs: NOW - 86_400_000,
    closeTimeMs: NOW + 2 * 3_600_000 + 90_000,
    grid: TickGrid.linearCent(),
    fees: DEFAULT_FEE_SCHEDULE,
    result: '',
    ...(bid !== undefined ? { yesBid: bid as Price } : {}),
    ...(ask !== undefined ? { yesAsk: ask as Price } : {}),
    volume: (volume24hContracts * 100) as Count,
    volume24h: (volume24hContracts * 100) as Count,
    openInterest: 0 as Count,
  };
}

function trade(id: string, cents: number, contracts: number, agoMs: number, takerSide: 'bid' | 'ask' = 'bid'): PublicTrade {
  return { tradeId: id, ticker: 'A', price: (cents * 100) as Price, count: (contracts * 100) as Count, takerSide, tsMs: NOW - agoMs };
}

describe('scan figures', () => {
  // Four trades in the last hour (10 @ 40¢, 5 @ 44¢, 20 @ 38¢, 5 @ 41¢) and one 2 h old (ignored).
  const trades = [
    trade('1', 40, 10, 50 * 60_000),
    trade('2', 44, 5, 30 * 60_000, 'ask'),
    trade('3', 38, 20, 10 * 60_000),
    trade('4', 41, 5, 1_000, 'ask'),
    trade('old', 90, 100, 2 * 3_600_000),
  ];

  test('a market with known trades gives the hand-computed spread, mid, 1 h volume, size, high, low and time to close', () => {
    const row = scanRow(market('A', 3900, 4300), trades, NOW, params);
    assert.equal(row.spreadCents, 4);
    assert.equal(row.midCents, 41);
    assert.equal(row.volume1h, 40); // 10 + 5 + 20 + 5
    assert.equal(row.trades1h, 4);
    assert.equal(row.avgTradeSize1h, 10); // 40 / 4
    assert.equal(row.high1hCents, 44);
    assert.equal(row.low1hCents, 38);
    assert.equal(row.volume24h, 500);
    assert.equal(row.timeToCloseMs, 2 * 3_600_000 + 90_000);
    assert.equal(formatDuration(row.timeToCloseMs), '2h1m');
  });

  test('the score equals the selection score of the same market and last-hour trades', () => {
    const row = scanRow(market('A', 3900, 4300), trades, NOW, params);
    const recent = trades.filter((t) => t.tradeId !== 'old');
    const stats = tradeStats(recent);
    assert.equal(stats.buyVolume, 30);
    assert.equal(stats.sellVolume, 10);
    assert.equal(row.score, scoreMarket(market('A', 3900, 4300), stats, params).score);
    assert.ok(row.score > 0);
  });

  test('a one-sided market has no spread or mid and a zero score', () => {
    const row = scanRow(market('B', 3900, undefined), [], NOW, params);
    assert.equal(row.spreadCents, undefined);
    assert.equal(row.midCents, undefined);
    assert.equal(row.score, 0);
    assert.equal(row.avgTradeSize1h, undefined);
  });

  test('rows sort by score and volume descending and by spread ascending, one-sided last', () => {
    const a = scanRow(market('A', 3900, 4300), trades, NOW, params);
    const b = scanRow(market('B', 3900, undefined), [], NOW, params);
    const c = scanRow(market('C', 5000, 5100), [], NOW, params);
    assert.deepEqual(
      sortScanRows([b, c, a], 'spread').map((r) => r.ticker),
      ['C', 'A', 'B'],
    );
    assert.deepEqual(
      sortScanRows([b, c, a], 'volume').map((r) => r.ticker),
      ['A', 'B', 'C'],
    );
    const byScore = sortScanRows([b, c, a], 'score').map((r) => r.score);
    assert.deepEqual(
      byScore,
      [...byScore].sort((x, y) => y - x),
    );
    assert.equal(byScore[2], 0);
  });

  test('CSV quotes titles with commas and keeps raw numbers; the table has one line per row plus a header', () => {
    const row = { ...scanRow(market('A', 3900, 4300), trades, NOW, params), title: 'Yes, or "no"' };
    const csv = renderScanCsv([row]).trim().split('\n');
    assert.equal(csv.length, 2);
    assert.match(csv[1] ?? '', /^A,39,43,4,41,40,4,10,44,38,500,7290000,[0-9.]+,"Yes, or ""no"""$/);
    assert.equal(renderScanTable([row, row]).trim().split('\n').length, 3);
  });
});
