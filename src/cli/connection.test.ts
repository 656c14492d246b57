import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

test("a Kalshi host must match --env, so prod is never reached without --env prod (and run's --live)", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kalshi-mm-conn-'));
  try {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    await writeFile(join(dir, 'k.pem'), pem);
    const prod = { rest: 'https://external-api.kalshi.com/trade-api/v2', ws: 'wss://external-api-ws.kalshi.com/trade-api/ws/v2', keyId: 'kid', privateKeyPath: 'k.pem' };
    await writeFile(join(dir, 'prod.json'), JSON.stringify(prod));
    const io = { env: {}, cwd: dir };
    // A prod credentials file under the default env (local) or under demo would trade real money unguarded.
    await assert.rejects(resolveCredentials({ credentials: 'prod.json' }, io, silentLogger), (e: unknown) => e instanceof UsageError && /--env prod/.test(e.message));
    await assert.rejects(resolveCredentials({ credentials: 'prod.json', env: 'demo' }, io, silentLogger), UsageError);
    const envKey = { env: { KALSHI_API_KEY_ID: 'kid', KALSHI_PRIVATE_KEY_PATH: join(dir, 'k.pem') }, cwd: dir };
    await assert.rejects(resolveCredentials({ 'base-url': 'https://api.elections.kalshi.com/trade-api/v2' }, envKey, silentLogger), UsageError);
    await assert.rejects(resolveCredentials({ env: 'prod', 'base-url': 'https://demo-api.kalshi.co/trade-api/v2' }, envKey, silentLogger), /--env demo/);
    // A ws URL on prod behind a demo REST root is refused too.
    await writeFile(join(dir, 'mixed.json'), JSON.stringify({ ...prod, rest: 'https://external-api.demo.kalshi.co/trade-api/v2' }));
    await assert.rejects(resolveCredentials({ credentials: 'mixed.json', env: 'demo' }, io, silentLogger), UsageError);
    // Matching envs pass.
    assert.equal((await resolveCredentials({ credentials: 'prod.json', env: 'prod' }, io, silentLogger)).credentials.env, 'prod');
    assert.equal((await resolveCredentials({ env: 'demo', 'base-url': 'https://demo-api.kalshi.co/trade-api/v2' }, envKey, silentLogger)).credentials.env, 'demo');
    // A running "local exchange" whose credentials.json names a Kalshi host is refused, not traded as local.
    await mkdir(join(dir, '.kalshi-mm', 'local'), { recursive: true });
    const server = createServer((_req, res) => res.end('{}'));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const { port } = server.address() as AddressInfo;
      await writeFile(join(dir, '.kalshi-mm', 'local', 'credentials.json'), JSON.stringify({ ...prod, rest: `http://127.0.0.1:${port}/trade-api/v2`, privateKeyPath: join(dir, 'k.pem') }));
      await assert.rejects(resolveCredentials({}, io, silentLogger), UsageError);
    } finally {
      await new Promise((done) => server.close(done));
    }
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
