import { randomUUID } from 'node:crypto';
import { figuresChannel } from '../src/store/keys.ts';
import { rebuildStats } from '../src/store/stats-rebuild.ts';
import { type JobContext, portalScope } from './context.ts';
import { refreshCatalog } from './refresh-catalog.ts';

export interface StatsReport {
  readonly leads: number;
  readonly campaigns: number;
}

/**
 * Recomputes the lag-aware statistics of every campaign from every lead's figures: rates and
 * curves at the horizon, medians, per-stage curves for lead scores and the shrinkage prior. Then
 * wakes the score run, which rescores against the new version. Runs after changes and on a
 * timer, because open leads age and the curves move with them.
 */
export async function stats(context: JobContext): Promise<StatsReport> {
  const scope = await portalScope(context);
  await refreshCatalog(context.http, context.redis, scope.keys, context.now(), 'background').then(
    (line) => line && context.logger.info(line),
    // Names and HubSpot spend are a nicety: the statistics go on without a fresh copy.
    (error: unknown) => context.logger.warn({ err: error }, 'could not read HubSpot campaigns'),
  );
  const rebuilt = await rebuildStats(
    context.redis,
    scope.projection,
    context.now(),
    context.config.metrics.closeHorizonDays,
    randomUUID(),
  );
  await context.redis.publish(figuresChannel(context.config.redis.prefix), rebuilt.stats.meta.version);
  await context.schedule('score', scope.portal.portalId);
  return { leads: rebuilt.leads, campaigns: rebuilt.campaigns };
}
