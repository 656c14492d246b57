/** Market scan (`kalshi-mm scan`): per-market figures, the scan over all open markets, and renderers. */
export { scanRow, sortScanRows, type ScanRow, type ScanSort } from './stats.js';
export { scanAll, type ScanAllOptions } from './scan.js';
export { renderScanTable, renderScanCsv, renderScanJson, formatDuration } from './format.js';
