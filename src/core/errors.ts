/**
 * Typed errors for all of kalshi-mm. Every error has a literal `code`, an ES2022 `cause` where one
 * exists, and says whether retrying the same call can help. Messages name the field, the value that
 * was received ("was") and what was expected. Messages never contain keys, key ids or signatures.
 */

export type ErrorCode =
  | 'wire_format'
  | 'api'
  | 'rate_limit'
  | 'transport'
  | 'config'
  | 'recording_format'
  | 'order_rejected'
  | 'invariant'
  | 'auth'
  | 'usage';

/** Base class: a literal code, an optional cause, and whether a retry can help. */
export abstract class KalshiMmError extends Error {
  abstract readonly code: ErrorCode;
  /** True when repeating the same call later may succeed (network blips, 429, 5xx). */
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  /** A JSON form without the stack; used by logs. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, retryable: this.retryable };
  }
}

/** A value from the wire or a file did not match the expected format (path names the field). */
export class WireFormatError extends KalshiMmError {
  readonly code = 'wire_format' as const;
  readonly retryable = false;
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly received: unknown,
    options?: { cause?: unknown },
  ) {
    super(`${path}: expected ${expected}, was ${describeValue(received)}`, options);
  }
}

/** The exchange answered with a non-2xx status. */
export class ApiError extends KalshiMmError {
  readonly code = 'api' as const;
  readonly retryable: boolean;
  constructor(
    readonly status: number,
    readonly apiCode: string,
    readonly apiMessage: string,
    readonly method: string,
    readonly path: string,
    options?: { cause?: unknown; details?: string },
  ) {
    super(
      `${method} ${path} failed with HTTP ${status} ${apiCode}: ${apiMessage}${options?.details ? ` (${options.details})` : ''}`,
      options,
    );
    this.details = options?.details;
    this.retryable = status >= 500;
  }
  readonly details: string | undefined;

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status, apiCode: this.apiCode, method: this.method, path: this.path };
  }
}

/** HTTP 429 or a local limiter refusal: retry after `retryAfterMs`. */
export class RateLimitError extends KalshiMmError {
  readonly code = 'rate_limit' as const;
  readonly retryable = true;
  constructor(
    readonly method: string,
    readonly path: string,
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super(`${method} ${path} was rate limited; retry after ${retryAfterMs} ms`, options);
  }
}

/** A network-level failure: connection refused, reset, timeout, closed socket. */
export class TransportError extends KalshiMmError {
  readonly code = 'transport' as const;
  readonly retryable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Credentials could not be loaded or were refused. */
export class AuthError extends KalshiMmError {
  readonly code = 'auth' as const;
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** One issue of a configuration or usage problem. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** Configuration is invalid; lists every issue with its path. */
export class ConfigError extends KalshiMmError {
  readonly code = 'config' as const;
  readonly retryable = false;
  constructor(
    readonly issues: readonly ConfigIssue[],
    options?: { cause?: unknown },
  ) {
    super(`invalid configuration:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`, options);
  }
}

/** The command line was wrong (exit code 2). */
export class UsageError extends KalshiMmError {
  readonly code = 'usage' as const;
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A recording file has a bad line; names the file and the 1-based line number. */
export class RecordingFormatError extends KalshiMmError {
  readonly code = 'recording_format' as const;
  readonly retryable = false;
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}:${line}: ${reason}`, options);
  }
}

/** The exchange (or simulator) refused an order for a business reason (post-only cross, balance…). */
export class OrderRejectedError extends KalshiMmError {
  readonly code = 'order_rejected' as const;
  readonly retryable = false;
  constructor(
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A broken internal invariant (negative count, crossed book inside the matcher, NaN). Stops the bot. */
export class InvariantError extends KalshiMmError {
  readonly code = 'invariant' as const;
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Throws InvariantError with `message` unless `condition` holds. */
export function invariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}

/** Returns true when retrying the call that threw `error` may succeed. */
export function isRetryable(error: unknown): boolean {
  return error instanceof KalshiMmError ? error.retryable : false;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return typeof value;
}
