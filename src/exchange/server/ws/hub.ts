/**
 * The WebSocket endpoint `/trade-api/ws/v2` (kalshi-api.md §13): authenticates the HTTP upgrade
 * with Kalshi's signed headers (401 otherwise), pings every 10 s with payload `heartbeat`, and fans
 * the engine's synchronous events out to every session. Ticker updates are coalesced per market and
 * sent after the engine call that caused them (a listener must not call back into the engine).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Count, PublicTrade, TimerHandle } from '../../../core/index.js';
import { signedHeadersOf, verifySignedRequest } from '../../auth/index.js';
import type { EngineEvent } from '../../matching/index.js';
import type { ServerContext } from '../context.js';
import { errorBody } from '../errors.js';
import { WsSession } from './session.js';

/** Where the WebSocket API is served. */
export const WS_PATH = '/trade-api/ws/v2';

/** Options of a WsHub. */
export interface WsHubOptions {
  /** Server ping interval (Kalshi: 10 s). */
  readonly pingIntervalMs?: number;
  /** Unsent bytes on a socket after which its subscription is dropped with error 25. Default 32 MiB. */
  readonly maxBufferedBytes?: number;
}

/** All WebSocket sessions of one server. */
export class WsHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  private readonly sessions = new Map<WebSocket, WsSession>();
  private readonly dirtyTickers = new Map<string, Count>();
  private flushQueued = false;
  private pingTimer: TimerHandle | undefined;
  private readonly unsubscribe: () => void;
  private closed = false;
  /** Messages sent to clients, for the fan-out benchmark. */
  framesSent = 0;

  constructor(
    private readonly ctx: ServerContext,
    private readonly options: WsHubOptions = {},
  ) {
    this.unsubscribe = ctx.engine.subscribe((event) => this.onEngineEvent(event));
    this.schedulePing();
  }

  /** Handles upgrades of `server` on WS_PATH. */
  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(request, socket, head));
  }

  /** Returns the number of open sessions. */
  get connectionCount(): number {
    return this.sessions.size;
  }

  /** Closes every connection abruptly (a network drop); returns how many. */
  dropAll(): number {
    const n = this.sessions.size;
    for (const ws of this.sessions.keys()) ws.terminate();
    this.sessions.clear();
    return n;
  }

  /** Makes every orderbook subscription skip one seq; returns how many subscriptions. */
  skipSeq(): number {
    let n = 0;
    for (const session of this.sessions.values()) n += session.skipSeq();
    return n;
  }

  /** Publishes a trade that did not come from the engine (a recorded print in replay mode). */
  publishTrade(trade: PublicTrade): void {
    this.onEngineEvent({ type: 'trade', tsMs: trade.tsMs, trade });
  }

  /** Stops pings, detaches from the engine and closes every connection. */
  close(): void {
    this.closed = true;
    this.pingTimer?.cancel();
    this.unsubscribe();
    for (const ws of this.sessions.keys()) ws.close(1001, 'server shutting down');
    for (const ws of this.sessions.keys()) ws.terminate();
    this.sessions.clear();
    this.wss.close();
  }

  private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = request.url ?? '';
    const path = url.split('?')[0] ?? '';
    if (path !== WS_PATH) {
      refuse(socket, 404, 'Not Found', errorBody('not_found', `no WebSocket endpoint at ${path}`));
      return;
    }
    const auth = verifySignedRequest({
      registry: this.ctx.keys,
      headers: signedHeadersOf(request.headers),
      method: 'GET',
      path: WS_PATH,
      nowMs: this.ctx.clock.nowMs(),
      windowMs: this.ctx.authWindowMs,
    });
    if (!auth.ok) {
      refuse(socket, 401, 'Unauthorized', errorBody('authentication_error', auth.reason));
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      if (this.closed) {
        ws.terminate();
        return;
      }
      const session = new WsSession(auth.accountId, countingSocket(ws, this), this.ctx.engine, this.ctx.clock, this.ctx.logger, this.options.maxBufferedBytes);
      this.sessions.set(ws, session);
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        try {
          session.onMessage(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString('utf8'));
        } catch (error) {
          this.ctx.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'WebSocket command failed');
        }
      });
      ws.on('close', () => this.sessions.delete(ws));
      ws.on('error', () => this.sessions.delete(ws));
    });
  }

  private onEngineEvent(event: EngineEvent): void {
    if (this.sessions.size === 0) return;
    for (const session of this.sessions.values()) session.onEvent(event);
    if (event.type === 'trade') this.markTicker(event.trade.ticker, event.trade.count);
    else if (event.type === 'book_delta') this.markTicker(event.ticker, undefined);
  }

  private markTicker(ticker: string, tradeSize: Count | undefined): void {
    const previous = this.dirtyTickers.get(ticker);
    this.dirtyTickers.set(ticker, (tradeSize ?? previous ?? 0) as Count);
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => this.flushTickers());
  }

  private flushTickers(): void {
    this.flushQueued = false;
    const dirty = [...this.dirtyTickers];
    this.dirtyTickers.clear();
    const now = this.ctx.clock.nowMs();
    for (const [ticker, size] of dirty) {
      for (const session of this.sessions.values()) if (session.wants('ticker', ticker)) session.onTicker(ticker, size, now);
    }
  }

  private schedulePing(): void {
    this.pingTimer = this.ctx.clock.setTimer(this.options.pingIntervalMs ?? 10_000, () => {
      for (const ws of this.sessions.keys()) ws.ping('heartbeat');
      if (!this.closed) this.schedulePing();
    });
  }
}

function countingSocket(ws: WebSocket, hub: WsHub): { send(data: string): void; readonly bufferedAmount: number } {
  return {
    send: (data: string) => {
      if (ws.readyState !== ws.OPEN) return;
      hub.framesSent++;
      ws.send(data);
    },
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
  };
}

function refuse(socket: Duplex, status: number, text: string, body: unknown): void {
  const payload = JSON.stringify(body);
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`);
}
