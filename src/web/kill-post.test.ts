/**
 * `POST /api/kill` of the dashboard over a real socket: only the page's own request (loopback Host, no
 * foreign Origin, the X-Kalshi-MM header, a JSON body) reaches `onKill`; without `onKill` the server
 * stays read-only and the page has no button.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { DashboardFeed, startDashboard, type Dashboard } from './index.js';
import { KILL_BODY_MAX_BYTES } from './kill-post.js';

/** Sends a raw HTTP request (fetch may not set `Host`), resolves with the status and body. */
function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = '',
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function withDashboard(onKill: ((reason: string) => void) | undefined, run: (d: Dashboard) => Promise<void>): Promise<void> {
  const dashboard = await startDashboard({ feed: new DashboardFeed({ env: 'local' }), port: 0, ...(onKill ? { onKill } : {}) });
  try {
    await run(dashboard);
  } finally {
    await dashboard.close();
  }
}

test('only the page own kill request reaches onKill', async () => {
  const kills: string[] = [];
  await withDashboard(
    (r) => kills.push(r),
    async ({ port }) => {
      const good = { host: `127.0.0.1:${port}`, 'content-type': 'application/json', 'x-kalshi-mm': 'kill' };
      const refused: [string, Record<string, string>, string][] = [
        ['DNS rebinding: a foreign Host', { ...good, host: `evil.example:${port}` }, '{}'],
        ['another port', { ...good, host: `127.0.0.1:${port + 1}` }, '{}'],
        ['a foreign Origin', { ...good, origin: 'http://evil.example' }, '{}'],
        ['no header', { host: good.host, 'content-type': 'application/json' }, '{}'],
        ['a wrong header value', { ...good, 'x-kalshi-mm': 'yes' }, '{}'],
        ['a form body', { ...good, 'content-type': 'application/x-www-form-urlencoded' }, 'reason=x'],
      ];
      for (const [what, headers, body] of refused) {
        const res = await send(port, 'POST', '/api/kill', headers, body);
        assert.equal(res.status, 403, what);
      }
      assert.equal((await send(port, 'POST', '/api/kill', good, 'not json')).status, 400);
      assert.equal((await send(port, 'POST', '/api/kill', good, '{"reason": 7}')).status, 400);
      assert.equal((await send(port, 'POST', '/api/kill', good, JSON.stringify({ reason: 'x'.repeat(KILL_BODY_MAX_BYTES) }))).status, 413);
      assert.deepEqual(kills, [], 'no refused request reached onKill');
      const sameOrigin = { ...good, host: `localhost:${port}`, origin: `http://localhost:${port}` };
      assert.equal((await send(port, 'POST', '/api/kill', sameOrigin, JSON.stringify({ reason: 'desk says stop' }))).status, 202);
      assert.equal((await send(port, 'POST', '/api/kill', good, '')).status, 202);
      assert.deepEqual(kills, ['desk says stop', '']);
      const page = await send(port, 'GET', '/', { host: good.host });
      assert.match(page.text, /<button id="kill"/);
      assert.match(page.text, /confirm\(/);
    },
  );
});

test('without onKill the dashboard is read-only and has no kill button', async () => {
  await withDashboard(undefined, async ({ port }) => {
    const res = await send(
      port,
      'POST',
      '/api/kill',
      { host: `127.0.0.1:${port}`, 'content-type': 'application/json', 'x-kalshi-mm': 'kill' },
      '{}',
    );
    assert.equal(res.status, 405);
    const page = await send(port, 'GET', '/', { host: `127.0.0.1:${port}` });
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /id="kill"/);
  });
});
