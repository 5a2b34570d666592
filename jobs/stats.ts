import { randomUUID } from 'node:crypto';
import { figuresChannel } from '../src/store/keys.ts';
import { rebuildStats } from '../src/store/stats-rebuild.ts';
import { workSets } from '../src/store/work-sets.ts';
import { type JobContext, type PortalScope, portalScope } from './context.ts';
import { refreshCatalog } from './refresh-catalog.ts';

export interface StatsReport {
  readonly leads: number;
  readonly campaigns: number;
}

/** The longest the statistics job waits for a burst to be synced before it runs all the same. */
export const STATS_PUT_OFF_MAX_MS = 60_000;

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

/**
 * Whether ids still wait to be synced: figures computed now would move again once they are, and
 * every record whose shown values they change would be written twice (more than half the calls
 * of a write-back under a burst went on values that were rewritten moments later). Not for ever:
 * under a steady stream the statistics run every STATS_PUT_OFF_MAX_MS all the same.
 */
async function syncBehind(context: JobContext, scope: PortalScope): Promise<boolean> {
  const key = `${scope.keys.base}:stats:put-off-since`;
  if (!(await workSets(context.redis, scope.keys).hasPending())) {
    await context.redis.del(key);
    return false;
  }
  await context.redis.set(key, String(context.now()), 'PX', 2 * STATS_PUT_OFF_MAX_MS, 'NX');
  const since = Number((await context.redis.get(key)) ?? context.now());
  if (context.now() - since < STATS_PUT_OFF_MAX_MS) return true;
  await context.redis.del(key);
  return false;
}

/** The queued statistics job: put off (and asked for again) while a burst is still being synced. */
export async function statsJob(context: JobContext): Promise<StatsReport | { readonly putOff: true }> {
  const scope = await portalScope(context);
  if (await syncBehind(context, scope)) {
    await context.schedule('stats', scope.portal.portalId);
    return { putOff: true };
  }
  return stats(context);
}
