/**
 * The live dashboard: `DashboardFeed` (bot status → view model and chart series) and the read-only
 * HTTP server (page, Server-Sent Events, JSON status), bound to 127.0.0.1.
 */
export {
  DashboardFeed,
  FILLER_REASON,
  toDashboardMarket,
  type DashboardFeedOptions,
  type DashboardFill,
  type DashboardMarket,
  type DashboardSnapshot,
} from './feed.js';
export { startDashboard, loadUplot, type Dashboard, type DashboardOptions } from './server.js';
export { renderPage } from './page.js';
