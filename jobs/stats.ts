import { randomUUID } from 'node:crypto';
import type { LeadFigures } from '../src/core/lead-figures.ts';
import { portalStats } from '../src/core/portal-stats.ts';
import { campaignStats } from '../src/store/campaign-stats.ts';
import { figuresChannel } from '../src/store/keys.ts';
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
  const byCampaign = new Map<string, LeadFigures[]>();
  const seen = new Set<string>();
  let leads = 0;
  for await (const slice of scope.projection.scanLeads()) {
    for (const [id, figures] of slice) {
      if (seen.has(id)) continue;
      seen.add(id);
      leads++;
      const list = byCampaign.get(figures.campaign);
      if (list) list.push(figures);
      else byCampaign.set(figures.campaign, [figures]);
    }
  }
  const computed = portalStats(
    byCampaign,
    context.now(),
    context.config.metrics.closeHorizonDays,
    randomUUID(),
  );
  await campaignStats(context.redis, scope.projection.keys).save(computed);
  await context.redis.publish(figuresChannel(context.config.redis.prefix), computed.meta.version);
  await context.schedule('score', scope.portal.portalId);
  return { leads, campaigns: byCampaign.size };
}
