// The audit's repro, cut down to its few lines (`synth --markets 4 --hours 2`, KXHIGHNY-26JAN01-T42 at
// 14:10:34): others quote 1¢ × 12¢, one print sweeps the 12¢ and 14¢ asks and leaves only the 1¢ / 99¢
// backstops; 2.8 s later the asks come back. Quoting around the hollow book's 50¢ mid rests a bid near
// 49¢, which the returning 12¢ ask fills — a loss of ~37¢ a contract. The backtest runs the bot's own
// MarketMaker, so this is the live behaviour too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cents, contracts, MemoryLogger, type BookLevel, type PortEvent } from '../../src/core/index.js';
import { encodeMarket, encodeWsOrderbookDelta, encodeWsOrderbookSnapshot, encodeWsTrade } from '../../src/kalshi/wire/index.js';
import { loadConfig } from '../../src/config/index.js';
import { RecordingWriter } from '../../src/record/index.js';
import type { MarketMaker } from '../../src/bot/index.js';
import { defaultAgentFactory, replay, type AgentFactory } from '../../src/backtest/index.js';
import { testMarket } from './recording-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'kmm-hollow-'));
const T = 'KXTEST-26JAN01-T42';
const T0 = 1_767_276_000_000;
const SWEEP_MS = T0 + 60_000;
const BACK_MS = SWEEP_MS + 2_840;
const END_MS = BACK_MS + 60_000;
const level = (priceCents: number, whole: number): BookLevel => ({ price: cents(priceCents), count: contracts(whole) });

async function recording(): Promise<string> {
  const path = join(dir, 'hollow.jsonl');
  const writer = RecordingWriter.open(path, { source: 'synthetic', created: '2026-01-01T14:00:00Z', headerMs: T0 });
  const market = testMarket(T, T0, T0 + 8 * 3_600_000);
  let seq = 0;
  const msg = (wire: Record<string, unknown>): Record<string, unknown> => wire['msg'] as Record<string, unknown>;
  await writer.write({ recv_ms: T0, type: 'market', msg: encodeMarket(market) });
  // YES bids 1¢; YES asks 12¢ × 9 and 14¢ × 124 (NO bids 88¢ and 86¢) over the 99¢ backstop (NO 1¢).
  seq += 1;
  const book = { ticker: T, yes: [level(1, 25_000)], no: [level(1, 25_000), level(86, 124), level(88, 9)] };
  await writer.write({ recv_ms: T0, type: 'orderbook_snapshot', sid: 1, seq, msg: msg(encodeWsOrderbookSnapshot(book, { sid: 1, seq })) });
  const delta = async (tMs: number, noCents: number, whole: number): Promise<void> => {
    seq += 1;
    const wire = encodeWsOrderbookDelta({ ticker: T, side: 'no', price: cents(noCents), delta: contracts(whole), tsMs: tMs }, { sid: 1, seq });
    await writer.write({ recv_ms: tMs, type: 'orderbook_delta', sid: 1, seq, msg: msg(wire) });
  };
  const trade = async (tMs: number, yesCents: number, whole: number): Promise<void> => {
    const wire = encodeWsTrade({ tradeId: `t-${tMs}-${yesCents}`, ticker: T, price: cents(yesCents), count: contracts(whole), takerSide: 'bid', tsMs: tMs }, { sid: 2, seq: 1 });
    await writer.write({ recv_ms: tMs, type: 'trade', sid: 2, msg: msg(wire) });
  };
  // The sweep: a YES buyer takes both asks; only the backstops are left (1¢ × 99¢).
  await delta(SWEEP_MS, 88, -9);
  await trade(SWEEP_MS, 12, 9);
  await delta(SWEEP_MS, 86, -124);
  await trade(SWEEP_MS, 14, 124);
  // The asks come back.
  await delta(BACK_MS, 88, 9);
  await delta(BACK_MS, 86, 124);
  await delta(END_MS, 1, 1);
  await writer.close();
  return path;
}

test('a book swept down to its 1¢ / 99¢ backstops is not quoted: no bid rests near the hollow 50¢ mid, and quoting resumes when the asks come back', async () => {
  const file = await recording();
  const factory = defaultAgentFactory({ config: loadConfig({ flags: {} }) });
  const bids: { atMs: number; price: number }[] = [];
  const reasons: { atMs: number; reasons: readonly string[] }[] = [];
  const agent: AgentFactory = (context) => {
    const maker = factory(context) as MarketMaker;
    return {
      async onEvent(event: PortEvent) {
        await maker.onEvent(event);
        const status = maker.status();
        reasons.push({ atMs: event.recvMs, reasons: status.reasons });
        for (const o of maker.orders.orders()) if (o.side === 'bid') bids.push({ atMs: event.recvMs, price: o.price });
      },
      finish: () => maker.finish(),
    };
  };
  const [result] = await replay({ file, tickers: [T], params: [{ gamma: 0.1, kappa: 1.5 }], agent, series: true, logger: new MemoryLogger() });
  assert.ok(result?.fillLog, 'a result with its fills');
  const boughtHigh = result.fillLog.filter((f) => f.side === 'bid' && f.price > cents(12));
  assert.deepEqual(boughtHigh, [], `no bid filled above the 12¢ ask: ${JSON.stringify(result.fillLog)}`);
  const hollowBids = bids.filter((b) => b.price > cents(14));
  assert.deepEqual(hollowBids, [], 'no bid of ours ever rested above the 14¢ ask');
  assert.ok(
    reasons.some((r) => r.atMs >= SWEEP_MS && r.atMs < BACK_MS && r.reasons.includes('bid: wide_market')),
    `the hollow book is the reason shown: ${JSON.stringify(reasons.filter((r) => r.atMs >= SWEEP_MS && r.atMs < BACK_MS))}`,
  );
  assert.ok(
    bids.some((b) => b.atMs > BACK_MS && b.atMs <= END_MS),
    'quoting the bid again once the asks are back',
  );
  assert.ok(bids.some((b) => b.atMs < SWEEP_MS), 'precondition: quoting before the sweep');
});
