import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../core/index.js';
import { readRecording, type RecordingLine } from './index.js';
import { RotatingRecording, WsRecorder, type RecorderFeed, type RecorderFrame, type RecordingSink } from './recorder.js';
import type { RecordingLineOut } from './writer.js';

class MemorySink implements RecordingSink {
  readonly lines: RecordingLineOut[] = [];
  write(line: RecordingLineOut): void {
    this.lines.push(line);
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function feedOf(frames: RecorderFrame[], calls: string[] = []): RecorderFeed {
  return {
    frames: (async function* () {
      await Promise.resolve();
      yield* frames;
    })(),
    subscribe: (t) => {
      calls.push(`subscribe ${t.join(',')}`);
      return Promise.resolve();
    },
    unsubscribe: (t) => {
      calls.push(`unsubscribe ${t.join(',')}`);
      return Promise.resolve();
    },
    requestSnapshots: (t) => {
      calls.push(`snapshot ${t.join(',')}`);
      return Promise.resolve();
    },
    fetchMarket: (ticker) => Promise.resolve({ ticker, status: 'active' }),
  };
}

const frame = (recvMs: number, body: unknown): RecorderFrame => ({ type: 'frame', recvMs, text: JSON.stringify(body) });
const delta = (sid: number, seq: number, ticker = 'A') => ({
  type: 'orderbook_delta',
  sid,
  seq,
  msg: { market_ticker: ticker, price_dollars: '0.5000', delta_fp: '1.00', side: 'yes' },
});

describe('WsRecorder', () => {
  test('writes a market line first, then messages verbatim with sid and seq, and skips other markets and types', async () => {
    const sink = new MemorySink();
    const calls: string[] = [];
    const frames = [
      frame(10, { type: 'orderbook_snapshot', sid: 1, seq: 1, msg: { market_ticker: 'A', yes_dollars_fp: [['0.4000', '5.00']] } }),
      frame(11, delta(1, 2)),
      frame(12, delta(1, 3, 'OTHER')),
      frame(13, { type: 'fill', sid: 9, seq: 1, msg: { market_ticker: 'A' } }),
    ];
    const recorder = new WsRecorder({ feed: feedOf(frames, calls), sink, clock: new ManualClock(5) });
    await recorder.setMarkets(['A']);
    await recorder.run();
    assert.deepEqual(calls, ['subscribe A']);
    assert.deepEqual(
      sink.lines.map((l) => l.type),
      ['market', 'orderbook_snapshot', 'orderbook_delta'],
    );
    assert.deepEqual(sink.lines[2], { recv_ms: 11, type: 'orderbook_delta', sid: 1, seq: 2, msg: delta(1, 2).msg });
    assert.equal(recorder.stats.gaps, 0);
  });

  test('a skipped seq writes a gap line for the markets of that subscription before the message', async () => {
    const sink = new MemorySink();
    const frames = [frame(10, delta(1, 1)), frame(11, delta(1, 2, 'B')), frame(12, delta(1, 4))];
    const recorder = new WsRecorder({ feed: feedOf(frames), sink, clock: new ManualClock(5) });
    await recorder.setMarkets(['A', 'B']);
    await recorder.run();
    const types = sink.lines.map((l) => `${l.type}${l.type === 'gap' ? `:${(l.msg as { market_ticker: string }).market_ticker}` : ''}`);
    assert.deepEqual(types, ['market', 'market', 'orderbook_delta', 'orderbook_delta', 'gap:A', 'gap:B', 'orderbook_delta']);
    assert.match(String((sink.lines[4]?.msg as { reason: string }).reason), /expected 3, was 4/);
  });

  test('a disconnect writes a gap line for every market and seq tracking restarts on the new sids', async () => {
    const sink = new MemorySink();
    const frames: RecorderFrame[] = [
      frame(10, delta(1, 1)),
      { type: 'connection', recvMs: 11, connected: false },
      { type: 'connection', recvMs: 12, connected: true },
      frame(13, delta(7, 1)),
    ];
    const recorder = new WsRecorder({ feed: feedOf(frames), sink, clock: new ManualClock(5) });
    await recorder.setMarkets(['A']);
    await recorder.run();
    assert.deepEqual(
      sink.lines.map((l) => l.type),
      ['market', 'orderbook_delta', 'gap', 'orderbook_delta'],
    );
    assert.equal(recorder.stats.gaps, 1);
  });

  test('a market dropped from the selection is unsubscribed and its later messages are not written', async () => {
    const sink = new MemorySink();
    const calls: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const feed: RecorderFeed = {
      ...feedOf([], calls),
      frames: (async function* () {
        yield frame(10, delta(1, 1, 'B'));
        await gate;
        yield frame(20, delta(1, 2, 'B'));
        yield frame(21, delta(1, 3, 'A'));
      })(),
    };
    const recorder = new WsRecorder({ feed, sink, clock: new ManualClock(5) });
    await recorder.setMarkets(['A', 'B']);
    const running = recorder.run();
    await new Promise((r) => setImmediate(r));
    await recorder.setMarkets(['A', 'C']);
    release();
    await running;
    assert.deepEqual(calls, ['subscribe A,B', 'unsubscribe B', 'subscribe C']);
    const books = sink.lines.filter((l) => l.type === 'orderbook_delta').map((l) => (l.msg as { market_ticker: string }).market_ticker);
    assert.deepEqual(books, ['B', 'A']);
    assert.deepEqual(recorder.tickers.sort(), ['A', 'C']);
  });

  test('lines never go back in time even when a REST market line is stamped after a frame', async () => {
    const sink = new MemorySink();
    const clock = new ManualClock(100);
    const recorder = new WsRecorder({ feed: feedOf([frame(50, delta(1, 1))]), sink, clock });
    await recorder.setMarkets(['A']);
    await recorder.run();
    assert.deepEqual(
      sink.lines.map((l) => l.recv_ms),
      [100, 100],
    );
  });
});

describe('RotatingRecording', () => {
  test('rotates by time into files that each start with market and gap lines and read back cleanly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kmm-rot-'));
    try {
      const clock = new ManualClock(1_000);
      const ref: { recorder?: WsRecorder } = {};
      const sink = RotatingRecording.open({
        path: join(dir, 'out.jsonl.gz'),
        source: 'ws',
        clock,
        rotateMs: 1_000,
        onRotate: (write, atMs) => ref.recorder?.onRotate(write, atMs),
      });
      const recorder = new WsRecorder({ feed: feedOf([frame(1_500, delta(1, 1)), frame(2_100, delta(1, 2))]), sink, clock });
      ref.recorder = recorder;
      await recorder.setMarkets(['A']);
      await recorder.run();
      await sink.close();
      assert.equal(sink.files.length, 2);
      const second: RecordingLine[] = [];
      for await (const line of readRecording(sink.files[1] ?? '')) second.push(line);
      assert.deepEqual(
        second.map((l) => l.type),
        ['market', 'gap', 'orderbook_delta'],
      );
      assert.ok(second.every((l) => l.recvMs === 2_100));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
