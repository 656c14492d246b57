/**
 * Kalshi WebSocket client (kalshi-api.md §13): signed handshake, commands with ids and error replies,
 * one logical subscription per channel, per-sid `seq` tracking with automatic resync, liveness
 * (pongs are answered by `ws`; silence longer than `silenceMs` closes the socket), reconnect with
 * jittered backoff and resubscription of everything. Delivers parsed messages and gap/connection
 * events through `events()`, and verbatim frames through `raw()`; both are bounded (BoundedQueue).
 */
import WebSocket from 'ws';
import {
  ApiError,
  AuthError,
  SeededRng,
  TransportError,
  WireFormatError,
  silentLogger,
  type Clock,
  type Logger,
  type Rng,
  type TimerHandle,
} from '../../core/index.js';
import type { KalshiCredentials } from '../credentials.js';
import { signedHeaders, WS_SIGN_PATH } from '../sign.js';
import { KNOWN_WS_TYPES, parseWire, wsMessageSchema, type WsChannel, type WsMessage } from '../wire/index.js';
import { BoundedQueue } from './queue.js';
import type { RawWsFrame, WsEvent } from './types.js';

/** Options of `KalshiWsClient`. */
export interface KalshiWsOptions {
  /** e.g. `wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2`. */
  readonly url: string;
  readonly credentials?: KalshiCredentials;
  readonly clock: Clock;
  readonly logger?: Logger;
  readonly rng?: Rng;
  /** No frame (data or ping) for this long closes and reconnects. Default 30,000 (Kalshi pings every 10 s). */
  readonly silenceMs?: number;
  /** A command without a reply after this long fails. Default 10,000. */
  readonly commandTimeoutMs?: number;
  /** Reconnect backoff base and cap. Defaults 500 and 30,000 ms. */
  readonly reconnectBaseMs?: number;
  readonly reconnectMaxMs?: number;
  /** Per-consumer buffer of events()/raw(). Default 100,000. */
  readonly bufferCapacity?: number;
}

interface Subscription {
  readonly channel: WsChannel;
  /** undefined = every market (channels whose filter is optional). */
  tickers: Set<string> | undefined;
  sid: number | undefined;
  lastSeq: number | undefined;
  /** The subscribe command in flight, if any (markets added meanwhile are sent after it). */
  inFlight: Promise<void> | undefined;
}

interface Pending {
  readonly resolve: (message: WsMessage) => void;
  readonly reject: (error: Error) => void;
  readonly timer: TimerHandle;
  readonly cmd: string;
  /** Runs synchronously on the reply, before later frames of the same read are handled. */
  readonly onReply: ((message: WsMessage) => void) | undefined;
}

/** The WebSocket client. Call `connect()` once; it reconnects by itself until `close()`. */
export class KalshiWsClient {
  private socket: WebSocket | undefined;
  private readonly subscriptions = new Map<WsChannel, Subscription>();
  private readonly bySid = new Map<number, Subscription>();
  private readonly pending = new Map<number, Pending>();
  private readonly eventQueues = new Set<BoundedQueue<WsEvent>>();
  private readonly rawQueues = new Set<BoundedQueue<RawWsFrame>>();
  private nextId = 1;
  private closed = false;
  private lastFrameMs = 0;
  private livenessTimer: TimerHandle | undefined;
  private readonly logger: Logger;
  private readonly rng: Rng;
  private readonly closeController = new AbortController();
  private running: Promise<void> | undefined;

  constructor(private readonly options: KalshiWsOptions) {
    this.logger = options.logger ?? silentLogger;
    this.rng = options.rng ?? new SeededRng(options.clock.nowMs() >>> 0);
  }

  /** True while a socket is open. */
  get isConnected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Returns a new consumer of typed events (bounded; see BoundedQueue). */
  events(): AsyncIterableIterator<WsEvent> {
    const queue: BoundedQueue<WsEvent> = new BoundedQueue<WsEvent>({
      capacity: this.options.bufferCapacity ?? 100_000,
      onOverflow: (dropped) => ({ type: 'overflow', recvMs: this.options.clock.nowMs(), dropped }),
      onClose: () => this.eventQueues.delete(queue),
    });
    this.eventQueues.add(queue);
    return queue;
  }

  /** Returns a new consumer of verbatim frames (bounded; see BoundedQueue). */
  raw(): AsyncIterableIterator<RawWsFrame> {
    const queue: BoundedQueue<RawWsFrame> = new BoundedQueue<RawWsFrame>({
      capacity: this.options.bufferCapacity ?? 100_000,
      onOverflow: (dropped) => ({ type: 'overflow', recvMs: this.options.clock.nowMs(), dropped }),
      onClose: () => this.rawQueues.delete(queue),
    });
    this.rawQueues.add(queue);
    return queue;
  }

  /**
   * Opens the first connection; later drops reconnect by themselves. Calling it again after a
   * success does nothing; after a failure it tries again.
   * @throws AuthError when the handshake is refused (401/403); TransportError when it fails otherwise.
   */
  async connect(): Promise<void> {
    if (this.closed) throw new TransportError('connect() after close()');
    // Once connected, the supervisor owns reconnects; a repeated call has nothing to do.
    if (this.running) return;
    await this.open(0);
    this.running = this.superviseFromOpen();
    this.running.catch(() => undefined);
  }

  /**
   * Subscribes `channel` (for the given markets, or all markets when `tickers` is omitted on channels
   * that allow it). A second call for the same channel adds markets to the existing subscription.
   * @throws ApiError (status 0, code `ws_<n>`) for an error reply; TransportError when disconnected or timed out.
   */
  async subscribe(channel: WsChannel, tickers?: readonly string[]): Promise<void> {
    const existing = this.subscriptions.get(channel);
    if (existing) {
      if (!tickers || !existing.tickers) return;
      const added = tickers.filter((t) => !existing.tickers?.has(t));
      if (added.length === 0) return;
      for (const t of added) existing.tickers.add(t);
      // A subscribe in flight was built before these markets were added: wait for its sid, then add them.
      await existing.inFlight?.catch(() => undefined);
      if (existing.sid !== undefined && this.isConnected) await this.command('update_subscription', { sids: [existing.sid], action: 'add_markets', market_tickers: added });
      return;
    }
    const subscription: Subscription = { channel, tickers: tickers ? new Set(tickers) : undefined, sid: undefined, lastSeq: undefined, inFlight: undefined };
    this.subscriptions.set(channel, subscription);
    if (this.isConnected) await this.sendSubscribe(subscription);
  }

  /** Removes markets from a channel's subscription (unsubscribes it when none remain). */
  async unsubscribeMarkets(channel: WsChannel, tickers: readonly string[]): Promise<void> {
    const subscription = this.subscriptions.get(channel);
    if (!subscription?.tickers) return;
    const removed = tickers.filter((t) => subscription.tickers?.delete(t));
    if (removed.length === 0) return;
    if (subscription.tickers.size === 0) return this.unsubscribe(channel);
    if (subscription.sid !== undefined && this.isConnected) await this.command('update_subscription', { sids: [subscription.sid], action: 'delete_markets', market_tickers: removed });
  }

  /** Ends a channel's subscription. */
  async unsubscribe(channel: WsChannel): Promise<void> {
    const subscription = this.subscriptions.get(channel);
    if (!subscription) return;
    this.subscriptions.delete(channel);
    const sid = subscription.sid;
    if (sid === undefined) return;
    this.bySid.delete(sid);
    if (this.isConnected) await this.command('unsubscribe', { sids: [sid] });
  }

  /** Asks for fresh order book snapshots of these markets (`update_subscription` `get_snapshot`). */
  async requestSnapshots(tickers: readonly string[]): Promise<void> {
    const subscription = this.subscriptions.get('orderbook_delta');
    if (subscription?.sid === undefined || !this.isConnected || tickers.length === 0) return;
    await this.command('update_subscription', { sids: [subscription.sid], action: 'get_snapshot', market_tickers: [...tickers] });
  }

  /** Returns the server's list of subscriptions. */
  async listSubscriptions(): Promise<readonly { channel: string; sid: number }[]> {
    const reply = await this.command('list_subscriptions', undefined);
    return reply.type === 'ok' && Array.isArray(reply.msg) ? reply.msg : [];
  }

  /** Closes the socket and ends every stream. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closeController.abort(new TransportError('WebSocket client closed'));
    this.livenessTimer?.cancel();
    this.failPending(new TransportError('WebSocket client closed'));
    const socket = this.socket;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close(1000);
        this.options.clock.setTimer(1_000, () => {
          socket.terminate();
          resolve();
        });
      });
    }
    await this.running;
    for (const q of this.eventQueues) q.end();
    for (const q of this.rawQueues) q.end();
  }

  // ── connection ──────────────────────────────────────────────────────────────────────────────
  private open(attempt: number): Promise<void> {
    const headers: Record<string, string> = {};
    const credentials = this.options.credentials;
    if (credentials) Object.assign(headers, signedHeaders(credentials.keyId, credentials.privateKey, this.options.clock.nowMs(), 'GET', WS_SIGN_PATH));
    return new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(this.options.url, { headers, perMessageDeflate: false });
      const fail = (error: Error): void => {
        socket.removeAllListeners();
        socket.on('error', () => undefined);
        socket.terminate();
        reject(error);
      };
      socket.once('unexpected-response', (_request, response) => {
        const status = response.statusCode ?? 0;
        response.resume();
        fail(status === 401 || status === 403 ? new AuthError(`WebSocket handshake refused with HTTP ${status}: check the key id and private key`) : new TransportError(`WebSocket handshake failed with HTTP ${status}`));
      });
      socket.once('error', (error) => fail(new TransportError(`WebSocket connection failed: ${error.message}`, { cause: error })));
      socket.once('open', () => {
        socket.removeAllListeners('error');
        socket.removeAllListeners('unexpected-response');
        this.socket = socket;
        this.attach(socket, attempt);
        resolve();
      });
    });
  }

  private attach(socket: WebSocket, attempt: number): void {
    this.lastFrameMs = this.options.clock.nowMs();
    socket.on('message', (data, isBinary) => {
      this.lastFrameMs = this.options.clock.nowMs();
      if (!isBinary) this.onText(data.toString());
    });
    socket.on('ping', () => (this.lastFrameMs = this.options.clock.nowMs()));
    socket.on('pong', () => (this.lastFrameMs = this.options.clock.nowMs()));
    socket.on('error', (error) => this.logger.warn({ error: error.message }, 'WebSocket error'));
    this.scheduleLiveness(socket);
    for (const subscription of this.subscriptions.values()) {
      subscription.sid = undefined;
      subscription.lastSeq = undefined;
    }
    this.bySid.clear();
    this.resubscribeAll()
      .catch((error: unknown) => this.logger.error({ error: error instanceof Error ? error.message : 'unknown' }, 'resubscribe failed'))
      .finally(() => {
        if (socket === this.socket && socket.readyState === WebSocket.OPEN) this.emitConnection(true, attempt);
      });
  }

  private scheduleLiveness(socket: WebSocket): void {
    const silenceMs = this.options.silenceMs ?? 30_000;
    const check = (): void => {
      if (socket !== this.socket || this.closed) return;
      const quietMs = this.options.clock.nowMs() - this.lastFrameMs;
      if (quietMs >= silenceMs) {
        this.logger.warn({ quietMs }, 'WebSocket silent; reconnecting');
        socket.terminate();
        return;
      }
      // Provoke a pong when quiet, so a half-open connection is found even between server pings.
      if (quietMs >= silenceMs / 2 && socket.readyState === WebSocket.OPEN) socket.ping();
      this.livenessTimer = this.options.clock.setTimer(Math.max(50, Math.floor(silenceMs / 3)), check);
    };
    this.livenessTimer?.cancel();
    this.livenessTimer = this.options.clock.setTimer(Math.max(50, Math.floor(silenceMs / 3)), check);
  }

  private async superviseFromOpen(): Promise<void> {
    let attempt = 0;
    while (!this.closed) {
      const socket = this.socket;
      if (socket) await new Promise<void>((resolve) => (socket.readyState === WebSocket.CLOSED ? resolve() : socket.once('close', () => resolve())));
      this.livenessTimer?.cancel();
      this.failPending(new TransportError('WebSocket disconnected before the reply'));
      this.socket = undefined;
      if (this.closed) return;
      this.emitConnection(false, attempt, 'socket closed');
      for (;;) {
        attempt++;
        const ceiling = Math.min(this.options.reconnectMaxMs ?? 30_000, (this.options.reconnectBaseMs ?? 500) * 2 ** Math.min(attempt - 1, 16));
        const delayMs = Math.floor(ceiling / 2 + this.rng.next() * (ceiling / 2));
        try {
          await this.options.clock.sleep(delayMs, this.closeController.signal);
        } catch {
          return;
        }
        try {
          await this.open(attempt);
          this.logger.info({ attempt }, 'WebSocket reconnected');
          attempt = 0;
          break;
        } catch (error) {
          this.logger.warn({ attempt, delayMs, error: error instanceof Error ? error.message : 'unknown' }, 'WebSocket reconnect failed');
        }
      }
    }
  }

  private emitConnection(connected: boolean, attempt: number, reason?: string): void {
    const recvMs = this.options.clock.nowMs();
    this.emit({ type: 'connection', recvMs, connected, attempt, ...(reason !== undefined ? { reason } : {}) });
    for (const q of this.rawQueues) q.push({ type: 'connection', recvMs, connected });
  }

  private async resubscribeAll(): Promise<void> {
    await Promise.all([...this.subscriptions.values()].map((s) => this.sendSubscribe(s)));
  }

  private sendSubscribe(subscription: Subscription): Promise<void> {
    const sent = this.subscribeOnce(subscription);
    subscription.inFlight = sent;
    return sent.finally(() => {
      if (subscription.inFlight === sent) subscription.inFlight = undefined;
    });
  }

  private async subscribeOnce(subscription: Subscription): Promise<void> {
    const params: Record<string, unknown> = { channels: [subscription.channel] };
    if (subscription.tickers) params['market_tickers'] = [...subscription.tickers];
    // Trap 2: the NO side's price scale on the book; set explicitly and convert as NO-leg prices.
    if (subscription.channel === 'orderbook_delta') params['use_yes_price'] = false;
    // The sid is registered synchronously with the reply: data of the new sid can follow in the
    // same socket read, before an awaiting continuation would run, and its seq must be tracked.
    await this.command('subscribe', params, (reply) => {
      if (reply.type !== 'subscribed') return;
      subscription.sid = reply.msg.sid;
      subscription.lastSeq = undefined;
      this.bySid.set(reply.msg.sid, subscription);
    });
  }

  // ── commands ────────────────────────────────────────────────────────────────────────────────
  private command(cmd: string, params: Record<string, unknown> | undefined, onReply?: (message: WsMessage) => void): Promise<WsMessage> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return Promise.reject(new TransportError(`${cmd}: WebSocket is not connected`));
    const id = this.nextId++;
    return new Promise<WsMessage>((resolve, reject) => {
      const timeoutMs = this.options.commandTimeoutMs ?? 10_000;
      const timer = this.options.clock.setTimer(timeoutMs, () => {
        this.pending.delete(id);
        reject(new TransportError(`${cmd}: no reply within ${timeoutMs} ms`));
      });
      this.pending.set(id, { resolve, reject, timer, cmd, onReply });
      socket.send(JSON.stringify({ id, cmd, ...(params ? { params } : {}) }));
    });
  }

  private failPending(error: Error): void {
    for (const [id, p] of this.pending) {
      p.timer.cancel();
      p.reject(error);
      this.pending.delete(id);
    }
  }

  // ── receiving ───────────────────────────────────────────────────────────────────────────────
  private onText(text: string): void {
    const recvMs = this.options.clock.nowMs();
    for (const q of this.rawQueues) q.push({ type: 'frame', recvMs, text });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.logger.error({ length: text.length }, 'WebSocket frame is not JSON; ignored');
      return;
    }
    const envelope = json !== null && typeof json === 'object' ? (json as { type?: unknown; sid?: unknown; seq?: unknown }) : {};
    // Seq counts every message of a sid, including types this client does not handle (event_lifecycle
    // shares market_lifecycle_v2's sid), so it is tracked before the type is looked at.
    if (typeof envelope.sid === 'number' && typeof envelope.seq === 'number') this.track(envelope.sid, envelope.seq, recvMs);
    const type = envelope.type;
    if (typeof type !== 'string' || !KNOWN_WS_TYPES.has(type)) {
      this.logger.debug({ type: typeof type === 'string' ? type : 'none' }, 'WebSocket message type not handled');
      return;
    }
    let message: WsMessage;
    try {
      message = parseWire(wsMessageSchema, json);
    } catch (error) {
      this.onBadMessage(json, error, recvMs);
      return;
    }
    this.routeReply(message);
    this.emit({ type: 'message', recvMs, message });
  }

  /** A message that fails its schema is lost data: treat it as a gap of its subscription. */
  private onBadMessage(json: unknown, error: unknown, recvMs: number): void {
    const reason = error instanceof WireFormatError ? error.message : 'unparseable message';
    this.logger.error({ reason }, 'WebSocket message failed validation');
    const sid = (json as { sid?: unknown }).sid;
    const subscription = typeof sid === 'number' ? this.bySid.get(sid) : undefined;
    if (subscription && typeof sid === 'number') this.onGap(subscription, sid, recvMs, `invalid message: ${reason}`);
  }

  private track(sid: number, seq: number, recvMs: number): void {
    const subscription = this.bySid.get(sid);
    if (!subscription) return;
    const last = subscription.lastSeq;
    subscription.lastSeq = seq;
    // §13.4: the `ok` reply of update_subscription takes a seq of its sid, so it is counted like data.
    if (last !== undefined && seq !== last + 1) this.onGap(subscription, sid, recvMs, `seq jumped from ${last} to ${seq}`);
  }

  private onGap(subscription: Subscription, sid: number, recvMs: number, reason: string): void {
    const tickers = subscription.tickers ? [...subscription.tickers] : undefined;
    this.logger.warn({ sid, channel: subscription.channel, reason }, 'WebSocket gap; resynchronising');
    this.emit({ type: 'gap', recvMs, sid, channel: subscription.channel, tickers, reason });
    if (subscription.channel !== 'orderbook_delta' || !tickers) return;
    this.requestSnapshots(tickers).catch((error: unknown) => {
      // get_snapshot failed: start the subscription afresh (a new subscribe sends fresh snapshots).
      this.logger.warn({ error: error instanceof Error ? error.message : 'unknown' }, 'get_snapshot failed; resubscribing');
      void this.resubscribe(subscription);
    });
  }

  private async resubscribe(subscription: Subscription): Promise<void> {
    try {
      if (subscription.sid !== undefined) {
        this.bySid.delete(subscription.sid);
        await this.command('unsubscribe', { sids: [subscription.sid] }).catch(() => undefined);
      }
      await this.sendSubscribe(subscription);
    } catch (error) {
      this.logger.error({ channel: subscription.channel, error: error instanceof Error ? error.message : 'unknown' }, 'resubscribe failed; closing the socket to reconnect');
      this.socket?.terminate();
    }
  }

  private routeReply(message: WsMessage): void {
    if (message.type === 'error') {
      const code = message.msg.code;
      const subscription = typeof message.sid === 'number' ? this.bySid.get(message.sid) : undefined;
      // §13.4: codes 10 (channel error) and 25 (buffer overflow) end the subscription.
      if (subscription && (code === 10 || code === 25)) {
        this.onGap(subscription, message.sid ?? 0, this.options.clock.nowMs(), `subscription error ${code}: ${message.msg.msg}`);
        void this.resubscribe(subscription);
      }
    }
    const id = 'id' in message ? message.id : undefined;
    if (typeof id !== 'number') return;
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    pending.timer.cancel();
    if (message.type === 'error') {
      pending.reject(new ApiError(0, `ws_${message.msg.code}`, message.msg.msg, 'WS', pending.cmd));
      return;
    }
    pending.onReply?.(message);
    pending.resolve(message);
  }

  private emit(event: WsEvent): void {
    for (const q of this.eventQueues) q.push(event);
  }
}
