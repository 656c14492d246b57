/**
 * The conformance suite against `ExchangeClient` (REST + WebSocket) talking over sockets to the real
 * local exchange on 127.0.0.1:0, with no market generator. A second engine account provides the
 * liquidity; it acts on the exchange's engine directly, and the server reports its orders to the
 * client over the WebSocket as it would any other participant's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalExchange, SystemClock } from '../../src/exchange/index.js';
import { ExchangeClient, loadCredentials } from '../../src/kalshi/index.js';
import { CONFORMANCE_FEES, CONFORMANCE_GRID, portContract } from './port-contract.js';
import { CASE_TICKERS, conformanceMarket, fillerTickers, restLevels, takeLiquidity } from './port-fixtures.js';

/** More than one page of `GET /markets` (the client asks for 1,000 a page). */
const FILLER_MARKETS = 1_010;
/** The client's own pacing is not under test here: give it room so the suite stays fast. */
const UNPACED = { read: { refillPerSecond: 1_000_000, capacity: 1_000_000 }, write: { refillPerSecond: 1_000_000, capacity: 1_000_000 } };

portContract('ExchangeClient (REST + WebSocket to the local exchange)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kmm-conformance-'));
  const clock = new SystemClock();
  const now = clock.nowMs();
  const all = [...CASE_TICKERS, ...fillerTickers(FILLER_MARKETS)];
  const exchange = await startLocalExchange({
    dataDir: dir,
    port: 0,
    simulate: false,
    accounts: 2,
    rateLimits: false,
    markets: all.map((t) => conformanceMarket(t, now)),
  });
  const otherCredentials = exchange.accounts[0];
  if (!otherCredentials) throw new Error('the exchange started without a second account');
  const other = exchange.accountIdOf(otherCredentials.keyId);
  const credentials = await loadCredentials({ keyId: exchange.credentials.keyId, privateKeyPath: exchange.credentials.privateKeyPath });
  const port = new ExchangeClient({
    restBaseUrl: exchange.credentials.rest,
    wsUrl: exchange.credentials.ws,
    credentials,
    clock,
    tier: UNPACED,
  });
  return {
    port,
    listedTickers: all,
    tickers: CASE_TICKERS,
    gridRanges: CONFORMANCE_GRID,
    fees: CONFORMANCE_FEES,
    seedBook: async (ticker, book) => restLevels(exchange.engine, other, ticker, book),
    trade: async (ticker, side, price, count) => takeLiquidity(exchange.engine, other, ticker, side, price, count),
    settle: async () => undefined,
    dispose: async () => {
      await exchange.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
