import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthError } from '../core/index.js';
import { credentialsFromPem, loadCredentials } from './credentials.js';
import { signedHeaders, signingPayload, signRequest, verifySignature, WS_SIGN_PATH } from './sign.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

describe('signing', () => {
  test('the signed string is timestamp, upper-case method and the path without the query', () => {
    assert.equal(signingPayload(1703123456789, 'get', '/trade-api/v2/portfolio/orders?status=resting'), '1703123456789GET/trade-api/v2/portfolio/orders');
  });

  test('a signature verifies with node:crypto, the public key, PSS padding and a 32-byte salt', () => {
    const creds = credentialsFromPem('a1b2c3d4-key', pkcs1);
    const headers = signedHeaders(creds.keyId, creds.privateKey, 1703123456789, 'GET', '/trade-api/v2/portfolio/balance');
    assert.equal(headers['KALSHI-ACCESS-TIMESTAMP'], '1703123456789');
    const ok = verify(
      'sha256',
      Buffer.from('1703123456789GET/trade-api/v2/portfolio/balance'),
      { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
      Buffer.from(headers['KALSHI-ACCESS-SIGNATURE'], 'base64'),
    );
    assert.equal(ok, true);
  });

  test('verifySignature accepts the WS handshake signature and refuses a different path or time', () => {
    const creds = credentialsFromPem('k', pkcs8);
    const signature = signRequest(creds.privateKey, 42, 'GET', WS_SIGN_PATH);
    assert.equal(verifySignature(publicPem, 42, 'GET', WS_SIGN_PATH, signature), true);
    assert.equal(verifySignature(publicPem, 43, 'GET', WS_SIGN_PATH, signature), false);
    assert.equal(verifySignature(publicPem, 42, 'GET', '/trade-api/v2/markets', signature), false);
    assert.equal(verifySignature(publicPem, 42, 'GET', WS_SIGN_PATH, 'not base64!!'), false);
  });
});

describe('credentials', () => {
  test('a PKCS#1 key file and a PKCS#8 PEM text both load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmm-key-'));
    const path = join(dir, 'key.pem');
    writeFileSync(path, pkcs1);
    const fromFile = await loadCredentials({ keyId: 'key-1', privateKeyPath: path });
    const fromText = await loadCredentials({ keyId: 'key-1', privateKeyPem: pkcs8 });
    assert.equal(fromFile.privateKey.asymmetricKeyType, 'rsa');
    assert.equal(fromText.privateKey.asymmetricKeyType, 'rsa');
  });

  test('an unreadable key file is one AuthError naming the variable and path', async () => {
    await assert.rejects(loadCredentials({ keyId: 'key-1', privateKeyPath: '/nonexistent/key.pem' }), (e: unknown) => e instanceof AuthError && e.message.includes('/nonexistent/key.pem') && e.message.includes('ENOENT'));
  });

  test('a wrong key is an AuthError that echoes neither the key text nor the key id', () => {
    const garbage = '-----BEGIN RSA PRIVATE KEY-----\nSECRETSECRETSECRET\n-----END RSA PRIVATE KEY-----\n';
    assert.throws(
      () => credentialsFromPem('secret-key-id-123', garbage),
      (e: unknown) => e instanceof AuthError && !e.message.includes('SECRETSECRET') && !e.message.includes('secret-key-id-123') && e.cause === undefined,
    );
  });

  test('credentials serialise to JSON without the key id or key', () => {
    const creds = credentialsFromPem('secret-key-id-123', pkcs1);
    const json = JSON.stringify({ creds });
    assert.ok(!json.includes('secret-key-id-123'));
    assert.ok(!json.includes('PRIVATE'));
  });
});
