import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileLog } from './logging.js';

test('the file log is JSON lines under .kalshi-mm/logs with key ids, private keys and signatures redacted', async () => {
  const cwd = await mkdtemp(join(tmpdir(), 'kmm-log-'));
  try {
    const keyId = 'a1b2c3d4-0000-4000-8000-123456789abc';
    const log = openFileLog({ cwd, name: 'run', startMs: Date.UTC(2026, 0, 1), secrets: [keyId] });
    assert.ok(log.path.startsWith(join(cwd, '.kalshi-mm', 'logs', 'run-2026-01-01T00-00-00-000Z')));
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----';
    log.logger
      .child({ component: 'rest' })
      .info({ keyId, headers: { 'KALSHI-ACCESS-SIGNATURE': 'c2lnbmF0dXJl' }, note: `key ${pem}`, url: `/x?k=${keyId}` }, `using ${keyId}`);
    await log.close();
    const text = await readFile(log.path, 'utf8');
    const line = JSON.parse(text.trim().split('\n')[0] ?? '{}') as Record<string, unknown>;
    assert.equal(line['component'], 'rest');
    assert.equal(line['msg'], 'using [redacted]');
    for (const secret of [keyId, 'MIIEvQIBADANBg', 'c2lnbmF0dXJl']) assert.ok(!text.includes(secret), `${secret} is not in the log`);
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
});
