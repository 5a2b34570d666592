import type { Queue } from 'bullmq';
import type { Config } from '../config.ts';
import { RECONCILE_SWEEPS, reconcileJobSchema, reconcileSchedulerId } from '../queue.ts';

/** Interval of each sweep in ms from the settings; 0 turns a sweep off. */
export function sweepIntervals(config: Config): Record<(typeof RECONCILE_SWEEPS)[number], number> {
  return {
    recent: config.reconcile.intervalMinutes * 60_000,
    ids: config.reconcile.idSweepHours * 3600_000,
  };
}

/**
 * Keeps one BullMQ job scheduler per sweep, however many `work` processes start: an upsert by id
 * creates it once and updates it when the interval changes; an interval of 0 removes it.
 */
export async function scheduleReconcile(queue: Queue, config: Config, portal: number): Promise<void> {
  const intervals = sweepIntervals(config);
  for (const sweep of RECONCILE_SWEEPS) {
    const id = reconcileSchedulerId(sweep);
    if (intervals[sweep] === 0) {
      await queue.removeJobScheduler(id);
      continue;
    }
    await queue.upsertJobScheduler(
      id,
      { every: intervals[sweep] },
      {
        name: sweep,
        data: reconcileJobSchema.parse({ portal }),
        opts: {
          attempts: 10,
          backoff: { type: 'closeloop' },
          removeOnComplete: { count: 50 },
          removeOnFail: { age: 14 * 24 * 3600 },
        },
      },
    );
  }
}
