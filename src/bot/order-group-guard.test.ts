import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as flush } from 'node:timers/promises';
import { ApiError, ConfigError, ManualClock, MemoryLogger, TransportError, type Count, type Fill, type OrderGroup, type OrderGroupMethods, type PortEvent } from '../core/index.js';
import { createOrderGroupGuard, OrderGroupGuard } from './order-group-guard.js';

/** Order-group methods that record their calls; `failReset` makes the next resets throw. */
class FakeGroups implements OrderGroupMethods {
  readonly calls: string[] = [];
  failReset = 0;
  deleteError: Error | undefined;
  createOrderGroup(contractsLimit: Count): Promise<OrderGroup> {
    this.calls.push(`create:${contractsLimit}`);
    return Promise.resolve({ orderGroupId: 'og-1', contractsLimit, autoCancelEnabled: false });
  }
  listOrderGroups(): Promise<readonly OrderGroup[]> {
    return Promise.resolve([]);
  }
  /** What `getOrderGroup` answers: the auto-cancel flag, or an error. */
  read: boolean | Error = false;
  getOrderGroup(orderGroupId: string): Promise<OrderGroup> {
    this.calls.push(`get:${orderGroupId}`);
    return this.read instanceof Error ? Promise.reject(this.read) : Promise.resolve({ orderGroupId, autoCancelEnabled: this.read });
  }
  resetOrderGroup(id: string): Promise<void> {
    this.calls.push(`reset:${id}`);
    if (this.failReset > 0) {
      this.failReset -= 1;
      return Promise.reject(new ApiError(500, 'internal', 'boom', 'PUT', '/reset'));
    }
    return Promise.resolve();
  }
  triggerOrderGroup(): Promise<void> {
    return Promise.resolve();
  }
  setOrderGroupLimit(): Promise<void> {
    return Promise.resolve();
  }
  deleteOrderGroup(id: string): Promise<void> {
    this.calls.push(`delete:${id}`);
    return this.deleteError ? Promise.reject(this.deleteError) : Promise.resolve();
  }
}

function setup(resetAfterMs: number) {
  const clock = new ManualClock(1_000_000);
  const logger = new MemoryLogger();
  const api = new FakeGroups();
  const pauses: boolean[] = [];
  const guard = new OrderGroupGuard({ api, clock, logger, contractsLimit: 500 as Count, resetAfterMs, onPausedChange: (p) => pauses.push(p) });
  return { clock, logger, api, pauses, guard };
}

function groupEvent(kind: Extract<PortEvent, { type: 'order_group' }>['kind'], recvMs: number, orderGroupId = 'og-1'): Extract<PortEvent, { type: 'order_group' }> {
  return { type: 'order_group', recvMs, orderGroupId, kind, tsMs: recvMs - 5 };
}

function fill(tsMs: number, count: number): Fill {
  return { tradeId: `t${tsMs}`, orderId: 'o', ticker: 'T', side: 'bid', price: 4_000 as Fill['price'], count: count as Count, isTaker: false, fee: 0 as Fill['fee'], tsMs };
}

/** Lets promises settle, running timers due within `horizonMs` from now (retry back-offs), `steps` times. */
async function settle(clock: ManualClock, steps = 10, horizonMs = 0): Promise<void> {
  const untilMs = clock.nowMs() + horizonMs;
  for (let i = 0; i < steps; i++) {
    await flush();
    const next = clock.nextTimerMs();
    if (next !== undefined && next <= untilMs) clock.advanceTo(next);
  }
}

describe('OrderGroupGuard', () => {
  test('a trigger pauses quoting and warns with the figures; after the cool-down the group is reset and quoting resumes', async () => {
    const { clock, logger, api, pauses, guard } = setup(60_000);
    assert.equal(await guard.start(), 'og-1');
    assert.deepEqual(api.calls, ['create:500']);
    guard.onFill(fill(clock.nowMs() - 20_000, 900)); // outside the 15 s window
    guard.onFill(fill(clock.nowMs() - 3_000, 400));
    guard.onFill(fill(clock.nowMs() - 1_000, 200));
    guard.onEvent(groupEvent('triggered', clock.nowMs()));
    assert.equal(guard.paused, true);
    assert.deepEqual(pauses, [true]);
    const warning = logger.records.find((r) => r.level === 'warn' && r.message.startsWith('order group triggered'));
    assert.ok(warning);
    assert.equal(warning.fields['contractsLimit'], 5);
    assert.equal(warning.fields['ourFilledContractsInWindow'], 6);
    assert.equal(warning.fields['resetAfterMs'], 60_000);
    assert.equal(guard.status()?.resetDueMs, clock.nowMs() + 60_000);
    clock.advanceBy(59_999);
    await settle(clock);
    assert.deepEqual(api.calls, ['create:500'], 'no reset before the cool-down ends');
    clock.advanceBy(1);
    await settle(clock);
    assert.deepEqual(api.calls, ['create:500', 'reset:og-1']);
    assert.equal(guard.paused, false);
    assert.deepEqual(pauses, [true, false]);
    assert.deepEqual(guard.status(), { orderGroupId: 'og-1', contractsLimit: 500, state: 'active', triggers: 1, triggeredAtMs: 1_000_000 - 5 });
  });

  test('with no cool-down the guard waits for a reset from outside, announced by a reset update', async () => {
    const { clock, api, pauses, guard } = setup(0);
    await guard.start();
    guard.onEvent(groupEvent('triggered', clock.nowMs()));
    clock.advanceBy(3_600_000);
    await settle(clock);
    assert.equal(guard.paused, true);
    assert.equal(api.calls.includes('reset:og-1'), false);
    assert.equal(guard.status()?.resetDueMs, undefined);
    guard.onEvent(groupEvent('reset', clock.nowMs()));
    assert.equal(guard.paused, false);
    assert.deepEqual(pauses, [true, false]);
  });

  test('a failed reset is tried again after another cool-down, and quoting stays paused meanwhile', async () => {
    const { clock, api, guard } = setup(10_000);
    await guard.start();
    api.failReset = 3; // every attempt of the first round (3 with the default retry policy)
    guard.onEvent(groupEvent('triggered', clock.nowMs()));
    clock.advanceBy(10_000);
    await settle(clock, 30, 5_000); // the retry back-offs (well under the cool-down)
    assert.equal(guard.paused, true);
    assert.equal(api.calls.filter((c) => c.startsWith('reset')).length, 3);
    clock.advanceBy(10_000);
    await settle(clock, 30);
    assert.equal(guard.paused, false);
    assert.equal(api.calls.filter((c) => c.startsWith('reset')).length, 4);
  });

  test("other groups' updates are ignored; our group deleted from outside keeps quoting paused for good", async () => {
    const { clock, api, pauses, guard } = setup(1_000);
    await guard.start();
    guard.onEvent(groupEvent('triggered', clock.nowMs(), 'og-other'));
    assert.equal(guard.paused, false);
    guard.onEvent(groupEvent('deleted', clock.nowMs()));
    assert.equal(guard.status()?.state, 'lost');
    guard.onEvent(groupEvent('reset', clock.nowMs()));
    clock.advanceBy(10_000);
    await settle(clock);
    assert.equal(guard.paused, true);
    assert.deepEqual(pauses, [true]);
    assert.equal(api.calls.includes('reset:og-1'), false);
  });

  test('close deletes the group once, and a group already gone (404) is no error', async () => {
    const { api, logger, guard } = setup(1_000);
    await guard.start();
    api.deleteError = new ApiError(404, 'not_found', 'gone', 'DELETE', '/portfolio/order_groups/og-1');
    await guard.close();
    await guard.close();
    assert.deepEqual(api.calls, ['create:500', 'delete:og-1']);
    assert.equal(logger.records.some((r) => r.level === 'error'), false);
  });

  test('a transport failure on delete is retried and then logged, never thrown', async () => {
    const { clock, api, logger, guard } = setup(1_000);
    await guard.start();
    api.deleteError = new TransportError('socket hang up');
    const closing = guard.close();
    await settle(clock, 30, 5_000);
    await closing;
    assert.equal(api.calls.filter((c) => c.startsWith('delete')).length, 3);
    assert.ok(logger.records.some((r) => r.level === 'error' && r.message === 'order group could not be deleted'));
  });

  test('after a reconnect the group is re-read: auto-cancel reported means triggered, a 404 means lost, otherwise nothing changes', async () => {
    const { clock, api, pauses, guard } = setup(5_000);
    await guard.start();
    await guard.resync();
    assert.equal(guard.paused, false);
    api.read = true;
    await guard.resync();
    assert.equal(guard.status()?.state, 'triggered');
    assert.equal(guard.status()?.resetDueMs, clock.nowMs() + 5_000);
    clock.advanceBy(5_000);
    await settle(clock);
    assert.equal(guard.paused, false);
    api.read = new ApiError(404, 'not_found', 'gone', 'GET', '/portfolio/order_groups/og-1');
    await guard.resync();
    assert.equal(guard.status()?.state, 'lost');
    assert.deepEqual(pauses, [true, false, true]);
  });

  test('a port without order groups is a config error naming orderGroupContractsLimit', () => {
    assert.throws(
      () => createOrderGroupGuard({}, { contractsLimit: 100 as Count, resetAfterMs: 0 }, { clock: new ManualClock(0), logger: new MemoryLogger(), onPausedChange: () => undefined }),
      (e: unknown) => e instanceof ConfigError && e.issues[0]?.path === 'orderGroupContractsLimit',
    );
  });
});
