import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { UsageError } from '../../core/index.js';
import { exchangeCommand } from './exchange.js';

function io(cwd: string, signal: AbortSignal): { stdout: PassThrough; stderr: PassThrough; env: NodeJS.ProcessEnv; cwd: string; signal: AbortSignal } {
  return { stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd, signal };
}

test('the exchange command writes one credentials line, serves until aborted, then exits 0', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kalshi-mm-cmd-'));
  const controller = new AbortController();
  const streams = io(dir, controller.signal);
  let stdout = '';
  streams.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  try {
    const running = exchangeCommand.run(['--port', '0', '--data-dir', 'state', '--seed', '5'], streams);
    const deadline = Date.now() + 10_000;
    while (!stdout.includes('\n') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const credentials = JSON.parse(stdout.trim()) as { rest: string; privateKeyPath: string };
    assert.ok(credentials.privateKeyPath.startsWith(join(dir, 'state')), 'a relative --data-dir is under the command cwd');
    assert.equal((await fetch(`${credentials.rest}/exchange/status`)).status, 200);
    controller.abort();
    assert.equal(await running, 0);
    await assert.rejects(fetch(`${credentials.rest}/exchange/status`), 'the server is closed');
  } finally {
    controller.abort();
    await rm(dir, { recursive: true, force: true });
  }
});

test('bad flags are usage errors', async () => {
  const controller = new AbortController();
  for (const argv of [['--port', '70000'], ['--speed', '0'], ['--accounts', '0'], ['--tier', 'gold'], ['--bogus']]) {
    await assert.rejects(exchangeCommand.run(argv, io(tmpdir(), controller.signal)), UsageError, argv.join(' '));
  }
});
