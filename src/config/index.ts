/**
 * Configuration: the one zod schema of the trading config, its loader (flags > env > .env >
 * defaults), the field table for `--help` and the docs, the adapters to the market-data options, and
 * `redact()` for logs and errors (redact.ts).
 */
export { TradingConfigObject, TradingConfigSchema, type TradingConfig, type TradingConfigKey } from './schema.js';
export { loadConfig, defaultTradingConfig, configFlagOptions, pickConfigFlags, parseFieldText, type ConfigSources } from './load.js';
export { configFields, renderConfigTable, envName, flagName, ENV_PREFIX, type ConfigField, type ConfigFieldKind } from './fields.js';
export { marketStateOptions } from './adapters.js';
export { REDACTED, isSecretKey, redact, redactText, redactingLogger } from './redact.js';
