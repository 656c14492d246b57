/**
 * Start-up check of `run --markets`: every fixed market must exist and still be able to trade. A
 * misspelt ticker otherwise runs the whole duration quoting nothing (the bot's only trace is a failed
 * subscribe in the log), so it is refused as bad usage before any order.
 */
import { ApiError, UsageError, type ExchangePort, type MarketStatus } from '../core/index.js';

/**
 * Statuses a fixed market may start in: trading, or paused (`inactive`), which the bot waits out like
 * an exchange pause. Unopened (`initialized`) and every closed or settled status are refused.
 */
const TRADABLE: ReadonlySet<MarketStatus> = new Set(['active', 'inactive']);

/**
 * Looks every ticker up on the exchange.
 * @throws UsageError naming the tickers the exchange does not know and those not open (with their
 *   status); other errors (network, auth) pass through unchanged.
 */
export async function checkFixedMarkets(port: Pick<ExchangePort, 'getMarket'>, tickers: readonly string[]): Promise<void> {
  const unknown: string[] = [];
  const notOpen: string[] = [];
  for (const ticker of tickers) {
    try {
      const market = await port.getMarket(ticker);
      if (!TRADABLE.has(market.status)) notOpen.push(`${ticker} (${market.status})`);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      unknown.push(ticker);
    }
  }
  const parts = [
    ...(unknown.length > 0 ? [`unknown to the exchange: ${unknown.join(', ')}`] : []),
    ...(notOpen.length > 0 ? [`not open: ${notOpen.join(', ')}`] : []),
  ];
  if (parts.length > 0) throw new UsageError(`--markets: ${parts.join('; ')}; nothing was traded`);
}
