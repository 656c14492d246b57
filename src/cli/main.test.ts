import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { main } from './main.js';
import { commands } from './commands/index.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = capture();
  const err = capture();
  const code = await main(argv, { stdout: out.stream, stderr: err.stream, env: {}, cwd: process.cwd(), signal: new AbortController().signal });
  return { code, out: out.text(), err: err.text() };
}

test('--help lists every command and exits 0', async () => {
  const { code, out } = await runCli(['--help']);
  assert.equal(code, 0);
  for (const name of ['exchange', 'run', 'backtest', 'optimize', 'best', 'report', 'synth', 'import', 'record', 'scan']) {
    assert.match(out, new RegExp(`^  ${name} `, 'm'));
  }
});

test('an unknown command is bad usage: exit code 2 and a message on stderr', async () => {
  const { code, out, err } = await runCli(['frobnicate']);
  assert.equal(code, 2);
  assert.equal(out, '');
  assert.match(err, /unknown command "frobnicate"/);
});

test('no command at all prints the help and exits 2', async () => {
  const { code, out } = await runCli([]);
  assert.equal(code, 2);
  assert.match(out, /Usage: kalshi-mm <command>/);
});

test('every command answers --help on stdout with exit code 0', async () => {
  for (const command of commands) {
    const { code, out } = await runCli([command.name, '--help']);
    assert.equal(code, 0, command.name);
    assert.match(out, new RegExp(`kalshi-mm ${command.name}`), command.name);
  }
});
