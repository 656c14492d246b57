import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../main.js';
import { loadRunConfig, stopLines, withDotenvKeys } from './run.js';

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { stream, text: () => text };
}

test('production refuses to start without --live, before connecting anywhere', async () => {
  const err = sink();
  const code = await main(['run', '--env', 'prod'], {
    stderr: err.stream,
    stdout: sink().stream,
    env: {},
    cwd: tmpdir(),
    signal: new AbortController().signal,
  });
  assert.equal(code, 2);
  assert.match(err.text(), /--live/);
});

test('an empty --kill-file is bad usage (it would name the working directory, always present)', async () => {
  const err = sink();
  const code = await main(['run', '--kill-file', ''], {
    stderr: err.stream,
    stdout: sink().stream,
    env: {},
    cwd: tmpdir(),
    signal: new AbortController().signal,
  });
  assert.equal(code, 2);
  assert.match(err.text(), /--kill-file: expected a path/);
});

test('a misspelt trading flag stops the run with the flag named, before any order', async () => {
  const err = sink();
  const code = await main(['run', '--gama', '0.2'], {
    stderr: err.stream,
    stdout: sink().stream,
    env: {},
    cwd: tmpdir(),
    signal: new AbortController().signal,
  });
  assert.equal(code, 2);
  assert.match(err.text(), /gama/);
});

test('trading config comes from flags over the environment over .env, and KALSHI_ keys of .env reach the connection', async () => {
  const cwd = await mkdtemp(join(tmpdir(), 'kmm-env-'));
  try {
    await writeFile(join(cwd, '.env'), 'KMM_GAMMA=0.3\nKMM_MAX_MARKETS=7\nKALSHI_API_KEY_ID=from-file\nOTHER=x\n');
    assert.equal(loadRunConfig({}, { env: {}, cwd }).gamma, 0.3);
    assert.equal(loadRunConfig({}, { env: { KMM_GAMMA: '0.4' }, cwd }).gamma, 0.4);
    assert.equal(loadRunConfig({ gamma: '0.5' }, { env: { KMM_GAMMA: '0.4' }, cwd }).gamma, 0.5);
    assert.equal(loadRunConfig({}, { env: {}, cwd }).maxMarkets, 7);
    const io = (env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; cwd: string } => ({ env, cwd });
    assert.equal(withDotenvKeys(io({})).env['KALSHI_API_KEY_ID'], 'from-file');
    assert.equal(withDotenvKeys(io({ KALSHI_API_KEY_ID: 'from-env' })).env['KALSHI_API_KEY_ID'], 'from-env');
    assert.equal(withDotenvKeys(io({})).env['OTHER'], undefined);
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
});

test('a stop that could not verify the cancels says so and what to do; a clean stop does not warn', () => {
  const clean = stopLines({ reason: 'interrupted', restingLeft: 0 }, 3, 12_345);
  assert.equal(clean, 'kalshi-mm run: stopped (interrupted); resting orders left: 0; fills 3; pnl $1.23\n');
  const unknown = stopLines({ reason: 'interrupted', restingLeft: -1 }, 0, 0);
  assert.match(unknown, /resting orders left: unknown \(the exchange could not be read\)/);
  assert.doesNotMatch(unknown, /-1/);
  assert.match(
    unknown,
    /WARNING: orders of this account may still rest on the exchange.*next kalshi-mm run with this journal cancels them/,
  );
  assert.match(stopLines({ reason: 'interrupted', restingLeft: 12 }, 0, 0), /WARNING: 12 orders of this account still rest/);
});

test('an invalid trading-config value is bad usage (exit 2) in run, scan and record, from a flag, the environment or .env', async () => {
  const cwd = await mkdtemp(join(tmpdir(), 'kmm-badconfig-'));
  const dotenvCwd = await mkdtemp(join(tmpdir(), 'kmm-badconfig-dotenv-'));
  try {
    await writeFile(join(dotenvCwd, '.env'), 'KMM_GAMMA=-1\n');
    const cases: { argv: string[]; env: Record<string, string>; cwd: string }[] = [
      { argv: ['run', '--gamma', '-1'], env: {}, cwd },
      { argv: ['run'], env: { KMM_MAX_MARKETS: 'many' }, cwd },
      { argv: ['run'], env: {}, cwd: dotenvCwd },
      { argv: ['scan', '--gamma', '-1'], env: {}, cwd },
      { argv: ['scan'], env: { KMM_GAMMA: '-1' }, cwd },
      { argv: ['record', '--top', '2', '--out', 'rec.jsonl'], env: {}, cwd: dotenvCwd },
      { argv: ['record', '--top', '2', '--out', 'rec.jsonl'], env: { KMM_MAX_MARKETS: 'many' }, cwd },
    ];
    for (const c of cases) {
      const err = sink();
      const code = await main(c.argv, { stderr: err.stream, stdout: sink().stream, env: c.env, cwd: c.cwd, signal: new AbortController().signal });
      const label = `${c.argv.join(' ')} ${JSON.stringify(c.env)}${c.cwd === dotenvCwd ? ' (.env)' : ''}`;
      assert.equal(code, 2, `${label}: ${err.text()}`);
      assert.match(err.text(), /gamma|maxMarkets|MAX_MARKETS/i, label);
    }
  } finally {
    await rm(cwd, { recursive: true, force: true });
    await rm(dotenvCwd, { recursive: true, force: true });
  }
});

test('run --help names every default journal: per Kalshi env, per running local exchange, and the embedded one', async () => {
  const out = sink();
  const code = await main(['run', '--help'], { stderr: sink().stream, stdout: out.stream, env: {}, cwd: tmpdir(), signal: new AbortController().signal });
  assert.equal(code, 0);
  const help = out.text().replace(/\s+/g, ' ');
  assert.match(help, /--journal FILE .*\.kalshi-mm\/journal\/.*<env>\.sqlite/);
  assert.match(help, /local-<host>-<port>\.sqlite/);
  assert.match(help, /local-embedded\.sqlite/);
});
