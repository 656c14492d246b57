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
