/**
 * Helpers for the local exchange's integration and conformance tests: a started exchange with fixed
 * markets and no generator, signed raw requests, and a WebSocket client that waits on conditions.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { DEFAULT_FEE_SCHEDULE, TickGrid, type Price } from '../../src/core/index.js';
import { signedHeaders, startLocalExchange, type LocalCredentials, type LocalExchange, type LocalExchangeOptions } from '../../src/exchange/index.js';
import type { MarketDefinition } from '../../src/exchange/matching/index.js';

/** A linear-cent market open for a day. */
export function centMarket(ticker: string, eventTicker = 'KXLOCAL-EV1', seriesTicker = 'KXLOCAL'): MarketDefinition {
  const now = Date.now();
  return { ticker, eventTicker, seriesTicker, title: `Local ${ticker}`, grid: TickGrid.linearCent(), fees: DEFAULT_FEE_SCHEDULE, openTimeMs: now - 60_000, closeTimeMs: now + 86_400_000, status: 'active', priceLevelStructure: 'linear_cent' };
}

/** A deci-cent market ($0.001 steps). */
export function deciMarket(ticker: string): MarketDefinition {
  return { ...centMarket(ticker, 'KXLOCAL-EV2', 'KXLOCAL2'), grid: new TickGrid([{ start: 0 as Price, end: 10_000 as Price, step: 10 }]), priceLevelStructure: 'deci_cent' };
}

/** A started exchange in a temporary directory; `cleanup` closes it and removes the directory. */
export interface TestExchange {
  readonly exchange: LocalExchange;
  readonly dir: string;
  cleanup(): Promise<void>;
}

/** Starts an exchange on 127.0.0.1:0 with markets T-A, T-B (cent) and T-D (deci), no generator, 2 accounts. */
export async function startTestExchange(options: Partial<LocalExchangeOptions> = {}): Promise<TestExchange> {
  const dir = await mkdtemp(join(tmpdir(), 'kalshi-mm-exchange-'));
  const exchange = await startLocalExchange({
    dataDir: dir,
    simulate: false,
    accounts: 2,
    markets: [centMarket('T-A'), centMarket('T-B'), deciMarket('T-D')],
    rateLimitTier: 'prestige',
    ...options,
  });
  return {
    exchange,
    dir,
    cleanup: async () => {
      await exchange.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Reads the PEM private key of credentials. */
export function privateKeyOf(credentials: LocalCredentials): Promise<string> {
  return readFile(credentials.privateKeyPath, 'utf8');
}

/** Sends a signed (or unsigned, with `sign: false`) request to the REST API; returns status and JSON body. */
export async function rest(credentials: LocalCredentials, method: string, path: string, options: { body?: unknown; sign?: boolean; headers?: Record<string, string> } = {}): Promise<{ status: number; body: unknown }> {
  const url = new URL(credentials.rest + path);
  const headers: Record<string, string> = { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) };
  if (options.sign !== false) {
    Object.assign(headers, signedHeaders({ keyId: credentials.keyId, privateKeyPem: await privateKeyOf(credentials), method, path: url.pathname, timestampMs: Date.now() }));
  }
  Object.assign(headers, options.headers ?? {});
  const response = await fetch(url, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** A JSON frame as received. */
export type Frame = Record<string, unknown> & { type?: string; id?: number; sid?: number; seq?: number; msg?: Record<string, unknown> };

/** A test WebSocket client: keeps every frame and waits for the ones a test expects. */
export class TestSocket {
  readonly frames: Frame[] = [];
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
      this.wake();
    });
    ws.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  /** Connects with signed headers; rejects with the HTTP status when the handshake is refused. */
  static async connect(credentials: LocalCredentials, options: { sign?: boolean } = {}): Promise<TestSocket> {
    const headers = options.sign === false ? {} : signedHeaders({ keyId: credentials.keyId, privateKeyPem: await privateKeyOf(credentials), method: 'GET', path: '/trade-api/ws/v2', timestampMs: Date.now() });
    const ws = new WebSocket(credentials.ws, { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new TestSocket(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake refused with HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Sends a command. */
  send(command: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(command));
  }

  /** Resolves with the first frame (from index `from`) satisfying `predicate`; rejects after `timeoutMs`. */
  async waitFor(predicate: (frame: Frame) => boolean, timeoutMs = 3000, from = 0): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.slice(from).find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms; frames: ${JSON.stringify(this.frames.slice(-10))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves when the socket has closed; rejects after `timeoutMs`. */
  async waitClosed(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('socket did not close');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.ws.terminate();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
