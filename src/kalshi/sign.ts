/**
 * Request signing (kalshi-api.md §2): RSA-PSS, SHA-256, MGF1-SHA-256, salt length 32 over
 * `timestamp_ms + METHOD + path`, where path starts at `/trade-api/…` and has no query. The WebSocket
 * handshake signs `GET /trade-api/ws/v2`. Signatures are secrets of the moment: never logged.
 */
import { constants, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** The three authentication headers of a signed request. */
export interface SignedHeaders {
  readonly 'KALSHI-ACCESS-KEY': string;
  readonly 'KALSHI-ACCESS-TIMESTAMP': string;
  readonly 'KALSHI-ACCESS-SIGNATURE': string;
}

/** The WebSocket path signed at the handshake (§2). */
export const WS_SIGN_PATH = '/trade-api/ws/v2';

/** Returns the string that is signed: timestamp, upper-case method and the path without its query. */
export function signingPayload(timestampMs: number, method: string, path: string): string {
  const queryAt = path.indexOf('?');
  return `${timestampMs}${method.toUpperCase()}${queryAt === -1 ? path : path.slice(0, queryAt)}`;
}

/** Returns the base64 RSA-PSS-SHA256 (salt 32) signature of the payload. */
export function signRequest(privateKey: KeyObject, timestampMs: number, method: string, path: string): string {
  return sign('sha256', Buffer.from(signingPayload(timestampMs, method, path)), {
    key: privateKey,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
  }).toString('base64');
}

/** Returns the authentication headers for one request. */
export function signedHeaders(keyId: string, privateKey: KeyObject, timestampMs: number, method: string, path: string): SignedHeaders {
  return {
    'KALSHI-ACCESS-KEY': keyId,
    'KALSHI-ACCESS-TIMESTAMP': String(timestampMs),
    'KALSHI-ACCESS-SIGNATURE': signRequest(privateKey, timestampMs, method, path),
  };
}

/**
 * Returns true when `signatureB64` is a valid RSA-PSS-SHA256 (salt 32) signature of
 * `timestamp + METHOD + path` under `publicKey` (a KeyObject or PEM text). Never throws for a bad
 * signature or malformed base64: it returns false.
 */
export function verifySignature(publicKey: KeyObject | string, timestampMs: number | string, method: string, path: string, signatureB64: string): boolean {
  try {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    const payload = Buffer.from(signingPayload(Number(timestampMs), method, path));
    return verify('sha256', payload, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}
