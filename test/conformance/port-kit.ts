/**
 * The shared vocabulary of the ExchangePort conformance suite: the fixture each implementation
 * provides, the case names, the markets' grid and fees, and the helpers the cases use (order
 * requests, an events() reader that waits with a timeout, portfolio look-ups).
 */
import assert from 'node:assert/strict';
import type {
  BookLevel,
  BookSide,
  Count,
  ExchangePort,
  FeeSchedule,
  OrderRequest,
  PortEvent,
  Price,
  PriceRange,
} from '../../src/core/index.js';

/** An implementation under test, with the hooks the cases need beyond the port itself. */
export interface PortFixture {
  readonly port: ExchangePort;
  /** Every market the port knows (what `listMarkets()` must yield in full, across pages). */
  readonly listedTickers: readonly string[];
  /** At least `CASE_MARKETS` active markets with empty books, grid `gridRanges` and fee schedule `fees`. */
  readonly tickers: readonly string[];
  readonly gridRanges: readonly PriceRange[];
  readonly fees: FeeSchedule;
  /**
   * Puts another participant's bids into the (empty) book of `ticker`: YES bids at YES prices, NO bids
   * at NO prices (a NO bid at q is a YES ask at 1 − q). The backtest records a book snapshot instead.
   */
  seedBook(ticker: string, book: { readonly yes: readonly BookLevel[]; readonly no: readonly BookLevel[] }): Promise<void>;
  /** Another participant trades `count` at `price` as a taker on `takerSide` (an `ask` taker hits bids). */
  trade(ticker: string, takerSide: BookSide, price: Price, count: Count): Promise<void>;
  /** Lets requests in flight take effect (the backtest's latency); resolves at once where they act at once. */
  settle(): Promise<void>;
  /** Releases everything the fixture started (after the port's own `close()`). */
  dispose(): Promise<void>;
}

/** Names of the cases, for `skip` and `todo` maps. */
export type CaseName =
  | 'listing'
  | 'orderBook'
  | 'subscribeSnapshotFirst'
  | 'postOnlyRests'
  | 'postOnlyCrossRejected'
  | 'idempotentCreate'
  | 'amend'
  | 'decrease'
  | 'cancel'
  | 'cancelAll'
  | 'iocFillEvent'
  | 'iocPosition'
  | 'iocNoRest'
  | 'unknownMarket'
  | 'typedErrors'
  | 'batch'
  | 'abortedStream'
  | 'close';

/** Options of `portContract`: cases to skip (cannot apply) or mark todo (known contract violation). */
export interface ContractOptions {
  readonly skip?: Partial<Record<CaseName, string>>;
  readonly todo?: Partial<Record<CaseName, string>>;
}

/** Markets each fixture must provide in `tickers`. */
export const CASE_MARKETS = 20;

/** A tapered grid (deci-cent tails, cent middle), so a port that assumes linear cents fails the listing case. */
export const CONFORMANCE_GRID: readonly PriceRange[] = [
  { start: 0 as Price, end: 1_000 as Price, step: 10 },
  { start: 1_000 as Price, end: 9_000 as Price, step: 100 },
  { start: 9_000 as Price, end: 10_000 as Price, step: 10 },
];

/** A non-default schedule (maker fees, ×0.5), so a port that falls back to the default fails the listing case. */
export const CONFORMANCE_FEES: FeeSchedule = { feeType: 'quadratic_with_maker_fees', multiplier: 5_000 };

/** What a group of cases gets from `portContract`. */
export interface CaseContext {
  /** The fixture (built in the suite's `before`). */
  fixture(): PortFixture;
  /** Returns a case market no other case has touched. */
  market(): string;
  /** Declares one case (skipped or marked todo as the implementation's options say). */
  it(id: CaseName, title: string, fn: () => Promise<void>): void;
}

/** How long a case waits for an event before failing. */
export const EVENT_TIMEOUT_MS = 5_000;

export const p = (cents: number): Price => (cents * 100) as Price;
export const c = (whole: number): Count => (whole * 100) as Count;
export const level = (cents: number, whole: number): BookLevel => ({ price: p(cents), count: c(whole) });
export const ascending = (levels: readonly BookLevel[]): BookLevel[] => [...levels].sort((a, b) => a.price - b.price);

let clientSeq = 0;
/** A post-only GTC limit order request with a fresh client id. */
export function limit(ticker: string, side: BookSide, cents: number, whole: number, overrides: Partial<OrderRequest> = {}): OrderRequest {
  return {
    ticker,
    side,
    price: p(cents),
    count: c(whole),
    timeInForce: 'good_till_canceled',
    postOnly: true,
    selfTradePrevention: 'taker_at_cross',
    clientOrderId: `conf-${process.pid}-${Date.now().toString(36)}-${++clientSeq}`,
    ...overrides,
  };
}

/** One reader of `port.events()` that waits for matching events with a timeout. */
export interface EventReader {
  /** Returns the events up to and including the first that matches; fails after the timeout or at the end of the stream. */
  until(predicate: (event: PortEvent) => boolean, what: string): Promise<PortEvent[]>;
  /** Resolves true when the stream has ended (within the timeout), false otherwise. */
  ended(): Promise<boolean>;
  /** Aborts the stream's signal and, when no read is pending, returns the iterator (as `break` in `for await` does). */
  stop(): void;
  /** Aborts the stream's signal only, as a consumer that stops reading would. */
  abort(): void;
}

export function readEvents(port: ExchangePort): EventReader {
  const controller = new AbortController();
  const iterator = port.events(controller.signal)[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<PortEvent>> | undefined;
  const next = async (timeoutMs: number): Promise<IteratorResult<PortEvent> | 'timeout'> => {
    pending ??= iterator.next();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const result = await Promise.race([pending, timeout]);
      // A timed-out read keeps its pending promise for the next call, so no event is lost.
      if (result !== 'timeout') pending = undefined;
      return result;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    async until(predicate, what) {
      const seen: PortEvent[] = [];
      const deadline = Date.now() + EVENT_TIMEOUT_MS;
      for (;;) {
        const result = await next(Math.max(1, deadline - Date.now()));
        const saw = `saw [${seen.map((e) => e.type).join(', ')}]`;
        if (result === 'timeout') assert.fail(`no ${what} within ${EVENT_TIMEOUT_MS} ms; ${saw}`);
        if (result.done === true) assert.fail(`events() ended before ${what}; ${saw}`);
        seen.push(result.value);
        if (predicate(result.value)) return seen;
      }
    },
    async ended() {
      for (;;) {
        const result = await next(EVENT_TIMEOUT_MS);
        if (result === 'timeout') return false;
        if (result.done === true) return true;
      }
    },
    stop() {
      controller.abort();
      if (pending === undefined) void iterator.return?.();
    },
    abort() {
      controller.abort();
    },
  };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

export async function positionOf(port: ExchangePort, ticker: string): Promise<number> {
  return (await port.getPositions()).find((x) => x.ticker === ticker)?.position ?? 0;
}

export async function restingIn(port: ExchangePort, ticker: string): Promise<readonly { orderId: string; clientOrderId?: string }[]> {
  return port.getOrders({ ticker, status: 'resting' });
}
