import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../../core/index.js';
import { order, testEngine } from '../../matching/test-support.js';
import { WsSession } from './session.js';

function fakeSocket(): { frames: Record<string, unknown>[]; bufferedAmount: number; send(data: string): void } {
  const socket = {
    frames: [] as Record<string, unknown>[],
    bufferedAmount: 0,
    send(data: string): void {
      socket.frames.push(JSON.parse(data) as Record<string, unknown>);
    },
  };
  return socket;
}

test('a subscription of a socket backed up past the limit is dropped with error 25 and gets nothing more', () => {
  const { engine, clock } = testEngine();
  const socket = fakeSocket();
  const session = new WsSession('a', socket, engine, clock, silentLogger, 1000);
  const stop = engine.subscribe((event) => session.onEvent(event));
  session.onMessage(JSON.stringify({ id: 1, cmd: 'subscribe', params: { channels: ['orderbook_delta'], market_tickers: ['M1'] } }));
  assert.deepEqual(socket.frames.map((f) => f['type']), ['subscribed', 'orderbook_snapshot']);
  socket.bufferedAmount = 5000;
  engine.createOrder('b', order('bid', 40, 1));
  engine.createOrder('b', order('bid', 41, 1));
  stop();
  assert.deepEqual(socket.frames.slice(2), [{ type: 'error', sid: 1, msg: { code: 25, msg: 'Subscription buffer overflow' } }]);
  session.onMessage(JSON.stringify({ id: 2, cmd: 'list_subscriptions' }));
  assert.deepEqual(socket.frames.at(-1), { id: 2, type: 'ok', msg: [] });
});

test('deltas of a subscription count seq from its snapshot, across markets', () => {
  const { engine, clock } = testEngine({ tickers: ['M1', 'M2'] });
  const socket = fakeSocket();
  const session = new WsSession('a', socket, engine, clock, silentLogger);
  engine.subscribe((event) => session.onEvent(event));
  session.onMessage(JSON.stringify({ id: 1, cmd: 'subscribe', params: { channels: ['orderbook_delta'], market_tickers: ['M1', 'M2'] } }));
  engine.createOrder('b', order('bid', 40, 1));
  engine.createOrder('b', order('bid', 40, 1, { ticker: 'M2' }));
  const sequenced = socket.frames.filter((f) => f['seq'] !== undefined).map((f) => [f['type'], f['seq']]);
  assert.deepEqual(sequenced, [['orderbook_snapshot', 1], ['orderbook_snapshot', 2], ['orderbook_delta', 3], ['orderbook_delta', 4]]);
});
