// A backtest with a starting cash: orders the account cannot cover are refused as the exchange
// refuses them, the balance never goes negative, and results count the refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cents, contracts, MemoryLogger, OrderRejectedError, type Cash, type PublicTrade } from '../../src/core/index.js';
import { encodeMarket, encodeWsOrderbookSnapshot, encodeWsTrade } from '../../src/kalshi/wire/index.js';
import { RecordingWriter } from '../../src/record/index.js';
import { BacktestExchange, DEFAULT_MODELS, referenceAgentFactory, replay, type AgentFactory, type ModelSettings } from '../../src/backtest/index.js';
import { runCommand } from './backtest-cli-helper.js';
import { testMarket } from './recording-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'kmm-bt-cash-'));
const T = 'KXTEST-26JAN01-T50';
const T0 = 1_767_276_000_000;
const NO_LATENCY: ModelSettings = { ...DEFAULT_MODELS, latency: { entryMs: 0, entryJitterMs: 0, cancelMs: 0, cancelJitterMs: 0 } };

/** YES bid 40¢ ×10 and YES ask 60¢ ×10; a seller prints 49¢ ×5 at +5 s, a buyer 51¢ ×5 at +20 s. */
async function recording(): Promise<string> {
  const path = join(dir, 'cash.jsonl');
  const writer = RecordingWriter.open(path, { source: 'synthetic', created: '2026-01-01T14:00:00Z', headerMs: T0 });
  const market = testMarket(T, T0, T0 + 3_600_000);
  await writer.write({ recv_ms: T0, type: 'market', msg: encodeMarket(market) });
  const snapshot = encodeWsOrderbookSnapshot({ ticker: T, yes: [{ price: cents(40), count: contracts(10) }], no: [{ price: cents(40), count: contracts(10) }] }, { sid: 1, seq: 1 });
  await writer.write({ recv_ms: T0, type: 'orderbook_snapshot', sid: 1, seq: 1, msg: snapshot['msg'] });
  const prints: [number, number, 'bid' | 'ask'][] = [
    [5_000, 49, 'ask'],
    [20_000, 51, 'bid'],
    [40_000, 50, 'bid'],
  ];
  for (const [i, [dt, price, takerSide]] of prints.entries()) {
    const trade: PublicTrade = { tradeId: `t${i}`, ticker: T, price: cents(price), count: contracts(5), takerSide, tsMs: T0 + dt };
    await writer.write({ recv_ms: T0 + dt, type: 'trade', sid: 2, msg: encodeWsTrade(trade, { sid: 2 })['msg'] });
  }
  await writer.close();
  return path;
}

interface Watch {
  minAvailable: number;
  minCash: number;
  readonly refusals: unknown[];
}

/** The reference quoter (5 contracts a side), watched: the account after every event, and the errors its creates get. */
function watchedAgent(watch: Watch): AgentFactory {
  const inner = referenceAgentFactory({ sizeContracts: 5, requoteMs: 1_000 });
  return (context) => {
    const port = context.port;
    assert.ok(port instanceof BacktestExchange);
    const create = port.createOrder.bind(port);
    port.createOrder = (request) =>
      create(request).catch((error: unknown) => {
        watch.refusals.push(error);
        throw error;
      });
    const agent = inner(context);
    const look = (): void => {
      watch.minAvailable = Math.min(watch.minAvailable, port.sim.account.available());
      watch.minCash = Math.min(watch.minCash, port.sim.account.state.cash);
    };
    return {
      onEvent: (event) => {
        const result = agent.onEvent(event);
        if (result === undefined) return look();
        return result.then(look);
      },
    };
  };
}

test('with $4 the bid (5 × 49¢) fits, the ask is refused for balance until the bought YES covers it; the balance never goes negative', async () => {
  const file = await recording();
  const watch: Watch = { minAvailable: Infinity, minCash: Infinity, refusals: [] };
  const models: ModelSettings = { ...NO_LATENCY, account: { startingCash: 40_000 as Cash } };
  const [result] = await replay({ file, tickers: [T], params: [{ gamma: 0.1, kappa: 1.5 }], agent: watchedAgent(watch), models, logger: new MemoryLogger() });
  assert.ok(result);
  assert.ok(result.balanceRejections > 0, `refusals counted (${result.balanceRejections})`);
  assert.equal(watch.refusals.length, result.balanceRejections, 'every refusal reached the trading core');
  for (const error of watch.refusals) {
    // What the live client raises for Kalshi's 400 available_balance_too_low.
    assert.ok(error instanceof OrderRejectedError && error.reason === 'available_balance_too_low', String(error));
  }
  assert.ok(watch.minAvailable >= 0, `available balance never negative (min ${watch.minAvailable})`);
  assert.ok(watch.minCash >= 0, `cash never negative (min ${watch.minCash})`);
  assert.equal(result.fills, 2, 'bought at 49¢, then sold at 51¢ once the long YES netted the ask’s collateral');
  assert.equal(result.inventory, 0);

  const unlimited = await replay({ file, tickers: [T], params: [{ gamma: 0.1, kappa: 1.5 }], agent: watchedAgent({ minAvailable: Infinity, minCash: Infinity, refusals: [] }), models: NO_LATENCY, logger: new MemoryLogger() });
  assert.equal(unlimited[0]?.balanceRejections, 0, 'without a starting cash nothing is refused');
});

test('a run that cannot afford anything refuses every order and never trades', async () => {
  const file = await recording();
  const watch: Watch = { minAvailable: Infinity, minCash: Infinity, refusals: [] };
  const [result] = await replay({ file, tickers: [T], params: [{ gamma: 0.1, kappa: 1.5 }], agent: watchedAgent(watch), models: { ...NO_LATENCY, account: { startingCash: 1_000 as Cash } }, logger: new MemoryLogger() });
  assert.equal(result?.fills, 0);
  assert.ok((result?.balanceRejections ?? 0) >= 2, 'both sides refused');
  assert.equal(watch.refusals.length, result?.balanceRejections);
  assert.equal(watch.minAvailable, 1_000, 'nothing was ever locked or spent');
});

test('backtest and optimize take --starting-cash; the results say how many orders were refused for balance', async () => {
  const file = await recording();
  const base = ['backtest', '--data', file, '--market', T, '--json', '--agent', 'reference', '--quote-size-contracts', '5', '--latency-ms', '0', '--latency-jitter-ms', '0'];
  const limited = await runCommand([...base, '--starting-cash', '4']);
  assert.equal(limited.code, 0, limited.err);
  const refused = (JSON.parse(limited.out) as { balanceRejections: number }).balanceRejections;
  assert.ok(refused > 0, `refused ${refused}`);
  const free = await runCommand(base);
  assert.equal((JSON.parse(free.out) as { balanceRejections: number }).balanceRejections, 0);
  assert.equal((await runCommand([...base, '--starting-cash', '4.00001'])).code, 2, 'more than 4 decimals is bad usage');
  assert.equal((await runCommand([...base, '--starting-cash', '-1'])).code, 2);
  assert.equal((await runCommand([...base, '--balance-precision', 'mills'])).code, 2);

  const out = join(dir, 'opt');
  const opt = await runCommand(['optimize', '--data', file, '--out', out, '--workers', '1', '--gammas', '0.1:0.1:0.1', '--kappas', '1.5:1.5:1', '--agent', 'reference', '--quote-size-contracts', '5', '--starting-cash', '4']);
  assert.equal(opt.code, 0, opt.err);
  const records = JSON.parse(readFileSync(join(out, 'market_results.json'), 'utf8')) as { balanceRejections: number }[];
  assert.ok((records[0]?.balanceRejections ?? 0) > 0);
  const overall = JSON.parse(readFileSync(join(out, 'overall_results.json'), 'utf8')) as { totalBalanceRejections: number }[];
  assert.equal(overall[0]?.totalBalanceRejections, records[0]?.balanceRejections);
  const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { settings: { startingCashDollars?: number } };
  assert.equal(run.settings.startingCashDollars, 4);
});
