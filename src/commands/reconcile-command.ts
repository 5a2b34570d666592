import type { Redis } from 'ioredis';
import { type JobContext, portalScope, scheduler, wakeQueues } from '../../jobs/context.ts';
import { type ReconcileReport, reconcileRecent } from '../../jobs/reconcile.ts';
import { reconcileIds } from '../../jobs/reconcile-ids.ts';
import type { Config } from '../config.ts';
import type { HubSpotHttp } from '../hubspot/http.ts';
import type { Logger } from '../logger.ts';

/** One line per object type: what was checked and what was fixed, by kind. */
export function describeSweep(report: ReconcileReport): string[] {
  if (report.skipped) return [`reconcile (${report.sweep}): skipped, ${report.skipped}`];
  return Object.entries(report.checked).map(([object, checked]) => {
    const kinds = Object.entries(report.fixed[object] ?? {}).filter(([, count]) => count > 0);
    const fixed = kinds.reduce((sum, [, count]) => sum + count, 0);
    const detail =
      kinds.length > 0 ? ` (${kinds.map(([kind, count]) => `${count} ${kind}`).join(', ')})` : '';
    return `reconcile (${report.sweep}): ${object}: ${checked} checked, ${fixed} fixed${detail}`;
  });
}

/**
 * `closeloop reconcile`: one sweep now, as the workers' schedule runs it; the records it fixes are
 * queued for sync, which `closeloop work` carries out.
 */
export async function runReconcile(
  config: Config,
  redis: Redis,
  http: HubSpotHttp,
  logger: Logger,
  sweep: 'recent' | 'ids',
): Promise<string[]> {
  const queues = wakeQueues(redis, config.redis.prefix);
  const context: JobContext = { redis, http, config, logger, now: Date.now, schedule: scheduler(queues) };
  try {
    const scope = await portalScope(context);
    const report =
      sweep === 'ids' ? await reconcileIds(context, scope) : await reconcileRecent(context, scope);
    return describeSweep(report);
  } finally {
    await Promise.all(Object.values(queues).map((queue) => queue.close()));
  }
}
