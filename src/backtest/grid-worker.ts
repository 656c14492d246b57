/**
 * Worker-thread entry of `kalshi-mm optimize`: runs the `GridJob`s it is sent, one at a time, and
 * posts progress, results or the error back. Messages: in `{ job }` or `{ stop: true }`; out
 * `{ progress: lines }`, `{ done: MarketRecord[] }`, `{ error: message }`, `{ log: WorkerLog }`.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import type { LogFields, Logger } from '../core/index.js';
import { runGridJob, type GridJob } from './grid-job.js';

/** A warning or error of a run, forwarded to the main thread's logger (bindings merged into fields). */
export interface WorkerLog {
  readonly level: 'warn' | 'error';
  readonly message: string;
  readonly fields: LogFields;
}

const noop = (): void => undefined;

/**
 * Returns a logger that posts warnings and errors to the main thread, so a grid run on a worker is as
 * visible as one on the main thread (debug and info stay behind: the commands log at warn).
 */
function forwardingLogger(port: MessagePort, bindings: LogFields = {}): Logger {
  const post = (level: WorkerLog['level']) => (fields: LogFields, message: string) => {
    let plain: LogFields;
    try {
      plain = JSON.parse(JSON.stringify({ ...bindings, ...fields })) as LogFields;
    } catch {
      plain = { ...bindings, fields: String(fields) };
    }
    port.postMessage({ log: { level, message, fields: plain } satisfies WorkerLog });
  };
  return { debug: noop, info: noop, warn: post('warn'), error: post('error'), child: (more) => forwardingLogger(port, { ...bindings, ...more }) };
}

const port = parentPort;
if (port) {
  const logger = forwardingLogger(port);
  port.on('message', (message: { job?: GridJob; stop?: boolean }) => {
    if (message.stop) {
      port.close();
      return;
    }
    if (!message.job) return;
    runGridJob(message.job, logger, (lines) => port.postMessage({ progress: lines })).then(
      (records) => port.postMessage({ done: records }),
      (error: unknown) => port.postMessage({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
}
