/**
 * `POST /api/kill`, the dashboard's kill switch. The server listens on loopback, but any web page the
 * operator opens could still aim a request at it; so the request must carry what only the dashboard's
 * own page sends: a `Host` naming the loopback address and port (a DNS-rebinding page has its own
 * name there), no foreign `Origin`, the `X-Kalshi-MM: kill` header and a JSON body (neither of which
 * a cross-site form can send, and a cross-site `fetch` with them needs a CORS preflight, which this
 * server never grants). The body is `{"reason": "..."}` (optional), at most `KILL_BODY_MAX_BYTES`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../core/index.js';

export const KILL_BODY_MAX_BYTES = 4_096;
/** The header the page sets; its value must be `kill`. */
export const KILL_HEADER = 'x-kalshi-mm';

/** Options of `handleKillPost`. */
export interface KillPostOptions {
  /** The port the server listens on (the `Host` must name it). */
  readonly port: number;
  /** Called with the posted reason ('' when none): raw operator text, to be sanitised by the caller. */
  readonly onKill: (reason: string) => void;
  readonly logger: Logger;
}

/** Returns why the request is refused, or undefined when it is the dashboard page's own. */
export function killPostRefusal(headers: IncomingMessage['headers'], port: number): string | undefined {
  const host = headers.host ?? '';
  if (![`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host.toLowerCase()))
    return 'Host is not the loopback address of the dashboard';
  const origin = headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host.toLowerCase()}`) return 'cross-origin request';
  if (headers[KILL_HEADER] !== 'kill') return `missing ${KILL_HEADER}: kill header`;
  if (!(headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) return 'expected a JSON body';
  return undefined;
}

/** Answers a `POST /api/kill` (202 and `onKill`, or 403/400/413 without). */
export function handleKillPost(req: IncomingMessage, res: ServerResponse, options: KillPostOptions): void {
  const refusal = killPostRefusal(req.headers, options.port);
  const answer = (status: number, body: Record<string, unknown>): void => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  };
  if (refusal !== undefined) {
    options.logger.warn({ refusal, origin: req.headers.origin }, 'kill request refused');
    answer(403, { error: refusal });
    req.resume();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > KILL_BODY_MAX_BYTES) tooLarge = true;
    else chunks.push(chunk);
  });
  req.on('end', () => {
    if (tooLarge) return answer(413, { error: `body over ${KILL_BODY_MAX_BYTES} bytes` });
    let reason: string;
    try {
      const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
      const value = (body as { reason?: unknown }).reason;
      if (value !== undefined && typeof value !== 'string') throw new Error('reason is not a string');
      reason = value ?? '';
    } catch (error) {
      return answer(400, { error: `expected {"reason": "..."}: ${error instanceof Error ? error.message : String(error)}` });
    }
    options.onKill(reason);
    answer(202, { stopping: true });
  });
}
