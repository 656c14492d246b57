/**
 * Cost of the crash-safe journal on the order path: one intent + ack (two SQLite transactions in WAL
 * mode, `synchronous=NORMAL`), and one fill with its duplicate check, on a real file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cash, Count, Price } from '../src/core/index.js';
import { Journal } from '../src/journal/index.js';

export async function run(report: (name: string, value: number, unit: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kmm-bench-journal-'));
  const journal = Journal.open(join(dir, 'j.sqlite'));
  try {
    journal.startRun('bench', 0);
    const n = 5_000;
    let t = performance.now();
    for (let i = 0; i < n; i++) {
      const id = `kmm-bench-x-b-${i}`;
      journal.intent(
        {
          ticker: 'M',
          side: 'bid',
          price: 5_000 as Price,
          count: 1_000 as Count,
          timeInForce: 'good_till_canceled',
          postOnly: true,
          selfTradePrevention: 'maker',
          clientOrderId: id,
        },
        i,
      );
      journal.ack(id, { orderId: `o${i}`, clientOrderId: id, fillCount: 0 as Count, remainingCount: 1_000 as Count, tsMs: i }, i);
    }
    report('journal.intent_ack', ((performance.now() - t) * 1000) / n, 'us/order');
    t = performance.now();
    for (let i = 0; i < n; i++) {
      journal.recordFill(
        {
          tradeId: `t${i}`,
          orderId: `o${i}`,
          ticker: 'M',
          side: 'bid',
          price: 5_000 as Price,
          count: 100 as Count,
          isTaker: false,
          fee: 0 as Cash,
          tsMs: i,
        },
        i,
        'stream',
      );
    }
    report('journal.fill', ((performance.now() - t) * 1000) / n, 'us/fill');
    await Promise.resolve();
  } finally {
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
