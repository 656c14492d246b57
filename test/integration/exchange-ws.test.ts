/**
 * The local exchange's WebSocket API over real sockets (kalshi-api.md §13): handshake auth,
 * commands and their replies, error frames, orderbook snapshot then deltas with per-sid seq and
 * the owner's client_order_id, the other channels, and the WS faults (skip a seq, drop).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rest, startTestExchange, TestSocket, type Frame, type TestExchange } from '../conformance/exchange-support.js';

const create = (ticker: string, side: 'bid' | 'ask', price: string, count: string, clientOrderId: string, tif = 'good_till_canceled') => ({
  ticker,
  side,
  price,
  count,
  time_in_force: tif,
  self_trade_prevention_type: 'taker_at_cross',
  client_order_id: clientOrderId,
});

describe('the WebSocket API', () => {
  let t: TestExchange;
  let sockets: TestSocket[] = [];
  const open = async (which = 0): Promise<TestSocket> => {
    const s = await TestSocket.connect(which === 0 ? t.exchange.credentials : t.exchange.accounts[which - 1]!);
    sockets.push(s);
    return s;
  };

  before(async () => {
    t = await startTestExchange();
  });
  after(async () => {
    for (const s of sockets) s.close();
    sockets = [];
    await t.cleanup();
  });

  test('an unsigned handshake is refused with 401', async () => {
    await assert.rejects(TestSocket.connect(t.exchange.credentials, { sign: false }), /HTTP 401/);
  });

  test('orderbook_delta sends a snapshot, then signed deltas with consecutive seq and the owner client id', async () => {
    await rest(t.exchange.credentials, 'POST', '/portfolio/events/orders', { body: create('T-A', 'bid', '0.30', '5', 'ws-1') });
    const owner = await open(0);
    const other = await open(1);
    for (const s of [owner, other]) s.send({ id: 1, cmd: 'subscribe', params: { channels: ['orderbook_delta'], market_tickers: ['T-A'] } });
    const subscribed = await owner.waitFor((f) => f.type === 'subscribed');
    assert.deepEqual(subscribed, { id: 1, type: 'subscribed', msg: { channel: 'orderbook_delta', sid: 1 } });
    const snapshot = await owner.waitFor((f) => f.type === 'orderbook_snapshot');
    assert.equal(snapshot.sid, 1);
    assert.equal(snapshot.seq, 1);
    assert.deepEqual(snapshot.msg?.['yes_dollars_fp'], [['0.3000', '5.00']]);
    assert.equal(snapshot.msg?.['no_dollars_fp'], undefined, 'an empty side is omitted');
    await other.waitFor((f) => f.type === 'orderbook_snapshot');

    await rest(t.exchange.credentials, 'POST', '/portfolio/events/orders', { body: create('T-A', 'ask', '0.70', '2', 'ws-2') });
    const delta = await owner.waitFor((f) => f.type === 'orderbook_delta');
    assert.equal(delta.seq, 2);
    assert.deepEqual({ ...delta.msg, ts_ms: 0, ts: '' }, { market_ticker: 'T-A', market_id: delta.msg?.['market_id'], price_dollars: '0.3000', delta_fp: '2.00', side: 'no', client_order_id: 'ws-2', subaccount: 0, ts_ms: 0, ts: '' });
    const seen = await other.waitFor((f) => f.type === 'orderbook_delta');
    assert.equal(seen.msg?.['client_order_id'], undefined, 'other accounts do not see the client id');

    await rest(t.exchange.accounts[0]!, 'POST', '/portfolio/events/orders', { body: create('T-A', 'ask', '0.30', '1', 'ws-3', 'immediate_or_cancel') });
    const taken = await owner.waitFor((f) => f.type === 'orderbook_delta' && f.seq === 3);
    assert.equal(taken.msg?.['delta_fp'], '-1.00');
    assert.equal(taken.msg?.['side'], 'yes');
  });

  test('update_subscription adds markets with an ok that takes the next seq, and get_snapshot answers with the id', async () => {
    const s = await open(0);
    s.send({ id: 7, cmd: 'subscribe', params: { channels: ['orderbook_delta'], market_ticker: 'T-A' } });
    const sub = await s.waitFor((f) => f.type === 'subscribed');
    const sid = (sub.msg as { sid: number }).sid;
    await s.waitFor((f) => f.type === 'orderbook_snapshot' && f.seq === 1);
    s.send({ id: 8, cmd: 'update_subscription', params: { sid, action: 'add_markets', market_tickers: ['T-B'] } });
    const ok = await s.waitFor((f) => f.type === 'ok' && f.id === 8);
    assert.deepEqual(ok, { id: 8, sid, seq: 2, type: 'ok', msg: { market_tickers: ['T-A', 'T-B'] } });
    const snap = await s.waitFor((f) => f.type === 'orderbook_snapshot' && f.msg?.['market_ticker'] === 'T-B');
    assert.equal(snap.seq, 3);
    s.send({ id: 9, cmd: 'update_subscription', params: { sids: [sid], action: 'get_snapshot', market_tickers: ['T-A'] } });
    const again = await s.waitFor((f) => f.type === 'orderbook_snapshot' && f.id === 9);
    assert.equal(again.seq, 4);
    s.send({ id: 10, cmd: 'update_subscription', params: { sid, action: 'delete_markets', market_tickers: ['T-A'] } });
    assert.deepEqual((await s.waitFor((f) => f.id === 10)).msg, { market_tickers: ['T-B'] });
    s.send({ id: 11, cmd: 'list_subscriptions' });
    assert.deepEqual((await s.waitFor((f) => f.id === 11)).msg, [{ channel: 'orderbook_delta', sid }]);
    s.send({ id: 12, cmd: 'unsubscribe', params: { sids: [sid] } });
    assert.deepEqual(await s.waitFor((f) => f.id === 12), { id: 12, sid, seq: 5, type: 'unsubscribed' });
  });

  test('bad commands get error frames with Kalshi codes', async () => {
    const s = await open(0);
    const cases: [Record<string, unknown> | string, number][] = [
      ['not json', 1],
      [{ id: 21, cmd: 'subscribe' }, 2],
      [{ id: 22, cmd: 'subscribe', params: { channels: [] } }, 3],
      [{ id: 23, cmd: 'unsubscribe', params: {} }, 4],
      [{ id: 24, cmd: 'dance', params: {} }, 5],
      [{ id: 25, cmd: 'unsubscribe', params: { sids: [999] } }, 7],
      [{ id: 26, cmd: 'subscribe', params: { channels: ['nope'] } }, 8],
      [{ id: 27, cmd: 'update_subscription', params: { sids: [1, 2], action: 'add_markets' } }, 12],
      [{ id: 28, cmd: 'subscribe', params: { channels: ['orderbook_delta'] } }, 14],
      [{ id: 29, cmd: 'subscribe', params: { channels: ['ticker'], market_tickers: ['NOPE'] } }, 16],
    ];
    for (const [command, code] of cases) {
      const from = s.frames.length;
      if (typeof command === 'string') s.ws.send(command);
      else s.send(command);
      const frame = await s.waitFor((f) => f.type === 'error', 3000, from);
      assert.equal((frame.msg as { code: number }).code, code, JSON.stringify(command));
      if (typeof command !== 'string') assert.equal(frame.id, command['id']);
    }
  });

  test('fill, user_orders, market_positions, trade and ticker channels report a trade', async () => {
    const maker = await open(0);
    const publicSocket = await open(1);
    maker.send({ id: 1, cmd: 'subscribe', params: { channels: ['fill', 'user_orders', 'market_positions'] } });
    publicSocket.send({ id: 1, cmd: 'subscribe', params: { channels: ['trade', 'ticker', 'market_lifecycle_v2'] } });
    await maker.waitFor((f) => f.type === 'subscribed' && f.msg?.['channel'] === 'market_positions');
    await publicSocket.waitFor((f) => f.type === 'subscribed' && f.msg?.['channel'] === 'market_lifecycle_v2');
    await rest(t.exchange.credentials, 'POST', '/portfolio/events/orders', { body: create('T-B', 'bid', '0.55', '3', 'ch-1') });
    const created = await maker.waitFor((f) => f.type === 'user_order' && f.msg?.['client_order_id'] === 'ch-1');
    assert.equal(created.msg?.['status'], 'resting');
    await rest(t.exchange.accounts[0]!, 'POST', '/portfolio/events/orders', { body: create('T-B', 'ask', '0.55', '3', 'ch-2', 'immediate_or_cancel') });
    const fill = await maker.waitFor((f) => f.type === 'fill');
    assert.equal(fill.msg?.['client_order_id'], 'ch-1');
    assert.equal(fill.msg?.['count_fp'], '3.00');
    assert.equal(fill.msg?.['is_taker'], false);
    assert.equal(fill.msg?.['post_position_fp'], '3.00');
    const position = await maker.waitFor((f) => f.type === 'market_position');
    assert.equal(position.msg?.['position_fp'], '3.00');
    const executed = await maker.waitFor((f) => f.type === 'user_order' && f.msg?.['status'] === 'executed');
    assert.equal(executed.msg?.['last_update_reason'], 'Trade');
    const trade = await publicSocket.waitFor((f) => f.type === 'trade');
    assert.equal(trade.msg?.['yes_price_dollars'], '0.5500');
    assert.equal(trade.msg?.['taker_book_side'], 'ask');
    const ticker = await publicSocket.waitFor((f) => f.type === 'ticker' && f.msg?.['market_ticker'] === 'T-B' && f.msg['volume_fp'] === '3.00');
    assert.equal(ticker.msg?.['price_dollars'], '0.5500');
    assert.equal(ticker.msg?.['last_trade_size_fp'], '3.00');
    t.exchange.pause('T-B');
    const paused = await publicSocket.waitFor((f) => f.type === 'market_lifecycle_v2');
    assert.equal(paused.msg?.['event_type'], 'deactivated');
    assert.equal(paused.msg?.['is_deactivated'], true);
    t.exchange.resume('T-B');
    await publicSocket.waitFor((f) => f.type === 'market_lifecycle_v2' && f.msg?.['event_type'] === 'activated');
  });

  test('order_group_updates reports the account\'s group changes with seq', async () => {
    const s = await open(0);
    s.send({ id: 1, cmd: 'subscribe', params: { channels: ['order_group_updates'] } });
    await s.waitFor((f) => f.type === 'subscribed');
    const created = (await rest(t.exchange.credentials, 'POST', '/portfolio/order_groups/create', { body: { contracts_limit_fp: '5.00' } })).body as { order_group_id: string };
    const update = await s.waitFor((f) => f.type === 'order_group_updates');
    assert.equal(update.seq, 1);
    assert.deepEqual({ ...update.msg, ts_ms: 0 }, { event_type: 'created', order_group_id: created.order_group_id, contracts_limit_fp: '5.00', ts_ms: 0 });
    await rest(t.exchange.credentials, 'PUT', `/portfolio/order_groups/${created.order_group_id}/trigger`, { body: {} });
    assert.equal((await s.waitFor((f) => f.type === 'order_group_updates' && f.seq === 2)).msg?.['event_type'], 'triggered');
  });

  test('skip_seq makes the next orderbook message jump one seq, and drop_ws closes every socket', async () => {
    const s = await open(0);
    s.send({ id: 1, cmd: 'subscribe', params: { channels: ['orderbook_delta'], market_tickers: ['T-D'] } });
    await s.waitFor((f) => f.type === 'orderbook_snapshot');
    const admin = await fetch(`${t.exchange.credentials.rest.replace('/trade-api/v2', '')}/_admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'skip_seq' }) });
    assert.equal(admin.status, 200);
    await rest(t.exchange.credentials, 'POST', '/portfolio/events/orders', { body: create('T-D', 'bid', '0.111', '1', 'sk-1') });
    const delta: Frame = await s.waitFor((f) => f.type === 'orderbook_delta');
    assert.equal(delta.seq, 3, 'seq 2 was skipped');
    t.exchange.injectFault({ kind: 'drop_ws' });
    await s.waitClosed();
  });
});

describe('WebSocket heartbeat', () => {
  test('the server pings with payload "heartbeat" at its interval', async () => {
    const t = await startTestExchange({ pingIntervalMs: 50 });
    const s = await TestSocket.connect(t.exchange.credentials);
    try {
      const payload = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no ping within 3 s')), 3000);
        s.ws.once('ping', (data: Buffer) => {
          clearTimeout(timer);
          resolve(data.toString('utf8'));
        });
      });
      assert.equal(payload, 'heartbeat');
    } finally {
      s.close();
      await t.cleanup();
    }
  });
});
