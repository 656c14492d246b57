/**
 * `kalshi-mm synth`: writes a deterministic recording from the local exchange's market generator
 * (the same code the local exchange runs, offline, no server): same flags, same bytes.
 */
import { UsageError } from '../../core/index.js';
import { defaultUniverse, runOffline, toMarketDefinition, type SimMarketSpec, type UniverseDefinition } from '../../exchange/market-sim/index.js';
import { SynthEncoder } from '../../backtest/synth.js';
import { RecordingWriter } from '../../record/index.js';
import type { Command } from '../command.js';
import { integerFlag, numberFlag, parseFlags } from '../args.js';

const HELP = `Usage: kalshi-mm synth --out FILE [--markets N] [--hours H] [--seed S] [--start ISO] [--speed X]

Write a synthetic recording (format v1) from the market generator, offline and deterministic: the same
flags give a byte-identical file. A name ending in .gz is gzip-compressed.

  --out FILE      output recording (.jsonl or .jsonl.gz)             (required)
  --markets N     number of markets (default universe cycled, tickers suffixed beyond it)  default 4
  --hours H       hours of market time                                default 1
  --seed S        generator seed (integer)                            default 1
  --start ISO     market time at start (RFC3339)                      default 2026-01-01T14:00:00Z
  --speed X       time compression of market lifetimes (as the local exchange's --speed)  default 1
`;

/** Returns a universe of `count` markets: the default one in order, cycled with suffixed tickers. */
export function universeOf(count: number): UniverseDefinition {
  const base = defaultUniverse().markets;
  const markets: SimMarketSpec[] = [];
  for (let i = 0; i < count; i++) {
    const spec = base[i % base.length];
    if (!spec) break;
    const round = Math.floor(i / base.length);
    markets.push(round === 0 ? spec : { ...spec, ticker: `${spec.ticker}-S${round}`, eventTicker: `${spec.eventTicker}S${round}` });
  }
  return { markets };
}

export const synthCommand: Command = {
  name: 'synth',
  summary: 'Write a synthetic recording from the market generator',
  help: HELP,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      out: { type: 'string' },
      markets: { type: 'string' },
      hours: { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'string' },
      speed: { type: 'string' },
    });
    if (!values.out) throw new UsageError('--out FILE is required');
    const count = integerFlag(values.markets, 'markets', 4);
    const hours = numberFlag(values.hours, 'hours', 1);
    const seed = integerFlag(values.seed, 'seed', 1);
    const speed = numberFlag(values.speed, 'speed', 1);
    const start = values.start ?? '2026-01-01T14:00:00Z';
    const startMs = Date.parse(start);
    if (count < 1) throw new UsageError(`--markets: expected at least 1, was ${count}`);
    if (!(hours > 0)) throw new UsageError(`--hours: expected a positive number, was ${hours}`);
    if (!(speed > 0)) throw new UsageError(`--speed: expected a positive number, was ${speed}`);
    if (!Number.isFinite(startMs)) throw new UsageError(`--start: expected an RFC3339 time, was ${JSON.stringify(start)}`);
    const universe = universeOf(count);
    const encoder = new SynthEncoder(universe.markets.map((m) => toMarketDefinition(m, startMs, speed)));
    // runOffline calls back synchronously and never yields, so the writer writes synchronously too.
    const writer = RecordingWriter.openSync(values.out, { source: 'synthetic', created: new Date(startMs).toISOString(), headerMs: startMs });
    const result = runOffline({
      seed,
      universe,
      hours,
      startMs,
      speed,
      onEvent: (event, nowMs) => {
        for (const line of encoder.encode(event, nowMs)) writer.writeSync(line);
      },
    });
    await writer.close();
    io.stdout.write(`synth: ${writer.lineCount} lines (${result.eventCount} engine events, ${universe.markets.length} markets, ${hours} h) → ${values.out}\n`);
    return 0;
  },
};
