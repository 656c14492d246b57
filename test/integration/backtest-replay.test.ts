// The original design's checks, on recordings read from disk through the same replay the CLI uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cents, contracts, MemoryLogger, TickGrid, type OrderRequest, type PortEvent, type PublicTrade } from '../../src/core/index.js';
import { encodeMarket, encodeWsOrderbookSnapshot, encodeWsTrade, parseWire, portEventFromWs, wsMessageSchema } from '../../src/kalshi/wire/index.js';
import { RollingTradeStdDev } from '../../src/marketdata/index.js';
import { loadConfig } from '../../src/config/index.js';
import { runCommand } from './backtest-cli-helper.js';
import { applyTieRule, readRecording, RecordingWriter } from '../../src/record/index.js';
import { DEFAULT_MODELS, defaultAgentFactory, LineDecoder, referenceAgentFactory, referenceQuotes, replay, type AgentFactory, type ModelSettings } from '../../src/backtest/index.js';
import { testMarket } from './recording-fixture.js';

const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'recordings');
const dir = mkdtempSync(join(tmpdir(), 'kmm-bt-'));
const T = 'KXTEST-26JAN01-T50';
const T0 = 1_767_276_000_000;
const NO_LATENCY: ModelSettings = { ...DEFAULT_MODELS, latency: { entryMs: 0, entryJitterMs: 0, cancelMs: 0, cancelJitterMs: 0 } };

async function decodeAll(file: string): Promise<{ line: number; event: PortEvent | undefined; raw: unknown }[]> {
  const decoder = new LineDecoder(file);
  const out = [];
  for await (const line of applyTieRule(readRecording(file))) out.push({ line: line.line, event: decoder.decode(line), raw: { type: line.type, sid: line.sid, seq: line.seq, msg: line.msg } });
  return out;
}

/** Writes a one-market recording: YES bid 40¢ ×10, YES ask 60¢ ×10 at T0, then `trades`, then the result if given. */
async function marketWithTrades(name: string, trades: readonly { atMs: number; priceCents: number; whole: number; takerSide: 'bid' | 'ask' }[], result?: 'yes' | 'no'): Promise<string> {
  const path = join(dir, name);
  const writer = RecordingWriter.open(path, { source: 'synthetic', created: '2026-01-01T14:00:00Z', headerMs: T0 });
  const market = testMarket(T, T0, T0 + 3_600_000);
  await writer.write({ recv_ms: T0, type: 'market', msg: encodeMarket(market) });
  const snapshot = encodeWsOrderbookSnapshot({ ticker: T, yes: [{ price: cents(40), count: contracts(10) }], no: [{ price: cents(40), count: contracts(10) }] }, { sid: 1, seq: 1 });
  await writer.write({ recv_ms: T0, type: 'orderbook_snapshot', sid: 1, seq: 1, msg: snapshot['msg'] });
  for (const [i, t] of trades.entries()) {
    const trade: PublicTrade = { tradeId: `t${i}`, ticker: T, price: cents(t.priceCents), count: contracts(t.whole), takerSide: t.takerSide, tsMs: t.atMs };
    await writer.write({ recv_ms: t.atMs, type: 'trade', sid: 2, msg: encodeWsTrade(trade, { sid: 2 })['msg'] });
  }
  if (result) {
    const last = trades[trades.length - 1]?.atMs ?? T0;
    await writer.write({ recv_ms: last + 60_000, type: 'market', msg: encodeMarket({ ...market, status: 'finalized', result }) });
  }
  await writer.close();
  return path;
}

/** Wraps the reference agent to record every order it sends. */
function recordingAgent(sent: OrderRequest[]): AgentFactory {
  const inner = referenceAgentFactory({ sizeContracts: 5, requoteMs: 1_000 });
  return (context) => {
    const create = context.port.createOrder.bind(context.port);
    context.port.createOrder = (request) => (sent.push(request), create(request));
    return inner(context);
  };
}

test('order books and trades parse as kalshi/wire converts them (real capture and trade prints)', async () => {
  let checked = 0;
  for (const name of ['ws-capture-excerpt.jsonl', 'trades-excerpt.jsonl']) {
    for (const { event, raw } of await decodeAll(join(FIXTURES, name))) {
      const type = (raw as { type: string }).type;
      if (type !== 'orderbook_snapshot' && type !== 'orderbook_delta' && type !== 'trade') continue;
      // Imported trade prints carry no sid (they never went through a subscription); the schema wants one.
      const envelope = { sid: 0, ...Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter(([, v]) => v !== undefined)) };
      const expected = portEventFromWs(parseWire(wsMessageSchema, envelope) as Parameters<typeof portEventFromWs>[0], event?.recvMs ?? 0);
      assert.deepEqual(event, expected);
      checked++;
    }
  }
  assert.ok(checked > 300, `checked ${checked} lines`);
});

test('an imported top-of-book row becomes a one-level snapshot on each side', async () => {
  const events = await decodeAll(join(FIXTURES, 'bbo-excerpt.jsonl'));
  const first = events.find((e) => e.event?.type === 'book_snapshot')?.event;
  // CSV row: 2025-12-04T12:27:16.079996,KXHIGHNY-25DEC05-T37,1,96,99,4 (local UTC−8).
  assert.deepEqual(first, { type: 'book_snapshot', recvMs: Date.parse('2025-12-04T20:27:16.079Z'), ticker: 'KXHIGHNY-25DEC05-T37', yes: [{ price: cents(1), count: contracts(100) }], no: [{ price: cents(96), count: contracts(100) }] });
});

test('the 60 s volatility of replayed trades is the sample standard deviation of the last minute', async () => {
  const file = await marketWithTrades('vol.jsonl', [
    { atMs: T0 + 0, priceCents: 40, whole: 1, takerSide: 'bid' },
    { atMs: T0 + 10_000, priceCents: 42, whole: 1, takerSide: 'bid' },
    { atMs: T0 + 20_000, priceCents: 44, whole: 1, takerSide: 'ask' },
    { atMs: T0 + 70_000, priceCents: 50, whole: 1, takerSide: 'bid' },
  ]);
  const vol = new RollingTradeStdDev(60_000);
  const seen: (number | undefined)[] = [];
  for (const { event } of await decodeAll(file)) {
    if (event?.type !== 'trade') continue;
    vol.add(event.recvMs, event.trade.price / 100);
    seen.push(vol.value(event.recvMs));
  }
  // By hand: {40} → none; {40, 42} → √2; {40, 42, 44} → 2; (T0+10 s, T0+70 s] holds {44, 50} → √18.
  assert.equal(seen[0], undefined);
  assert.ok(Math.abs((seen[1] ?? 0) - Math.SQRT2) < 1e-12);
  assert.ok(Math.abs((seen[2] ?? 0) - 2) < 1e-12);
  assert.ok(Math.abs((seen[3] ?? 0) - Math.sqrt(18)) < 1e-12);
});

test('reservation price and spread match the hand computation', () => {
  // s = 50¢, q = 2, σ = 3¢, γ = 0.2, κ = 1.5: r = 50 − 2·0.2·9 = 46.4; spread = 0.2·9 + 10·ln(1 + 0.2/1.5).
  const q = referenceQuotes(50, 2, 3, 0.2, 1.5);
  assert.ok(Math.abs(q.reservation - 46.4) < 1e-12);
  assert.ok(Math.abs(q.spread - (1.8 + 10 * Math.log(1 + 0.2 / 1.5))) < 1e-12);
  assert.ok(Math.abs(q.bid - (46.4 - q.spread / 2)) < 1e-12);
});

test('a market with known trades fills a bid placed at the computed price; cash and inventory follow', async () => {
  const file = await marketWithTrades('fill.jsonl', [{ atMs: T0 + 5_000, priceCents: 49, whole: 5, takerSide: 'ask' }]);
  const sent: OrderRequest[] = [];
  const [result] = await replay({ file, tickers: [T], params: [{ gamma: 0.1, kappa: 1.5 }], agent: recordingAgent(sent), models: NO_LATENCY, logger: new MemoryLogger() });
  // Mid 50¢, q = 0, σ = 1¢ (no trades yet): spread = 0.1 + 20·ln(1 + 0.1/1.5) = 1.3908…; bid = ⌊49.30⌋ = 49¢, ask = ⌈50.70⌉ = 51¢.
  assert.deepEqual(sent.slice(0, 2).map((r) => [r.side, r.price]), [['bid', cents(49)], ['ask', cents(51)]]);
  assert.ok(result);
  assert.equal(result.fills, 1);
  assert.equal(result.inventory, 5);
  // Paid 5 × $0.49 = $2.45 plus the maker fee 0.0175 × 5 × 0.49 × 0.51 = $0.02186… → $0.0219; the
  // cent-precision balance change −$2.4719 is floored to −$2.48, so the fee charged is $0.03.
  assert.equal(result.fees, 0.03);
  assert.equal(result.cash, -2.48);
  assert.equal(result.valuation, 'mark-to-mid');
  assert.equal(result.pnl, 0.02, 'marked at the 50¢ mid: −2.48 + 2.50');
});

test('changing gamma changes the quotes as the formula says', async () => {
  const file = await marketWithTrades('gamma.jsonl', []);
  const quotes = async (gamma: number): Promise<[string, number][]> => {
    const sent: OrderRequest[] = [];
    await replay({ file, tickers: [T], params: [{ gamma, kappa: 1.5 }], agent: recordingAgent(sent), models: NO_LATENCY, logger: new MemoryLogger() });
    return sent.slice(0, 2).map((r) => [r.side, r.price]);
  };
  assert.deepEqual(await quotes(0.1), [['bid', cents(49)], ['ask', cents(51)]]);
  // γ = 1: spread = 1 + 2·ln(1 + 1/1.5) = 2.02 → bid ⌊48.99⌋ = 48¢, ask ⌈51.01⌉ = 52¢ (wider).
  assert.deepEqual(await quotes(1), [['bid', cents(48)], ['ask', cents(52)]]);
});

test('a recording line with a bad field fails with the file and line number', async () => {
  const path = join(dir, 'badfield.jsonl');
  const writer = RecordingWriter.open(path, { source: 'synthetic', created: '2026-01-01T14:00:00Z', headerMs: T0 });
  await writer.write({ recv_ms: T0, type: 'trade', msg: { trade_id: 'x', market_ticker: T, yes_price_dollars: '0.5x', count_fp: '1.00', taker_book_side: 'bid' } });
  await writer.close();
  await assert.rejects(replay({ file: path, params: [{ gamma: 0.1, kappa: 1.5 }], agent: referenceAgentFactory(), logger: new MemoryLogger() }), /badfield\.jsonl:2: trade: msg\.yes_price_dollars/);
});

test('async work started by a trading-core timer completes at the timer time, before later events', async () => {
  const file = await marketWithTrades('timer.jsonl', [
    { atMs: T0 + 5_000, priceCents: 45, whole: 3, takerSide: 'ask' },
    { atMs: T0 + 9_000, priceCents: 45, whole: 3, takerSide: 'ask' },
  ]);
  const created: number[] = [];
  const agent: AgentFactory = (context) => {
    let armed = false;
    return {
      onEvent(event) {
        if (armed || event.type !== 'book_snapshot') return undefined;
        armed = true;
        // Fire and forget, with awaits before and between port calls: the replay must let it finish at T0 + 1 s.
        context.clock.setTimer(1_000, () => {
          void (async () => {
            await Promise.resolve();
            const ack = await context.port.createOrder({ ticker: T, side: 'bid', price: cents(45), count: contracts(2), timeInForce: 'good_till_canceled', postOnly: true, selfTradePrevention: 'maker', clientOrderId: 'timer-1' });
            created.push(ack.tsMs);
            await context.port.createOrder({ ticker: T, side: 'bid', price: cents(44), count: contracts(1), timeInForce: 'good_till_canceled', postOnly: true, selfTradePrevention: 'maker', clientOrderId: 'timer-2' }).then((a) => created.push(a.tsMs));
          })();
        });
        return undefined;
      },
    };
  };
  const [result] = await replay({ file, tickers: [T], params: [{ gamma: 0.1, kappa: 1.5 }], agent, models: NO_LATENCY, logger: new MemoryLogger() });
  assert.deepEqual(created, [T0 + 1_000, T0 + 1_000]);
  assert.equal(result?.inventory, 2, 'the 45¢ bid was live before the 5 s trade (3 > 0 ahead): filled 2');
});

test('the bot\'s MarketMaker runs unchanged in the backtest: on-grid post-only quotes, fills, and gamma moves its quotes', async () => {
  const file = join(dir, 'maker.jsonl');
  const { code, err } = await runCommand(['synth', '--markets', '2', '--hours', '0.5', '--seed', '5', '--out', file]);
  assert.equal(code, 0, err);
  const ticker = 'KXHIGHNY-26JAN01-B36.5';
  const run = async (gamma: number): Promise<{ sent: OrderRequest[]; fills: number }> => {
    const sent: OrderRequest[] = [];
    const maker = defaultAgentFactory({ config: loadConfig({ flags: { mode: 'textbook' } }) });
    const agent: AgentFactory = (context) => {
      const create = context.port.createOrder.bind(context.port);
      context.port.createOrder = (request) => (sent.push(request), create(request));
      return maker(context);
    };
    const [result] = await replay({ file, tickers: [ticker], params: [{ gamma, kappa: 1.5 }], agent, logger: new MemoryLogger() });
    return { sent, fills: result?.fills ?? 0 };
  };
  const low = await run(0.05);
  assert.ok(low.sent.length >= 2, `the maker quoted (${low.sent.length} orders)`);
  assert.ok(low.fills > 0, 'and was filled');
  const grid = TickGrid.linearCent();
  assert.ok(low.sent.every((r) => r.postOnly && grid.isValid(r.price)), 'every quote post-only and on the grid');
  const high = await run(2);
  const quotes = (s: OrderRequest[]): string => JSON.stringify(s.map((r) => [r.side, r.price]));
  assert.notEqual(quotes(high.sent), quotes(low.sent), 'γ 0.05 and γ 2 quote differently over the run');
});

test('a grid in one pass gives every parameter set exactly the result of its own single run (MarketMaker)', async () => {
  const file = join(dir, 'grid-equals-single.jsonl');
  const { code, err } = await runCommand(['synth', '--markets', '3', '--hours', '0.5', '--seed', '11', '--out', file]);
  assert.equal(code, 0, err);
  const maker = defaultAgentFactory({ config: loadConfig({ flags: {} }) });
  const params = [
    { gamma: 0.05, kappa: 0.5 },
    { gamma: 0.3, kappa: 2 },
    { gamma: 1, kappa: 5 },
  ];
  const together = await replay({ file, params, agent: maker, logger: new MemoryLogger() });
  assert.ok(together.some((r) => r.fills > 0), 'the runs traded');
  for (const p of params) {
    const alone = await replay({ file, params: [p], agent: maker, logger: new MemoryLogger() });
    const mine = together.filter((r) => r.gamma === p.gamma && r.kappa === p.kappa);
    assert.equal(JSON.stringify(mine), JSON.stringify(alone), `γ ${p.gamma} κ ${p.kappa}`);
  }
});

test('a market refresh the maker starts on a stale book completes at the replay time it started', async () => {
  // No event for 200.5 s: the book goes stale after 120 s (staleAfterMs), the maker's heartbeat
  // notices, pulls its quotes and refreshes over the port; the refresh and the quotes it brings back
  // belong to heartbeat times (whole seconds), not to the next recorded event's time.
  const file = await marketWithTrades('quiet.jsonl', [{ atMs: T0 + 200_500, priceCents: 45, whole: 1, takerSide: 'ask' }]);
  const books: number[] = [];
  const maker = defaultAgentFactory({ config: loadConfig({ flags: { mode: 'textbook' } }) });
  const agent: AgentFactory = (context) => {
    const getOrderBook = context.port.getOrderBook.bind(context.port);
    context.port.getOrderBook = (ticker, depth) => (books.push(context.clock.nowMs()), getOrderBook(ticker, depth));
    return maker(context);
  };
  const sent: number[] = [];
  const [result] = await replay({
    file,
    tickers: [T],
    params: [{ gamma: 0.1, kappa: 1.5 }],
    agent: (context) => {
      const create = context.port.createOrder.bind(context.port);
      context.port.createOrder = (request) => (sent.push(context.clock.nowMs()), create(request));
      return agent(context);
    },
    models: NO_LATENCY,
    logger: new MemoryLogger(),
  });
  assert.ok(result);
  assert.equal(books[0], T0, 'the start loads the book at the first event');
  const refreshes = books.filter((t) => t > T0);
  assert.ok(refreshes.length > 0, 'the stale book was refreshed');
  assert.ok(refreshes.every((t) => t > T0 + 120_000 && (t - T0) % 1_000 === 0), `refreshes at heartbeat times after 120 s: ${refreshes.join(',')}`);
  const requotes = sent.filter((t) => t > T0 + 120_000);
  assert.ok(requotes.length > 0, 'the maker quoted again after the refresh');
  assert.ok(requotes.every((t) => (t - T0) % 1_000 === 0), `quotes after the refresh at heartbeat times: ${requotes.join(',')}`);
});

test('a recording that carries the result settles the inventory at it', async () => {
  const file = await marketWithTrades('settled.jsonl', [{ atMs: T0 + 5_000, priceCents: 49, whole: 5, takerSide: 'ask' }], 'yes');
  const [result] = await replay({ file, tickers: [T], params: [{ gamma: 0.1, kappa: 1.5 }], agent: referenceAgentFactory({ sizeContracts: 5, requoteMs: 1_000 }), models: NO_LATENCY, logger: new MemoryLogger() });
  assert.equal(result?.valuation, 'settled');
  assert.equal(result?.inventory, 5);
  assert.equal(result?.markPrice, 1);
  // Bought 5 at 49¢ (−$2.45 − $0.03 fee: $0.0219 and the cent rounding); YES pays $1 each: +$5.
  assert.equal(result?.pnl, 2.52);
});

test('a REST-poll recording (each book written a round trip before the trades that shrank it) does not count a trade twice', async () => {
  const path = join(dir, 'poll.jsonl');
  const writer = RecordingWriter.open(path, { source: 'synthetic', created: '2026-01-01T14:00:00Z', headerMs: T0 });
  const market = testMarket(T, T0, T0 + 3_600_000);
  await writer.write({ recv_ms: T0, type: 'market', msg: encodeMarket(market) });
  const book = async (atMs: number, bidWhole: number): Promise<void> => {
    const snapshot = encodeWsOrderbookSnapshot({ ticker: T, yes: [{ price: cents(49), count: contracts(bidWhole) }], no: [{ price: cents(49), count: contracts(10) }] }, { sid: 1, seq: 1 });
    await writer.write({ recv_ms: atMs, type: 'orderbook_snapshot', msg: snapshot['msg'] });
  };
  const sell = async (atMs: number, whole: number, id: string): Promise<void> => {
    const trade: PublicTrade = { tradeId: id, ticker: T, price: cents(49), count: contracts(whole), takerSide: 'ask', tsMs: atMs - 400 };
    await writer.write({ recv_ms: atMs, type: 'trade', msg: encodeWsTrade(trade, { sid: 2 })['msg'] });
  };
  // Mid 50¢: the reference agent bids 49¢ behind the 10 there. Poll 1: 6 of them sold, the book
  // shows 4; the trade line follows 150 ms later. Poll 2: 3 more sold: 1 left ahead of us.
  await book(T0, 10);
  await book(T0 + 5_000, 4);
  await sell(T0 + 5_150, 6, 'a');
  await book(T0 + 10_000, 1);
  await sell(T0 + 10_150, 3, 'b');
  await writer.close();
  const [result] = await replay({ file: path, tickers: [T], params: [{ gamma: 0.1, kappa: 1.5 }], agent: referenceAgentFactory({ sizeContracts: 5, requoteMs: 1_000 }), models: NO_LATENCY, logger: new MemoryLogger() });
  assert.equal(result?.fills, 0, '9 of the 10 ahead sold: our bid is not reached');
});
