/**
 * `computeQuotes`: one market snapshot and position in, desired quotes and diagnostics out. The
 * pipeline (pure, allocation-light, called on every book event by the maker):
 *   gate (stale, not active, one-sided or too wide book, near close) → fair price → σ, κ → model
 *   (textbook, binary or GLFT) → grid placement (edge and fees, post-only, passive rounding, bounds).
 * Sizes are the configured quote size; `risk/` cuts them afterwards.
 */
import { COUNT_SCALE, PRICE_SCALE, type Count, type DesiredQuotes } from '../core/index.js';
import type { MarketSnapshot } from '../marketdata/index.js';
import { avellanedaStoikov } from './avellaneda-stoikov.js';
import { binaryQuotes } from './binary.js';
import { glftQuotes } from './glft.js';
import { placeOnGrid } from './grid.js';
import { modelInputs } from './inputs.js';
import type { ModelQuotes, QuoteDecision, QuoteDiagnostics, QuoteInput, StrategyParams, WithholdReason } from './types.js';

/** Price units per cent. */
const PRICE_PER_CENT = PRICE_SCALE / 100;

/** Returns the quote size of `params` as a Count (whole hundredths of a contract). */
export function quoteCount(params: StrategyParams): Count {
  return Math.max(0, Math.round(params.quoteSizeContracts * COUNT_SCALE)) as Count;
}

/** Returns the reason no quote may be made at all, or undefined when the market may be quoted. */
export function gateReason(snapshot: MarketSnapshot, params: StrategyParams): WithholdReason | undefined {
  if (snapshot.stale) return 'stale_market';
  if (snapshot.status !== undefined && snapshot.status !== 'active') return 'market_not_active';
  if (snapshot.mid === undefined || snapshot.bestBid === undefined || snapshot.bestAsk === undefined) return 'no_two_sided_book';
  // A book this wide has lost its top (often only far resting orders remain): its mid is no price.
  if (snapshot.bestAsk - snapshot.bestBid > params.maxMarketSpreadCents * PRICE_PER_CENT) return 'wide_market';
  if (snapshot.closeTimeMs !== undefined && snapshot.closeTimeMs - snapshot.nowMs <= params.stopBeforeCloseMs) return 'near_close';
  if (params.mode === 'binary' && snapshot.closeTimeMs === undefined) return 'no_close_time';
  return undefined;
}

/**
 * Returns the desired quotes for one market and why any side is missing.
 * Never throws for market conditions: an unquotable market yields no sides and a reason.
 */
export function computeQuotes(input: QuoteInput, params: StrategyParams): QuoteDecision {
  const { snapshot, position } = input;
  const lots = params.quoteSizeContracts > 0 ? position / COUNT_SCALE / params.quoteSizeContracts : 0;
  const inventory = params.mode === 'textbook' ? position / COUNT_SCALE : lots;
  const gate = gateReason(snapshot, params);
  if (gate !== undefined) {
    return { quotes: { ticker: snapshot.ticker }, diagnostics: { mode: params.mode, inventory, bidWithheld: gate, askWithheld: gate } };
  }
  const fairPrice = params.useMicroPrice && snapshot.microPrice !== undefined ? snapshot.microPrice : (snapshot.mid as number);
  const fairCents = fairPrice / 100;
  const p = fairCents / 100;
  const { sigmaCentsPerSqrtSec: sigma, kappaPerCent: kappa, arrivalPerSec } = modelInputs(snapshot, p, params);
  const timeToCloseSec = snapshot.closeTimeMs === undefined ? Infinity : (snapshot.closeTimeMs - snapshot.nowMs) / 1000;

  let model: ModelQuotes;
  let varianceCents2: number | undefined;
  let horizonSec: number | undefined;
  switch (params.mode) {
    case 'textbook': {
      horizonSec = params.textbookHorizonSec;
      const q = avellanedaStoikov({ mid: fairCents, inventory, gamma: params.gamma, sigma, kappa, horizon: horizonSec });
      varianceCents2 = sigma * sigma * horizonSec;
      model = { reservationCents: q.reservation, spreadCents: q.spread, bidCents: q.bid, askCents: q.ask };
      break;
    }
    case 'binary': {
      const q = binaryQuotes({
        fairCents,
        inventory,
        gamma: params.gamma,
        kappa,
        sigmaCentsPerSqrtSec: sigma,
        timeToCloseSec,
        riskHorizonSec: params.riskHorizonSec,
        minSpreadCents: params.minSpreadCents,
        widenBeforeCloseSec: params.widenBeforeCloseMs / 1000,
        closeWideningFactor: params.closeWideningFactor,
      });
      varianceCents2 = q.varianceCents2;
      horizonSec = q.horizonSec;
      model = q;
      break;
    }
    case 'glft': {
      const q = glftQuotes({ mid: fairCents, inventory, gamma: params.gamma, sigma, kappa, arrivalRate: arrivalPerSec, maxInventory: params.glftMaxInventoryLots });
      const m: { -readonly [K in keyof ModelQuotes]: ModelQuotes[K] } = { reservationCents: q.reservation, spreadCents: q.spread };
      if (q.bid !== undefined) m.bidCents = q.bid;
      if (q.ask !== undefined) m.askCents = q.ask;
      if (q.bidWithheld !== undefined) m.bidWithheld = q.bidWithheld;
      if (q.askWithheld !== undefined) m.askWithheld = q.askWithheld;
      model = m;
      break;
    }
  }
  return finish(snapshot, params, { model, fairCents, sigma, kappa, inventory, varianceCents2, horizonSec });
}

interface Computed {
  readonly model: ModelQuotes;
  readonly fairCents: number;
  readonly sigma: number;
  readonly kappa: number;
  readonly inventory: number;
  readonly varianceCents2: number | undefined;
  readonly horizonSec: number | undefined;
}

function finish(snapshot: MarketSnapshot, params: StrategyParams, c: Computed): QuoteDecision {
  const { model } = c;
  const placed = placeOnGrid({
    grid: snapshot.grid,
    fees: snapshot.fees,
    fairCents: c.fairCents,
    bidCents: model.bidCents,
    askCents: model.askCents,
    bestBid: snapshot.bestBid,
    bestAsk: snapshot.bestAsk,
    inventory: c.inventory,
    minEdgeCents: params.minEdgeCents,
    feeAware: params.feeAware,
    unwindFeeFraction: params.unwindFeeFraction,
    postOnly: params.postOnly,
    minPriceCents: params.minPriceCents,
    maxPriceCents: params.maxPriceCents,
  });
  const count = quoteCount(params);
  // Plain assignments, not conditional spreads: this runs on every book event (bench/strategy.ts).
  const quotes: { -readonly [K in keyof DesiredQuotes]: DesiredQuotes[K] } = { ticker: snapshot.ticker };
  if (placed.bid !== undefined && count > 0) quotes.bid = { side: 'bid', price: placed.bid, count };
  if (placed.ask !== undefined && count > 0) quotes.ask = { side: 'ask', price: placed.ask, count };
  const diagnostics: { -readonly [K in keyof QuoteDiagnostics]: QuoteDiagnostics[K] } = {
    mode: params.mode,
    fairCents: c.fairCents,
    reservationCents: model.reservationCents,
    spreadCents: model.spreadCents,
    sigmaCentsPerSqrtSec: c.sigma,
    kappaPerCent: c.kappa,
    inventory: c.inventory,
    bidEdgeCents: placed.bidEdgeCents,
    askEdgeCents: placed.askEdgeCents,
  };
  if (c.varianceCents2 !== undefined) diagnostics.varianceCents2 = c.varianceCents2;
  if (c.horizonSec !== undefined) diagnostics.horizonSec = c.horizonSec;
  if (model.bidCents !== undefined) diagnostics.modelBidCents = model.bidCents;
  if (model.askCents !== undefined) diagnostics.modelAskCents = model.askCents;
  const bidWithheld = model.bidWithheld ?? placed.bidWithheld;
  const askWithheld = model.askWithheld ?? placed.askWithheld;
  if (bidWithheld !== undefined) diagnostics.bidWithheld = bidWithheld;
  if (askWithheld !== undefined) diagnostics.askWithheld = askWithheld;
  return { quotes, diagnostics };
}
