/**
 * Runs a zod schema over untrusted JSON and turns the first issue into a `WireFormatError` whose path
 * reads like the JSON (`markets[3].yes_bid_dollars`), so a bad field is named exactly where it is.
 */
import type { z } from 'zod';
import { WireFormatError } from '../../core/index.js';

/** Returns a zod issue path as `a.b[3].c` under `root` (empty root: no prefix). */
export function formatPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cursor: unknown = input;
  for (const key of path) {
    if (cursor === null || typeof cursor !== 'object') return undefined;
    cursor = (cursor as Record<PropertyKey, unknown>)[key];
  }
  return cursor;
}

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `a ${issue.expected}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return 'a known message shape';
    default:
      return issue.message;
  }
}

/**
 * Returns `input` parsed by `schema`.
 * @throws WireFormatError naming the first bad field's path, what was expected and what it was.
 */
export function parseWire<S extends z.ZodType>(schema: S, input: unknown, root = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new WireFormatError(root || '(root)', 'a valid message', input);
  // A discriminated union reports the bad discriminator or the nested issue of the matching member.
  const nested = issue.code === 'invalid_union' && issue.errors[0]?.[0] !== undefined ? issue.errors[0][0] : undefined;
  const chosen = nested ? { ...nested, path: [...issue.path, ...nested.path] } : issue;
  return throwIssue(root, chosen, input);
}

function throwIssue(root: string, issue: z.core.$ZodIssue, input: unknown): never {
  throw new WireFormatError(formatPath(root, issue.path), expectation(issue), valueAt(input, issue.path));
}
