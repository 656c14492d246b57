/**
 * `kalshi-mm scan`: every open market's spread, mid, 1 h volume, average trade size, 1 h high/low,
 * 24 h volume, time to close and opportunity score; a table on stdout by default, `--json` or
 * `--csv` for scripts. Progress on stderr when it is a terminal.
 */
import type { SelectionParams } from '../../bot/index.js';
import { UsageError } from '../../core/index.js';
import { SystemClock } from '../../exchange/index.js';
import { renderScanCsv, renderScanJson, renderScanTable, scanAll, sortScanRows, type ScanSort } from '../../scan/index.js';
import { integerFlag, parseFlags } from '../args.js';
import type { Command, CommandIo } from '../command.js';
import { CONNECTION_FLAGS, CONNECTION_FLAGS_HELP, connectKalshi } from '../connection.js';
import { keepingProcessAlive, loadRunConfig, withDotenvKeys } from './run.js';
import { silentLogger } from '../../core/index.js';

const HELP = `Usage: kalshi-mm scan [--top N] [--sort score|spread|volume] [--json|--csv] [--event E] [--series S]

For every open market: spread, mid, 1 h volume and average trade size, 1 h high/low, 24 h volume,
time to close and the opportunity score the bot's selection uses (the score flags below apply).
Prices in cents, volumes in contracts.

Flags:
${CONNECTION_FLAGS_HELP}
  --top N             only the best N rows
  --sort KEY          score (default), spread or volume (1 h)
  --json | --csv      machine-readable output
  --event E           only markets of event E
  --series S          only markets of series S

Score flags (trading config, docs/configuration.md; KMM_* and .env apply too): --target-spread-cents,
--score-spread-width-cents, --score-epsilon-cents, --score-one-sided-discount, --score-volume-window.
`;

export const scanCommand: Command = {
  name: 'scan',
  summary: 'Scan open markets: spreads, volume, high/low, opportunity score',
  help: HELP,
  run: (argv, io) => keepingProcessAlive(() => scanMarketsCommand(argv, io)),
};

async function scanMarketsCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseFlags(argv, {
    ...CONNECTION_FLAGS,
    top: { type: 'string' },
    sort: { type: 'string' },
    json: { type: 'boolean' },
    csv: { type: 'boolean' },
    event: { type: 'string' },
    series: { type: 'string' },
    'target-spread-cents': { type: 'string' },
    'score-spread-width-cents': { type: 'string' },
    'score-epsilon-cents': { type: 'string' },
    'score-one-sided-discount': { type: 'string' },
    'score-volume-window': { type: 'string' },
  });
  const sort = (values.sort ?? 'score') as ScanSort;
  if (!['score', 'spread', 'volume'].includes(sort))
    throw new UsageError(`--sort: expected score, spread or volume, was ${JSON.stringify(values.sort)}`);
  if (values.json && values.csv) throw new UsageError('--json and --csv: choose one');
  const top = integerFlag(values.top, 'top');
  if (top !== undefined && top < 1) throw new UsageError(`--top: expected a positive integer, was ${top}`);
  const params: SelectionParams = loadRunConfig(values, io);
  const clock = new SystemClock();
  const connection = await connectKalshi(values, withDotenvKeys(io), { logger: silentLogger, clock });
  try {
    const tty = 'isTTY' in io.stderr && io.stderr.isTTY === true;
    const rows = await scanAll({
      port: connection.port,
      clock,
      params,
      filter: {
        ...(values.event !== undefined ? { eventTicker: values.event } : {}),
        ...(values.series !== undefined ? { seriesTicker: values.series } : {}),
      },
      signal: io.signal,
      ...(tty ? { onProgress: (done: number, total: number) => io.stderr.write(`\rscanning ${done}/${total} markets`) } : {}),
    });
    if (tty) io.stderr.write('\n');
    const sorted = sortScanRows(rows, sort).slice(0, top ?? rows.length);
    io.stdout.write(values.json ? renderScanJson(sorted) : values.csv ? renderScanCsv(sorted) : renderScanTable(sorted));
    return 0;
  } finally {
    await connection.close();
  }
}
