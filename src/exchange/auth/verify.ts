/**
 * Verification of Kalshi's request signatures (kalshi-api.md §2): three headers
 * (`KALSHI-ACCESS-KEY`, `KALSHI-ACCESS-TIMESTAMP` in Unix ms, `KALSHI-ACCESS-SIGNATURE` in base64),
 * signed text `timestamp + METHOD + path` (path from the host root, without the query), RSA-PSS with
 * SHA-256, MGF1-SHA-256 and a 32-byte salt. The salt length is checked strictly (Kalshi's documented
 * value) so that a client which would fail on Kalshi also fails here.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { verifySignature } from '../../kalshi/sign.js';

/** The three signing headers as received (lower-case header names). */
export interface SignedHeaders {
  readonly keyId: string | undefined;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
}

/** The outcome of a verification: the account, or why it failed (safe to show; never echoes secrets). */
export type AuthResult =
  | { readonly ok: true; readonly accountId: string }
  | { readonly ok: false; readonly reason: string };

/** One registered API key. */
interface RegisteredKey {
  readonly accountId: string;
  readonly publicKey: KeyObject;
}

/** Key ids mapped to their account and public key. */
export class KeyRegistry {
  private readonly keys = new Map<string, RegisteredKey>();

  /** Registers `publicKeyPem` under `keyId` for `accountId`; a second call replaces the key. */
  register(keyId: string, accountId: string, publicKeyPem: string): void {
    this.keys.set(keyId, { accountId, publicKey: createPublicKey(publicKeyPem) });
  }

  /** Returns the key registered under `keyId`, or undefined. */
  lookup(keyId: string): RegisteredKey | undefined {
    return this.keys.get(keyId);
  }
}

/** Options of `verifySignedRequest`. */
export interface VerifyOptions {
  readonly registry: KeyRegistry;
  readonly headers: SignedHeaders;
  readonly method: string;
  /** Request path from the host root, with or without a query (the query is not signed). */
  readonly path: string;
  readonly nowMs: number;
  /** Accepted |now − timestamp| in ms (Kalshi does not document it; FIX allows 30 s). */
  readonly windowMs: number;
}

const TIMESTAMP = /^\d{1,16}$/;

/** Returns the account of a correctly signed request, or the reason it is refused. */
export function verifySignedRequest(options: VerifyOptions): AuthResult {
  const { keyId, timestamp, signature } = options.headers;
  if (keyId === undefined || timestamp === undefined || signature === undefined) {
    return { ok: false, reason: 'missing KALSHI-ACCESS-KEY, KALSHI-ACCESS-TIMESTAMP or KALSHI-ACCESS-SIGNATURE header' };
  }
  if (!TIMESTAMP.test(timestamp)) return { ok: false, reason: 'KALSHI-ACCESS-TIMESTAMP: expected Unix milliseconds' };
  if (Math.abs(options.nowMs - Number(timestamp)) > options.windowMs) {
    return { ok: false, reason: `KALSHI-ACCESS-TIMESTAMP: outside the accepted window of ${options.windowMs} ms` };
  }
  const key = options.registry.lookup(keyId);
  if (!key) return { ok: false, reason: 'KALSHI-ACCESS-KEY: unknown key id' };
  // kalshi/sign.ts is the one implementation of the signing rule, shared with the client.
  const valid = verifySignature(key.publicKey, timestamp, options.method, options.path, signature);
  if (!valid) return { ok: false, reason: 'KALSHI-ACCESS-SIGNATURE: signature does not verify' };
  return { ok: true, accountId: key.accountId };
}

/** Reads the signing headers from a Node header object. */
export function signedHeadersOf(headers: Record<string, string | string[] | undefined>): SignedHeaders {
  const one = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return { keyId: one('kalshi-access-key'), timestamp: one('kalshi-access-timestamp'), signature: one('kalshi-access-signature') };
}
