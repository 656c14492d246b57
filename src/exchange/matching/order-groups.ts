/**
 * Order groups (kalshi-api.md §9): a group caps the contracts its orders may match in any rolling
 * 15 seconds. When a fill takes the window above the limit, or the owner triggers the group, every
 * resting order of the group is cancelled, an incoming group order stops matching, and new orders in
 * the group are refused until the owner resets it. Lowering the limit below the window triggers too.
 */
import type { Count } from '../../core/index.js';
import { reject } from './errors.js';
import { EngineLifecycle } from './lifecycle.js';
import { sequentialId, type OrderRecord } from './order-record.js';
import type { OrderGroupView } from './types.js';

/** Length of the rolling window. */
export const ORDER_GROUP_WINDOW_MS = 15_000;
/** Limits Kalshi accepts: 1 to 1,000,000 contracts (in hundredths here). */
const MIN_LIMIT = 100;
const MAX_LIMIT = 100_000_000;
/** Groups per account (CL:2026-08-13). */
const MAX_GROUPS = 100_000;

interface GroupState {
  readonly orderGroupId: string;
  readonly accountId: string;
  contractsLimit: number;
  triggered: boolean;
  /** Matches inside the window, oldest first. */
  readonly window: { tsMs: number; count: number }[];
  readonly resting: Set<OrderRecord>;
}

/** The order-group layer of the engine. */
export class EngineGroups extends EngineLifecycle {
  private readonly groups = new Map<string, GroupState>();
  /** Groups per account, for the cap. */
  private readonly groupCount = new Map<string, number>();
  private groupSeq = 0;

  /**
   * Creates an order group for an account with a limit on contracts matched per 15 s.
   * @throws EngineRejection `account_not_found`, `invalid_order` (limit outside 1…1,000,000 contracts or too many groups).
   */
  createOrderGroup(accountId: string, contractsLimit: Count): OrderGroupView {
    this.account(accountId);
    checkLimit(contractsLimit);
    const count = this.groupCount.get(accountId) ?? 0;
    if (count >= MAX_GROUPS) throw reject('invalid_order', `order groups: the account already has ${count}`);
    const group: GroupState = { orderGroupId: sequentialId(6, ++this.groupSeq), accountId, contractsLimit, triggered: false, window: [], resting: new Set() };
    this.groups.set(group.orderGroupId, group);
    this.groupCount.set(accountId, count + 1);
    this.emitGroup(group, 'created');
    return this.groupView(group);
  }

  /** Returns one of the account's groups. @throws EngineRejection `not_found`. */
  getOrderGroup(accountId: string, orderGroupId: string): OrderGroupView {
    return this.groupView(this.group(accountId, orderGroupId));
  }

  /** Returns the account's groups, oldest first. */
  listOrderGroups(accountId: string): OrderGroupView[] {
    this.account(accountId);
    return [...this.groups.values()].filter((g) => g.accountId === accountId).map((g) => this.groupView(g));
  }

  /** Clears the window and lets the group's orders trade again. @throws EngineRejection `not_found`. */
  resetOrderGroup(accountId: string, orderGroupId: string): void {
    const group = this.group(accountId, orderGroupId);
    group.triggered = false;
    group.window.length = 0;
    this.emitGroup(group, 'reset');
  }

  /** Triggers the group by hand: cancels its resting orders and refuses new ones until reset. @throws EngineRejection `not_found`. */
  triggerOrderGroup(accountId: string, orderGroupId: string): void {
    this.trigger(this.group(accountId, orderGroupId));
  }

  /**
   * Changes the limit; a limit below the contracts already matched in the window triggers the group.
   * @throws EngineRejection `not_found`, `invalid_order` (limit out of range).
   */
  setOrderGroupLimit(accountId: string, orderGroupId: string, contractsLimit: Count): void {
    const group = this.group(accountId, orderGroupId);
    checkLimit(contractsLimit);
    group.contractsLimit = contractsLimit;
    this.emitGroup(group, 'limit_updated');
    if (this.matchedInWindow(group) > contractsLimit) this.trigger(group);
  }

  /** Deletes the group and cancels its resting orders. @throws EngineRejection `not_found`. */
  deleteOrderGroup(accountId: string, orderGroupId: string): void {
    const group = this.group(accountId, orderGroupId);
    this.cancelGroupOrders(group);
    this.groups.delete(orderGroupId);
    this.groupCount.set(accountId, (this.groupCount.get(accountId) ?? 1) - 1);
    this.emitGroup(group, 'deleted');
  }

  /** @throws EngineRejection `invalid_order` when the group is unknown, not the account's, or triggered. */
  protected checkOrderGroup(accountId: string, orderGroupId: string | undefined): void {
    if (orderGroupId === undefined) return;
    const group = this.groups.get(orderGroupId);
    if (!group || group.accountId !== accountId) throw reject('invalid_order', `order_group_id: no order group ${JSON.stringify(orderGroupId)} of this account`);
    if (group.triggered) throw reject('invalid_order', `order_group_id: group ${orderGroupId} was triggered; reset it first`, 'order group triggered');
  }

  protected override onRestChange(order: OrderRecord, resting: boolean): void {
    if (order.orderGroupId === undefined) return;
    const group = this.groups.get(order.orderGroupId);
    if (!group) return;
    if (resting) group.resting.add(order);
    else group.resting.delete(order);
  }

  protected override onMatched(order: OrderRecord, count: number): void {
    if (order.orderGroupId === undefined) return;
    const group = this.groups.get(order.orderGroupId);
    if (!group) return;
    group.window.push({ tsMs: this.clock.nowMs(), count });
    if (!group.triggered && this.matchedInWindow(group) > group.contractsLimit) this.trigger(group);
  }

  protected override isHalted(order: OrderRecord): boolean {
    return order.orderGroupId !== undefined && this.groups.get(order.orderGroupId)?.triggered === true;
  }

  private trigger(group: GroupState): void {
    group.triggered = true;
    this.cancelGroupOrders(group);
    this.emitGroup(group, 'triggered');
  }

  private cancelGroupOrders(group: GroupState): void {
    for (const order of [...group.resting]) {
      const status = this.markets.get(order.ticker)?.status;
      if (order.status === 'resting' && (status === 'active' || status === 'inactive')) this.cancelResting(order, 'Canceled');
    }
  }

  private matchedInWindow(group: GroupState): number {
    const since = this.clock.nowMs() - ORDER_GROUP_WINDOW_MS;
    while (group.window.length > 0 && (group.window[0]?.tsMs ?? Infinity) <= since) group.window.shift();
    return group.window.reduce((sum, m) => sum + m.count, 0);
  }

  private group(accountId: string, orderGroupId: string): GroupState {
    this.account(accountId);
    const group = this.groups.get(orderGroupId);
    if (!group || group.accountId !== accountId) throw reject('not_found', `order_group_id: no order group ${JSON.stringify(orderGroupId)} of this account`);
    return group;
  }

  private groupView(group: GroupState): OrderGroupView {
    const orderIds = [...group.resting].filter((o) => o.status === 'resting').map((o) => o.orderId);
    return {
      orderGroupId: group.orderGroupId,
      accountId: group.accountId,
      contractsLimit: group.contractsLimit as Count,
      triggered: group.triggered,
      matchedInWindow: this.matchedInWindow(group) as Count,
      orderIds,
    };
  }

  private emitGroup(group: GroupState, kind: 'created' | 'triggered' | 'reset' | 'deleted' | 'limit_updated'): void {
    if (this.hasListeners) this.emit({ type: 'order_group', tsMs: this.clock.nowMs(), accountId: group.accountId, kind, group: this.groupView(group) });
  }
}

function checkLimit(contractsLimit: number): void {
  if (!Number.isSafeInteger(contractsLimit) || contractsLimit < MIN_LIMIT || contractsLimit > MAX_LIMIT) {
    throw reject('invalid_order', `contracts_limit: was ${contractsLimit}, expected 1 to 1,000,000 contracts (100 to 100,000,000 hundredths)`);
  }
}
