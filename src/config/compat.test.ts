import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BotParams } from '../bot/index.js';
import { DEFAULT_SELECTION_FILTERS, DEFAULT_SUPERVISOR_POLICY, type SelectionFilters, type SupervisorPolicy } from '../bot/index.js';
import type { MarketStateOptions } from '../marketdata/index.js';
import { DEFAULT_MARKET_STATE_OPTIONS } from '../marketdata/index.js';
import type { RiskLimits } from '../risk/index.js';
import { DEFAULT_RISK_LIMITS } from '../risk/index.js';
import type { StrategyParams } from '../strategy/index.js';
import { DEFAULT_STRATEGY_PARAMS } from '../strategy/index.js';
import { marketStateOptions } from './adapters.js';
import { defaultTradingConfig } from './load.js';
import type { TradingConfig } from './schema.js';

// Compile-time: the config object is what strategy and risk take (a renamed field breaks the build).
const asStrategy = (c: TradingConfig): StrategyParams => c;
const asRisk = (c: TradingConfig): RiskLimits => c;
const asBot = (c: TradingConfig): BotParams => c;
const asMarketData = (c: TradingConfig): MarketStateOptions => marketStateOptions(c);

test('the config defaults equal the strategy, risk and market-data defaults', () => {
  const config = defaultTradingConfig();
  const strategy = asStrategy(config);
  for (const [key, value] of Object.entries(DEFAULT_STRATEGY_PARAMS)) assert.deepEqual(strategy[key as keyof StrategyParams], value, key);
  const risk = asRisk(config);
  for (const [key, value] of Object.entries(DEFAULT_RISK_LIMITS)) assert.deepEqual(risk[key as keyof RiskLimits], value, key);
  assert.deepEqual(asMarketData(config), DEFAULT_MARKET_STATE_OPTIONS);
});

test('the config carries the selection filters of the bot, with the same defaults', () => {
  const bot = asBot(defaultTradingConfig());
  for (const [key, value] of Object.entries(DEFAULT_SELECTION_FILTERS)) assert.equal(bot[key as keyof SelectionFilters], value, key);
});

test("the config carries the supervisor's policy fields, with the same defaults", () => {
  const bot = asBot(defaultTradingConfig());
  for (const [key, value] of Object.entries(DEFAULT_SUPERVISOR_POLICY)) assert.equal(bot[key as keyof SupervisorPolicy], value, key);
});
