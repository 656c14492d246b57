/**
 * The market generator: per market a hidden fair probability (fair-value.ts) and background agents
 * (agents.ts) that trade on a MatchingEngine as ordinary accounts. Driven by time: `advanceTo(nowMs)`
 * runs every agent action due up to `nowMs` in time order, so the live exchange calls it from a
 * timer (real clock) and an offline run (offline.ts) steps a ManualClock from action to action.
 * Deterministic: the same seed, universe, speed and call times give the same orders.
 */
import type { Cash, Clock, Rng, TickGrid } from '../../core/index.js';
import { reject, type MarketDefinition, type MatchingEngine } from '../matching/index.js';
import { InformedTaker, LiquidityProvider, NoiseTaker, PROFILES, type Agent } from './agents.js';
import { FairValue, logistic, logit } from './fair-value.js';
import { toMarketDefinition, type SimMarketSpec, type UniverseDefinition } from './universe.js';

/** Options of a MarketSimulator. */
export interface MarketSimulatorOptions {
  readonly engine: MatchingEngine;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly universe: UniverseDefinition;
  /** Simulation start (engine time, Unix ms); market close times count from here. */
  readonly startMs: number;
  /** Time compression: 60 runs an hour of market activity per minute of clock time. Default 1. */
  readonly speed?: number;
  /** Settle markets with their drawn result shortly after they close. Default true. */
  readonly autoSettle?: boolean;
  /** Delay from close to settlement, model time. Default 5 minutes. */
  readonly settleDelayMs?: number;
  /**
   * List a successor when a market settles (same parameters, ticker and event ticker suffixed
   * `-R<n>`, a fresh fair value near the original), so a long-running exchange never runs dry.
   * Needs `autoSettle`. Default true.
   */
  readonly rollover?: boolean;
}

/** Cash each agent account starts with ($10M): ample, so agents are never limited by collateral. */
const AGENT_BALANCE = 100_000_000_000 as Cash;
/** Finished orders kept per agent account. */
const AGENT_HISTORY = 64;

interface SimMarket {
  readonly spec: SimMarketSpec;
  readonly definition: MarketDefinition;
  readonly grid: TickGrid;
  readonly fair: FairValue;
  readonly agents: Agent[];
  readonly settleAtMs: number;
  closed: boolean;
  settled: boolean;
  /** 0 for a universe market, n for its n-th successor. */
  generation: number;
}

/** The generator. Construction lists the universe's markets and opens the agents' accounts. */
export class MarketSimulator {
  private readonly markets = new Map<string, SimMarket>();
  private readonly engine: MatchingEngine;
  private readonly speed: number;
  private readonly autoSettle: boolean;
  private readonly rollover: boolean;
  private readonly settleDelayMs: number;
  private readonly clock: Clock;
  private readonly rng: Rng;

  /** @throws EngineRejection when a ticker or an agent account already exists in the engine. */
  constructor(options: MarketSimulatorOptions) {
    this.engine = options.engine;
    this.clock = options.clock;
    this.speed = options.speed ?? 1;
    this.autoSettle = options.autoSettle ?? true;
    this.rollover = options.rollover ?? true;
    this.settleDelayMs = (options.settleDelayMs ?? 300_000) / this.speed;
    this.rng = options.rng;
    for (const spec of options.universe.markets) this.list(spec, options.startMs);
  }

  /** Lists one market and opens its agents' accounts. */
  private list(spec: SimMarketSpec, startMs: number): void {
    const definition = toMarketDefinition(spec, startMs, this.speed);
    const rng = this.rng.fork(`market:${spec.ticker}`);
    const fair = new FairValue({ ...spec, startMs, closeMs: definition.closeTimeMs, speed: this.speed }, rng.fork('fair'));
    const agents = this.createAgents(spec, rng, startMs);
    this.engine.addMarket(definition);
    this.markets.set(spec.ticker, { spec, definition, grid: definition.grid, fair, agents, settleAtMs: definition.closeTimeMs + this.settleDelayMs, closed: false, settled: false, generation: 0 });
  }

  /** Returns the engine definitions of the simulated markets. */
  get definitions(): MarketDefinition[] {
    return [...this.markets.values()].map((m) => m.definition);
  }

  /** Returns the engine time of the next agent action, close or settlement; Infinity when none is left. */
  nextActionMs(): number {
    let next = Infinity;
    for (const market of this.markets.values()) {
      if (market.settled) continue;
      if (!market.closed) {
        next = Math.min(next, market.definition.closeTimeMs);
        for (const agent of market.agents) next = Math.min(next, agent.nextMs);
      } else if (this.autoSettle) next = Math.min(next, market.settleAtMs);
    }
    return next;
  }

  /**
   * Runs every action due at or before `nowMs`, earliest first (ties: listing order, then agent
   * order). The engine reads its own clock; the walk of each fair value uses the action's time.
   */
  advanceTo(nowMs: number = this.clock.nowMs()): void {
    for (;;) {
      const due = this.nextDue(nowMs);
      if (!due) return;
      const { market, agent, atMs } = due;
      if (!agent) {
        this.closeOrSettle(market, atMs);
        continue;
      }
      const status = this.engine.getMarketStatus(market.spec.ticker);
      if (status !== 'active') {
        agent.nextMs = status === 'inactive' ? atMs + 60_000 / this.speed : Infinity;
        continue;
      }
      agent.act({ engine: this.engine, ticker: market.spec.ticker, grid: market.grid, fair: market.fair.at(atMs), nowMs: atMs, closeMs: market.definition.closeTimeMs });
    }
  }

  /**
   * Has the first liquidity provider of every active market quote now, so a server that starts
   * listening has two-sided books (otherwise the first client to connect can see empty books until
   * the providers' staggered first actions). Live server only: offline runs keep their schedule.
   */
  openBooks(nowMs: number = this.clock.nowMs()): void {
    for (const market of this.markets.values()) {
      const provider = market.agents[0];
      if (!provider || market.closed || this.engine.getMarketStatus(market.spec.ticker) !== 'active') continue;
      provider.act({ engine: this.engine, ticker: market.spec.ticker, grid: market.grid, fair: market.fair.at(nowMs), nowMs, closeMs: market.definition.closeTimeMs });
    }
  }

  /** Returns the hidden fair YES probability of a market (at `nowMs`, or as last stepped). @throws EngineRejection `market_not_found`. */
  fairProbability(ticker: string, nowMs?: number): number {
    const market = this.simMarket(ticker);
    return nowMs === undefined ? market.fair.at(-Infinity) : market.fair.at(nowMs);
  }

  /** Moves a market's hidden fair probability (admin "move fair value"); informed takers follow. */
  setFairProbability(ticker: string, probability: number): void {
    this.simMarket(ticker).fair.set(probability);
  }

  /** Returns the engine account ids of the background agents (successors share their root market's). */
  agentAccountIds(): string[] {
    return [...new Set([...this.markets.values()].flatMap((m) => m.agents.map((a) => a.accountId)))];
  }

  private nextDue(nowMs: number): { market: SimMarket; agent?: Agent; atMs: number } | undefined {
    let best: { market: SimMarket; agent?: Agent; atMs: number } | undefined;
    for (const market of this.markets.values()) {
      if (market.settled) continue;
      if (!market.closed) {
        const closeMs = market.definition.closeTimeMs;
        if (closeMs <= nowMs && (!best || closeMs < best.atMs)) best = { market, atMs: closeMs };
        for (const agent of market.agents) {
          if (agent.nextMs <= nowMs && agent.nextMs < closeMs && (!best || agent.nextMs < best.atMs)) best = { market, agent, atMs: agent.nextMs };
        }
      } else if (this.autoSettle && market.settleAtMs <= nowMs && (!best || market.settleAtMs < best.atMs)) {
        best = { market, atMs: market.settleAtMs };
      }
    }
    return best;
  }

  private closeOrSettle(market: SimMarket, atMs: number): void {
    if (!market.closed) {
      market.closed = true;
      market.fair.at(atMs);
      this.engine.processTime();
      return;
    }
    market.settled = true;
    const status = this.engine.getMarketStatus(market.spec.ticker);
    if (status !== 'finalized') this.engine.settleMarket(market.spec.ticker, market.fair.resolve());
    if (this.rollover) this.listSuccessor(market, atMs);
  }

  /** Lists the next generation of a settled market, starting now. */
  private listSuccessor(market: SimMarket, atMs: number): void {
    const generation = market.generation + 1;
    const root = market.generation === 0 ? market.spec : { ...market.spec, ticker: market.spec.ticker.replace(/-R\d+$/, ''), eventTicker: market.spec.eventTicker.replace(/-R\d+$/, '') };
    const drift = this.rng.fork(`rollover:${root.ticker}:${generation}`).normal() * 0.5;
    const initial = logistic(logit(root.initialProbability) + drift);
    const spec: SimMarketSpec = {
      ...root,
      ticker: `${root.ticker}-R${generation}`,
      eventTicker: `${root.eventTicker}-R${generation}`,
      initialProbability: Math.min(0.97, Math.max(0.03, initial)),
      // closeAfterMs is model time; `list` divides by speed.
    };
    // The settled market is forgotten (the engine keeps its history); its agents live on in the successor.
    this.markets.delete(market.spec.ticker);
    this.list(spec, atMs);
    const listed = this.markets.get(spec.ticker);
    if (listed) listed.generation = generation;
  }

  private createAgents(spec: SimMarketSpec, rng: Rng, startMs: number): Agent[] {
    const profile = PROFILES[spec.liquidity];
    const agents: Agent[] = [];
    // Successors (`-R<n>`) reuse their root market's agent accounts, so rollover opens no new accounts.
    const rootTicker = spec.ticker.replace(/-R\d+$/, '');
    const open = (role: string): string => {
      const id = `sim:${role}:${rootTicker}`;
      if (!this.engine.hasAccount(id)) this.engine.addAccount(id, AGENT_BALANCE, { historyLimit: AGENT_HISTORY });
      return id;
    };
    for (let k = 0; k < profile.providers; k++) {
      agents.push(new LiquidityProvider(open(`lp${k}`), rng.fork(`lp${k}`), profile, this.speed, startMs, k === 0));
    }
    agents.push(new NoiseTaker(open('noise'), rng.fork('noise'), profile.noisePerHour, this.speed, startMs));
    agents.push(new InformedTaker(open('informed'), rng.fork('informed'), profile.informedPerHour, this.speed, startMs));
    return agents;
  }

  private simMarket(ticker: string): SimMarket {
    const market = this.markets.get(ticker);
    if (!market) throw reject('market_not_found', `ticker: no simulated market ${JSON.stringify(ticker)}`);
    return market;
  }
}
