/**
 * Periodic position reconciliation: the exchange's positions (`getPositions`) against the risk
 * manager's, which follow our fills. They part when a fill never reached us (a message lost without a
 * reconnect, a trade made by hand on the same account). A mismatch is logged with both figures and
 * the exchange's numbers (position, exposure, realized PnL, fees) are adopted.
 *
 * A fill can be on its way while the positions are read: the REST answer already counts it, the
 * stream has not delivered it yet. Adopting then and applying the fill when it arrives would count it
 * twice. So a mismatch is adopted only when a second read (`confirm`, a moment later) finds the same
 * two figures and no fill of that market arrived in between; a market with a fill during a read is
 * left for the next one. Markets the exchange does not list (settled ones are not returned,
 * kalshi-api.md §7) are not compared.
 */
import type { Clock, Count, ExchangePort, Logger, Position } from '../core/index.js';
import type { RiskManager } from '../risk/index.js';

/** One market whose position differed from the exchange's. */
export interface PositionMismatch {
  readonly ticker: string;
  /** Risk's position before adoption, hundredths. */
  readonly ours: Count;
  /** The exchange's position (adopted), hundredths. */
  readonly exchange: Count;
  readonly atMs: number;
}

/** Reconciliation counters for the status. */
export interface PositionCheckStatus {
  /** Reads of the exchange's positions compared. */
  readonly checks: number;
  /** Mismatches adopted since start. */
  readonly mismatches: number;
  /** Mismatches seen once and waiting for the confirming read. */
  readonly pending: number;
  readonly lastCheckMs?: number;
  readonly lastMismatch?: PositionMismatch;
}

/** What one comparison found. */
export interface ReconcileOutcome {
  /** Mismatches adopted by this read. */
  readonly adopted: readonly PositionMismatch[];
  /** Mismatches seen for the first time: a confirming read should follow soon. */
  readonly pending: number;
}

interface Suspect {
  readonly ours: Count;
  readonly exchange: Count;
  readonly fills: number;
}

/** Compares positions and adopts confirmed mismatches (see the file comment). */
export class PositionReconciler {
  private readonly fills = new Map<string, number>();
  private suspects = new Map<string, Suspect>();
  private checks = 0;
  private mismatches = 0;
  private lastCheckMs: number | undefined;
  private lastMismatch: PositionMismatch | undefined;

  constructor(private readonly options: { readonly risk: RiskManager; readonly logger: Logger }) {}

  /** Counts a fill of `ticker` that reached risk (a read that overlaps it is not trusted for that market). */
  onFill(ticker: string): void {
    this.fills.set(ticker, (this.fills.get(ticker) ?? 0) + 1);
  }

  /** Reads the exchange's positions and compares them with risk's (`compare`). */
  async check(port: Pick<ExchangePort, 'getPositions'>, clock: Clock): Promise<ReconcileOutcome> {
    const before = this.mark();
    const positions = await port.getPositions();
    return this.compare(positions, before, clock.nowMs());
  }

  /** Returns the fill counters to pass to `compare` with the positions read after this call. */
  mark(): ReadonlyMap<string, number> {
    return new Map(this.fills);
  }

  /**
   * Compares `positions` (read after `before = mark()`) with risk at `nowMs`; adopts the mismatches
   * an earlier read already saw with the same figures and no fill since.
   */
  compare(positions: readonly Position[], before: ReadonlyMap<string, number>, nowMs: number): ReconcileOutcome {
    const { risk, logger } = this.options;
    this.checks += 1;
    this.lastCheckMs = nowMs;
    const suspects = new Map<string, Suspect>();
    const adopted: PositionMismatch[] = [];
    for (const position of positions) {
      const fills = this.fills.get(position.ticker) ?? 0;
      if (fills !== (before.get(position.ticker) ?? 0)) continue;
      const ours = risk.position(position.ticker);
      if (ours === position.position) continue;
      const seen = this.suspects.get(position.ticker);
      if (seen === undefined || seen.ours !== ours || seen.exchange !== position.position || seen.fills !== fills) {
        suspects.set(position.ticker, { ours, exchange: position.position, fills });
        continue;
      }
      const figures = risk.figures().find((f) => f.ticker === position.ticker);
      logger.warn(
        {
          ticker: position.ticker,
          ourPosition: ours,
          exchangePosition: position.position,
          ourRealizedPnl: figures?.realizedPnl,
          exchangeRealizedPnl: position.realizedPnl,
          ourFees: figures?.fees,
          exchangeFees: position.feesPaid,
        },
        "position differs from the exchange's: adopting the exchange's figures",
      );
      risk.syncPosition(position);
      const mismatch: PositionMismatch = { ticker: position.ticker, ours, exchange: position.position, atMs: nowMs };
      adopted.push(mismatch);
      this.mismatches += 1;
      this.lastMismatch = mismatch;
    }
    this.suspects = suspects;
    return { adopted, pending: suspects.size };
  }

  /** Returns the counters for the status. */
  status(): PositionCheckStatus {
    return {
      checks: this.checks,
      mismatches: this.mismatches,
      pending: this.suspects.size,
      ...(this.lastCheckMs !== undefined ? { lastCheckMs: this.lastCheckMs } : {}),
      ...(this.lastMismatch ? { lastMismatch: this.lastMismatch } : {}),
    };
  }
}
