/**
 * One WebSocket connection: Kalshi's commands (subscribe, unsubscribe, update_subscription,
 * list_subscriptions) with their replies and error frames (kalshi-api.md §13.2, §13.5), and the
 * subscriptions the hub fans engine events into. `seq` is per subscription and counts every
 * sequenced message of it, including the `ok` of update_subscription (§13.4).
 */
import { z } from 'zod';
import type { Clock, Count, Logger } from '../../../core/index.js';
import type { EngineEvent, MatchingEngine } from '../../matching/index.js';
import type { Json } from '../format.js';
import { deltaMsg, fillMsg, lifecycleMsg, orderGroupMsg, positionMsg, snapshotMsg, tickerMsg, tradeMsg, userOrderMsg } from './messages.js';

/** The channels served. */
export const CHANNELS = ['orderbook_delta', 'ticker', 'trade', 'fill', 'user_orders', 'market_positions', 'market_lifecycle_v2', 'order_group_updates'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Channels whose messages carry `seq`. */
const SEQUENCED = new Set<Channel>(['orderbook_delta', 'trade', 'market_lifecycle_v2', 'order_group_updates']);

/** A socket as the session needs it (the `ws` WebSocket satisfies it). */
export interface SessionSocket {
  send(data: string): void;
  readonly bufferedAmount: number;
}

interface Subscription {
  readonly sid: number;
  readonly channel: Channel;
  /** Undefined = every market. */
  tickers: Set<string> | undefined;
  seq: number;
  readonly useYesPrice: boolean;
  skipNext: boolean;
}

const commandSchema = z.object({ id: z.number().int().min(0).optional(), cmd: z.string().optional(), params: z.record(z.string(), z.unknown()).optional() });
const tickersSchema = z.array(z.string().min(1));

/** Kalshi's WS error codes used here (§13.5). */
const ERR = { unable: 1, paramsRequired: 2, channelsRequired: 3, sidsRequired: 4, unknownCommand: 5, unknownSid: 7, unknownChannel: 8, invalidParameter: 11, oneSid: 12, unsupportedAction: 13, tickerRequired: 14, actionRequired: 15, marketNotFound: 16, overflow: 25 } as const;

/** Default bytes buffered on a socket after which a subscription is dropped with error 25 (slow reader). */
export const DEFAULT_MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

/** One connection's command handling and subscriptions. */
export class WsSession {
  private readonly subs = new Map<number, Subscription>();
  private nextSid = 1;

  constructor(
    readonly accountId: string,
    private readonly socket: SessionSocket,
    private readonly engine: MatchingEngine,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES,
  ) {}

  /** Returns true when some subscription of `channel` wants `ticker`. */
  wants(channel: Channel, ticker: string): boolean {
    for (const sub of this.subs.values()) if (sub.channel === channel && (!sub.tickers || sub.tickers.has(ticker))) return true;
    return false;
  }

  /** Makes every orderbook subscription skip one seq number on its next message; returns how many. */
  skipSeq(): number {
    let n = 0;
    for (const sub of this.subs.values()) {
      if (sub.channel !== 'orderbook_delta') continue;
      sub.skipNext = true;
      n++;
    }
    return n;
  }

  /** Handles one text frame from the client. */
  onMessage(text: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.error(undefined, ERR.unable, 'Unable to process message');
      return;
    }
    const parsed = commandSchema.safeParse(raw);
    if (!parsed.success) {
      this.error(undefined, ERR.unable, 'Unable to process message');
      return;
    }
    const { id, cmd, params } = parsed.data;
    switch (cmd) {
      case 'subscribe':
        return this.subscribe(id, params);
      case 'unsubscribe':
        return this.unsubscribe(id, params);
      case 'update_subscription':
        return this.update(id, params);
      case 'list_subscriptions':
        this.send({ id, type: 'ok', msg: [...this.subs.values()].map((s) => ({ channel: s.channel, sid: s.sid })) });
        return;
      default:
        this.error(id, ERR.unknownCommand, 'Unknown command');
    }
  }

  /** Delivers an engine event to the matching subscriptions. */
  onEvent(event: EngineEvent): void {
    for (const sub of this.subs.values()) {
      switch (event.type) {
        case 'book_delta':
          if (sub.channel === 'orderbook_delta' && sub.tickers?.has(event.ticker)) {
            this.publish(sub, 'orderbook_delta', deltaMsg(event, sub.useYesPrice, event.accountId === this.accountId));
          }
          break;
        case 'trade':
          if (sub.channel === 'trade' && matches(sub, event.trade.ticker)) this.publish(sub, 'trade', tradeMsg(event.trade));
          break;
        case 'fill':
          if (sub.channel === 'fill' && event.accountId === this.accountId && matches(sub, event.fill.ticker)) {
            this.publish(sub, 'fill', fillMsg(event.fill, this.clientIdOf(event.fill.orderId)));
          }
          break;
        case 'order':
          if (sub.channel === 'user_orders' && event.accountId === this.accountId && matches(sub, event.order.ticker)) this.publish(sub, 'user_order', userOrderMsg(event.order));
          break;
        case 'position':
          if (sub.channel === 'market_positions' && event.accountId === this.accountId && matches(sub, event.position.ticker)) {
            this.publish(sub, 'market_position', positionMsg(event.accountId, event.position));
          }
          break;
        case 'market': {
          if (sub.channel !== 'market_lifecycle_v2') break;
          const msg = lifecycleMsg(event);
          if (msg) this.publish(sub, 'market_lifecycle_v2', msg);
          break;
        }
        case 'order_group':
          if (sub.channel === 'order_group_updates' && event.accountId === this.accountId) this.publish(sub, 'order_group_updates', orderGroupMsg(event));
          break;
        case 'settlement':
          break;
      }
    }
  }

  /** Sends a ticker update to the ticker subscriptions that want this market. */
  onTicker(ticker: string, lastTradeSize: Count, nowMs: number): void {
    let msg: Json | undefined;
    for (const sub of this.subs.values()) {
      if (sub.channel !== 'ticker' || !matches(sub, ticker)) continue;
      msg ??= tickerMsg(this.engine.getMarket(ticker), lastTradeSize, nowMs);
      this.publish(sub, 'ticker', msg);
    }
  }

  private clientIdOf(orderId: string): string | undefined {
    try {
      return this.engine.getOrder(orderId).clientOrderId;
    } catch {
      return undefined;
    }
  }

  private subscribe(id: number | undefined, params: Record<string, unknown> | undefined): void {
    if (!params) return this.error(id, ERR.paramsRequired, 'Params required');
    const channels = params['channels'];
    if (!Array.isArray(channels) || channels.length === 0) return this.error(id, ERR.channelsRequired, 'Channels required');
    const unknown = channels.find((c) => typeof c !== 'string' || !(CHANNELS as readonly string[]).includes(c));
    if (unknown !== undefined) return this.error(id, ERR.unknownChannel, `Unknown channel name: ${String(unknown)}`);
    const requested = this.tickersOf(id, params);
    if (requested === null) return undefined;
    const useYesPrice = params['use_yes_price'] === true;
    for (const channel of channels as Channel[]) {
      // market_lifecycle_v2 and order_group_updates take no market filter (§13.3).
      const tickers = channel === 'market_lifecycle_v2' || channel === 'order_group_updates' ? undefined : requested;
      if (channel === 'orderbook_delta' && !tickers) {
        this.error(id, ERR.tickerRequired, 'Market ticker required');
        continue;
      }
      const existing = [...this.subs.values()].find((s) => s.channel === channel);
      // Re-subscribing adds markets to the existing subscription (CL:2025-09-25).
      const sub = existing ?? { sid: this.nextSid++, channel, tickers: tickers ? new Set<string>() : undefined, seq: 0, useYesPrice, skipNext: false };
      if (!existing) this.subs.set(sub.sid, sub);
      if (existing && !tickers) sub.tickers = undefined;
      const added = tickers ? tickers.filter((t) => !sub.tickers?.has(t) && sub.tickers !== undefined) : [];
      for (const t of added) sub.tickers?.add(t);
      this.send({ id, type: 'subscribed', msg: { channel, sid: sub.sid } });
      if (channel === 'orderbook_delta') for (const t of added) this.sendSnapshot(sub, t, undefined);
      if (channel === 'ticker' && params['send_initial_snapshot'] === true && tickers) {
        for (const t of tickers) this.publish(sub, 'ticker', tickerMsg(this.engine.getMarket(t), 0 as Count, this.clock.nowMs()));
      }
    }
    return undefined;
  }

  private unsubscribe(id: number | undefined, params: Record<string, unknown> | undefined): void {
    if (!params) return this.error(id, ERR.paramsRequired, 'Params required');
    const sids = params['sids'];
    if (!Array.isArray(sids) || sids.length === 0) return this.error(id, ERR.sidsRequired, 'Sids required');
    for (const sid of sids) {
      const sub = typeof sid === 'number' ? this.subs.get(sid) : undefined;
      if (!sub) {
        this.error(id, ERR.unknownSid, 'Unknown subscription ID');
        continue;
      }
      this.subs.delete(sub.sid);
      this.send({ id, sid: sub.sid, seq: sub.seq, type: 'unsubscribed' });
    }
    return undefined;
  }

  private update(id: number | undefined, params: Record<string, unknown> | undefined): void {
    if (!params) return this.error(id, ERR.paramsRequired, 'Params required');
    const sids = params['sids'];
    const single = params['sid'];
    const sid = typeof single === 'number' && sids === undefined ? single : Array.isArray(sids) && sids.length === 1 && single === undefined ? sids[0] : undefined;
    if (typeof sid !== 'number') return this.error(id, ERR.oneSid, 'Exactly one subscription ID is required');
    const sub = this.subs.get(sid);
    if (!sub) return this.error(id, ERR.unknownSid, 'Unknown subscription ID');
    const action = params['action'];
    if (action === undefined) return this.error(id, ERR.actionRequired, 'Action required');
    if (action !== 'add_markets' && action !== 'delete_markets' && action !== 'get_snapshot') return this.error(id, ERR.unsupportedAction, 'Unsupported action');
    if (action === 'get_snapshot' && sub.channel !== 'orderbook_delta') return this.error(id, ERR.unsupportedAction, 'get_snapshot is only supported on orderbook_delta');
    const tickers = this.tickersOf(id, params);
    if (tickers === null) return undefined;
    if (!tickers) return this.error(id, ERR.tickerRequired, 'Market ticker required');
    if (action === 'get_snapshot') {
      for (const t of tickers) this.sendSnapshot(sub, t, id);
      return undefined;
    }
    const added: string[] = [];
    if (!sub.tickers) sub.tickers = new Set();
    for (const t of tickers) {
      if (action === 'add_markets' && !sub.tickers.has(t)) {
        sub.tickers.add(t);
        added.push(t);
      } else if (action === 'delete_markets') sub.tickers.delete(t);
    }
    const seq = SEQUENCED.has(sub.channel) ? { seq: ++sub.seq } : {};
    if (params['skip_ticker_ack'] !== true) this.send({ id, sid: sub.sid, ...seq, type: 'ok', msg: { market_tickers: [...sub.tickers] } });
    if (sub.channel === 'orderbook_delta') for (const t of added) this.sendSnapshot(sub, t, undefined);
    return undefined;
  }

  /** Returns the market tickers of `params` (undefined = none given; null = an error was sent). */
  private tickersOf(id: number | undefined, params: Record<string, unknown>): string[] | undefined | null {
    const one = params['market_ticker'];
    const many = params['market_tickers'];
    let tickers: string[] | undefined;
    if (typeof one === 'string') tickers = [one];
    else if (many !== undefined) {
      const parsed = tickersSchema.safeParse(many);
      if (!parsed.success) {
        this.error(id, ERR.invalidParameter, 'Invalid parameter: market_tickers');
        return null;
      }
      tickers = parsed.data.length > 0 ? parsed.data : undefined;
    }
    for (const t of tickers ?? []) {
      try {
        this.engine.getMarket(t);
      } catch {
        this.send({ id, type: 'error', msg: { code: ERR.marketNotFound, msg: 'Market not found', market_ticker: t } });
        return null;
      }
    }
    return tickers;
  }

  private sendSnapshot(sub: Subscription, ticker: string, id: number | undefined): void {
    const msg = snapshotMsg(this.engine.getBook(ticker), sub.useYesPrice);
    this.send({ ...(id === undefined ? {} : { id }), type: 'orderbook_snapshot', sid: sub.sid, seq: ++sub.seq, msg });
  }

  private publish(sub: Subscription, type: string, msg: Json): void {
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.subs.delete(sub.sid);
      this.send({ type: 'error', sid: sub.sid, msg: { code: ERR.overflow, msg: 'Subscription buffer overflow' } });
      this.logger.warn({ sid: sub.sid, channel: sub.channel }, 'slow WebSocket reader: subscription dropped');
      return;
    }
    if (!SEQUENCED.has(sub.channel)) {
      this.send({ type, sid: sub.sid, msg });
      return;
    }
    if (sub.skipNext) {
      sub.skipNext = false;
      sub.seq++;
    }
    this.send({ type, sid: sub.sid, seq: ++sub.seq, msg });
  }

  private error(id: number | undefined, code: number, msg: string): void {
    this.send({ ...(id === undefined ? {} : { id }), type: 'error', msg: { code, msg } });
  }

  private send(frame: Json): void {
    this.socket.send(JSON.stringify(frame));
  }
}

function matches(sub: Subscription, ticker: string): boolean {
  return !sub.tickers || sub.tickers.has(ticker);
}
