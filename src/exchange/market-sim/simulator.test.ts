import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ConfigError, ManualClock, SeededRng, type Cash } from '../../core/index.js';
import { MatchingEngine } from '../matching/index.js';
import { FairValue } from './fair-value.js';
import { runOffline } from './offline.js';
import { MarketSimulator } from './simulator.js';
import { defaultUniverse, parseUniverse, type UniverseDefinition } from './universe.js';

const START = 1_767_225_600_000;
const HOUR = 3_600_000;

function shortUniverse(): UniverseDefinition {
  const markets = defaultUniverse().markets;
  return {
    markets: [markets[0], markets[4], markets[8]].map((m, i) => ({ ...(m ?? defaultUniverse().markets[0]!), closeAfterMs: (i + 1) * 30 * 60_000 })),
  };
}

function digest(seed: number, universe: UniverseDefinition): { hash: string; count: number } {
  const hash = createHash('sha256');
  const result = runOffline({ seed, universe, hours: 1, startMs: START, onEvent: (event, nowMs) => hash.update(`${nowMs} ${JSON.stringify(event)}\n`) });
  return { hash: hash.digest('hex'), count: result.eventCount };
}

describe('universe', () => {
  test('the default universe has a dozen markets over several events, three tick structures and closes from minutes to days', () => {
    const { markets } = defaultUniverse();
    assert.equal(markets.length, 12);
    assert.ok(new Set(markets.map((m) => m.eventTicker)).size >= 3);
    assert.deepEqual(new Set(markets.map((m) => m.priceLevelStructure)), new Set(['linear_cent', 'deci_cent', 'tapered_deci_cent']));
    assert.deepEqual(new Set(markets.map((m) => m.liquidity)), new Set(['thin', 'normal', 'busy']));
    const closes = markets.map((m) => m.closeAfterMs);
    assert.ok(Math.min(...closes) <= HOUR && Math.max(...closes) >= 48 * HOUR);
  });

  test('a universe file gets defaults for omitted fields and bad fields are named in a ConfigError', () => {
    const parsed = parseUniverse({ markets: [{ ticker: 'X-1', eventTicker: 'X', seriesTicker: 'X', title: 'X?', closeAfterMs: 60_000 }] });
    assert.equal(parsed.markets[0]?.priceLevelStructure, 'linear_cent');
    assert.throws(
      () => parseUniverse({ markets: [{ ticker: 'X-1', eventTicker: 'X', seriesTicker: 'X', title: 'X?', closeAfterMs: 60_000, initialProbability: 1.5 }] }),
      (error: unknown) => error instanceof ConfigError && error.issues.some((i) => i.path === 'markets.0.initialProbability'),
    );
    assert.throws(() => parseUniverse({ markets: [], extra: 1 }), ConfigError);
  });
});

describe('fair value', () => {
  test('stays strictly inside (0, 1) through jumps and resolves to yes or no at close', () => {
    const fair = new FairValue({ initialProbability: 0.97, volatilityPerSqrtHour: 3, jumpsPerHour: 30, jumpStdDev: 2, startMs: 0, closeMs: 10 * HOUR, speed: 1 }, new SeededRng(3));
    for (let t = 0; t <= 10 * HOUR; t += 60_000) {
      const p = fair.at(t);
      assert.ok(p > 0.004 && p < 0.996, `p was ${p}`);
    }
    assert.ok(['yes', 'no'].includes(fair.resolve()));
  });
});

describe('simulator', () => {
  test('the same seed gives the same event stream, and another seed a different one', () => {
    const universe = shortUniverse();
    const a = digest(11, universe);
    const b = digest(11, universe);
    const c = digest(12, universe);
    assert.ok(a.count > 1000, `only ${a.count} events`);
    assert.equal(a.hash, b.hash);
    assert.notEqual(a.hash, c.hash);
  });

  test('markets trade with spreads of a few cents, close on time, settle, and conserve cash', () => {
    const result = runOffline({ seed: 5, universe: shortUniverse(), hours: 2, startMs: START, onEvent: () => undefined });
    const engine = result.engine;
    for (const market of engine.listMarkets().filter((m) => !/-R\d+$/.test(m.definition.ticker))) {
      assert.equal(market.status, 'finalized', market.definition.ticker);
      assert.ok(['yes', 'no'].includes(market.result));
      assert.ok(engine.listTrades(market.definition.ticker).length > 3, `${market.definition.ticker} barely traded`);
      assert.ok((engine.listTrades(market.definition.ticker).at(-1)?.tsMs ?? Infinity) <= market.closeTimeMs);
    }
    const audit = engine.audit();
    assert.equal(audit.accountCash + audit.exchangeIncome + audit.escrow, audit.deposits);
  });

  test('openBooks gives every market a two-sided book at once; without it the books start empty', () => {
    const clock = new ManualClock(START);
    const engine = new MatchingEngine({ clock });
    const sim = new MarketSimulator({ engine, clock, rng: new SeededRng(7), universe: defaultUniverse(), startMs: START });
    sim.advanceTo();
    const tickers = sim.definitions.map((d) => d.ticker);
    assert.ok(tickers.every((t) => engine.topOfBook(t).yesBid === undefined), 'no provider has acted at the start time');
    sim.openBooks();
    for (const ticker of tickers) {
      const top = engine.topOfBook(ticker);
      assert.ok(top.yesBid !== undefined && top.yesAsk !== undefined && top.yesBid < top.yesAsk, `${ticker}: ${JSON.stringify(top)}`);
    }
  });

  test('quoted spreads of a busy market sit between 1 and 8 cents most of the time', () => {
    const clock = new ManualClock(START);
    const engine = new MatchingEngine({ clock });
    const ticker = 'KXFED-26JAN-T3.50';
    const spec = defaultUniverse().markets.find((m) => m.ticker === ticker);
    assert.ok(spec);
    const sim = new MarketSimulator({ engine, clock, rng: new SeededRng(9), universe: { markets: [spec] }, startMs: START });
    const spreads: number[] = [];
    for (let minute = 1; minute <= 120; minute++) {
      clock.advanceTo(START + minute * 60_000);
      sim.advanceTo();
      const top = engine.topOfBook(ticker);
      if (top.yesBid !== undefined && top.yesAsk !== undefined) spreads.push(top.yesAsk - top.yesBid);
    }
    spreads.sort((x, y) => x - y);
    assert.ok(spreads.length >= 110, `two-sided only ${spreads.length} of 120 minutes`);
    const median = spreads[Math.floor(spreads.length / 2)] ?? 0;
    assert.ok(median >= 100 && median <= 800, `median spread was ${median}`);
  });

  test('informed takers buy below and sell above fair value, so liquidity providers face adverse selection', () => {
    const universe: UniverseDefinition = { markets: defaultUniverse().markets.slice(0, 4).map((m) => ({ ...m, closeAfterMs: 3 * HOUR, volatilityPerSqrtHour: 0.8, jumpsPerHour: 2 })) };
    let simulator: MarketSimulator | undefined;
    const edge = { informed: 0, noise: 0, informedFills: 0 };
    const result = runOffline({
      seed: 21,
      universe,
      hours: 3,
      startMs: START,
      onEvent: (event, nowMs) => {
        if (event.type !== 'fill' || !simulator) return;
        const role = event.accountId.startsWith('sim:informed') ? 'informed' : event.accountId.startsWith('sim:noise') ? 'noise' : undefined;
        if (!role) return;
        // Markout at the hidden fair value when the fill happened, in dollars.
        const fair = simulator.fairProbability(event.fill.ticker, nowMs) * 10_000;
        const sign = event.fill.side === 'bid' ? 1 : -1;
        edge[role] += (sign * (fair - event.fill.price) * event.fill.count) / 1e6;
        if (role === 'informed') edge.informedFills++;
      },
      onStart: (sim) => {
        simulator = sim;
      },
    });
    assert.ok(result.eventCount > 0);
    assert.ok(edge.informedFills >= 10, `informed takers filled only ${edge.informedFills} times`);
    assert.ok(edge.informed > 0, `informed markout was ${edge.informed}`);
    assert.ok(edge.noise < 0, `noise markout was ${edge.noise}`);
  });

  test('speed compresses time: at speed 60 a market an hour from close closes after a minute', () => {
    const clock = new ManualClock(START);
    const engine = new MatchingEngine({ clock });
    const spec = { ...defaultUniverse().markets[0]!, closeAfterMs: HOUR };
    const sim = new MarketSimulator({ engine, clock, rng: new SeededRng(1), universe: { markets: [spec] }, startMs: START, speed: 60 });
    assert.equal(sim.definitions[0]?.closeTimeMs, START + 60_000);
    clock.advanceTo(START + 59_000);
    sim.advanceTo();
    assert.equal(engine.getMarket(spec.ticker).status, 'active');
    clock.advanceTo(START + 61_000);
    sim.advanceTo();
    assert.equal(engine.getMarket(spec.ticker).status, 'closed');
  });

  test('a settled market is followed by a successor that trades, unless rollover is off', () => {
    const spec = { ...defaultUniverse().markets[4]!, closeAfterMs: 20 * 60_000 };
    const result = runOffline({ seed: 3, universe: { markets: [spec] }, hours: 1, startMs: START, onEvent: () => undefined });
    const tickers = result.engine.listMarkets().map((m) => m.definition.ticker);
    assert.deepEqual(tickers.slice(0, 3), [spec.ticker, `${spec.ticker}-R1`, `${spec.ticker}-R2`]);
    assert.equal(result.engine.getMarket(`${spec.ticker}-R1`).status, 'finalized');
    assert.ok(result.engine.listTrades(`${spec.ticker}-R1`).length > 0);
    const clock = new ManualClock(START);
    const engine = new MatchingEngine({ clock });
    const sim = new MarketSimulator({ engine, clock, rng: new SeededRng(3), universe: { markets: [spec] }, startMs: START, rollover: false });
    clock.advanceTo(START + HOUR);
    sim.advanceTo();
    assert.equal(engine.listMarkets().length, 1);
    assert.equal(sim.nextActionMs(), Infinity);
  });

  test('moving the fair value pulls trading toward it', () => {
    const clock = new ManualClock(START);
    const engine = new MatchingEngine({ clock });
    engine.addAccount('x', 0 as Cash);
    const spec = { ...defaultUniverse().markets[1]!, volatilityPerSqrtHour: 0.01, jumpsPerHour: 0 };
    const sim = new MarketSimulator({ engine, clock, rng: new SeededRng(4), universe: { markets: [spec] }, startMs: START });
    clock.advanceTo(START + 10 * 60_000);
    sim.advanceTo();
    sim.setFairProbability(spec.ticker, 0.8);
    clock.advanceTo(START + 60 * 60_000);
    sim.advanceTo();
    const top = engine.topOfBook(spec.ticker);
    assert.ok((top.yesBid ?? 0) > 7000, `best bid was ${top.yesBid}`);
    assert.ok(Math.abs(sim.fairProbability(spec.ticker) - 0.8) < 0.05);
  });
});
