/**
 * API credentials: a key id and an RSA private key (kalshi-api.md §2), from a PEM file path or PEM
 * text (PKCS#1 "RSA PRIVATE KEY" as Kalshi downloads it, or PKCS#8). Loading fails once, at start-up,
 * with an `AuthError` that says what is wrong without echoing the key, its path contents or the key id.
 */
import { readFile } from 'node:fs/promises';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { AuthError } from '../core/index.js';

/** Loaded credentials. `privateKey` is a non-exportable-in-logs KeyObject; `toJSON` hides both fields. */
export interface KalshiCredentials {
  readonly keyId: string;
  readonly privateKey: KeyObject;
}

/** Where the key comes from: a PEM file or PEM text (exactly one). */
export type CredentialsSource =
  | { readonly keyId: string; readonly privateKeyPath: string }
  | { readonly keyId: string; readonly privateKeyPem: string };

const KEY_ID = /^[A-Za-z0-9_-]{1,128}$/;

function hidden(keyId: string, privateKey: KeyObject): KalshiCredentials {
  // toJSON and inspect both redact, so a credentials object that slips into a log line leaks nothing.
  const credentials = { keyId, privateKey };
  Object.defineProperty(credentials, 'toJSON', { value: () => ({ keyId: '[redacted]', privateKey: '[redacted]' }), enumerable: false });
  Object.defineProperty(credentials, Symbol.for('nodejs.util.inspect.custom'), { value: () => 'KalshiCredentials { [redacted] }', enumerable: false });
  return credentials;
}

/**
 * Returns credentials from PEM text.
 * @throws AuthError when the key id is empty or malformed, or the PEM is not an RSA private key.
 */
export function credentialsFromPem(keyId: string, pem: string): KalshiCredentials {
  if (!KEY_ID.test(keyId)) throw new AuthError('KALSHI_API_KEY_ID: expected a key id (letters, digits, "-" or "_"), was empty or malformed');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // The cause is dropped on purpose: OpenSSL errors can quote parts of the input.
    throw new AuthError('private key: expected an RSA private key in PEM format (PKCS#1 or PKCS#8), could not be decoded');
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new AuthError(`private key: expected an RSA key, was ${privateKey.asymmetricKeyType ?? 'an unknown type'}`);
  }
  return hidden(keyId, privateKey);
}

/**
 * Returns credentials from a key id and a PEM file or PEM text.
 * @throws AuthError for an unreadable file (the path is named, never its contents) or a bad key.
 */
export async function loadCredentials(source: CredentialsSource): Promise<KalshiCredentials> {
  if ('privateKeyPem' in source) return credentialsFromPem(source.keyId, source.privateKeyPem);
  let pem: string;
  try {
    pem = await readFile(source.privateKeyPath, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String((error as { code: unknown }).code) : 'unknown error';
    throw new AuthError(`KALSHI_PRIVATE_KEY_PATH: cannot read ${source.privateKeyPath} (${code})`);
  }
  return credentialsFromPem(source.keyId, pem);
}

/**
 * Returns credentials from environment variables: KALSHI_API_KEY_ID and KALSHI_PRIVATE_KEY_PATH
 * (a PEM file) or KALSHI_PRIVATE_KEY (PEM text).
 * @throws AuthError when a variable is missing or the key is bad.
 */
export async function credentialsFromEnvironment(env: Readonly<Record<string, string | undefined>>): Promise<KalshiCredentials> {
  const keyId = env['KALSHI_API_KEY_ID'];
  if (!keyId) throw new AuthError('KALSHI_API_KEY_ID: expected a key id, was missing');
  const path = env['KALSHI_PRIVATE_KEY_PATH'];
  if (path) return loadCredentials({ keyId, privateKeyPath: path });
  const pem = env['KALSHI_PRIVATE_KEY'];
  if (pem) return loadCredentials({ keyId, privateKeyPem: pem });
  throw new AuthError('KALSHI_PRIVATE_KEY_PATH or KALSHI_PRIVATE_KEY: expected one of them, both were missing');
}
