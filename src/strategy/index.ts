/**
 * Quoting strategies as pure functions (docs/strategy.md): the textbook Avellaneda–Stoikov model,
 * the default binary-contract mode, the GLFT closed form, the grid step shared by all three, and the
 * opportunity score used to pick markets.
 */
export * from './types.js';
export { avellanedaStoikov, asFromVariance, type AvellanedaStoikovInput, type AvellanedaStoikovQuotes } from './avellaneda-stoikov.js';
export { binaryQuotes, boundedVarianceCents2, closeWidening, type BinaryModelInput } from './binary.js';
export { glftQuotes, glftInventoryConstant, type GlftInput, type GlftQuotes } from './glft.js';
export { placeOnGrid, requiredEdgeCents, type GridPlacement, type GridPlacementInput } from './grid.js';
export { modelInputs, sigmaCentsPerSqrtSec, type ModelInputs } from './inputs.js';
export { computeQuotes, gateReason, quoteCount } from './quote.js';
export { opportunityScore, effectiveVolume, type OpportunityScoreInput } from './opportunity-score.js';
