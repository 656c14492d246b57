import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from './main.js';

/** Runs the CLI in `cwd`; returns the exit code and stderr. */
async function runCli(argv: string[], cwd: string): Promise<{ code: number; err: string }> {
  const err = new PassThrough();
  const chunks: Buffer[] = [];
  err.on('data', (c: Buffer) => chunks.push(c));
  const code = await main(argv, { stdout: new PassThrough(), stderr: err, env: {}, cwd, signal: new AbortController().signal });
  return { code, err: Buffer.concat(chunks).toString('utf8') };
}

// A file or directory named on the command line that is not there is bad usage (exit 2) in every
// command, with one line that names the argument and the path and no errno jargon.
const cases: { argv: string[]; names: RegExp }[] = [
  { argv: ['backtest', '--data', 'missing.jsonl', '--market', 'X'], names: /--data missing\.jsonl: no such file/ },
  { argv: ['backtest', '--data', '.', '--market', 'X'], names: /--data \.: is a directory, expected a file/ },
  { argv: ['optimize', '--data', 'missing.jsonl', '--out', 'out'], names: /--data missing\.jsonl: no such file/ },
  { argv: ['optimize', 'missing.jsonl', '--out', 'out'], names: /recording missing\.jsonl: no such file/ },
  { argv: ['import', '--format', 'trades-csv', '--out', 'x.jsonl', 'missing.csv'], names: /input file missing\.csv: no such file/ },
  { argv: ['import', '--format', 'ws-capture', '--out', 'x.jsonl', 'missing.jsonl'], names: /input file missing\.jsonl: no such file/ },
  { argv: ['import', '--format', 'bbo-csv', '--out', 'x.jsonl', 'missing.csv'], names: /input file missing\.csv: no such file/ },
  { argv: ['report', 'missing'], names: /results directory missing: no such directory/ },
  { argv: ['report', '--results', 'missing'], names: /--results missing: no such directory/ },
  { argv: ['best', '--results', 'missing'], names: /--results missing: no such directory/ },
  { argv: ['exchange', '--replay', 'missing.jsonl'], names: /--replay missing\.jsonl: no such file/ },
  { argv: ['exchange', '--markets', 'missing.json'], names: /--markets missing\.json: no such file/ },
];

test('a missing input file or directory is bad usage: exit 2, one line naming it, nothing written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmm-missing-'));
  try {
    for (const { argv, names } of cases) {
      const { code, err } = await runCli(argv, dir);
      const label = argv.join(' ');
      assert.equal(code, 2, label);
      assert.match(err, names, label);
      assert.doesNotMatch(err, /ENOENT|EISDIR|\n./, label);
      assert.deepEqual(readdirSync(dir), [], `${label}: wrote nothing`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
