/**
 * A market's price grid, from its `price_ranges` (kalshi-api.md §3.2): contiguous bands
 * `{start, end, step}`. A price is valid when it lies in a band on that band's step. The extremes
 * $0 and $1 are never valid order prices (§3.2 ⚠: treat band endpoints 0 and 1 as invalid).
 */
import { WireFormatError } from './errors.js';
import { PRICE_SCALE, type Price } from './money.js';

/** One band of the grid, in Price units. */
export interface PriceRange {
  readonly start: Price;
  readonly end: Price;
  readonly step: number;
}

/** Which way a model price is rounded: a bid rounds down, an ask rounds up (toward the passive side). */
export type BookSide = 'bid' | 'ask';

/** An immutable tick grid with O(log bands) look-ups. */
export class TickGrid {
  readonly ranges: readonly PriceRange[];
  /** Lowest valid order price. */
  readonly minPrice: Price;
  /** Highest valid order price. */
  readonly maxPrice: Price;

  /**
   * @throws WireFormatError when the bands are empty, not contiguous, or a step does not divide its band.
   */
  constructor(ranges: readonly PriceRange[]) {
    if (ranges.length === 0) throw new WireFormatError('price_ranges', 'at least one band', ranges.length);
    const sorted = [...ranges].sort((a, b) => a.start - b.start);
    sorted.forEach((range, i) => {
      const path = `price_ranges[${i}]`;
      if (!Number.isSafeInteger(range.step) || range.step <= 0) throw new WireFormatError(`${path}.step`, 'a positive step', range.step);
      if (range.end <= range.start) throw new WireFormatError(`${path}.end`, 'end > start', range.end);
      if ((range.end - range.start) % range.step !== 0) throw new WireFormatError(`${path}.step`, 'a step that divides end − start', range.step);
      const previous = sorted[i - 1];
      if (previous && previous.end !== range.start) throw new WireFormatError(`${path}.start`, `contiguous with the previous band's end ${previous.end}`, range.start);
    });
    this.ranges = sorted;
    const first = sorted[0] as PriceRange;
    const last = sorted[sorted.length - 1] as PriceRange;
    this.minPrice = (first.start === 0 ? first.start + first.step : first.start) as Price;
    this.maxPrice = (last.end === PRICE_SCALE ? last.end - last.step : last.end) as Price;
  }

  /** Returns the standard whole-cent grid ($0.01 steps from $0 to $1). */
  static linearCent(): TickGrid {
    return new TickGrid([{ start: 0 as Price, end: PRICE_SCALE as Price, step: 100 }]);
  }

  /** Returns true when `price` is a valid order price on this grid. */
  isValid(price: number): boolean {
    if (!Number.isSafeInteger(price) || price < this.minPrice || price > this.maxPrice) return false;
    for (const range of this.ranges) {
      if (price >= range.start && price <= range.end && (price - range.start) % range.step === 0) return true;
    }
    return false;
  }

  /** Returns the step that applies just above `price` (for a bid moving up). */
  stepAbove(price: number): number {
    for (const range of this.ranges) if (price >= range.start && price < range.end) return range.step;
    return (this.ranges[this.ranges.length - 1] as PriceRange).step;
  }

  /** Returns the step that applies just below `price`. */
  stepBelow(price: number): number {
    for (const range of this.ranges) if (price > range.start && price <= range.end) return range.step;
    return (this.ranges[0] as PriceRange).step;
  }

  /** Returns the greatest valid price ≤ `price`, or undefined when there is none. */
  floor(price: number): Price | undefined {
    if (price < this.minPrice) return undefined;
    if (price >= this.maxPrice) return this.maxPrice;
    const p = Math.floor(price);
    for (const range of this.ranges) {
      if (p >= range.start && p <= range.end) {
        const snapped = range.start + Math.floor((p - range.start) / range.step) * range.step;
        return Math.max(snapped, this.minPrice) as Price;
      }
    }
    return undefined;
  }

  /** Returns the least valid price ≥ `price`, or undefined when there is none. */
  ceil(price: number): Price | undefined {
    if (price > this.maxPrice) return undefined;
    if (price <= this.minPrice) return this.minPrice;
    const p = Math.ceil(price);
    for (const range of this.ranges) {
      if (p >= range.start && p <= range.end) {
        const snapped = range.start + Math.ceil((p - range.start) / range.step) * range.step;
        return Math.min(snapped, this.maxPrice) as Price;
      }
    }
    return undefined;
  }

  /** Returns the next valid price strictly above `price`, or undefined at the top. */
  nextUp(price: number): Price | undefined {
    return this.ceil(Math.floor(price) + 1);
  }

  /** Returns the next valid price strictly below `price`, or undefined at the bottom. */
  nextDown(price: number): Price | undefined {
    return this.floor(Math.ceil(price) - 1);
  }

  /**
   * Rounds a model price onto the grid toward the passive side: a bid down, an ask up.
   * Returns undefined when no valid price lies on that side.
   */
  roundPassive(price: number, side: BookSide): Price | undefined {
    return side === 'bid' ? this.floor(price) : this.ceil(price);
  }
}
