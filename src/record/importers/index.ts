/** The importers of third-party Kalshi data into the recording format (`kalshi-mm import`). */
export { importTradesCsv, type ImportResult } from './trades-csv.js';
export { importBboCsv, type BboImportOptions } from './bbo-csv.js';
export { importWsCapture } from './ws-capture.js';
export { marketObject, eventTickerOf, parseTimeMs, type ImportedMarket } from './common.js';
