import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cash, Count, Fill, Price } from '../core/index.js';
import { MarketLedger } from './ledger.js';

const fill = (side: 'bid' | 'ask', cents: number, contracts: number, fee = 0, id = `${side}${cents}${contracts}`): Fill => ({
  tradeId: id,
  orderId: 'o',
  ticker: 'T',
  side,
  price: (cents * 100) as Price,
  count: (contracts * 100) as Count,
  isTaker: false,
  fee: fee as Cash,
  tsMs: 0,
});

describe('MarketLedger', () => {
  test('buys 10 at 40¢ then sells 4 at 50¢: realizes $0.40 and keeps $2.40 at risk', () => {
    const l = new MarketLedger('T');
    l.applyFill(fill('bid', 40, 10));
    l.applyFill(fill('ask', 50, 4, 12));
    assert.equal(l.position, 600);
    assert.equal(l.realizedCash(), 4_000);
    assert.equal(l.exposureCash(), 24_000);
    assert.equal(l.fees, 12);
    assert.equal(l.totalPnlCash(), 4_000 - 12);
  });

  test('flips from long to short: closes at a loss and opens the rest at the fill price', () => {
    const l = new MarketLedger('T');
    l.applyFill(fill('bid', 40, 6));
    l.applyFill(fill('ask', 30, 10));
    assert.equal(l.position, -400);
    assert.equal(l.realizedCash(), -6_000); // 6 × −10¢
    assert.equal(l.exposureCash(), 28_000); // 4 NO bought at 70¢
  });

  test('a short YES position gains when the price falls (marked to the mid)', () => {
    const l = new MarketLedger('T');
    l.applyFill(fill('ask', 60, 5));
    l.mark = 5_000;
    assert.equal(l.unrealizedCash(), 5_000); // 5 × 10¢
    l.applyFill(fill('bid', 50, 5));
    assert.equal(l.position, 0);
    assert.equal(l.realizedCash(), 5_000);
    assert.equal(l.exposureCash(), 0);
  });

  test('sync takes the exchange view: a long-NO exposure becomes the same dollars at risk', () => {
    const l = new MarketLedger('T');
    l.sync({ ticker: 'T', position: -1_000 as Count, exposure: 70_000 as Cash, realizedPnl: -500 as Cash, feesPaid: 30 as Cash });
    assert.equal(l.exposureCash(), 70_000);
    l.mark = 2_000; // YES at 20¢: the NO bought at 70¢ is worth 80¢
    assert.equal(l.unrealizedCash(), 10_000);
    assert.equal(l.totalPnlCash(), 10_000 - 500 - 30);
  });
});
