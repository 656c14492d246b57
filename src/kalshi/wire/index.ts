/**
 * kalshi/wire: zod schemas of Kalshi's REST responses and WebSocket messages, and the only bridge
 * between wire JSON and domain types (parse: `convert.ts`, `convert-ws.ts`; encode: `encode.ts`).
 * Pure: no I/O.
 */
export * from './parse.js';
export * from './rest.js';
export * from './ws.js';
export * from './convert.js';
export * from './convert-ws.js';
export * from './convert-order-group.js';
export * from './encode.js';
