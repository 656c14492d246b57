/**
 * The start-up contract of `kalshi-mm exchange`, with the real binary: exactly one JSON line on
 * stdout once it listens, the same object in DIR/credentials.json, a 0600 private key, markets that
 * move, and a clean exit on SIGTERM.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

test('kalshi-mm exchange prints one credentials line, writes credentials.json and stops on SIGTERM', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kalshi-mm-cli-'));
  const started = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin/kalshi-mm.js'), 'exchange', '--port', '0', '--data-dir', dir, '--speed', '60'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let stdout = '';
    const line = await new Promise<string>((resolveLine, rejectLine) => {
      const timer = setTimeout(() => rejectLine(new Error(`no credentials line within 10 s; stdout ${JSON.stringify(stdout)}`)), 10_000);
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        const end = stdout.indexOf('\n');
        if (end >= 0) {
          clearTimeout(timer);
          resolveLine(stdout.slice(0, end));
        }
      });
      child.once('exit', (code) => rejectLine(new Error(`exited early with ${code}`)));
    });
    const startupMs = performance.now() - started;
    const credentials = JSON.parse(line) as { rest: string; ws: string; keyId: string; privateKeyPath: string };
    assert.deepEqual(Object.keys(credentials), ['rest', 'ws', 'keyId', 'privateKeyPath']);
    assert.match(credentials.rest, /^http:\/\/127\.0\.0\.1:\d+\/trade-api\/v2$/);
    assert.match(credentials.ws, /^ws:\/\/127\.0\.0\.1:\d+\/trade-api\/ws\/v2$/);
    assert.match(credentials.keyId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual(JSON.parse(await readFile(join(dir, 'credentials.json'), 'utf8')), credentials);
    assert.equal((await stat(credentials.privateKeyPath)).mode & 0o777, 0o600);
    const status = await fetch(`${credentials.rest}/exchange/status`);
    assert.equal(status.status, 200);
    const markets = (await (await fetch(`${credentials.rest}/markets?status=open`)).json()) as { markets: unknown[] };
    assert.ok(markets.markets.length >= 10, `listed ${markets.markets.length} markets`);
    process.stderr.write(`kalshi-mm exchange started in ${startupMs.toFixed(0)} ms (first start, key generation included)\n`);
    const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.equal(stdout.trim().split('\n').length, 1, 'nothing but the credentials line on stdout');
  } finally {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});
