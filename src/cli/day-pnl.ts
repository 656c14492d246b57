/**
 * The daily loss limit of `kalshi-mm run` across processes on one journal. Each run checkpoints its own
 * PnL of the UTC day in the journal on every status update; a run starting later the same day adds the
 * earlier runs' last checkpoints to its own, so a run that ended by Ctrl-C, a crash or kill -9 still
 * counts, and a crash loop under a process supervisor cannot lose the limit once per restart.
 */
import type { BotStatus } from '../bot/index.js';
import { CASH_SCALE, type Logger } from '../core/index.js';
import type { Journal } from '../journal/index.js';

/**
 * Returns the PnL ($0.0001) earlier runs made today and their number, to carry into this run's daily
 * limit, after telling the operator about it; undefined when it already reaches `limitDollars` (the
 * caller must not trade: the message says so and how to lift it).
 */
export function carriedDayPnl(
  journal: Journal,
  runId: string,
  nowMs: number,
  limitDollars: number,
  out: { write(text: string): unknown },
  logger: Logger,
): { pnl: number; runs: number } | undefined {
  const earlier = journal.earlierDayPnl(nowMs, runId);
  if (earlier.runs === 0) return { pnl: 0, runs: 0 };
  const dollars = (earlier.pnl / CASH_SCALE).toFixed(2);
  const asOf = earlier.lastAtMs !== undefined ? `, as of ${new Date(earlier.lastAtMs).toISOString().slice(11, 19)} UTC` : '';
  if (earlier.pnl <= -limitDollars * CASH_SCALE) {
    logger.error(
      { earlierDailyPnl: earlier.pnl, runs: earlier.runs, limit: limitDollars },
      'earlier runs today reached the daily loss limit: not trading',
    );
    out.write(
      `kalshi-mm run: earlier runs today (${earlier.runs}) lost $${(-earlier.pnl / CASH_SCALE).toFixed(2)}${asOf}, at or beyond the daily loss limit $${limitDollars}: no trading until 00:00 UTC (a higher --max-daily-loss-dollars lifts this)\n`,
    );
    return undefined;
  }
  logger.info({ earlierDailyPnl: earlier.pnl, runs: earlier.runs, limit: limitDollars }, 'day PnL of earlier runs today carried');
  out.write(
    `kalshi-mm run: earlier runs today (${earlier.runs}) made $${dollars}${asOf}; it counts toward the daily loss limit $${limitDollars}\n`,
  );
  return { pnl: earlier.pnl, runs: earlier.runs };
}

/**
 * Returns a status listener that checkpoints this run's own day PnL (without the carried part) when it
 * changes: one small upsert, at most once per status update (the supervisor's ~1 s tick and events).
 */
export function dayPnlCheckpoints(journal: Journal, runId: string): (status: BotStatus) => void {
  let last: { day: number; pnl: number } | undefined;
  return (status) => {
    const day = Math.floor(status.nowMs / 86_400_000);
    const pnl = status.totals.dailyPnl - status.totals.earlierDailyPnl;
    if (last?.day === day && last.pnl === pnl) return;
    journal.checkpointDayPnl(runId, status.nowMs, pnl);
    last = { day, pnl };
  };
}
