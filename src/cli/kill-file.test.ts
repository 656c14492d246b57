import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../core/index.js';
import { KILL_FILE_POLL_MS, KILL_REASON_MAX_CHARS, killReason, readKillFile, watchKillFile } from './kill-file.js';

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kmm-kill-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('killReason makes one trimmed line of printable text, capped', () => {
  assert.equal(killReason('  news spike\r\n\tsecond\u001b[31m line \u2028 '), 'news spike second [31m line');
  assert.equal(killReason('\n \n'), '');
  const long = killReason('x'.repeat(5_000));
  assert.equal(long.length, KILL_REASON_MAX_CHARS);
  assert.ok(long.endsWith('…'));
  // Code-looking text is text: nothing is evaluated or expanded.
  assert.equal(killReason('$(rm -rf /) ${process.exit(0)}'), '$(rm -rf /) ${process.exit(0)}');
});

test('readKillFile: absent, present with its text, empty, a directory, a missing parent', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'KILL');
    assert.deepEqual(await readKillFile(path), { present: false });
    assert.deepEqual(await readKillFile(join(dir, 'no-such-dir', 'KILL')), { present: false });
    await writeFile(path, 'desk closed\n');
    assert.deepEqual(await readKillFile(path), { present: true, reason: 'desk closed' });
    await writeFile(path, '');
    assert.deepEqual(await readKillFile(path), { present: true, reason: '' });
    // Only the first 4 KiB are read: a huge file is no reason to read it all.
    await writeFile(path, `${'a'.repeat(4_096)}TAIL`);
    assert.ok(!((await readKillFile(path)) as { reason: string }).reason.includes('TAIL'));
    const asDir = join(dir, 'KILLDIR');
    await mkdir(asDir);
    assert.deepEqual(await readKillFile(asDir), { present: true, reason: '' });
  });
});

test('a kill file that cannot be checked is unknown, not absent; the watcher reports each error once', async () => {
  await withDir(async (dir) => {
    // A symlink loop: stat fails with ELOOP, as it would with EACCES on a directory.
    const path = join(dir, 'KILL');
    await symlink(join(dir, 'LOOP'), path);
    await symlink(path, join(dir, 'LOOP'));
    const state = await readKillFile(path);
    assert.equal(state.present, 'unknown');
    const clock = new ManualClock(0);
    const errors: string[] = [];
    const kills: string[] = [];
    const watch = watchKillFile({ path, clock, onKill: (r) => kills.push(r), onError: (e) => errors.push(e) });
    const poll = async (): Promise<void> => {
      clock.advanceBy(KILL_FILE_POLL_MS);
      await watch.idle();
    };
    for (let i = 0; i < 3; i++) {
      await poll();
    }
    assert.equal(errors.length, 1, 'a lasting error is reported once');
    assert.match(errors[0] ?? '', /ELOOP/);
    assert.deepEqual(kills, []);
    // Fixed and then created: the watcher kept polling.
    await rm(join(dir, 'LOOP'));
    await rm(path);
    await writeFile(path, 'now');
    await poll();
    assert.deepEqual(kills, ['now']);
  });
});

test('watchKillFile trips once, at the first poll after the file appears, with its text', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'KILL');
    const clock = new ManualClock(0);
    const kills: string[] = [];
    const watch = watchKillFile({ path, clock, onKill: (r) => kills.push(r) });
    const poll = async (): Promise<void> => {
      clock.advanceBy(KILL_FILE_POLL_MS);
      await watch.idle();
    };
    await poll();
    await poll();
    assert.deepEqual(kills, [], 'no file, no kill');
    await writeFile(path, 'stop now');
    assert.deepEqual(kills, [], 'nothing happens between polls');
    await poll();
    assert.deepEqual(kills, ['stop now']);
    for (let i = 0; i < 3; i++) {
      await poll();
    }
    assert.deepEqual(kills, ['stop now'], 'once');
    assert.equal(clock.nextTimerMs(), undefined, 'polling ended');
    watch.stop();
  });
});

test('watchKillFile stop() ends the polling: a file created later trips nothing', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'KILL');
    const clock = new ManualClock(0);
    const kills: string[] = [];
    const watch = watchKillFile({ path, clock, intervalMs: 250, onKill: (r) => kills.push(r) });
    watch.stop();
    await writeFile(path, 'late');
    clock.advanceBy(1_000);
    await watch.idle();
    assert.deepEqual(kills, []);
  });
});
