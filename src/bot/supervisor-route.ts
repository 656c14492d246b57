/**
 * The supervisor's event routing: each event of the one stream goes to its market's maker,
 * synchronously (the maker's async work is not awaited, so a slow market never holds up the others).
 * Fills also feed the order group's count and the position checks, and a fill of a market no longer
 * traded still reaches risk (`onOrphanFill`), so its inventory keeps counting against the limits.
 */
import type { Fill, PortEvent } from '../core/index.js';
import type { RiskManager } from '../risk/index.js';
import type { MarketMaker } from './maker.js';
import type { OrderGroupGuard } from './order-group-guard.js';
import type { PositionReconciler } from './position-reconcile.js';

/** What routing needs from the supervisor. */
export interface RouteHost {
  readonly risk: RiskManager;
  readonly makers: ReadonlyMap<string, MarketMaker>;
  readonly orderGroup: OrderGroupGuard | undefined;
  readonly positions: PositionReconciler;
  /** A fill of a market without a maker. */
  onOrphanFill(fill: Fill): void;
  /** The stream's connection changed (before the makers hear of it). */
  onConnection(connected: boolean): void;
}

/** Routes one event (see the file comment). */
export function routeEvent(host: RouteHost, event: PortEvent): void {
  const toMaker = (ticker: string): void => {
    const maker = host.makers.get(ticker);
    if (maker) void maker.onEvent(event);
  };
  const toAll = (): void => {
    for (const maker of host.makers.values()) void maker.onEvent(event);
  };
  switch (event.type) {
    case 'market':
      // A settled market's position is paid out; neither the position check nor a restart would see it.
      if (event.status === 'finalized') host.risk.settle(event.ticker, event.result);
      return toMaker(event.ticker);
    case 'book_snapshot':
    case 'book_delta':
      return toMaker(event.ticker);
    case 'trade':
      return toMaker(event.trade.ticker);
    case 'order':
      return toMaker(event.order.ticker);
    case 'fill':
      host.orderGroup?.onFill(event.fill);
      host.positions.onFill(event.fill.ticker);
      if (host.makers.has(event.fill.ticker)) return toMaker(event.fill.ticker);
      return host.onOrphanFill(event.fill);
    case 'position':
      return undefined;
    case 'order_group':
      return host.orderGroup?.onEvent(event);
    case 'stale':
      if (event.ticker !== undefined) return toMaker(event.ticker);
      return toAll();
    case 'connection':
      host.onConnection(event.connected);
      return toAll();
  }
}
