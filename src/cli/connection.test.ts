import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, silentLogger, UsageError } from '../core/index.js';
import { resolveCredentials, wsFromRest } from './connection.js';

test('an unknown --env is a usage error', async () => {
  await assert.rejects(resolveCredentials({ env: 'staging' }, { env: {}, cwd: tmpdir() }, silentLogger), UsageError);
});

test('demo without credentials is a usage error naming the variables', async () => {
  await assert.rejects(resolveCredentials({ env: 'demo' }, { env: {}, cwd: tmpdir() }, silentLogger), /KALSHI_API_KEY_ID/);
});

test('prod credentials come from the environment and use the external hosts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kalshi-mm-conn-'));
  try {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    await writeFile(join(dir, 'key.pem'), pem);
    const { credentials, embedded } = await resolveCredentials({ env: 'prod' }, { env: { KALSHI_API_KEY_ID: 'k-1', KALSHI_PRIVATE_KEY_PATH: join(dir, 'key.pem') }, cwd: dir }, silentLogger);
    assert.equal(embedded, undefined);
    assert.equal(credentials.rest, 'https://external-api.kalshi.com/trade-api/v2');
    assert.equal(credentials.ws, 'wss://external-api-ws.kalshi.com/trade-api/ws/v2');
    assert.equal(credentials.key.keyId, 'k-1');
    assert.ok(!JSON.stringify(credentials).includes('k-1'), 'the key id is redacted in JSON');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a credentials file names the exchange and a key path relative to the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kalshi-mm-conn-'));
  try {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    await writeFile(join(dir, 'k.pem'), pem);
    await writeFile(join(dir, 'creds.json'), JSON.stringify({ rest: 'http://127.0.0.1:1/trade-api/v2', ws: 'ws://127.0.0.1:1/trade-api/ws/v2', keyId: 'kid', privateKeyPath: 'k.pem' }));
    const { credentials } = await resolveCredentials({ credentials: 'creds.json', env: 'demo' }, { env: {}, cwd: dir }, silentLogger);
    assert.equal(credentials.rest, 'http://127.0.0.1:1/trade-api/v2');
    assert.equal(credentials.env, 'demo');
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ rest: 'x' }));
    await assert.rejects(resolveCredentials({ credentials: 'bad.json' }, { env: {}, cwd: dir }, silentLogger), ConfigError);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--base-url derives the WebSocket URL from the REST root', () => {
  assert.equal(wsFromRest('http://127.0.0.1:9000/trade-api/v2/'), 'ws://127.0.0.1:9000/trade-api/ws/v2');
  assert.equal(wsFromRest('https://demo-api.kalshi.co/trade-api/v2'), 'wss://demo-api.kalshi.co/trade-api/ws/v2');
});

test('local starts an embedded exchange when none answers, and reuses it once it runs', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kalshi-mm-conn-'));
  try {
    const first = await resolveCredentials({}, { env: {}, cwd: dir }, silentLogger);
    assert.ok(first.embedded, 'an embedded exchange was started');
    assert.equal(first.credentials.key.privateKey.asymmetricKeyType, 'rsa');
    try {
      const second = await resolveCredentials({}, { env: {}, cwd: dir }, silentLogger);
      assert.equal(second.embedded, undefined, 'the running exchange was reused');
      assert.equal(second.credentials.rest, first.credentials.rest);
      assert.equal(second.credentials.key.keyId, first.credentials.key.keyId);
    } finally {
      await first.embedded.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
