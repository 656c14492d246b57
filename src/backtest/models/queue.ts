/**
 * Queue-position models: where our simulated resting order stands in its price level's FIFO queue.
 * Our order is not in the recorded book, so the recorded level size is everyone else; `ahead` is the
 * part of it in front of us. The simulator calls the hooks; a model only moves `ahead`.
 *
 * The cut follows hftbacktest's `QueueModel` (new order, trade at my level, depth change at my level),
 * with one difference in how trades and depth changes are matched: a recording prints a trade and the
 * book delta it caused as two lines, in either order, so the simulator nets them before calling
 * `onDepthDecrease` with only the decrease no trade explains (see simulator `settleQueues`).
 */

/** The queue state of one resting order, in hundredths of a contract. */
export interface QueuePosition {
  /** Size resting ahead of us at our price. */
  ahead: number;
}

/** Moves an order's queue position as the recorded book changes. */
export interface QueueModel {
  /** A short name for reports (`risk-averse`, `probabilistic`). */
  readonly name: string;
  /**
   * Called when our order becomes live at a level holding `levelSize` (recorded, without us): we join
   * the back, so everything already there is ahead.
   */
  onNew(position: QueuePosition, levelSize: number): void;
  /**
   * Called when the level shrank by `decrease` that no trade explains (cancellations), from
   * `previousSize` to `newSize`. Trades themselves always advance us (the simulator does it).
   */
  onDepthDecrease(position: QueuePosition, previousSize: number, newSize: number, decrease: number): void;
}

/**
 * The conservative model (hftbacktest's risk-averse queue): we advance only when trades at our price
 * consume the queue; cancellations are assumed to come from behind us, so they never move us up —
 * except that the queue ahead can never exceed what the level holds (`ahead ≤ levelSize`, applied by
 * the simulator after every change). It under-fills rather than over-fills, which is the error a
 * trader can afford: this is the default.
 */
export class RiskAverseQueue implements QueueModel {
  readonly name = 'risk-averse';

  onNew(position: QueuePosition, levelSize: number): void {
    position.ahead = levelSize;
  }

  onDepthDecrease(): void {
    // Cancellations are taken to be behind us; the level-size cap is applied by the caller.
  }
}

/**
 * The probabilistic model (hftbacktest's `ProbQueueModel`, after the queue-position estimates of
 * Moallemi & Yuan and the "probability queue" idea): a cancellation of size d is split between the
 * orders ahead of us and behind us; the share taken from ahead is 1 − p, where
 * p = f(back) / (f(back) + f(front)) and f(x) = x^n. With n > 1, cancels come mostly from the longer
 * side of the queue; n = 1 splits them in proportion; large n approaches "all from behind" when we
 * are near the front. Default exponent 3 (hftbacktest's power-3 variant).
 */
export class ProbabilisticQueue implements QueueModel {
  readonly name: string;

  constructor(private readonly exponent = 3) {
    if (!(exponent > 0) || !Number.isFinite(exponent)) throw new RangeError(`queue exponent was ${exponent}, expected a positive number`);
    this.name = `probabilistic(power ${exponent})`;
  }

  onNew(position: QueuePosition, levelSize: number): void {
    position.ahead = levelSize;
  }

  onDepthDecrease(position: QueuePosition, previousSize: number, _newSize: number, decrease: number): void {
    const front = position.ahead;
    const back = Math.max(0, previousSize - front);
    const fFront = front ** this.exponent;
    const fBack = back ** this.exponent;
    const pBehind = fFront + fBack === 0 ? 1 : fBack / (fFront + fBack);
    // The share not taken from behind comes from ahead; if the share assigned to behind is more than
    // stands behind, the excess must also have come from ahead.
    const fromAhead = (1 - pBehind) * decrease + Math.max(0, pBehind * decrease - back);
    position.ahead = Math.max(0, Math.round(front - fromAhead));
  }
}

/** Names accepted by `queueModelFromName`. */
export const QUEUE_MODEL_NAMES = ['risk-averse', 'probabilistic'] as const;
export type QueueModelName = (typeof QUEUE_MODEL_NAMES)[number];

/** Returns the queue model called `name`. */
export function queueModelFromName(name: QueueModelName, exponent?: number): QueueModel {
  return name === 'risk-averse' ? new RiskAverseQueue() : new ProbabilisticQueue(exponent);
}
