/**
 * `npm run bench`: runs every benchmark module in bench/ (each exports `run(report)`) and prints one
 * JSON object per line: {"bench": NAME, "value": N, "unit": U}. Optional arguments select modules by
 * name substring (`npm run bench -- backtest`).
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Report = (name: string, value: number, unit: string) => void;
interface BenchModule {
  run(report: Report): Promise<void>;
}

function isBenchModule(value: unknown): value is BenchModule {
  return typeof value === 'object' && value !== null && typeof (value as { run?: unknown }).run === 'function';
}

async function main(): Promise<number> {
  const here = dirname(fileURLToPath(import.meta.url));
  const filters = process.argv.slice(2);
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.js') && f !== 'run.js' && !f.endsWith('.test.js') && !f.includes('helper'))
    .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
    .sort();
  const report: Report = (name, value, unit) => {
    const rounded = Number.isInteger(value) ? value : Number(value.toPrecision(4));
    process.stdout.write(`${JSON.stringify({ bench: name, value: rounded, unit })}\n`);
  };
  let failures = 0;
  for (const file of files) {
    const module: unknown = await import(pathToFileURL(join(here, file)).href);
    if (!isBenchModule(module)) continue;
    const started = performance.now();
    try {
      await module.run(report);
      process.stderr.write(`bench ${file}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    } catch (error) {
      failures++;
      process.stderr.write(`bench ${file} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    }
  }
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
