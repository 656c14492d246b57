/**
 * The one place that hides secrets (STYLE.md §3): private keys, key ids, signatures, tokens. Used on
 * anything that may reach a log, an error message or a snapshot: values under sensitive keys are
 * replaced, PEM blocks inside any string are cut out, and explicitly named secrets (the loaded key id)
 * are masked wherever they appear.
 */
import type { LogFields, Logger } from '../core/index.js';

/** What replaces a secret. */
export const REDACTED = '[redacted]';

/** Keys whose values are always secret, compared case-insensitively without `-`/`_`. */
const SECRET_KEYS = new Set(
  ['privatekey', 'privatekeypem', 'pem', 'keyid', 'apikeyid', 'kalshiapikeyid', 'kalshiprivatekey', 'kalshiaccesskey', 'kalshiaccesssignature', 'signature', 'authorization', 'password', 'secret', 'token', 'apikey'].map(normaliseKey),
);

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g;

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

/** Returns true when a field named `key` holds a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(normaliseKey(key));
}

/** Returns `text` with PEM blocks and each of `secrets` (non-empty, ≥ 4 characters) masked. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(PEM_BLOCK, REDACTED);
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * Returns a deep copy of `value` that is safe to log: secret keys masked, PEM blocks and `secrets`
 * removed from strings, Errors reduced to name/message/code (their own toJSON when present). Cycles
 * become "[circular]".
 */
export function redact(value: unknown, secrets: readonly string[] = []): unknown {
  const seen = new WeakSet<object>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, secrets);
    if (v === null || typeof v !== 'object') return typeof v === 'bigint' ? v.toString() : v;
    if (seen.has(v)) return '[circular]';
    seen.add(v);
    if (v instanceof Error) {
      const json = 'toJSON' in v && typeof v.toJSON === 'function' ? (v.toJSON as () => unknown)() : { name: v.name, message: v.message };
      return walk(json);
    }
    if (Array.isArray(v)) return v.map(walk);
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(v)) out[key] = isSecretKey(key) ? REDACTED : walk(inner);
    return out;
  };
  return walk(value);
}

/** Returns a logger that redacts every message and field (with `secrets`) before passing them on. */
export function redactingLogger(inner: Logger, secrets: readonly string[] = []): Logger {
  const clean = (fields: LogFields): LogFields => redact(fields, secrets) as LogFields;
  return {
    debug: (fields, message) => inner.debug(clean(fields), redactText(message, secrets)),
    info: (fields, message) => inner.info(clean(fields), redactText(message, secrets)),
    warn: (fields, message) => inner.warn(clean(fields), redactText(message, secrets)),
    error: (fields, message) => inner.error(clean(fields), redactText(message, secrets)),
    child: (bindings) => redactingLogger(inner.child(clean(bindings)), secrets),
  };
}
