/**
 * `kalshi-mm record`: a gap-free archive of books and trades for replay (recording-format.md).
 * WS mode streams the exchange's own messages (src/record/recorder.ts); poll mode snapshots books and
 * trades over REST every interval (src/record/poller.ts). Files rotate by time/size, are flushed at
 * least every second, and are closed cleanly (valid gzip) on Ctrl-C or at `--duration`.
 */
import { scanMarkets, type SelectionParams } from '../../bot/index.js';
import { UsageError } from '../../core/index.js';
import { SystemClock } from '../../exchange/index.js';
import { configFlagOptions } from '../../config/index.js';
import type { ExchangeClient } from '../../kalshi/index.js';
// record/index.ts (owned by the recording format's author) does not export the live recorder yet.
import { Poller, RotatingRecording, WsRecorder, type PollSource, type RecorderFeed } from '../../record/index.js';
import { durationFlag, integerFlag, parseFlags } from '../args.js';
import type { Command, CommandIo } from '../command.js';
import { CONNECTION_FLAGS, CONNECTION_FLAGS_HELP, connectKalshi } from '../connection.js';
import { openFileLog } from '../logging.js';
import { keepingProcessAlive, loadRunConfig, withDotenvKeys } from './run.js';
import { resolve } from 'node:path';

const HELP = `Usage: kalshi-mm record (--markets T1,T2 | --top N | --event E | --series S) --out PATH [flags]

Record order books and trades in the recording format (docs/data-tools.md). WS mode (default) writes
every orderbook_delta, trade and market_lifecycle_v2 message as it arrives, with market lines, and a
gap line wherever continuity was lost, followed by a fresh snapshot. Poll mode writes each market's
REST order book as an orderbook_snapshot line and each new trade as a trade line every interval.

Flags:
${CONNECTION_FLAGS_HELP}
  --markets T1,T2     these markets
  --top N             the N best markets of the scanner, followed as the selection changes (WS mode)
  --event E           every open market of event E
  --series S          every open market of series S
  --out PATH          output file (.jsonl, or .jsonl.gz for gzip)
  --mode ws|poll      default ws
  --interval D        poll interval (default 2s)
  --duration D        stop after D (default: until Ctrl-C)
  --rotate D          start a new file every D (e.g. 1h)
  --rotate-size N     start a new file after N MB of JSON
  --gzip              compress (also implied by a .gz name)

With --top, the selection's trading config flags apply (docs/configuration.md): the refresh interval
--market-refresh-interval-ms (default 5 min), --target-spread-cents, --score-*, --select-*.
`;

/** Trading-config flags that shape the --top selection (`--mode` is the recorder's own flag). */
const SELECTION_FLAGS = Object.fromEntries(
  Object.entries(configFlagOptions()).filter(
    ([name]) => name === 'market-refresh-interval-ms' || name === 'target-spread-cents' || /^(score|select)-/.test(name),
  ),
);

const FLAGS = {
  ...CONNECTION_FLAGS,
  ...SELECTION_FLAGS,
  markets: { type: 'string' },
  top: { type: 'string' },
  event: { type: 'string' },
  series: { type: 'string' },
  out: { type: 'string' },
  mode: { type: 'string' },
  interval: { type: 'string' },
  duration: { type: 'string' },
  rotate: { type: 'string' },
  'rotate-size': { type: 'string' },
  gzip: { type: 'boolean' },
} as const;

export const recordCommand: Command = {
  name: 'record',
  summary: 'Record order books and trades for replay',
  help: HELP,
  run: (argv, io) => keepingProcessAlive(() => recordMarkets(argv, io)),
};

async function recordMarkets(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseFlags(argv, FLAGS);
  const mode = values.mode ?? 'ws';
  if (mode !== 'ws' && mode !== 'poll') throw new UsageError(`--mode: expected ws or poll, was ${JSON.stringify(mode)}`);
  if (values.out === undefined) throw new UsageError('--out PATH is required');
  const choices = [values.markets, values.top, values.event, values.series].filter((v) => v !== undefined).length;
  if (choices !== 1) throw new UsageError('choose the markets with exactly one of --markets, --top, --event, --series');
  const top = integerFlag(values.top, 'top');
  if (top !== undefined && top < 1) throw new UsageError(`--top: expected a positive integer, was ${top}`);
  const intervalMs = durationFlag(values.interval, 'interval', 2_000);
  const durationMs = durationFlag(values.duration, 'duration');
  const rotateMs = durationFlag(values.rotate, 'rotate');
  const rotateMb = integerFlag(values['rotate-size'], 'rotate-size');
  const params: SelectionParams & { marketRefreshIntervalMs: number } = {
    // Only the selection flags: `--mode` here is the recorder's, not the quoting model's.
    ...loadRunConfig(Object.fromEntries(Object.entries(values).filter(([name]) => name in SELECTION_FLAGS)), io),
    ...(top !== undefined ? { maxMarkets: top } : {}),
  };
  const clock = new SystemClock();
  const log = openFileLog({ cwd: io.cwd, name: 'record', startMs: clock.nowMs() });
  const connection = await connectKalshi(values, withDotenvKeys(io), { logger: log.logger, clock });
  const port = connection.port;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  io.signal.addEventListener('abort', onAbort, { once: true });
  const timers: NodeJS.Timeout[] = [];
  if (durationMs !== undefined) timers.push(setTimeout(() => stop.abort(), durationMs));
  let sink: RotatingRecording | undefined;
  try {
    const pick = async (): Promise<string[]> => {
      if (values.markets !== undefined)
        return values.markets
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t !== '');
      if (top !== undefined) {
        const scan = await scanMarkets({ port, clock, params: { ...params, selectMinVolume24hContracts: 0 } });
        const ranked = (scan.selected.length > 0 ? scan.selected : scan.candidates).slice(0, top).map((c) => c.ticker);
        if (ranked.length > 0) return ranked;
        // Nothing scored (a fresh local exchange has empty books): the first open markets listed.
        const open: string[] = [];
        for await (const m of port.listMarkets({ status: 'open' })) if (open.length < top) open.push(m.ticker);
        return open;
      }
      const out: string[] = [];
      for await (const m of port.listMarkets({
        status: 'open',
        ...(values.event !== undefined ? { eventTicker: values.event } : {}),
        ...(values.series !== undefined ? { seriesTicker: values.series } : {}),
      }))
        out.push(m.ticker);
      return out;
    };
    const tickers = await pick();
    if (tickers.length === 0) throw new UsageError('no market to record (none open matched)');
    let recorder: WsRecorder | undefined;
    sink = RotatingRecording.open({
      path: resolve(io.cwd, values.out),
      source: mode === 'ws' ? 'ws' : 'rest-poll',
      clock,
      ...(values.gzip ? { gzip: true } : {}),
      ...(rotateMs !== undefined ? { rotateMs } : {}),
      ...(rotateMb !== undefined ? { rotateBytes: rotateMb * 1_000_000 } : {}),
      onRotate: (write, atMs) => recorder?.onRotate(write, atMs),
    });
    const output = sink;
    timers.push(setInterval(() => void output.flush().catch(() => undefined), 500));
    io.stderr.write(`kalshi-mm record: ${mode} mode, ${tickers.length} markets → ${sink.files[0] ?? values.out}\n`);
    // The tickers a backtest of this file will ask for (--top and --series choose them here).
    io.stderr.write(`kalshi-mm record: markets ${tickers.join(', ')}\n`);
    if (mode === 'ws') {
      recorder = new WsRecorder({ feed: wsFeed(port), sink, clock, logger: log.logger });
      const running = recorder.run(stop.signal);
      await recorder.setMarkets(tickers);
      const active = recorder;
      // One reselection at a time: two overlapping setMarkets calls could both add the same market.
      let reselecting = false;
      if (top !== undefined)
        timers.push(
          setInterval(() => {
            if (reselecting || stop.signal.aborted) return;
            reselecting = true;
            void pick()
              .then((t) => (t.length > 0 ? active.setMarkets(t) : undefined))
              .catch((e: unknown) => log.logger.warn({ error: String(e) }, 'reselection failed'))
              .finally(() => (reselecting = false));
          }, params.marketRefreshIntervalMs),
        );
      timers.push(progress(io, () => ({ ...active.stats, bytes: output.bytes })));
      await running;
    } else {
      const poller = new Poller({ source: pollSource(port), sink, clock, tickers, logger: log.logger });
      timers.push(progress(io, () => ({ messages: poller.stats.lines, markets: tickers.length, gaps: 0, bytes: output.bytes })));
      await poller.run(intervalMs, stop.signal);
    }
    await sink.close();
    // The newline ends the terminal's progress line (written with \r); a log file has none to end.
    const tty = 'isTTY' in io.stderr && io.stderr.isTTY === true;
    io.stderr.write(`${tty ? '\n' : ''}kalshi-mm record: wrote ${sink.files.join(', ')}\n`);
    return 0;
  } finally {
    for (const t of timers) clearTimeout(t);
    io.signal.removeEventListener('abort', onAbort);
    await sink?.close().catch((e: unknown) => log.logger.error({ error: String(e) }, 'closing the recording failed'));
    await connection.close();
    await log.close();
  }
}

function wsFeed(port: ExchangeClient): RecorderFeed {
  const frames = port.ws.raw();
  return {
    frames,
    subscribe: (tickers) => port.subscribeMarkets(tickers),
    unsubscribe: (tickers) => port.unsubscribeMarkets(tickers),
    requestSnapshots: (tickers) => port.ws.requestSnapshots(tickers),
    fetchMarket: async (ticker) => (await port.rest.getMarket(ticker)).market,
  };
}

function pollSource(port: ExchangeClient): PollSource {
  return {
    getOrderbook: async (ticker) => (await port.rest.getMarketOrderbook(ticker)).orderbook_fp,
    getTrades: (ticker, minTsS, cursor) =>
      port.rest.getTrades({ ticker, min_ts: minTsS, limit: 1000, ...(cursor !== undefined ? { cursor } : {}) }),
    fetchMarket: async (ticker) => (await port.rest.getMarket(ticker)).market,
  };
}

/** Prints messages/s, markets, bytes and gaps once a second when stderr is a terminal. */
function progress(io: CommandIo, read: () => { messages: number; markets: number; gaps: number; bytes: number }): NodeJS.Timeout {
  const tty = 'isTTY' in io.stderr && io.stderr.isTTY === true;
  let last = 0;
  return setInterval(() => {
    const s = read();
    if (tty)
      io.stderr.write(
        `\r${s.messages - last} msg/s  ${s.messages} messages  ${s.markets} markets  ${(s.bytes / 1e6).toFixed(2)} MB  ${s.gaps} gaps   `,
      );
    last = s.messages;
  }, 1_000);
}
