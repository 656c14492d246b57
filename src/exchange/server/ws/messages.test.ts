import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Count, Price } from '../../../core/index.js';
import { deltaMsg, marketId, snapshotMsg } from './messages.js';

const book = {
  ticker: 'M',
  yes: [{ price: 4000 as Price, count: 500 as Count }, { price: 4100 as Price, count: 200 as Count }],
  no: [{ price: 5000 as Price, count: 100 as Count }, { price: 5500 as Price, count: 300 as Count }],
};

test('a snapshot lists both sides ascending in leg prices by default', () => {
  const msg = snapshotMsg(book, false);
  assert.deepEqual(msg['yes_dollars_fp'], [['0.4000', '5.00'], ['0.4100', '2.00']]);
  assert.deepEqual(msg['no_dollars_fp'], [['0.5000', '1.00'], ['0.5500', '3.00']]);
});

test('with use_yes_price NO levels are at YES prices, still ascending', () => {
  const msg = snapshotMsg(book, true);
  assert.deepEqual(msg['no_dollars_fp'], [['0.4500', '3.00'], ['0.5000', '1.00']]);
});

test('an empty side is omitted from the snapshot', () => {
  const msg = snapshotMsg({ ticker: 'M', yes: [], no: book.no }, false);
  assert.equal('yes_dollars_fp' in msg, false);
});

test('a delta carries the client order id only for its owner and converts NO prices with use_yes_price', () => {
  const event = { type: 'book_delta' as const, tsMs: 1, ticker: 'M', side: 'no' as const, price: 5500 as Price, delta: -200 as Count, accountId: 'a', clientOrderId: 'c-1' };
  assert.equal(deltaMsg(event, false, true)['client_order_id'], 'c-1');
  assert.equal(deltaMsg(event, false, false)['client_order_id'], undefined);
  assert.equal(deltaMsg(event, true, false)['price_dollars'], '0.4500');
  assert.equal(deltaMsg(event, false, false)['delta_fp'], '-2.00');
});

test('market ids are stable UUID-shaped strings per ticker', () => {
  assert.equal(marketId('M'), marketId('M'));
  assert.notEqual(marketId('M'), marketId('N'));
  assert.match(marketId('M'), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
});
