/** WebSocket: the client, its event types and the bounded queue behind its streams. */
export { KalshiWsClient, type KalshiWsOptions } from './client.js';
export { BoundedQueue, type BoundedQueueOptions } from './queue.js';
export type { RawWsFrame, WsEvent } from './types.js';
