import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, MemoryLogger } from '../core/index.js';
import { REDACTED, isSecretKey, redact, redactText, redactingLogger } from './redact.js';

const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAsecret\n-----END RSA PRIVATE KEY-----';

describe('redact', () => {
  test('values under secret keys are masked whatever their spelling', () => {
    for (const key of ['privateKey', 'private_key', 'KALSHI-ACCESS-SIGNATURE', 'KALSHI_API_KEY_ID', 'keyId', 'Authorization']) assert.equal(isSecretKey(key), true, key);
    assert.equal(isSecretKey('ticker'), false);
    assert.deepEqual(redact({ ticker: 'KX', headers: { 'KALSHI-ACCESS-KEY': 'abc', 'KALSHI-ACCESS-SIGNATURE': 'sig' } }), { ticker: 'KX', headers: { 'KALSHI-ACCESS-KEY': REDACTED, 'KALSHI-ACCESS-SIGNATURE': REDACTED } });
  });

  test('PEM blocks and named secrets are cut out of any string', () => {
    const text = redactText(`key: ${PEM} id=e3b0c442-key`, ['e3b0c442-key']);
    assert.ok(!text.includes('MIIE') && !text.includes('e3b0c442-key'));
    assert.equal(redactText('-----BEGIN PRIVATE KEY-----\ntruncated'), REDACTED);
  });

  test('errors keep their code and message with secrets masked; cycles do not loop', () => {
    const error = new ApiError(401, 'unauthorized', 'key e3b0c442-key refused', 'GET', '/portfolio/balance');
    const cyclic: Record<string, unknown> = { error };
    cyclic['self'] = cyclic;
    const out = JSON.stringify(redact(cyclic, ['e3b0c442-key']));
    assert.ok(out.includes('unauthorized') && !out.includes('e3b0c442-key') && out.includes('[circular]'));
  });

  test('a redacting logger leaks nothing into records', () => {
    const memory = new MemoryLogger();
    const logger = redactingLogger(memory, ['e3b0c442-key']).child({ keyId: 'e3b0c442-key' });
    logger.error({ pem: PEM, note: `uses e3b0c442-key ${PEM}` }, 'failed for e3b0c442-key');
    const text = JSON.stringify(memory.records);
    assert.ok(!text.includes('e3b0c442-key') && !text.includes('MIIE'));
    assert.equal(memory.records.length, 1);
  });
});
