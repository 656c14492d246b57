/**
 * From model prices (cents, floats) to tradable quotes on the market's tick grid, for every mode:
 *
 *  1. edge: a bid is at most fair − edge_bid and an ask at least fair + edge_ask, where
 *     edge = minEdge + (fee-aware: maker fee at that price + taker fee to unwind, the latter only for
 *     the side that adds to |inventory|; kalshi-api.md §10, quoting-models.md §5);
 *  2. post-only: a bid stays strictly below the best ask and an ask strictly above the best bid;
 *  3. rounding toward the passive side (core `TickGrid.roundPassive`: bid down, ask up);
 *  4. price bounds: [max(grid min, minPrice), min(grid max, maxPrice)]; a bid below the floor or an
 *     ask above the ceiling is withheld, a bid above the ceiling or an ask below the floor is moved
 *     onto the bound (still on the grid);
 *  5. a bid at or above the ask after all this withholds both sides.
 * Each step can only move a quote away from the fair price or withhold it, never toward crossing.
 */
import { feePerContractDollars, type FeeSchedule, type Price, type TickGrid } from '../core/index.js';
import type { WithholdReason } from './types.js';

/** Inputs of the grid step. */
export interface GridPlacementInput {
  readonly grid: TickGrid;
  readonly fees: FeeSchedule;
  /** Fair price, cents. */
  readonly fairCents: number;
  readonly bidCents?: number | undefined;
  readonly askCents?: number | undefined;
  readonly bestBid?: Price | undefined;
  readonly bestAsk?: Price | undefined;
  /** Signed inventory (any unit): decides which side adds to |inventory|. */
  readonly inventory: number;
  readonly minEdgeCents: number;
  readonly feeAware: boolean;
  /** Share of the taker unwind fee counted (0–1); default 1. */
  readonly unwindFeeFraction?: number;
  readonly postOnly: boolean;
  readonly minPriceCents: number;
  readonly maxPriceCents: number;
}

/** Prices on the grid, or why a side is empty, plus the edges required. */
export interface GridPlacement {
  readonly bid?: Price;
  readonly ask?: Price;
  readonly bidWithheld?: WithholdReason;
  readonly askWithheld?: WithholdReason;
  readonly bidEdgeCents: number;
  readonly askEdgeCents: number;
}

/**
 * Returns the least edge (cents) a quote at `priceCents` must keep from the fair price: the minimum
 * edge, plus when fee-aware the maker fee and, when the fill would add to |inventory|, the taker fee
 * we would pay to unwind it, times `unwindFeeFraction` (0 when we expect to unwind passively).
 */
export function requiredEdgeCents(fees: FeeSchedule, priceCents: number, addsInventory: boolean, minEdgeCents: number, feeAware: boolean, unwindFeeFraction = 1): number {
  if (!feeAware) return minEdgeCents;
  const p = Math.min(1, Math.max(0, priceCents / 100));
  const maker = feePerContractDollars(fees, 'maker', p) * 100;
  const taker = addsInventory ? feePerContractDollars(fees, 'taker', p) * 100 * unwindFeeFraction : 0;
  return minEdgeCents + maker + taker;
}

/** Places model quotes on the grid (see the file comment). */
export function placeOnGrid(input: GridPlacementInput): GridPlacement {
  const { grid, fairCents, inventory } = input;
  const floorPrice = Math.max(grid.minPrice, Math.ceil(input.minPriceCents * 100));
  const ceilPrice = Math.min(grid.maxPrice, Math.floor(input.maxPriceCents * 100));
  const unwind = input.unwindFeeFraction ?? 1;
  const bidEdgeCents = requiredEdgeCents(input.fees, fairCents, inventory >= 0, input.minEdgeCents, input.feeAware, unwind);
  const askEdgeCents = requiredEdgeCents(input.fees, fairCents, inventory <= 0, input.minEdgeCents, input.feeAware, unwind);

  let bid: Price | undefined;
  let bidWithheld: WithholdReason | undefined;
  if (input.bidCents !== undefined) {
    let raw = Math.min(input.bidCents, fairCents - bidEdgeCents) * 100;
    if (input.postOnly && input.bestAsk !== undefined) raw = Math.min(raw, input.bestAsk - 1);
    raw = Math.min(raw, ceilPrice);
    const rounded = grid.roundPassive(raw, 'bid');
    if (rounded === undefined || rounded < floorPrice) bidWithheld = 'below_min_price';
    else bid = rounded;
  }
  let ask: Price | undefined;
  let askWithheld: WithholdReason | undefined;
  if (input.askCents !== undefined) {
    let raw = Math.max(input.askCents, fairCents + askEdgeCents) * 100;
    if (input.postOnly && input.bestBid !== undefined) raw = Math.max(raw, input.bestBid + 1);
    raw = Math.max(raw, floorPrice);
    const rounded = grid.roundPassive(raw, 'ask');
    if (rounded === undefined || rounded > ceilPrice) askWithheld = 'above_max_price';
    else ask = rounded;
  }
  if (bid !== undefined && ask !== undefined && bid >= ask) {
    bid = undefined;
    ask = undefined;
    bidWithheld = 'crossed_after_rounding';
    askWithheld = 'crossed_after_rounding';
  }
  // Plain assignments, not conditional spreads: this runs on every book event (bench/strategy.ts).
  const placement: Mutable<GridPlacement> = { bidEdgeCents, askEdgeCents };
  if (bid !== undefined) placement.bid = bid;
  if (ask !== undefined) placement.ask = ask;
  if (bidWithheld !== undefined) placement.bidWithheld = bidWithheld;
  if (askWithheld !== undefined) placement.askWithheld = askWithheld;
  return placement;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
