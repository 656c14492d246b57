/**
 * `kalshi-mm import`: converts third-party Kalshi data into the recording format.
 */
import { UsageError } from '../../core/index.js';
import { importBboCsv, importTradesCsv, importWsCapture, RecordingWriter, type ImportResult } from '../../record/index.js';
import { requireInputFile } from '../files.js';
import type { Command } from '../command.js';
import { integerFlag, parseFlags } from '../args.js';

const HELP = `Usage: kalshi-mm import --format FORMAT IN... --out FILE [flags]

Convert third-party Kalshi data (each source's PROVENANCE.md gives its schema) into a recording
(format v1; .gz output is compressed). Prices stay the exchange's 4-decimal dollar strings; legacy
integer cents become such strings. Formats:

  trades-csv   jdkatz21/Prediction_Markets_Public trade prints (CSV) → market + trade lines.
               recv_ms = created_time (no receive time exists).
  bbo-csv      Jetpackjules/Kalshi-Trader top-of-book log (CSV) → market + orderbook_snapshot lines,
               each best bid with a nominal size. The timestamps carry no zone: they are taken as local
               time at --utc-offset (default -08:00, US/Pacific standard time, PROVENANCE's inference).
               --trades FILE... adds trade prints (backlog/data/raw/<TICKER>.jsonl; size 1 contract,
               taker side inferred from the book) where the BBO log covers their market and time.
  ws-capture   raw WebSocket messages, one per line, without receive times (jfreun123 capture) →
               the lines as captured; recv_ms synthesised from msg.ts_ms (see docs/backtesting.md).

  --format NAME          trades-csv | bbo-csv | ws-capture                     (required)
  --out FILE             output recording                                     (required)
  --utc-offset ±HH:MM    bbo-csv: offset of the log's local time from UTC     default -08:00
  --nominal-size N       bbo-csv: contracts shown at each best bid            default 100
  --trades FILE          bbo-csv: trade-print file to merge (repeatable)
`;

/** Returns minutes east of UTC for "±HH:MM". */
function parseOffset(text: string): number {
  const match = /^([+-])(\d\d):(\d\d)$/.exec(text);
  if (!match) throw new UsageError(`--utc-offset: expected ±HH:MM, was ${JSON.stringify(text)}`);
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

export const importCommand: Command = {
  name: 'import',
  summary: 'Convert third-party Kalshi data into a recording',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      { format: { type: 'string' }, out: { type: 'string' }, 'utc-offset': { type: 'string' }, 'nominal-size': { type: 'string' }, trades: { type: 'string', multiple: true } },
      true,
    );
    if (!values.out) throw new UsageError('--out FILE is required');
    if (positionals.length === 0) throw new UsageError('at least one input file is required');
    for (const file of positionals) requireInputFile('input file', file, io.cwd);
    for (const file of values.trades ?? []) requireInputFile('--trades', file, io.cwd);
    // Flags another format would ignore are refused, so an intended merge or offset is never dropped silently.
    if (values.format === 'trades-csv' || values.format === 'ws-capture') {
      const stray = (['trades', 'utc-offset', 'nominal-size'] as const).filter((name) => values[name] !== undefined);
      if (stray.length > 0) throw new UsageError(`${stray.map((n) => `--${n}`).join(', ')}: only with --format bbo-csv`);
    }
    let result: ImportResult;
    let source: string;
    switch (values.format) {
      case 'trades-csv':
        result = importTradesCsv(positionals);
        source = 'trades-csv';
        break;
      case 'bbo-csv': {
        const nominal = integerFlag(values['nominal-size'], 'nominal-size', 100);
        if (nominal < 1) throw new UsageError(`--nominal-size: expected at least 1, was ${nominal}`);
        result = importBboCsv(positionals, { offsetMinutes: parseOffset(values['utc-offset'] ?? '-08:00'), nominalContracts: nominal, tradeFiles: values.trades ?? [] });
        source = 'bbo-csv';
        break;
      }
      case 'ws-capture':
        result = importWsCapture(positionals);
        source = 'ws-capture';
        break;
      default:
        throw new UsageError(`--format: expected trades-csv, bbo-csv or ws-capture, was ${JSON.stringify(values.format ?? '')}`);
    }
    const first = result.lines[0]?.recv_ms ?? 0;
    // The header's time is the data's first time, so the same inputs give the same bytes.
    const writer = RecordingWriter.open(values.out, { source: `import:${source}`, created: new Date(first).toISOString(), headerMs: first });
    for (const line of result.lines) await writer.write(line);
    await writer.close();
    io.stderr.write(`import ${source}: ${result.notes.join('; ')}\n`);
    io.stdout.write(`${result.lines.length} lines written to ${values.out}\n`);
    return 0;
  },
};
