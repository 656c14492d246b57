import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate, bestByMarket, gridOf, parseRange, pickByCash, pickByPnl, type MarketRecord } from './grid.js';

test('a range includes both ends on the grid and prints without float noise', () => {
  assert.deepEqual(parseRange('0.05:0.3:0.05', 'gammas'), [0.05, 0.1, 0.15, 0.2, 0.25, 0.3]);
  assert.equal(parseRange('0.05:1.0:0.05', 'gammas').length, 20);
  assert.equal(parseRange('0.5:5.0:0.5', 'kappas').length, 10);
  assert.deepEqual(parseRange('2', 'kappas'), [2]);
  assert.throws(() => parseRange('1:0:0.1', 'gammas'), /--gammas: expected start:end:step/);
  assert.throws(() => parseRange('0:1:0', 'gammas'), /step > 0/);
  assert.equal(gridOf([1, 2], [3, 4, 5]).length, 6);
});

function record(market: string, gamma: number, kappa: number, cash: number, pnl: number, inventory: number): MarketRecord {
  return { market, gamma, kappa, cash, pnl, inventory, fees: 0, fills: 1, maxDrawdown: 0, file: 'f' } as unknown as MarketRecord;
}

test('best overall is the highest mean cash (ties: smaller |inventory|); the PnL pick may differ', () => {
  const records = [
    record('A', 0.1, 1, 2, 0, 5),
    record('B', 0.1, 1, 0, 0, 5),
    record('A', 0.2, 1, 1, 3, 1),
    record('B', 0.2, 1, 1, 3, -1),
    record('A', 0.3, 1, 1, 0, 0),
    record('B', 0.3, 1, 1, 0, 0),
  ];
  const overall = aggregate(records);
  assert.equal(overall.length, 3);
  // Mean cash 1 for all three; |inventory| 5, 1, 0 → γ 0.3 wins the cash pick.
  assert.equal(pickByCash(overall)?.gamma, 0.3);
  assert.equal(pickByPnl(overall)?.gamma, 0.2);
});

test('best by market is the highest cash, ties broken by the smallest |inventory|', () => {
  const best = bestByMarket([record('A', 0.1, 1, 2, 0, 5), record('A', 0.2, 1, 2, 0, -1), record('A', 0.3, 1, 1, 0, 0), record('B', 0.1, 1, -1, 0, 0)]);
  assert.deepEqual(best.map((r) => [r.market, r.gamma]), [['A', 0.2], ['B', 0.1]]);
});

test('best by market picks per file × market, as optimize counts markets (one file\'s best is never another file\'s)', () => {
  const inFile = (file: string, r: MarketRecord): MarketRecord => ({ ...r, file });
  const best = bestByMarket([
    inFile('day2.jsonl', record('A', 0.1, 1, 5, 0, 0)),
    inFile('day1.jsonl', record('A', 0.1, 1, -1, 0, 0)),
    inFile('day1.jsonl', record('A', 0.2, 1, 1, 0, 0)),
    inFile('day2.jsonl', record('A', 0.2, 1, 2, 0, 0)),
  ]);
  assert.deepEqual(best.map((r) => [r.file, r.market, r.gamma]), [['day1.jsonl', 'A', 0.2], ['day2.jsonl', 'A', 0.1]]);
});
