/**
 * Shared by the `run-*` and `dashboard-*` integration tests: a local exchange started in the test
 * process (so the test can read the engine's own books, orders and positions) and `kalshi-mm run`
 * spawned as a child process against it with `--credentials`, as a user would run it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contracts, type Count, type Price } from '../../src/core/index.js';
import { startLocalExchange, type LocalExchange } from '../../src/exchange/index.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A test's exchange, its temp directory and the demo account's engine id. */
export interface Harness {
  readonly dir: string;
  readonly exchange: LocalExchange;
  readonly accountId: string;
  readonly credentialsFile: string;
  close(): Promise<void>;
}

/** Starts a local exchange (seeded, fast) with one extra account for a taker. */
export async function startHarness(speed = 30): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'kalshi-mm-run-'));
  const exchange = await startLocalExchange({ dataDir: join(dir, 'exchange'), port: 0, speed, seed: 7, accounts: 2 });
  return {
    dir,
    exchange,
    accountId: exchange.accountIdOf(exchange.credentials.keyId),
    credentialsFile: join(dir, 'exchange', 'credentials.json'),
    close: async () => {
      await exchange.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A spawned `kalshi-mm run`. */
export interface BotProcess {
  readonly child: ChildProcess;
  stderr(): string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /** Resolves once stderr matches `pattern` (rejects after `timeoutMs` or on exit). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

/** Spawns `kalshi-mm run` in `harness.dir` against the harness exchange with extra `args`. */
export function spawnBot(harness: Harness, args: readonly string[]): BotProcess {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin/kalshi-mm.js'), 'run', '--credentials', harness.credentialsFile, '--journal', 'journal.sqlite', ...args],
    {
      cwd: harness.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env['PATH'] ?? '' },
    },
  );
  let text = '';
  const waiters = new Set<() => void>();
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const w of waiters) w();
  });
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  return {
    child,
    stderr: () => text,
    exited,
    waitFor: (pattern, timeoutMs = 15_000) =>
      new Promise((resolveMatch, rejectMatch) => {
        const check = (): void => {
          const m = pattern.exec(text);
          if (m) {
            done();
            resolveMatch(m);
          }
        };
        const timer = setTimeout(() => {
          done();
          rejectMatch(new Error(`stderr did not match ${pattern} within ${timeoutMs} ms:\n${text.slice(-3000)}`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        void exited.then(() => {
          if (waiters.has(check)) {
            done();
            rejectMatch(new Error(`kalshi-mm run exited before ${pattern}:\n${text.slice(-3000)}`));
          }
        });
        check();
      }),
  };
}

/** Resolves once `condition()` is true, polling every 50 ms; rejects with `what` after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Returns two liquid tickers of the default universe that stay open for the test. */
export const TEST_MARKETS = ['KXFED-26JAN-T3.50', 'KXHIGHNY-26JAN01-B38.5'] as const;

/**
 * Sends a taker order from the second account that takes the whole book up to our quote on `side` of
 * `ticker` (others may be ahead of us in the queue); returns our fills it made.
 */
export function hitOurQuote(h: Harness, ticker: string, side: 'bid' | 'ask'): number {
  const taker = h.exchange.accountIdOf(h.exchange.accounts[0]?.keyId ?? '');
  const quote = h.exchange.engine.restingOrders(h.accountId).find((o) => o.ticker === ticker && o.side === side);
  if (!quote) return 0;
  const book = h.exchange.engine.getBook(ticker);
  // A YES ask at p rests as a NO bid at 1 − p: everything at least as good as our quote is taken.
  const ahead =
    side === 'bid'
      ? book.yes.filter((l) => l.price >= quote.price).reduce((sum, l) => sum + l.count, 0)
      : book.no.filter((l) => l.price >= 10_000 - quote.price).reduce((sum, l) => sum + l.count, 0);
  const before = h.exchange.engine.listFills(h.accountId).length;
  h.exchange.engine.createOrder(taker, {
    ticker,
    side: side === 'bid' ? 'ask' : 'bid',
    price: quote.price as Price,
    count: Math.max(ahead, contracts(1)) as Count,
    timeInForce: 'immediate_or_cancel',
    postOnly: false,
    selfTradePrevention: 'taker_at_cross',
    clientOrderId: `taker-${side}-${Date.now()}`,
  });
  return h.exchange.engine.listFills(h.accountId).length - before;
}
