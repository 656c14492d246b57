/**
 * The dashboard's HTTP server (node:http), bound to 127.0.0.1 by default: `GET /` serves the page,
 * `GET /events` streams snapshots as Server-Sent Events, `GET /api/status` returns the current
 * snapshot as JSON. One request changes the bot, and only when `onKill` is given: `POST /api/kill`,
 * the kill switch (kill-post.ts says what it must carry so that no other web page can send it).
 * Every other method or path is refused.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { silentLogger, type Logger } from '../core/index.js';
import type { DashboardFeed } from './feed.js';
import { handleKillPost } from './kill-post.js';
import { renderPage } from './page.js';

/** Options of `startDashboard`. */
export interface DashboardOptions {
  readonly feed: DashboardFeed;
  /** 0 = any free port. */
  readonly port: number;
  /** Default 127.0.0.1: the dashboard is local only. */
  readonly host?: string;
  readonly logger?: Logger;
  /** The operator's kill switch (`POST /api/kill`) with the posted reason (raw text); absent: read-only. */
  readonly onKill?: (reason: string) => void;
}

/** A running dashboard. */
export interface Dashboard {
  readonly url: string;
  readonly port: number;
  /** Ends every stream and stops listening. Idempotent. */
  close(): Promise<void>;
}

/** Returns uPlot's IIFE script and CSS from node_modules, or empty strings when it is not installed. */
export function loadUplot(): { js: string; css: string } {
  try {
    const require = createRequire(import.meta.url);
    const dist = join(dirname(require.resolve('uplot/package.json')), 'dist');
    return {
      js: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8').replace(/<\/script/gi, '<\\/script'),
      css: readFileSync(join(dist, 'uPlot.min.css'), 'utf8'),
    };
  } catch {
    return { js: '', css: '' };
  }
}

/**
 * Starts the dashboard and resolves once it listens.
 * @throws the listen error (e.g. EADDRINUSE) when the port is taken.
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const logger = options.logger ?? silentLogger;
  const uplot = loadUplot();
  const page = renderPage(uplot.js, uplot.css, { killButton: options.onKill !== undefined });
  const streams = new Set<ServerResponse>();
  const unsubscribe = options.feed.subscribe((snapshot) => {
    const frame = `data: ${JSON.stringify(snapshot)}\n\n`;
    for (const res of streams) res.write(frame);
  });
  let boundPort = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'POST' && path === '/api/kill' && options.onKill) {
      handleKillPost(req, res, { port: boundPort, onKill: options.onKill, logger });
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end('read-only\n');
      return;
    }
    if (path === '/') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
      });
      res.end(page);
      return;
    }
    if (path === '/api/status') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(options.feed.snapshot() ?? null));
      return;
    }
    if (path === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write('retry: 2000\n\n');
      const now = options.feed.snapshot();
      if (now) res.write(`data: ${JSON.stringify(now)}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  boundPort = port;
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  logger.info({ url }, 'dashboard listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        unsubscribe();
        for (const res of streams) res.end();
        streams.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
