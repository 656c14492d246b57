import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, MemoryLogger, type Count, type OrderGroup, type OrderGroupMethods } from '../core/index.js';
import { ClientOrderIds } from '../orders/index.js';
import { renderStatusTable } from '../cli/status-table.js';
import { toDashboardMarket } from '../web/feed.js';
import { Supervisor } from './supervisor.js';
import { TEST_PARAMS, START_MS, advance, portWith } from './test-kit.test-helper.js';

/** Order-group methods that answer at once (no exchange-side group: the trigger comes as an event). */
const groups: OrderGroupMethods = {
  createOrderGroup: (contractsLimit: Count): Promise<OrderGroup> => Promise.resolve({ orderGroupId: 'og-1', contractsLimit, autoCancelEnabled: false }),
  listOrderGroups: () => Promise.resolve([]),
  getOrderGroup: (orderGroupId: string) => Promise.resolve({ orderGroupId, autoCancelEnabled: false }),
  resetOrderGroup: () => Promise.resolve(),
  triggerOrderGroup: () => Promise.resolve(),
  setOrderGroupLimit: () => Promise.resolve(),
  deleteOrderGroup: () => Promise.resolve(),
};

describe('pause reasons', () => {
  test('a triggered order group pauses each maker with reason order_group_triggered, told apart from an exchange pause', async () => {
    const clock = new ManualClock(START_MS);
    const port = portWith(clock, 'A');
    const logger = new MemoryLogger();
    const bot = new Supervisor({
      port,
      clock,
      logger,
      params: TEST_PARAMS,
      ids: new ClientOrderIds('pause'),
      tickers: ['A'],
      // Reset by the operator only, so the group stays triggered for the whole test.
      orderGroup: { contractsLimit: 500 as Count, resetAfterMs: 0, api: groups },
    });
    await bot.start();
    await advance(clock, 1_000);
    assert.equal(port.resting('A').length, 2);
    port.push({ type: 'order_group', recvMs: clock.nowMs(), orderGroupId: 'og-1', kind: 'triggered', tsMs: clock.nowMs() });
    await advance(clock, 1_000);
    const a = () => bot.status().markets.find((m) => m.ticker === 'A') ?? assert.fail('A is traded');
    assert.equal(port.resting('A').length, 0, 'quotes pulled');
    assert.ok(a().reasons.includes('order_group_triggered'), `reasons: ${a().reasons.join(', ')}`);
    assert.ok(!a().reasons.includes('exchange_paused'), 'the exchange did not pause');
    assert.deepEqual(a().health.pausedBy, ['order_group_triggered']);
    assert.match(renderStatusTable(bot.status()), /paused: order_group_triggered/);
    assert.equal(toDashboardMarket(a()).health, 'paused: order_group_triggered');
    assert.ok(logger.records.some((r) => r.message === 'makers paused' && String(r.fields['reasons']) === 'order_group_triggered'));

    // An exchange-wide pause on top: both reasons, each named.
    port.status = { exchangeActive: true, tradingActive: false };
    await advance(clock, 30_000, 1_000);
    assert.deepEqual(a().health.pausedBy, ['exchange_paused', 'order_group_triggered']);
    assert.ok(a().reasons.includes('exchange_paused') && a().reasons.includes('order_group_triggered'));
    await bot.shutdown('test over');
  });
});
