/**
 * Order groups (kalshi-api.md §9) between wire and domain: REST group objects → `OrderGroup`, the WS
 * `order_group_updates` message → the `order_group` PortEvent. Part of the wire ↔ domain bridge with
 * `convert.ts`, `convert-ws.ts` and `encode.ts`.
 */
import { parseCount, type Count, type OrderGroup, type PortEvent } from '../../core/index.js';
import type { WireOrderGroup, WireOrderGroupSummary } from './rest.js';
import type { WsDataMessage } from './ws.js';

function limitOf(text: string | null | undefined, path: string): { contractsLimit?: Count } {
  return text === null || text === undefined ? {} : { contractsLimit: parseCount(text, path) };
}

/**
 * Returns one item of GET /portfolio/order_groups as a domain OrderGroup.
 * @throws WireFormatError naming `<path>.contracts_limit_fp` when the limit is not a count.
 */
export function orderGroupFromWire(g: WireOrderGroupSummary, path: string): OrderGroup {
  return { orderGroupId: g.id, ...limitOf(g.contracts_limit_fp, `${path}.contracts_limit_fp`), autoCancelEnabled: g.is_auto_cancel_enabled };
}

/**
 * Returns GET /portfolio/order_groups/{id} as a domain OrderGroup (the reply does not repeat the id,
 * so the caller passes the one it asked for).
 * @throws WireFormatError naming `contracts_limit_fp` when the limit is not a count.
 */
export function orderGroupDetailFromWire(orderGroupId: string, g: WireOrderGroup): OrderGroup {
  return {
    orderGroupId,
    ...limitOf(g.contracts_limit_fp, 'contracts_limit_fp'),
    autoCancelEnabled: g.is_auto_cancel_enabled,
    orderIds: g.orders ?? [],
  };
}

/**
 * Returns the `order_group` event of an `order_group_updates` message.
 * @throws WireFormatError naming `msg.contracts_limit_fp` when the limit is not a count.
 */
export function orderGroupEventFromWs(m: Extract<WsDataMessage, { type: 'order_group_updates' }>, recvMs: number): Extract<PortEvent, { type: 'order_group' }> {
  const g = m.msg;
  return {
    type: 'order_group',
    recvMs,
    orderGroupId: g.order_group_id,
    kind: g.event_type,
    ...limitOf(g.contracts_limit_fp, 'msg.contracts_limit_fp'),
    ...(typeof g.ts_ms === 'number' ? { tsMs: g.ts_ms } : {}),
  };
}
