// A run's metrics mark inventory as the trading core's risk manager does: a hollow book (one-sided, or
// wider than maxMarketSpreadCents — here only the 1¢ / 99¢ backstops, whose mid reads 50¢) is no price.
// The recording: we sell 10 at 9¢ into a 9¢ × 11¢ book (mid 10¢); 5 s later the book is swept to its
// backstops for 10 s; it comes back at 12¢ × 14¢ (mid 13¢); at the end it is swept again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cents, contracts, MemoryLogger, type BookLevel } from '../../src/core/index.js';
import { encodeMarket, encodeWsOrderbookDelta, encodeWsOrderbookSnapshot } from '../../src/kalshi/wire/index.js';
import { RecordingWriter } from '../../src/record/index.js';
import { DEFAULT_MODELS, replay, type AgentFactory, type BacktestResult, type ModelSettings } from '../../src/backtest/index.js';
import { testMarket } from './recording-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'kmm-hollow-metrics-'));
const T = 'KXTEST-26JAN01-T10';
const T0 = 1_767_276_000_000;
const HOLLOW_MS = T0 + 5_000;
const BACK_MS = T0 + 15_000;
const END_MS = T0 + 120_000;
const NO_LATENCY: ModelSettings = { ...DEFAULT_MODELS, latency: { entryMs: 0, entryJitterMs: 0, cancelMs: 0, cancelJitterMs: 0 } };
const level = (priceCents: number, whole: number): BookLevel => ({ price: cents(priceCents), count: contracts(whole) });

async function recording(endHollow: boolean): Promise<string> {
  const path = join(dir, `hollow-${endHollow}.jsonl`);
  const writer = RecordingWriter.open(path, { source: 'synthetic', created: '2026-01-01T14:00:00Z', headerMs: T0 });
  const market = testMarket(T, T0, T0 + 8 * 3_600_000);
  let seq = 1;
  await writer.write({ recv_ms: T0, type: 'market', msg: encodeMarket(market) });
  // YES bids 9¢ × 100 over the 1¢ backstop; NO bids 89¢ × 100 (YES ask 11¢) over the 1¢ backstop (99¢).
  const book = { ticker: T, yes: [level(1, 1_000), level(9, 100)], no: [level(1, 1_000), level(89, 100)] };
  await writer.write({ recv_ms: T0, type: 'orderbook_snapshot', sid: 1, seq, msg: encodeWsOrderbookSnapshot(book, { sid: 1, seq })['msg'] });
  const delta = async (tMs: number, side: 'yes' | 'no', priceCents: number, whole: number): Promise<void> => {
    seq += 1;
    const wire = encodeWsOrderbookDelta({ ticker: T, side, price: cents(priceCents), delta: contracts(whole), tsMs: tMs }, { sid: 1, seq });
    await writer.write({ recv_ms: tMs, type: 'orderbook_delta', sid: 1, seq, msg: wire['msg'] });
  };
  // Each change one delta at a time, in the order that keeps every step in between hollow too
  // (9¢ × 99¢, then 1¢ × 99¢; 12¢ × 99¢, then 12¢ × 14¢).
  await delta(HOLLOW_MS, 'no', 89, -100);
  await delta(HOLLOW_MS, 'yes', 9, -100);
  await delta(BACK_MS, 'yes', 12, 100);
  await delta(BACK_MS, 'no', 86, 100);
  if (endHollow) {
    await delta(END_MS, 'no', 86, -100);
    await delta(END_MS, 'yes', 12, -100);
  } else {
    await delta(END_MS, 'yes', 1, 1);
  }
  await writer.close();
  return path;
}

/** Sells 10 YES at 9¢ (taking the 9¢ bid) on the first book, then does nothing. */
const sellOnce: AgentFactory = (context) => {
  let sent = false;
  return {
    async onEvent(event) {
      if (sent || event.type !== 'book_snapshot') return;
      sent = true;
      await context.port.createOrder({ ticker: T, side: 'ask', price: cents(9), count: contracts(10), timeInForce: 'immediate_or_cancel', postOnly: false, selfTradePrevention: 'maker', clientOrderId: 'sell-1' });
    },
  };
};

async function run(file: string, maxMarketSpreadCents?: number): Promise<BacktestResult> {
  const [result] = await replay({
    file,
    tickers: [T],
    params: [{ gamma: 0.1, kappa: 1.5 }],
    agent: sellOnce,
    models: NO_LATENCY,
    logger: new MemoryLogger(),
    ...(maxMarketSpreadCents === undefined ? {} : { maxMarketSpreadCents }),
  });
  assert.ok(result);
  assert.equal(result.fills, 1, 'precondition: the sell filled');
  assert.equal(result.inventory, -10);
  return result;
}

const money = (dollars: number): number => Math.round(dollars * 10_000) / 10_000;

test('a hollow moment makes no drawdown: equity holds the last markable mid while the book is hollow', async () => {
  const r = await run(await recording(false));
  // Cash +0.90 − fees; 10 short marked at 10¢, then 13¢: the worst equity is at 13¢. Marked at the
  // hollow 50¢ it would be −4.10 − fees.
  assert.equal(money(r.maxDrawdown), money(1.3 - 0.9 + r.fees));
  assert.equal(r.valuation, 'mark-to-mid');
  assert.equal(r.markPrice, 0.13);
});

test('a markout whose horizon falls while the book is hollow takes the first markable mid after it', async () => {
  const r = await run(await recording(false));
  assert.equal(r.markout1s, -0.01, 'mid 10¢ 1 s after selling at 9¢');
  assert.equal(r.markout10s, -0.04, 'at 10 s the book is hollow: the 13¢ mid of 15 s, not the hollow 50¢');
  assert.equal(r.markout60s, -0.04);
});

test('the end inventory is valued at the last markable mid, not at the hollow book of the end', async () => {
  const r = await run(await recording(true));
  assert.equal(r.valuation, 'mark-to-mid');
  assert.equal(r.markPrice, 0.13);
  assert.equal(money(r.pnl), money(0.9 - r.fees - 1.3));
});

test('the limit is the run\'s maxMarketSpreadCents: at 99¢ the 1¢ / 99¢ book is a price and its 50¢ mid marks', async () => {
  const r = await run(await recording(true), 99);
  // The worst hollow step is 12¢ × 99¢ (mid 55.5¢).
  assert.equal(money(r.maxDrawdown), money(5.55 - 0.9 + r.fees));
  assert.equal(r.markout10s, -0.41);
  assert.equal(r.markPrice, 0.5);
});
