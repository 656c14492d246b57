/**
 * The logger the core is given. pino's logger satisfies it; tests pass a `MemoryLogger` and assert
 * over what was logged (for example that no secret ever appears).
 */

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
  child(bindings: LogFields): Logger;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogRecord {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: LogFields;
}

/** A logger that keeps records in memory (tests) */
export class MemoryLogger implements Logger {
  constructor(
    readonly records: LogRecord[] = [],
    private readonly bindings: LogFields = {},
  ) {}

  debug(fields: LogFields, message: string): void {
    this.records.push({ level: 'debug', message, fields: { ...this.bindings, ...fields } });
  }
  info(fields: LogFields, message: string): void {
    this.records.push({ level: 'info', message, fields: { ...this.bindings, ...fields } });
  }
  warn(fields: LogFields, message: string): void {
    this.records.push({ level: 'warn', message, fields: { ...this.bindings, ...fields } });
  }
  error(fields: LogFields, message: string): void {
    this.records.push({ level: 'error', message, fields: { ...this.bindings, ...fields } });
  }
  child(bindings: LogFields): Logger {
    return new MemoryLogger(this.records, { ...this.bindings, ...bindings });
  }
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
