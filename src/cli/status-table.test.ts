import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BotStatus, MarketStatusEntry } from '../bot/index.js';
import type { Count, Price } from '../core/index.js';
import { renderStatusTable, statusRows } from './status-table.js';

function market(overrides: Partial<MarketStatusEntry> = {}): MarketStatusEntry {
  return {
    ticker: 'KXFED-T3.50',
    state: 'running',
    nowMs: 0,
    bestBid: 6_100 as Price,
    bestAsk: 6_500 as Price,
    orders: [
      { clientOrderId: 'b', ticker: 'KXFED-T3.50', side: 'bid', price: 6_100 as Price, remaining: 900 as Count, filled: 0 as Count },
      { clientOrderId: 'a', ticker: 'KXFED-T3.50', side: 'ask', price: 6_450 as Price, remaining: 900 as Count, filled: 0 as Count },
    ],
    position: -350 as Count,
    risk: {
      ticker: 'KXFED-T3.50',
      position: -350,
      exposure: 0,
      realizedPnl: 0,
      unrealizedPnl: 0,
      fees: 0,
      totalPnl: -12_345,
      halted: false,
    },
    fills: 3,
    filledCount: 350,
    reasons: [],
    cycles: 10,
    health: { connected: true, paused: false, stale: false, ageMs: 1_500, errors: 0 },
    ...overrides,
  };
}

function status(markets: MarketStatusEntry[]): BotStatus {
  return {
    nowMs: Date.UTC(2026, 0, 1, 12, 0, 5),
    state: 'running',
    connected: true,
    tradingActive: true,
    markets,
    retired: [],
    totals: { pnl: -12_345, dailyPnl: -12_345, earlierDailyPnl: 0, absPosition: 350, fills: 3, restingOrders: 2 },
    killSwitch: { tripped: false },
    errors: 0,
  };
}

test('a market row shows best bid, our quotes, best ask, position in contracts, PnL in dollars, fills and health', () => {
  const rows = statusRows(status([market()]));
  assert.deepEqual(rows[1], ['KXFED-T3.50', '-', '61', '61|64.5', '65', '-3.50', '-1.23', '3', 'ok 1.5s', '-']);
});

test('a market of the local fallback shows its score 0 and why it was chosen', () => {
  const rows = statusRows(status([market({ score: 0 })]), new Map([['KXFED-T3.50', 'fallback: tightest spread']]));
  assert.equal(rows[0]?.[1], 'score');
  assert.equal(rows[1]?.[1], '0.00');
  assert.equal(rows[1]?.[9], 'fallback: tightest spread');
  const text = renderStatusTable(status([market({ score: 0 })]), { chosen: new Map([['KXFED-T3.50', 'fallback: tightest spread']]) });
  assert.match(text, /KXFED-T3\.50\s+0\.00\s.*fallback: tightest spread/);
});

test('a stale market says so in the health column and the header flags a dropped stream and a tripped kill switch', () => {
  const s = {
    ...status([market({ health: { connected: true, paused: false, stale: true, staleReason: 'seq gap', errors: 0 } })]),
    connected: false,
    killSwitch: { tripped: true, reason: 'manual' },
  };
  const text = renderStatusTable(s, { env: 'local', rateHeadroom: 0.42 });
  assert.match(text, /stale: seq gap/);
  assert.match(text, /WS DOWN/);
  assert.match(text, /KILL SWITCH: manual/);
  assert.match(text, /rate 42%/);
  assert.match(text, /^12:00:05 \| local \| running/);
});

test('the header shows the order group: its limit while active, the cool-down left once triggered, the operator wait, a deletion', () => {
  const base = status([market()]);
  const group = { orderGroupId: 'og-1', contractsLimit: 10_000, state: 'active' as const, triggers: 0 };
  assert.match(renderStatusTable({ ...base, orderGroup: group }), /\| group ≤100\/15s \|/);
  const triggered = { ...group, state: 'triggered' as const, triggers: 1, triggeredAtMs: base.nowMs - 18_000, resetDueMs: base.nowMs + 42_000 };
  assert.match(renderStatusTable({ ...base, orderGroup: triggered }), /ORDER GROUP TRIGGERED \(>100 in 15s\): reset in 42s/);
  const { resetDueMs: _, ...waiting } = triggered;
  assert.match(renderStatusTable({ ...base, orderGroup: waiting }), /ORDER GROUP TRIGGERED \(>100 in 15s\): waiting for the operator/);
  assert.match(renderStatusTable({ ...base, orderGroup: { ...group, state: 'lost' } }), /ORDER GROUP DELETED: restart to quote/);
  assert.doesNotMatch(renderStatusTable(base), /group/i);
});

test('a dropped market being unwound says so in the chosen column, and adopted position mismatches are counted in the header', () => {
  const unwind = { ticker: 'KXFED-T3.50', policy: 'unwind' as const, sinceMs: 0, deadlineMs: 900_000, startPosition: -350 as Count };
  const rows = statusRows(status([market({ unwind })]), new Map([['KXFED-T3.50', 'score rank 1 of 3']]));
  assert.equal(rows[1]?.[9], 'dropped: unwind until flat');
  const text = renderStatusTable({ ...status([market()]), positionChecks: { checks: 4, mismatches: 2, pending: 0 } });
  assert.match(text.split('\n')[0] ?? '', /position mismatches 2/);
  assert.doesNotMatch(renderStatusTable(status([market()])).split('\n')[0] ?? '', /mismatch/);
});
