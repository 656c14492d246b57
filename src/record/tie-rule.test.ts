import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TieRuleOrderer, type RecordingLine } from './index.js';

const line = (recvMs: number, type: string, i: number): RecordingLine => ({ recvMs, type, sid: undefined, seq: undefined, msg: { i }, line: i });

const LINES = [
  line(1_000, 'trade', 1),
  line(1_000, 'orderbook_delta', 2),
  line(1_001, 'orderbook_delta', 3),
  line(1_002, 'trade', 4),
  line(1_002, 'trade', 5),
  line(1_002, 'orderbook_snapshot', 6),
  line(1_002, 'market', 7),
  line(1_002, 'trade', 8),
  line(1_003, 'trade', 9),
  line(1_003, 'gap', 10),
];
// Per millisecond: book, market and gap lines first, then trades, each in file order.
const EXPECTED = [2, 1, 3, 6, 7, 4, 5, 8, 10, 9];

test('the batch orderer (the backtest runner\'s) applies the tie rule however the lines are split into batches', () => {
  for (let a = 0; a <= LINES.length; a++) {
    for (let b = a; b <= LINES.length; b++) {
      const orderer = new TieRuleOrderer<RecordingLine>();
      const out = [...orderer.push(LINES.slice(0, a)), ...orderer.push(LINES.slice(a, b)), ...orderer.push(LINES.slice(b)), ...orderer.end()];
      assert.deepEqual(out.map((l) => l.line), EXPECTED, `batches cut at ${a} and ${b}`);
    }
  }
});
