/**
 * Checks of input files and directories named on the command line. A path that does not exist, is
 * of the wrong kind or cannot be read is bad usage (exit code 2, like any other bad argument): the
 * message names the flag and the path, instead of a bare ENOENT from deep inside a reader.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../core/errors.js';

/** Why `path` (resolved against `cwd`) cannot be read as `kind`, or undefined when it can. */
function problem(path: string, kind: 'file' | 'directory', cwd: string): string | undefined {
  const full = resolve(cwd, path);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(full).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? `no such ${kind}` : `cannot be read (${code ?? String(error)})`;
  }
  if (kind === 'file' && isDirectory) return 'is a directory, expected a file';
  if (kind === 'directory' && !isDirectory) return 'is a file, expected a directory';
  try {
    accessSync(full, constants.R_OK);
  } catch {
    return 'cannot be read (permission denied)';
  }
  return undefined;
}

/**
 * Throws UsageError unless `path` is a readable file. `label` names where the path came from
 * (`--data`, `input file`), so the message points at the argument to fix.
 */
export function requireInputFile(label: string, path: string, cwd: string): void {
  const why = problem(path, 'file', cwd);
  if (why !== undefined) throw new UsageError(`${label} ${path}: ${why}`);
}

/** Throws UsageError unless `path` is a readable directory. */
export function requireInputDirectory(label: string, path: string, cwd: string): void {
  const why = problem(path, 'directory', cwd);
  if (why !== undefined) throw new UsageError(`${label} ${path}: ${why}`);
}
