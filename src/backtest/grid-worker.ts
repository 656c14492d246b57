/**
 * Worker-thread entry of `kalshi-mm optimize`: runs the `GridJob`s it is sent, one at a time, and
 * posts progress, results or the error back. Messages: in `{ job }` or `{ stop: true }`; out
 * `{ progress: lines }`, `{ done: MarketRecord[] }`, `{ error: message }`.
 */
import { parentPort } from 'node:worker_threads';
import type { Logger } from '../core/index.js';
import { runGridJob, type GridJob } from './grid-job.js';

const noop = (): void => undefined;
const silent: Logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => silent };

const port = parentPort;
if (port) {
  port.on('message', (message: { job?: GridJob; stop?: boolean }) => {
    if (message.stop) {
      port.close();
      return;
    }
    if (!message.job) return;
    runGridJob(message.job, silent, (lines) => port.postMessage({ progress: lines })).then(
      (records) => port.postMessage({ done: records }),
      (error: unknown) => port.postMessage({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
}
