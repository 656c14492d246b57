import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../core/index.js';
import { addStoredAccount, loadOrCreateAccounts, signedHeaders } from './accounts.js';
import { KeyRegistry, verifySignedRequest } from './verify.js';

test('accounts are created once with 0600 keys and reused on the next start', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kalshi-mm-accounts-'));
  try {
    const first = await loadOrCreateAccounts(dir, 2);
    assert.equal(first.length, 2);
    assert.notEqual(first[0]!.keyId, first[1]!.keyId);
    for (const a of first) assert.equal((await stat(a.privateKeyPath)).mode & 0o777, 0o600);
    const again = await loadOrCreateAccounts(dir, 1);
    assert.deepEqual(again.map((a) => a.keyId), first.map((a) => a.keyId));
    const added = await addStoredAccount(dir);
    assert.equal((await loadOrCreateAccounts(dir, 1)).length, 3);
    assert.match(added.privateKeyPath, /account-2\.pem$/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a malformed accounts file stops start-up with a ConfigError', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kalshi-mm-accounts-'));
  try {
    await writeFile(join(dir, 'accounts.json'), '{"version":1,"accounts":[{"accountId":"x"}]}');
    await assert.rejects(loadOrCreateAccounts(dir, 1), ConfigError);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a stored key signs requests that the registry verifies', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kalshi-mm-accounts-'));
  try {
    const [account] = await loadOrCreateAccounts(dir, 1);
    const registry = new KeyRegistry();
    registry.register(account!.keyId, account!.accountId, account!.publicKeyPem);
    const pem = await readFile(account!.privateKeyPath, 'utf8');
    const h = signedHeaders({ keyId: account!.keyId, privateKeyPem: pem, method: 'GET', path: '/trade-api/v2/portfolio/balance?x=1', timestampMs: 1_000_000 });
    const headers = { keyId: h['KALSHI-ACCESS-KEY'], timestamp: h['KALSHI-ACCESS-TIMESTAMP'], signature: h['KALSHI-ACCESS-SIGNATURE'] };
    const ok = verifySignedRequest({ registry, headers, method: 'GET', path: '/trade-api/v2/portfolio/balance', nowMs: 1_010_000, windowMs: 30_000 });
    assert.deepEqual(ok, { ok: true, accountId: account!.accountId });
    const stale = verifySignedRequest({ registry, headers, method: 'GET', path: '/trade-api/v2/portfolio/balance', nowMs: 1_031_000, windowMs: 30_000 });
    assert.equal(stale.ok, false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
