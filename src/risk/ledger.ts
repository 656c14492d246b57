/**
 * Position accounting of one market in integers: signed position (hundredths of a contract, + long
 * YES, − long NO), cost basis of the open position in micros ($0.000001, exact price × count), realized
 * PnL in micros, fees in Cash. Average-cost method on the signed YES position: a short YES position
 * at average price P is a NO position bought at 1 − P, so covering it at p realizes (P − p) per contract.
 *
 * Dollars at risk of the open position = what it can lose at settlement: long YES loses its cost
 * (q·P_avg), long NO loses its NO cost (|q|·(1 − P_avg)).
 */
import { PRICE_SCALE, type Fill, type Position } from '../core/index.js';

const MICROS_PER_CASH = 100;

/** One market's position and PnL. */
export class MarketLedger {
  /** Signed position, hundredths. */
  position = 0;
  /** Σ price × |count| of the open position, micros (YES prices). */
  private basisMicros = 0;
  /** Realized PnL before fees, micros. */
  private realizedMicros = 0;
  /** Fees paid, Cash. */
  fees = 0;
  /** Last mark (YES price, may be fractional), or undefined. */
  mark: number | undefined;
  halted = false;

  constructor(readonly ticker: string) {}

  /** Applies one of our fills. */
  applyFill(fill: Fill): void {
    const signed = fill.side === 'bid' ? fill.count : -fill.count;
    this.trade(signed, fill.price);
    this.fees += fill.fee;
  }

  /** Applies a signed trade of `signed` hundredths at YES price `price`. */
  trade(signed: number, price: number): void {
    const q = this.position;
    if (q === 0 || Math.sign(q) === Math.sign(signed)) {
      this.basisMicros += price * Math.abs(signed);
      this.position = q + signed;
      return;
    }
    const closing = Math.min(Math.abs(signed), Math.abs(q));
    const released = Math.round((this.basisMicros * closing) / Math.abs(q));
    // Long YES sells at p: p·c − basis; short YES buys back at p: basis − p·c.
    this.realizedMicros += Math.sign(q) * (price * closing - released);
    this.basisMicros -= released;
    this.position = q + signed;
    const opening = Math.abs(signed) - closing;
    if (this.position === 0) this.basisMicros = 0;
    if (opening > 0) this.basisMicros = price * opening;
  }

  /** Replaces the position from the exchange's view (reconcile): exposure and PnL as reported. */
  sync(position: Position): void {
    this.position = position.position;
    // Kalshi's market_exposure is the cost of the position in dollars; back out a YES basis.
    const exposureMicros = position.exposure * MICROS_PER_CASH;
    this.basisMicros = this.position >= 0 ? exposureMicros : Math.abs(this.position) * PRICE_SCALE - exposureMicros;
    this.realizedMicros = position.realizedPnl * MICROS_PER_CASH;
    this.fees = position.feesPaid;
  }

  /** Returns the dollars at risk of the open position, Cash (rounded up). */
  exposureCash(): number {
    const q = Math.abs(this.position);
    if (q === 0) return 0;
    const micros = this.position > 0 ? this.basisMicros : q * PRICE_SCALE - this.basisMicros;
    return Math.ceil(micros / MICROS_PER_CASH);
  }

  /** Returns realized PnL before fees, Cash (rounded toward −∞, so losses are never understated). */
  realizedCash(): number {
    return Math.floor(this.realizedMicros / MICROS_PER_CASH);
  }

  /** Returns the open position's PnL at the last mark, Cash (0 without a mark). */
  unrealizedCash(): number {
    if (this.mark === undefined || this.position === 0) return 0;
    const markMicros = this.mark * Math.abs(this.position);
    return Math.floor((Math.sign(this.position) * (markMicros - this.basisMicros)) / MICROS_PER_CASH);
  }

  /** Returns realized + unrealized − fees, Cash. */
  totalPnlCash(): number {
    return this.realizedCash() + this.unrealizedCash() - this.fees;
  }
}
