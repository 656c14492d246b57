// kalshi-mm synth | import | backtest | optimize | best | report, end to end through main().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecording } from '../../src/record/index.js';
import { runCommand } from './backtest-cli-helper.js';

const dir = mkdtempSync(join(tmpdir(), 'kmm-cli-bt-'));

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return runCommand(argv);
}

const SYNTH = join(dir, 'synth.jsonl');
const MARKET = 'KXHIGHNY-26JAN01-B36.5';

test('synth is deterministic: the same flags give byte-identical files, plain or gzip', async () => {
  const made = await cli(['synth', '--markets', '3', '--hours', '0.5', '--seed', '7', '--out', SYNTH]);
  assert.equal(made.code, 0);
  // Its one-line result goes to stdout, as import's and optimize's do (README, CLI).
  assert.match(made.out, /^synth: \d+ lines \(.*3 markets, 0\.5 h\) → .*synth\.jsonl\n$/);
  assert.equal(made.err, '');
  assert.equal((await cli(['synth', '--markets', '3', '--hours', '0.5', '--seed', '7', '--out', join(dir, 'again.jsonl.gz')])).code, 0);
  const lines: string[] = [];
  for await (const line of readRecording(join(dir, 'again.jsonl.gz'))) lines.push(line.type);
  assert.ok(lines.length > 1000);
  assert.equal((await cli(['synth', '--markets', '3', '--hours', '0.5', '--seed', '7', '--out', join(dir, 'again.jsonl')])).code, 0);
  assert.ok(readFileSync(SYNTH).equals(readFileSync(join(dir, 'again.jsonl'))));
});

test('backtest --json prints one object with the documented fields, identical on every run', async () => {
  // The market of the file that trades most in its half hour.
  const market = 'KXHIGHNY-26JAN01-B40.5';
  const args = ['backtest', '--data', SYNTH, '--market', market, '--gamma', '0.2', '--kappa', '1', '--json', '--queue', 'probabilistic'];
  const first = await cli(args);
  assert.equal(first.code, 0, first.err);
  const result = JSON.parse(first.out) as Record<string, unknown>;
  for (const field of ['market', 'gamma', 'kappa', 'cash', 'inventory', 'pnl', 'fees', 'fills', 'valuation', 'maxDrawdown', 'markout1s', 'makerVolume', 'quotedSeconds']) {
    assert.ok(field in result, field);
  }
  assert.equal(result['market'], market);
  assert.equal(result['gamma'], 0.2);
  assert.ok((result['fills'] as number) > 0, 'the quoter trades on a busy synthetic market');
  const second = await cli(args);
  assert.equal(second.out, first.out);
});

test('--cross-fills names the crossed-book model in results and run.json; --no-cross-fills is off; a bad value is bad usage', async () => {
  const base = ['backtest', '--data', SYNTH, '--market', 'KXHIGHNY-26JAN01-B40.5', '--json'];
  const crossFills = async (extra: string[]): Promise<unknown> => {
    const run = await cli([...base, ...extra]);
    assert.equal(run.code, 0, run.err);
    return (JSON.parse(run.out) as { crossFills: unknown }).crossFills;
  };
  assert.equal(await crossFills([]), 'displayed', 'the default');
  assert.equal(await crossFills(['--cross-fills', 'full']), 'full');
  const off = await cli([...base, '--cross-fills', 'off']);
  const alias = await cli([...base, '--no-cross-fills']);
  assert.equal((JSON.parse(off.out) as { crossFills: unknown }).crossFills, 'off');
  assert.equal(alias.out, off.out, '--no-cross-fills is --cross-fills off');
  const bad = await cli([...base, '--cross-fills', 'some']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--cross-fills: expected one of displayed, full, off, was "some"/);
  assert.equal((await cli([...base, '--no-cross-fills', '--cross-fills', 'full'])).code, 2, 'contradictory flags');
  const out = join(dir, 'opt-cross');
  const grid = await cli(['optimize', '--data', SYNTH, '--out', out, '--workers', '1', '--gammas', '0.1', '--kappas', '1', '--cross-fills', 'full']);
  assert.equal(grid.code, 0, grid.err);
  assert.equal((JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { settings: { crossFills: unknown } }).settings.crossFills, 'full');
  const records = JSON.parse(readFileSync(join(out, 'market_results.json'), 'utf8')) as { crossFills: unknown }[];
  assert.ok(records.length > 0 && records.every((r) => r.crossFills === 'full'));
});

test('backtest on a broken file exits 1 naming the file and line', async () => {
  const bad = join(dir, 'broken.jsonl');
  writeFileSync(bad, `${readFileSync(SYNTH, 'utf8').split('\n').slice(0, 50).join('\n')}\n{"recv_ms": oops}\n`);
  const { code, err } = await cli(['backtest', '--data', bad, '--market', MARKET]);
  assert.equal(code, 1);
  assert.match(err, /broken\.jsonl:51: not valid JSON/);
  assert.equal((await cli(['backtest', '--data', SYNTH])).code, 2, 'missing --market is bad usage');
});

test('a bad trading-config or model flag is bad usage (exit 2): the command line is the only config of a backtest', async () => {
  for (const flags of [['--gamma', 'x'], ['--kappa=0'], ['--quote-size-contracts', '0'], ['--queue', 'probabilistic', '--queue-exponent=-2']]) {
    const run = await cli(['backtest', '--data', SYNTH, '--market', MARKET, ...flags]);
    assert.equal(run.code, 2, `${flags.join(' ')}: ${run.err}`);
    assert.equal(run.out, '');
  }
  const grid = await cli(['optimize', '--data', SYNTH, '--out', join(dir, 'bad-config'), '--gammas', '0.1', '--kappas', '1', '--max-position-contracts=-5']);
  assert.equal(grid.code, 2, grid.err);
  assert.match(grid.err, /maxPositionContracts/);
});

test('optimize gives the same results with one or two workers; best picks by cash and by PnL', async () => {
  const grid = ['--gammas', '0.1:0.3:0.1', '--kappas', '1:2:1', '--holdout', '0.25'];
  const one = await cli(['optimize', '--data', SYNTH, '--out', join(dir, 'opt1'), '--workers', '1', ...grid]);
  assert.equal(one.code, 0, one.err);
  const two = await cli(['optimize', '--data', SYNTH, '--out', join(dir, 'opt2'), '--workers', '2', '--report', ...grid]);
  assert.equal(two.code, 0, two.err);
  assert.match(two.err, /optimize: 100%, 2\/2 jobs done, (\d+)\/\1 lines/, 'progress ends with every line of the file read once per job');
  assert.match(two.err, /optimize: [1-9]\d?%, 0\/2 jobs done/, 'and shows progress before the first job finishes');
  for (const name of ['market_results.json', 'overall_results.json']) {
    assert.equal(readFileSync(join(dir, 'opt1', name), 'utf8'), readFileSync(join(dir, 'opt2', name), 'utf8'), name);
  }
  const records = JSON.parse(readFileSync(join(dir, 'opt1', 'market_results.json'), 'utf8')) as { market: string; cash: number; inventory: number; holdout?: unknown }[];
  assert.equal(records.length, 3 * 6);
  assert.ok(records.every((r) => r.holdout !== undefined));
  const overall = JSON.parse(readFileSync(join(dir, 'opt1', 'overall_results.json'), 'utf8')) as { gamma: number; kappa: number; meanCash: number; meanPnl: number }[];
  assert.equal(overall.length, 6);
  assert.equal((await cli(['best', '--results', join(dir, 'opt1')])).code, 0);
  const best = JSON.parse(readFileSync(join(dir, 'opt1', 'best_overall.json'), 'utf8')) as { byCash: { meanCash: number }; byPnl: { meanPnl: number } };
  assert.equal(best.byCash.meanCash, Math.max(...overall.map((r) => r.meanCash)));
  assert.equal(best.byPnl.meanPnl, Math.max(...overall.map((r) => r.meanPnl)));
  const byMarket = JSON.parse(readFileSync(join(dir, 'opt1', 'best_by_market.json'), 'utf8')) as { market: string; cash: number }[];
  assert.equal(byMarket.length, 3);
  for (const b of byMarket) assert.equal(b.cash, Math.max(...records.filter((r) => r.market === b.market).map((r) => r.cash)));
  assert.ok(existsSync(join(dir, 'opt2', 'report.html')));
  assert.equal((await cli(['report', join(dir, 'opt1')])).code, 0);
  assert.ok(readFileSync(join(dir, 'opt1', 'report.html'), 'utf8').includes('uPlot'));
});

test('import converts real trade and top-of-book rows into recordings the backtester reads', async () => {
  const trades = join(dir, 'trades.csv');
  writeFileSync(
    trades,
    [
      ',trade_id,ticker,count,created_time,yes_price,no_price,taker_side',
      '0,5bd7cfdb-472b-40ae-a3a7-c9d1d65e97e0,KXGDPYEAR-25-T0.1,13,2025-07-19T14:22:42.193311Z,14,86,yes',
      '1,46ba5a0a-4cb8-4741-9d55-0ebeb6e23704,KXGDPYEAR-25-T0.1,6,2025-07-17T03:51:00.304601Z,15,85,yes',
      '2,f20a0d24-8a9f-4c41-a613-75086aee81b6,KXGDPYEAR-25-T0.1,115,2025-07-16T02:28:48.141084Z,14,86,no',
    ].join('\n') + '\n',
  );
  assert.equal((await cli(['import', '--format', 'trades-csv', trades, '--out', join(dir, 'trades.jsonl')])).code, 0);
  const lines = [];
  for await (const line of readRecording(join(dir, 'trades.jsonl'))) lines.push(line);
  assert.deepEqual(lines.map((l) => l.type), ['market', 'trade', 'trade', 'trade']);
  assert.deepEqual(lines[1]?.msg, {
    trade_id: 'f20a0d24-8a9f-4c41-a613-75086aee81b6',
    market_ticker: 'KXGDPYEAR-25-T0.1',
    yes_price_dollars: '0.1400',
    no_price_dollars: '0.8600',
    count_fp: '115.00',
    taker_outcome_side: 'no',
    taker_book_side: 'ask',
    ts_ms: Date.parse('2025-07-16T02:28:48.141Z'),
  });
  const bbo = join(dir, 'bbo.csv');
  writeFileSync(bbo, 'timestamp,market_ticker,best_yes_bid,best_no_bid,implied_no_ask,implied_yes_ask\n2025-12-04T12:27:16.079996,KXHIGHNY-25DEC05-T37,1,96,99,4\n2025-12-04T12:27:17.5,KXHIGHNY-25DEC05-T37,0,95,100,5\n');
  assert.equal((await cli(['import', '--format', 'bbo-csv', bbo, '--out', join(dir, 'bbo.jsonl.gz'), '--nominal-size', '50'])).code, 0);
  const book = [];
  for await (const line of readRecording(join(dir, 'bbo.jsonl.gz'))) book.push(line);
  assert.equal(book[1]?.recvMs, Date.parse('2025-12-04T20:27:16.079Z'), 'local time taken as UTC−8');
  assert.deepEqual(book[2]?.msg, { market_ticker: 'KXHIGHNY-25DEC05-T37', no_dollars_fp: [['0.9500', '50.00']] }, 'a 0¢ bid is an empty side');
  const run = await cli(['backtest', '--data', join(dir, 'bbo.jsonl.gz'), '--market', 'KXHIGHNY-25DEC05-T37', '--json']);
  assert.equal(run.code, 0, run.err);
  assert.equal((await cli(['import', '--format', 'nope', bbo, '--out', join(dir, 'x.jsonl')])).code, 2);
});

test('import: --utc-offset takes a negative offset as written in the help; flags of another format are bad usage', async () => {
  const bbo = join(dir, 'bbo-offset.csv');
  writeFileSync(bbo, 'timestamp,market_ticker,best_yes_bid,best_no_bid,implied_no_ask,implied_yes_ask\n2025-12-04T12:27:16.079996,KXHIGHNY-25DEC05-T37,1,96,99,4\n');
  const run = await cli(['import', '--format', 'bbo-csv', bbo, '--utc-offset', '-05:00', '--out', join(dir, 'bbo-offset.jsonl')]);
  assert.equal(run.code, 0, run.err);
  const lines = [];
  for await (const line of readRecording(join(dir, 'bbo-offset.jsonl'))) lines.push(line);
  assert.equal(lines[1]?.recvMs, Date.parse('2025-12-04T17:27:16.079Z'), 'local time taken as UTC−5');
  const trades = join(dir, 'trades-only.csv');
  writeFileSync(trades, ',trade_id,ticker,count,created_time,yes_price,no_price,taker_side\n0,5bd7cfdb-472b-40ae-a3a7-c9d1d65e97e0,KXGDPYEAR-25-T0.1,13,2025-07-19T14:22:42.193311Z,14,86,yes\n');
  for (const extra of [['--trades', bbo], ['--utc-offset=-05:00'], ['--nominal-size', '5']]) {
    const wrong = await cli(['import', '--format', 'trades-csv', trades, ...extra, '--out', join(dir, 'wrong.jsonl')]);
    assert.equal(wrong.code, 2, `${extra.join(' ')}: ${wrong.err}`);
    assert.match(wrong.err, /only with --format bbo-csv/);
    assert.equal(existsSync(join(dir, 'wrong.jsonl')), false, 'nothing written');
  }
});

test('optimize reports the runs\' warnings on stderr, naming the run, with any number of workers', async () => {
  // A zero requote interval makes the maker amend orders a fill has just taken (a 404 it logs).
  const grid = ['--gammas', '0.1:0.3:0.1', '--kappas', '1:2:1', '--min-requote-interval-ms', '0'];
  const warnings = (err: string): string[] => err.split('\n').filter((l) => l.startsWith('warn ')).sort();
  const one = await cli(['optimize', '--data', SYNTH, '--out', join(dir, 'warn1'), '--workers', '1', ...grid]);
  const two = await cli(['optimize', '--data', SYNTH, '--out', join(dir, 'warn2'), '--workers', '2', ...grid]);
  assert.equal(one.code, 0, one.err);
  assert.equal(two.code, 0, two.err);
  assert.ok(warnings(one.err).length > 0, 'the grid logged warnings');
  assert.ok(warnings(one.err).every((l) => /"ticker":"[^"]+","gamma":[\d.]+,"kappa":[\d.]+/.test(l)), warnings(one.err)[0]);
  assert.deepEqual(warnings(two.err), warnings(one.err));
});

test('optimize into a directory with older picks removes them: best_*.json and report.html describe the results beside them', async () => {
  const out = join(dir, 'rerun');
  const grid = ['--gammas', '0.1', '--kappas', '1', '--workers', '1'];
  assert.equal((await cli(['optimize', '--data', SYNTH, '--out', out, ...grid, '--report'])).code, 0);
  assert.equal((await cli(['best', '--results', out])).code, 0);
  for (const name of ['best_overall.json', 'best_by_market.json', 'report.html']) assert.ok(existsSync(join(out, name)), name);
  const again = await cli(['optimize', '--data', SYNTH, '--out', out, '--gammas', '0.2', '--kappas', '2', '--workers', '1']);
  assert.equal(again.code, 0, again.err);
  for (const name of ['best_overall.json', 'best_by_market.json', 'report.html']) assert.equal(existsSync(join(out, name)), false, `${name} of the older grid is gone`);
  assert.match(again.err, /removed best_overall\.json, best_by_market\.json, report\.html of the previous results/);
});

test('optimize refuses a recording given twice (it would count its markets twice in every total)', async () => {
  const run = await cli(['optimize', '--data', SYNTH, join(dir, '.', 'synth.jsonl'), '--out', join(dir, 'twice'), '--gammas', '0.1', '--kappas', '1']);
  assert.equal(run.code, 2, run.err);
  assert.match(run.err, /synth\.jsonl is given twice/);
  assert.equal(existsSync(join(dir, 'twice')), false);
});
