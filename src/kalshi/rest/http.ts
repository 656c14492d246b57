/**
 * One signed HTTP call with pacing, timeout, retry and typed errors. Uses Node's global `fetch`.
 *
 * Retry rules (why each is safe):
 *  - 429: the exchange did not process the request, so any request is retried after a backoff; the
 *    local bucket is drained so that following calls pace themselves.
 *  - network errors, timeouts and 5xx: the request may or may not have been processed. Only requests
 *    marked `retry: 'safe'` (reads, cancel-all) are retried. Order creates are retried only with the
 *    same body, hence the same `client_order_id`: the exchange refuses a second order with that id
 *    (409 `order_already_exists`), which the REST client resolves to the existing order.
 *  - everything else (4xx) is returned as an ApiError at once.
 * Backoff is exponential with full jitter (a random wait in [0, base·2^attempt]) so that clients that
 * failed together do not retry together.
 */
import {
  ApiError,
  RateLimitError,
  SeededRng,
  TransportError,
  WireFormatError,
  silentLogger,
  type Clock,
  type Logger,
  type Rng,
} from '../../core/index.js';
import type { KalshiCredentials } from '../credentials.js';
import { signedHeaders } from '../sign.js';
import { bucketOf, type RateLimiter } from './limiter.js';

/** What to do when a call fails in a way that may be transient. */
export type RetryPolicy = 'safe' | 'never' | 'idempotent-create';

/** One request. `path` is relative to the API root (`/markets`), without a query. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;
  readonly body?: unknown;
  readonly retry: RetryPolicy;
  /** Token cost; default: the limiter's cost of the endpoint. */
  readonly cost?: number;
  readonly signal?: AbortSignal;
  /** Statuses that are success without a body (204). */
  readonly allowEmpty?: boolean;
}

/** A successful answer: status and parsed JSON (undefined when empty). */
export interface HttpResponse {
  readonly status: number;
  readonly json: unknown;
}

/** Options of `HttpTransport`. */
export interface HttpTransportOptions {
  /** REST root including `/trade-api/v2`, e.g. `https://external-api.demo.kalshi.co/trade-api/v2`. */
  readonly baseUrl: string;
  /** Absent: requests go unsigned (public endpoints only). */
  readonly credentials?: KalshiCredentials;
  readonly clock: Clock;
  readonly limiter: RateLimiter;
  readonly logger?: Logger;
  readonly rng?: Rng;
  /** Per-attempt timeout. Default 10,000 ms. */
  readonly timeoutMs?: number;
  /** Attempts in total, first included. Default 5. */
  readonly maxAttempts?: number;
  /** Backoff base. Default 250 ms; capped at 8 s. */
  readonly backoffBaseMs?: number;
  /** Injected fetch (tests). Default: global fetch. */
  readonly fetch?: typeof fetch;
}

const MAX_BACKOFF_MS = 8_000;

/** Signed, paced, retried HTTP calls against one Kalshi REST root. */
export class HttpTransport {
  private readonly base: URL;
  private readonly signPrefix: string;
  private readonly logger: Logger;
  private readonly rng: Rng;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: HttpTransportOptions) {
    this.base = new URL(options.baseUrl.replace(/\/+$/, ''));
    // The signed path starts at the host root and includes /trade-api/v2 (§2, trap 10).
    this.signPrefix = this.base.pathname;
    this.logger = options.logger ?? silentLogger;
    this.rng = options.rng ?? new SeededRng(options.clock.nowMs() >>> 0);
    this.fetchImpl = options.fetch ?? fetch;
  }

  /**
   * Sends the request and returns its parsed JSON.
   * @throws ApiError for a non-2xx answer; RateLimitError when 429s outlast the attempts;
   * TransportError for network failures and timeouts; WireFormatError for a non-JSON body.
   */
  async request(request: HttpRequest): Promise<HttpResponse> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    const kind = bucketOf(request.method, request.path);
    const cost = request.cost ?? this.options.limiter.costOf(request.method, request.path);
    for (let attempt = 0; ; attempt++) {
      await this.options.limiter.acquire(kind, cost, request.signal);
      let failure: unknown;
      try {
        return await this.once(request);
      } catch (error) {
        failure = error;
      }
      const last = attempt + 1 >= maxAttempts;
      if (failure instanceof RateLimitError) {
        this.options.limiter.drain(kind);
        if (last) throw failure;
      } else if (!last && isTransient(failure) && request.retry !== 'never') {
        // 'safe' and 'idempotent-create' both retry transient failures; see the file comment.
      } else {
        throw failure;
      }
      const delayMs = this.backoffMs(attempt);
      this.logger.warn({ method: request.method, path: request.path, attempt: attempt + 1, delayMs, error: describe(failure) }, 'retrying REST call');
      await this.options.clock.sleep(delayMs, request.signal);
    }
  }

  private backoffMs(attempt: number): number {
    const ceiling = Math.min(MAX_BACKOFF_MS, (this.options.backoffBaseMs ?? 250) * 2 ** attempt);
    return Math.max(1, Math.floor(this.rng.next() * ceiling));
  }

  private async once(request: HttpRequest): Promise<HttpResponse> {
    const url = new URL(this.base.toString() + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value as readonly string[]) url.searchParams.append(key, v);
      else url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const credentials = this.options.credentials;
    if (credentials) {
      Object.assign(headers, signedHeaders(credentials.keyId, credentials.privateKey, this.options.clock.nowMs(), request.method, this.signPrefix + request.path));
    }
    const controller = new AbortController();
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const timer = this.options.clock.setTimer(timeoutMs, () => controller.abort(new TransportError(`${request.method} ${request.path} timed out after ${timeoutMs} ms`)));
    const onAbort = (): void => controller.abort(request.signal?.reason);
    request.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let response: Response;
      let text: string;
      try {
        response = await this.fetchImpl(url, {
          method: request.method,
          headers,
          ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
          signal: controller.signal,
        });
        text = await response.text();
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason;
        if (controller.signal.aborted && controller.signal.reason instanceof TransportError) throw controller.signal.reason;
        throw new TransportError(`${request.method} ${request.path} failed: ${error instanceof Error ? error.message : 'network error'}`, { cause: error });
      }
      return this.interpret(request, response.status, text);
    } finally {
      timer.cancel();
      request.signal?.removeEventListener('abort', onAbort);
    }
  }

  private interpret(request: HttpRequest, status: number, text: string): HttpResponse {
    let json: unknown;
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
      } catch (error) {
        if (status >= 200 && status < 300) throw new WireFormatError(`${request.method} ${request.path} body`, 'JSON', text, { cause: error });
        json = text;
      }
    }
    if (status >= 200 && status < 300) {
      if (json === undefined && !request.allowEmpty) throw new WireFormatError(`${request.method} ${request.path} body`, 'a JSON body', '');
      return { status, json };
    }
    if (status === 429) throw new RateLimitError(request.method, request.path, 0);
    const { code, message, details } = errorFields(json, status);
    throw new ApiError(status, code, message, request.method, request.path, details !== undefined ? { details } : {});
  }
}

/** Returns Kalshi's error code/message/details from a nested or flat error body (§8.1). */
function errorFields(json: unknown, status: number): { code: string; message: string; details?: string } {
  const pick = (o: unknown): Record<string, unknown> | undefined => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>) : undefined);
  const outer = pick(json);
  const inner = pick(outer?.['error']) ?? outer;
  const code = typeof inner?.['code'] === 'string' ? inner['code'] : typeof outer?.['error'] === 'string' ? outer['error'] : `http_${status}`;
  const message = typeof inner?.['message'] === 'string' ? inner['message'] : typeof json === 'string' ? json.slice(0, 200) : '';
  const details = typeof inner?.['details'] === 'string' && inner['details'] !== '' ? inner['details'] : undefined;
  return { code, message, ...(details !== undefined ? { details } : {}) };
}

function isTransient(error: unknown): boolean {
  if (error instanceof TransportError) return true;
  return error instanceof ApiError && error.status >= 500;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
}
