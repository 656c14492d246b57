/**
 * The readers' tie rule (recording-format.md "Rules for readers"): among lines with equal `recv_ms`,
 * `market` and book lines come before `trade` lines; otherwise file order is kept. Why: a recorder
 * stamps a burst of messages with one millisecond, and a trade printed in that burst executed against
 * the book the burst describes, so the book must be applied first or a fill would be judged against a
 * book one update old.
 */
import type { RecordingLine } from './schema.js';

/** Returns true for lines that must follow every non-trade line of the same millisecond. */
function isTrade(line: RecordingLine): boolean {
  return line.type === 'trade';
}

/**
 * Yields `lines` reordered by the tie rule: a stable partition of each equal-`recv_ms` group into
 * non-trade lines, then trade lines. Input must already be in non-decreasing `recv_ms` (the reader
 * checks that). Buffers only one millisecond's lines.
 */
export async function* applyTieRule<T extends RecordingLine>(lines: AsyncIterable<T>): AsyncGenerator<T> {
  let group: T[] = [];
  let groupMs = -1;
  let tradeSeen = false;
  let reorder = false;
  for await (const line of lines) {
    if (line.recvMs !== groupMs) {
      if (group.length > 0) yield* flush(group, reorder);
      group = [];
      groupMs = line.recvMs;
      tradeSeen = false;
      reorder = false;
    }
    if (isTrade(line)) tradeSeen = true;
    else if (tradeSeen) reorder = true;
    group.push(line);
  }
  if (group.length > 0) yield* flush(group, reorder);
}

/** Returns the group in tie-rule order (the array itself when already ordered). */
export function orderGroup<T extends RecordingLine>(group: readonly T[]): readonly T[] {
  const first: T[] = [];
  const trades: T[] = [];
  for (const line of group) (isTrade(line) ? trades : first).push(line);
  return first.concat(trades);
}

function flush<T extends RecordingLine>(group: readonly T[], reorder: boolean): readonly T[] {
  return reorder ? orderGroup(group) : group;
}

/**
 * Applies the tie rule to a stream of batches: each batch is reordered in place, except its last
 * millisecond, which is held back until the next batch (it may continue there).
 */
export class TieRuleOrderer<T extends RecordingLine> {
  private carry: T[] = [];

  /** Returns the lines of `batch` (plus held-back ones) that are final, in tie-rule order. */
  push(batch: readonly T[]): T[] {
    const lines = this.carry.length > 0 ? this.carry.concat(batch) : (batch as T[]);
    const last = lines[lines.length - 1];
    if (last === undefined) return [];
    let cut = lines.length;
    while (cut > 0 && (lines[cut - 1] as T).recvMs === last.recvMs) cut--;
    this.carry = lines.slice(cut);
    const ready = cut === lines.length ? lines : lines.slice(0, cut);
    orderInPlace(ready);
    return ready;
  }

  /** Returns the held-back lines, in tie-rule order. */
  end(): T[] {
    const rest = this.carry;
    this.carry = [];
    orderInPlace(rest);
    return rest;
  }
}

/** Reorders every equal-`recv_ms` group of `lines` in place (stable: non-trades, then trades). */
function orderInPlace<T extends RecordingLine>(lines: T[]): void {
  let start = 0;
  while (start < lines.length) {
    const ms = (lines[start] as T).recvMs;
    let end = start + 1;
    let tradeSeen = isTrade(lines[start] as T);
    let reorder = false;
    while (end < lines.length && (lines[end] as T).recvMs === ms) {
      if (isTrade(lines[end] as T)) tradeSeen = true;
      else if (tradeSeen) reorder = true;
      end++;
    }
    if (reorder) {
      const ordered = orderGroup(lines.slice(start, end));
      for (let i = 0; i < ordered.length; i++) lines[start + i] = ordered[i] as T;
    }
    start = end;
  }
}
