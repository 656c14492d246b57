/**
 * The local exchange's accounts on disk: each has an RSA key pair whose private key is written to
 * `DIR/keys/<name>.pem` (mode 0600) and whose public key is registered under a key id (a UUID), the
 * way Kalshi's API-key page hands out keys. `DIR/accounts.json` lists them so a restart keeps the same
 * credentials. Engine state (balances, orders) is not persisted: each start begins afresh.
 */
import { generateKeyPair, randomUUID, sign, constants } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../core/index.js';

/** One account with its API key. */
export interface StoredAccount {
  /** Engine account id, reported as Kalshi's `user_id`. */
  readonly accountId: string;
  readonly keyId: string;
  /** Absolute path of the PEM private key (PKCS#1, as Kalshi's download). */
  readonly privateKeyPath: string;
  readonly publicKeyPem: string;
}

const accountsFileSchema = z
  .object({
    version: z.literal(1),
    accounts: z.array(z.object({ accountId: z.string().min(1), keyId: z.string().min(1), privateKeyPath: z.string().min(1), publicKeyPem: z.string().min(1) }).strict()),
  })
  .strict();

/** Returns the path of the accounts file in `dataDir`. */
export function accountsFilePath(dataDir: string): string {
  return join(resolve(dataDir), 'accounts.json');
}

/**
 * Returns at least `count` accounts of `dataDir`, creating the directory, key pairs and the accounts
 * file as needed. Existing accounts keep their keys.
 * @throws ConfigError when the accounts file exists but is malformed.
 */
export async function loadOrCreateAccounts(dataDir: string, count: number): Promise<StoredAccount[]> {
  const dir = resolve(dataDir);
  await mkdir(join(dir, 'keys'), { recursive: true, mode: 0o700 });
  const accounts = await readAccounts(dir);
  if (accounts.length < count) {
    const created = await Promise.all(Array.from({ length: count - accounts.length }, (_, i) => createAccount(dir, accounts.length + i)));
    accounts.push(...created);
    await writeAccounts(dir, accounts);
  }
  return accounts;
}

/** Creates one more account in `dataDir` and records it. Returns it. */
export async function addStoredAccount(dataDir: string): Promise<StoredAccount> {
  const dir = resolve(dataDir);
  const accounts = await readAccounts(dir);
  const account = await createAccount(dir, accounts.length);
  accounts.push(account);
  await writeAccounts(dir, accounts);
  return account;
}

async function readAccounts(dir: string): Promise<StoredAccount[]> {
  let text: string;
  try {
    text = await readFile(join(dir, 'accounts.json'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([{ path: join(dir, 'accounts.json'), message: 'expected JSON' }], { cause: error });
  }
  const parsed = accountsFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ path: `accounts.json:${i.path.join('.')}`, message: i.message })));
  }
  return parsed.data.accounts.map((a) => ({ ...a }));
}

async function writeAccounts(dir: string, accounts: readonly StoredAccount[]): Promise<void> {
  await writeFile(join(dir, 'accounts.json'), `${JSON.stringify({ version: 1, accounts }, null, 2)}\n`, { mode: 0o600 });
}

async function createAccount(dir: string, index: number): Promise<StoredAccount> {
  const { publicKey, privateKey } = await new Promise<{ publicKey: string; privateKey: string }>((resolvePair, rejectPair) => {
    generateKeyPair(
      'rsa',
      { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } },
      (error, pub, priv) => (error ? rejectPair(error) : resolvePair({ publicKey: pub, privateKey: priv })),
    );
  });
  const name = index === 0 ? 'demo' : `account-${index}`;
  const privateKeyPath = join(dir, 'keys', `${name}.pem`);
  await writeFile(privateKeyPath, privateKey, { mode: 0o600 });
  await chmod(privateKeyPath, 0o600);
  return { accountId: randomUUID(), keyId: randomUUID(), privateKeyPath, publicKeyPem: publicKey };
}

/**
 * Returns Kalshi's three auth headers for a request (kalshi-api.md §2), signed with `privateKeyPem`.
 * Used by tests, benches and the admin tools of the local exchange; clients use `kalshi/sign.ts`.
 */
export function signedHeaders(options: { keyId: string; privateKeyPem: string; method: string; path: string; timestampMs: number }): Record<string, string> {
  const queryAt = options.path.indexOf('?');
  const path = queryAt === -1 ? options.path : options.path.slice(0, queryAt);
  const timestamp = String(options.timestampMs);
  const signature = sign('sha256', Buffer.from(`${timestamp}${options.method.toUpperCase()}${path}`), {
    key: options.privateKeyPem,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
  });
  return { 'KALSHI-ACCESS-KEY': options.keyId, 'KALSHI-ACCESS-TIMESTAMP': timestamp, 'KALSHI-ACCESS-SIGNATURE': signature.toString('base64') };
}
