import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importWsCapture } from './ws-capture.js';
import { parseTimeMs } from './common.js';

const dir = mkdtempSync(join(tmpdir(), 'kmm-import-'));

test('a ws capture keeps every message and synthesises non-decreasing receive times from ts_ms', () => {
  // Real message shapes from the jfreun123 capture (shortened books).
  const path = join(dir, 'session.jsonl');
  writeFileSync(
    path,
    [
      '{"type":"subscribed","id":2,"msg":{"channel":"orderbook_delta","sid":1}}',
      '{"type":"orderbook_snapshot","sid":1,"seq":2,"msg":{"market_ticker":"KXNEXTTEAMNBA-26LJAM-MIA","market_id":"492cb255-91da-4c91-bc9e-f83d090cc6dd","yes_dollars_fp":[["0.0100","1406474.86"]],"no_dollars_fp":[["0.7300","55555.20"]]}}',
      '{"type":"orderbook_delta","sid":1,"seq":3,"msg":{"market_ticker":"KXNEXTTEAMNBA-26LJAM-MIA","market_id":"492cb255-91da-4c91-bc9e-f83d090cc6dd","price_dollars":"0.7400","delta_fp":"-1.84","side":"no","ts":"2026-07-01T02:31:45.308599Z","ts_ms":1782873105308}}',
      '',
      '{"type":"orderbook_delta","sid":1,"seq":4,"msg":{"market_ticker":"KXNEXTTEAMNBA-26LJAM-MIA","market_id":"492cb255-91da-4c91-bc9e-f83d090cc6dd","price_dollars":"0.7400","delta_fp":"1.84","side":"no","ts_ms":1782873105300}}',
    ].join('\n'),
  );
  const { lines } = importWsCapture([path]);
  assert.deepEqual(lines.map((l) => [l.type, l.recv_ms]), [
    ['subscribed', 1782873105308],
    ['market', 1782873105308],
    ['orderbook_snapshot', 1782873105308],
    ['orderbook_delta', 1782873105308],
    ['orderbook_delta', 1782873105308],
  ]);
  assert.equal(lines[3]?.seq, 3);
  assert.equal((lines[3]?.msg as { delta_fp: string }).delta_fp, '-1.84', 'strings kept as captured');
});

test('zone-less times are read at the given offset; zoned ones must carry a zone', () => {
  assert.equal(parseTimeMs('2025-12-04T12:27:16.079996', 't', -480), Date.parse('2025-12-04T20:27:16.079Z'));
  assert.equal(parseTimeMs('2025-07-19T14:22:42.193311Z', 't'), Date.parse('2025-07-19T14:22:42.193Z'));
  assert.throws(() => parseTimeMs('2025-07-19T14:22:42', 't'), /with Z or an offset/);
  assert.throws(() => parseTimeMs('2025-07-19T14:22:42Z', 't', -480), /without zone/);
});

test('a ws capture line with a malformed ts_ms, sid or seq stops the import naming the line (never a silent drop)', () => {
  const good = '{"type":"orderbook_delta","sid":1,"seq":3,"msg":{"market_ticker":"M","price_dollars":"0.7400","delta_fp":"-1.84","side":"no","ts_ms":1782873105308}}';
  const cases: [string, RegExp][] = [
    [good.replace('"ts_ms":1782873105308', '"ts_ms":"1782873105308"'), /bad\.jsonl:2\.msg\.ts_ms/],
    [good.replace('"ts_ms":1782873105308', '"ts_ms":1782873105308.5'), /bad\.jsonl:2\.msg\.ts_ms/],
    [good.replace('"sid":1', '"sid":"1"'), /bad\.jsonl:2\.sid/],
    [good.replace('"seq":3', '"seq":-3'), /bad\.jsonl:2\.seq/],
  ];
  for (const [line, error] of cases) {
    const path = join(dir, 'bad.jsonl');
    writeFileSync(path, `${good}\n${line}\n`);
    assert.throws(() => importWsCapture([path]), error, line);
  }
});
