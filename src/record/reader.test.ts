import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordingFormatError } from '../core/index.js';
import { applyTieRule, countLines, lineMentions, readRecording, RecordingWriter, type RecordingLine } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'kmm-record-'));
const HEADER = '{"recv_ms":1000,"type":"header","msg":{"format":"kalshi-mm.recording","version":1,"source":"synthetic","created":"2026-01-01T00:00:00Z"}}';

function file(name: string, lines: readonly string[], gzip = false): string {
  const path = join(dir, name);
  const text = lines.join('\n') + '\n';
  writeFileSync(path, gzip ? gzipSync(text) : text);
  return path;
}

async function collect(it: AsyncIterable<RecordingLine>): Promise<RecordingLine[]> {
  const out: RecordingLine[] = [];
  for await (const line of it) out.push(line);
  return out;
}

async function failure(path: string): Promise<RecordingFormatError> {
  try {
    await collect(readRecording(path));
  } catch (error) {
    assert.ok(error instanceof RecordingFormatError, String(error));
    return error;
  }
  assert.fail('expected a RecordingFormatError');
}

test('a plain and a gzip recording read the same lines with their line numbers', async () => {
  const lines = [HEADER, '{"recv_ms":1001,"type":"trade","msg":{"a":1}}', '{"recv_ms":1002,"type":"orderbook_delta","sid":1,"seq":7,"msg":{}}'];
  for (const gz of [false, true]) {
    const read = await collect(readRecording(file(`ok${gz ? '.jsonl.gz' : '.jsonl'}`, lines, gz)));
    assert.deepEqual(read.map((l) => [l.line, l.recvMs, l.type, l.seq]), [[2, 1001, 'trade', undefined], [3, 1002, 'orderbook_delta', 7]]);
  }
});

test('a line that is not JSON is an error naming file and line number', async () => {
  const path = file('bad-json.jsonl', [HEADER, '{"recv_ms":1001,"type":"trade","msg":{}}', '{"recv_ms":10']);
  const error = await failure(path);
  assert.equal(error.line, 3);
  assert.equal(error.file, path);
  assert.match(error.message, /bad-json\.jsonl:3: not valid JSON/);
});

test('a missing recv_ms or type is an error with its line number', async () => {
  assert.equal((await failure(file('no-ms.jsonl', [HEADER, '{"type":"trade","msg":{}}']))).line, 2);
  assert.match((await failure(file('no-type.jsonl', [HEADER, '{"recv_ms":1001,"msg":{}}']))).reason, /type: expected a non-empty string, was missing/);
});

test('time going backwards is an error, also on lines a filter skips', async () => {
  const lines = [HEADER, '{"recv_ms":1005,"type":"trade","msg":{"market_ticker":"A"}}', '{"recv_ms":1004,"type":"trade","msg":{"market_ticker":"B"}}'];
  const path = file('backwards.jsonl', lines);
  const error = await failure(path);
  assert.equal(error.line, 3);
  assert.match(error.reason, /time goes backwards, was 1004, expected ≥ 1005/);
  await assert.rejects(collect(readRecording(path, { keepLine: lineMentions(['A']) })), (e: unknown) => e instanceof RecordingFormatError && e.line === 3);
});

test('a bad header version or a missing header is an error on line 1', async () => {
  const v2 = HEADER.replace('"version":1', '"version":2');
  assert.match((await failure(file('v2.jsonl', [v2]))).reason, /bad header/);
  const noHeader = await failure(file('nohdr.jsonl', ['{"recv_ms":1,"type":"trade","msg":{}}']));
  assert.equal(noHeader.line, 1);
  assert.match(noHeader.reason, /expected "header"/);
});

test('a blank line is an error, never skipped', async () => {
  const error = await failure(file('blank.jsonl', [HEADER, '', '{"recv_ms":1001,"type":"trade","msg":{}}']));
  assert.equal(error.line, 2);
});

test('at equal recv_ms, market and book lines come before trades; otherwise file order', async () => {
  const lines = [
    HEADER,
    '{"recv_ms":2000,"type":"trade","msg":{"i":1}}',
    '{"recv_ms":2000,"type":"orderbook_delta","msg":{"i":2}}',
    '{"recv_ms":2000,"type":"trade","msg":{"i":3}}',
    '{"recv_ms":2000,"type":"market","msg":{"i":4}}',
    '{"recv_ms":2001,"type":"trade","msg":{"i":5}}',
    '{"recv_ms":2001,"type":"orderbook_snapshot","msg":{"i":6}}',
    '{"recv_ms":2002,"type":"orderbook_delta","msg":{"i":7}}',
  ];
  const read = await collect(applyTieRule(readRecording(file('ties.jsonl', lines))));
  assert.deepEqual(read.map((l) => (l.msg as { i: number }).i), [2, 4, 1, 3, 6, 5, 7]);
});

test('the writer round-trips lines through plain and gzip files and refuses lines that go back in time', async () => {
  for (const name of ['w.jsonl', 'w.jsonl.gz']) {
    const path = join(dir, name);
    const writer = RecordingWriter.open(path, { source: 'synthetic', created: '2026-01-01T00:00:00Z', headerMs: 10 });
    for (let i = 0; i < 5000; i++) await writer.write({ recv_ms: 10 + i, type: 'trade', msg: { yes_price_dollars: '0.5600', i } });
    await writer.flush();
    assert.throws(() => writer.writeSync({ recv_ms: 5, type: 'trade', msg: {} }), /go back in time/);
    await writer.close();
    await writer.close();
    const read = await collect(readRecording(path));
    assert.equal(read.length, 5000);
    assert.deepEqual(read[4999]?.msg, { yes_price_dollars: '0.5600', i: 4999 });
  }
});

test('countLines counts the lines of plain and gzip recordings, a last line without a newline included', async () => {
  const lines = Array.from({ length: 2_500 }, (_, i) => `{"recv_ms":${1000 + i},"type":"trade","msg":{}}`);
  assert.equal(await countLines(file('count.jsonl', lines)), 2_500);
  assert.equal(await countLines(file('count.jsonl.gz', lines, true)), 2_500);
  const unterminated = join(dir, 'unterminated.jsonl');
  writeFileSync(unterminated, `${HEADER}\n${lines[0] ?? ''}`);
  assert.equal(await countLines(unterminated), 2);
  const empty = join(dir, 'empty.jsonl');
  writeFileSync(empty, '');
  assert.equal(await countLines(empty), 0);
});

test('a truncated gzip recording is an error naming the file and the line it stopped at, never a short replay', async () => {
  const lines = [HEADER];
  // Varied content so the compressed stream is long enough to cut in the middle.
  for (let i = 0; i < 5000; i++) lines.push(`{"recv_ms":${2000 + i},"type":"trade","msg":{"market_ticker":"M","n":${(i * 7919) % 10007}}}`);
  const whole = gzipSync(lines.join('\n') + '\n');
  const path = join(dir, 'cut.jsonl.gz');
  writeFileSync(path, whole.subarray(0, Math.floor(whole.length / 2)));
  const error = await failure(path);
  assert.equal(error.file, path);
  assert.ok(error.line > 1 && error.line < lines.length, `line ${error.line}`);
  assert.match(error.message, /cut\.jsonl\.gz:\d+: gzip data unreadable \(unexpected end of file\): the file is truncated or corrupt/);
  await assert.rejects(countLines(path), (e: unknown) => e instanceof RecordingFormatError && /cut\.jsonl\.gz:\d+: gzip data unreadable/.test(e.message));
});
