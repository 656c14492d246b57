import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TickGrid, type Count, type Price } from '../../core/index.js';
import { EngineRejection } from './errors.js';
import type { MatchingEngine } from './engine.js';
import { order, testEngine, testMarket } from './test-support.js';

const ACCOUNTS = ['a', 'b', 'c'];
const TAPERED = new TickGrid([
  { start: 0 as Price, end: 1000 as Price, step: 10 },
  { start: 1000 as Price, end: 9000 as Price, step: 100 },
  { start: 9000 as Price, end: 10_000 as Price, step: 10 },
]);

type Command =
  | { kind: 'create'; account: number; ticker: string; side: 'bid' | 'ask'; price: number; count: number; tif: number; postOnly: boolean; stp: boolean; reduceOnly: boolean; expiresInS: number | null; grouped: boolean }
  | { kind: 'cancel'; account: number; pick: number }
  | { kind: 'amend'; account: number; pick: number; price: number; extra: number }
  | { kind: 'decrease'; account: number; pick: number; by: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'pause'; ticker: string }
  | { kind: 'resetGroup'; account: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      account: fc.nat(2),
      ticker: fc.constantFrom('M1', 'T1'),
      side: fc.constantFrom('bid' as const, 'ask' as const),
      price: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 440, max: 560 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 999 }) }),
      count: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 20 }).map((c) => c * 100)),
      tif: fc.integer({ min: 0, max: 9 }).map((n) => (n < 7 ? 0 : n < 9 ? 1 : 2)),
      postOnly: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
      stp: fc.boolean(),
      reduceOnly: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
      expiresInS: fc.option(fc.integer({ min: 1, max: 120 }), { freq: 4 }),
      grouped: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), account: fc.nat(2), pick: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('amend' as const), account: fc.nat(2), pick: fc.nat(20), price: fc.integer({ min: 1, max: 999 }), extra: fc.integer({ min: 1, max: 800 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('decrease' as const), account: fc.nat(2), pick: fc.nat(20), by: fc.integer({ min: 1, max: 800 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 60_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('pause' as const), ticker: fc.constantFrom('M1', 'T1') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resetGroup' as const), account: fc.nat(2) }) },
);

/** Snaps a price index (1..999 tenths of a cent) onto the market's grid. */
function gridPrice(engine: MatchingEngine, ticker: string, index: number): Price {
  const grid = engine.getMarket(ticker).grid;
  return (grid.floor(index * 10) ?? grid.minPrice) as Price;
}

function apply(engine: MatchingEngine, command: Command): void {
  if (command.kind === 'advance') return;
  if (command.kind === 'pause') {
    if (engine.getMarket(command.ticker).status === 'active') engine.pauseMarket(command.ticker);
    else engine.resumeMarket(command.ticker);
    return;
  }
  const accountId = ACCOUNTS[command.account] ?? 'a';
  const group = engine.listOrderGroups(accountId)[0];
  if (command.kind === 'resetGroup') {
    if (group) engine.resetOrderGroup(accountId, group.orderGroupId);
    return;
  }
  const resting = engine.listOrders(accountId).filter((o) => o.status === 'resting');
  if (command.kind === 'create') {
    engine.createOrder(
      accountId,
      order(command.side, 0, 0, {
        ticker: command.ticker,
        price: gridPrice(engine, command.ticker, command.price),
        count: command.count as Count,
        timeInForce: (['good_till_canceled', 'immediate_or_cancel', 'fill_or_kill'] as const)[command.tif] ?? 'good_till_canceled',
        postOnly: command.postOnly,
        selfTradePrevention: command.stp ? 'maker' : 'taker_at_cross',
        reduceOnly: command.reduceOnly,
        cancelOnPause: command.stp,
        ...(command.grouped && group ? { orderGroupId: group.orderGroupId } : {}),
        ...(command.expiresInS === null ? {} : { expirationTimeS: Math.floor(engine.getMarket(command.ticker).openTimeMs / 1000) + command.expiresInS }),
      }),
    );
    return;
  }
  const target = resting[command.pick % Math.max(1, resting.length)];
  if (!target) return;
  if (command.kind === 'cancel') engine.cancelOrder(accountId, target.orderId);
  else if (command.kind === 'decrease') engine.decreaseOrder(accountId, { orderId: target.orderId, reduceBy: command.by as Count });
  else {
    engine.amendOrder(accountId, {
      orderId: target.orderId,
      ticker: target.ticker,
      side: target.side,
      price: gridPrice(engine, target.ticker, command.price),
      count: (target.fillCount + command.extra) as Count,
    });
  }
}

function checkInvariants(engine: MatchingEngine): void {
  const audit = engine.audit();
  assert.equal(audit.accountCash + audit.exchangeIncome + audit.escrow, audit.deposits, 'cash is conserved, fees included');
  assert.ok(audit.exchangeIncome >= 0, 'the exchange never pays fees out');
  for (const [ticker, { longYes, longNo }] of audit.contracts) {
    assert.equal(longYes, longNo, `contracts conserved in ${ticker}`);
    assert.equal(engine.getMarket(ticker).openInterest, longYes, `open interest of ${ticker}`);
  }
  for (const id of ACCOUNTS) {
    const balance = engine.getBalance(id);
    assert.ok(balance.cash >= 0, `cash of ${id} was ${balance.cash}`);
    assert.ok(balance.available >= 0, `available of ${id} was ${balance.available}`);
  }
  for (const ticker of ['M1', 'T1']) {
    const book = engine.getBook(ticker);
    const bestYes = book.yes[book.yes.length - 1]?.price ?? 0;
    const bestNo = book.no[book.no.length - 1]?.price ?? 0;
    assert.ok(bestYes + bestNo < 10_000, `book of ${ticker} crossed at rest: yes ${bestYes} no ${bestNo}`);
  }
}

describe('engine invariants over random order streams', () => {
  test('contracts and cash are conserved, balances stay non-negative and books never rest crossed, through settlement', () => {
    fc.assert(
      fc.property(
        fc.array(commandArb, { minLength: 20, maxLength: 120, size: 'max' }),
        fc.integer({ min: 50_000, max: 2_000_000 }),
        fc.constantFrom(1 as const, 100 as const),
        fc.constantFrom('yes' as const, 'no' as const),
        fc.boolean(),
        fc.integer({ min: 1, max: 30 }),
        (commands, balance, precision, result, makerFees, groupLimit) => {
          const { engine, clock } = testEngine({
            balance,
            precision,
            ...(makerFees ? { fees: { feeType: 'quadratic_with_maker_fees' as const, multiplier: 10_000 } } : {}),
          });
          engine.addMarket(testMarket('T1', { grid: TAPERED }));
          for (const id of ACCOUNTS) engine.createOrderGroup(id, (groupLimit * 100) as Count);
          for (const command of commands) {
            if (command.kind === 'advance') clock.advanceBy(command.ms);
            try {
              apply(engine, command);
            } catch (error) {
              if (!(error instanceof EngineRejection)) throw error;
            }
            checkInvariants(engine);
          }
          engine.settleMarket('M1', result);
          engine.settleMarket('T1', result === 'yes' ? 'no' : 'yes');
          checkInvariants(engine);
          const audit = engine.audit();
          assert.equal(audit.escrow, 0);
          assert.equal(audit.accountLocked, 0);
        },
      ),
      { numRuns: 200, seed: 42 },
    );
  });
});
