/**
 * Runs a grid over recordings on worker threads. The grid is cut into one slice per worker and each
 * (file, slice) is a job, so every worker parses each file once and replays its slice of parameter
 * sets in that pass. Results are sorted (file, market, gamma, kappa), so the output does not depend
 * on the number of workers or on which finished first.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../core/index.js';
import { countLines } from '../record/index.js';
import type { RunParams } from './agent.js';
import type { MarketRecord } from './grid.js';
import { runGridJob, type GridJob, type PlainSettings } from './grid-job.js';
import type { WorkerLog } from './grid-worker.js';

/** Options of `runGrid`. */
export interface RunGridOptions {
  readonly files: readonly string[];
  readonly params: readonly RunParams[];
  readonly settings: PlainSettings;
  readonly holdoutFraction: number;
  /** Worker threads; 1 runs in this thread. */
  readonly workers: number;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** Called when a job finishes or reports lines read. */
  readonly onProgress?: (progress: GridProgress) => void;
}

/** Progress of a grid run. */
export interface GridProgress {
  readonly jobsDone: number;
  readonly jobs: number;
  /** Lines read so far across running and finished jobs. */
  readonly lines: number;
  /** Lines all jobs read in all (each file's lines × the jobs that read it). */
  readonly totalLines: number;
}

/** Returns the jobs of a grid: files × slices of the parameter list (round-robin, so slices are balanced). */
export function planJobs(options: Pick<RunGridOptions, 'files' | 'params' | 'settings' | 'holdoutFraction' | 'workers'>): GridJob[] {
  const slices = Math.max(1, Math.min(options.workers, options.params.length));
  const jobs: GridJob[] = [];
  for (const file of options.files) {
    for (let s = 0; s < slices; s++) {
      const params = options.params.filter((_, i) => i % slices === s);
      jobs.push({ file, params, settings: options.settings, holdoutFraction: options.holdoutFraction });
    }
  }
  return jobs;
}

/** Runs every job and returns all records, sorted. */
export async function runGrid(options: RunGridOptions): Promise<MarketRecord[]> {
  const jobs = planJobs(options);
  const records: MarketRecord[] = [];
  let done = 0;
  const linesByJob = new Array<number>(jobs.length).fill(0);
  // Counted once per file (a newline count, no parsing) so progress has a denominator.
  const fileLines = new Map<string, number>();
  if (options.onProgress)
    for (const file of options.files) if (!fileLines.has(file)) fileLines.set(file, await countLines(file, options.signal));
  const totalLines = jobs.reduce((a, job) => a + (fileLines.get(job.file) ?? 0), 0);
  const report = (): void =>
    options.onProgress?.({ jobsDone: done, jobs: jobs.length, lines: linesByJob.reduce((a, b) => a + b, 0), totalLines });
  // A finished job has read its whole file (the replay's own count leaves out the header line).
  const finished = (i: number): void => {
    linesByJob[i] = fileLines.get(jobs[i]?.file ?? '') ?? linesByJob[i] ?? 0;
    done++;
    report();
  };
  if (options.workers <= 1) {
    for (const [i, job] of jobs.entries()) {
      if (options.signal?.aborted) throw options.signal.reason;
      records.push(...(await runGridJob(job, options.logger, (lines) => ((linesByJob[i] = lines), report()))));
      finished(i);
    }
  } else {
    await runOnWorkers(
      jobs,
      options,
      (i, lines) => ((linesByJob[i] = lines), report()),
      (i, batch) => (records.push(...batch), finished(i)),
    );
  }
  return records.sort(compareRecords);
}

function compareRecords(a: MarketRecord, b: MarketRecord): number {
  return cmp(a.file, b.file) || cmp(a.market, b.market) || a.gamma - b.gamma || a.kappa - b.kappa;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function runOnWorkers(
  jobs: readonly GridJob[],
  options: RunGridOptions,
  onLines: (job: number, lines: number) => void,
  onDone: (job: number, records: MarketRecord[]) => void,
): Promise<void> {
  let next = 0;
  const count = Math.min(options.workers, jobs.length);
  const workers: Worker[] = [];
  // An abort (Ctrl-C) must not wait for running jobs, which may take minutes: it rejects at once and
  // the workers are terminated below.
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(options.signal?.reason as Error);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([
      aborted,
      Promise.all(
        Array.from({ length: count }, () => {
          const worker = new Worker(new URL('./grid-worker.js', import.meta.url));
          workers.push(worker);
          return new Promise<void>((resolve, reject) => {
            let current = -1;
            const dispatch = (): void => {
              if (options.signal?.aborted) return reject(options.signal.reason as Error);
              if (next >= jobs.length) return resolve();
              current = next++;
              worker.postMessage({ job: jobs[current] });
            };
            worker.on('message', (message: { progress?: number; done?: MarketRecord[]; error?: string; log?: WorkerLog }) => {
              if (message.log !== undefined) options.logger[message.log.level](message.log.fields, message.log.message);
              else if (message.progress !== undefined) onLines(current, message.progress);
              else if (message.error !== undefined) reject(new Error(`grid job on ${jobs[current]?.file ?? '?'} failed: ${message.error}`));
              else if (message.done) {
                onDone(current, message.done);
                dispatch();
              }
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (code !== 0) reject(new Error(`grid worker exited with code ${code}`));
            });
            dispatch();
          });
        }),
      ),
    ]);
  } finally {
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
