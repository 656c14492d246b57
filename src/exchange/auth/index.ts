/** Accounts, API keys and Kalshi request-signature verification of the local exchange. */
export * from './verify.js';
export * from './accounts.js';
