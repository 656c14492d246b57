/**
 * Structured logs of long-running commands: pino writing JSON lines to a file under
 * `<cwd>/.kalshi-mm/logs/`, behind core's `Logger` interface, with every message and field passed
 * through `config/redact.ts` first, so a key, key id or signature never reaches the file.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger as PinoLogger } from 'pino';
import type { LogFields, Logger } from '../core/index.js';
import { redactingLogger } from '../config/redact.js';

/** An open log file and the logger writing to it. */
export interface FileLog {
  readonly logger: Logger;
  readonly path: string;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

/** Options of `openFileLog`. */
export interface FileLogOptions {
  /** Directory of the file; default `<cwd>/.kalshi-mm/logs`. */
  readonly dir?: string;
  readonly cwd: string;
  /** File name stem, e.g. the command name. */
  readonly name: string;
  /** Start time, used in the file name. */
  readonly startMs: number;
  readonly level?: 'debug' | 'info' | 'warn' | 'error';
  /** Strings masked wherever they appear (the loaded key id). */
  readonly secrets?: readonly string[];
}

/**
 * Returns a redacting logger writing JSON lines to `<dir>/<name>-<time>.log`.
 * @throws the file system's error when the directory cannot be created.
 */
export function openFileLog(options: FileLogOptions): FileLog {
  const dir = options.dir ?? join(options.cwd, '.kalshi-mm', 'logs');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date(options.startMs).toISOString().replace(/[:.]/g, '-');
  const path = join(dir, `${options.name}-${stamp}-${process.pid}.log`);
  const destination = pino.destination({ dest: path, sync: false, mkdir: true });
  const base = pino({ level: options.level ?? 'info', base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
  const secrets = [...(options.secrets ?? [])];
  return {
    logger: redactingLogger(adaptPino(base), secrets),
    path,
    close: () =>
      new Promise<void>((resolve) => {
        const finish = (): void => {
          destination.once('close', () => resolve());
          destination.end();
        };
        // The file opens asynchronously: wait for it before flushing and closing.
        if ((destination as unknown as { fd: number }).fd >= 0) finish();
        else destination.once('ready', finish);
      }),
  };
}

/** Returns core's Logger over a pino logger. */
export function adaptPino(inner: PinoLogger): Logger {
  return {
    debug: (fields: LogFields, message: string) => inner.debug(fields, message),
    info: (fields: LogFields, message: string) => inner.info(fields, message),
    warn: (fields: LogFields, message: string) => inner.warn(fields, message),
    error: (fields: LogFields, message: string) => inner.error(fields, message),
    child: (bindings: LogFields) => adaptPino(inner.child(bindings)),
  };
}
