/**
 * The shape of one `kalshi-mm <command>`. Each command lives in `cli/commands/<name>.ts`; `main.ts`
 * lists them. Conventions (README "CLI"): results to stdout (`--json` machine-readable), logs and
 * progress to stderr; exit 0 on success, 1 on error, 2 on bad usage (throw `UsageError`).
 */
import type { Writable } from 'node:stream';

/** Where a command writes and what it may read; tests pass their own streams. */
export interface CommandIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM: long-running commands stop cleanly when it fires. */
  readonly signal: AbortSignal;
}

export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  /** Runs the command; resolves to the exit code. */
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}
