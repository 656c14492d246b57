/**
 * What the WebSocket client delivers. Gaps, overflows and reconnects are events in the stream, not
 * exceptions (STYLE.md: async iterators for streams).
 */
import type { WsChannel, WsMessage } from '../wire/index.js';

/** Events of `KalshiWsClient.events()`. */
export type WsEvent =
  | { readonly type: 'message'; readonly recvMs: number; readonly message: WsMessage }
  /**
   * Messages of subscription `sid` were lost (seq jumped, a message failed to parse, or the server
   * reported an overflow). Books of `tickers` (all of the subscription's books when it has no ticker
   * filter: `tickers` undefined) are untrustworthy until their next snapshot; the client has already
   * asked for one.
   */
  | {
      readonly type: 'gap';
      readonly recvMs: number;
      readonly sid: number;
      readonly channel: WsChannel;
      readonly tickers: readonly string[] | undefined;
      readonly reason: string;
    }
  /** The socket opened (after subscriptions were re-sent) or closed. New sids after every reconnect. */
  | { readonly type: 'connection'; readonly recvMs: number; readonly connected: boolean; readonly attempt: number; readonly reason?: string }
  /** This consumer fell behind and `dropped` events were discarded (see BoundedQueue). */
  | { readonly type: 'overflow'; readonly recvMs: number; readonly dropped: number };

/** Frames of `KalshiWsClient.raw()`: every text frame verbatim with its receive time, for recorders. */
export type RawWsFrame =
  | { readonly type: 'frame'; readonly recvMs: number; readonly text: string }
  | { readonly type: 'overflow'; readonly recvMs: number; readonly dropped: number }
  | { readonly type: 'connection'; readonly recvMs: number; readonly connected: boolean };
