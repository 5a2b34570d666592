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
 * Keeps one BullMQ job scheduler per sweep, however many `work` processes start or restart: it is
 * created once, replaced only when the interval changes (a restart does not start a sweep), and
 * removed when its interval is 0. The cheap recent sweep runs at once when created; the id sweep,
 * one call per 100 records, first after one interval.
 */
export async function scheduleReconcile(queue: Queue, config: Config, portal: number): Promise<void> {
  const intervals = sweepIntervals(config);
  for (const sweep of RECONCILE_SWEEPS) {
    const id = reconcileSchedulerId(sweep);
    const every = intervals[sweep];
    if (every === 0) {
      await queue.removeJobScheduler(id);
      continue;
    }
    if ((await queue.getJobScheduler(id))?.every === every) continue;
    await queue.upsertJobScheduler(
      id,
      sweep === 'ids' ? { every, startDate: Date.now() + every } : { every },
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
