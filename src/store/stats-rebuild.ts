import type { Redis } from 'ioredis';
import type { LeadFigures } from '../core/lead-figures.ts';
import { type PortalStats, portalStats } from '../core/portal-stats.ts';
import { campaignStats } from './campaign-stats.ts';
import type { Projection } from './projection.ts';

export interface StatsRebuild {
  readonly leads: number;
  readonly campaigns: number;
  readonly stats: PortalStats;
}

/**
 * Recomputes the lag-aware statistics of every campaign from every lead's figures (one scan of
 * the projection) and replaces the stored ones.
 *
 * @param now - epoch ms
 * @param horizonDays - H, days
 */
export async function rebuildStats(
  redis: Redis,
  view: Projection,
  now: number,
  horizonDays: number,
  version: string,
): Promise<StatsRebuild> {
  const byCampaign = new Map<string, LeadFigures[]>();
  const seen = new Set<string>();
  let leads = 0;
  for await (const slice of view.scanLeads()) {
    for (const [id, figures] of slice) {
      if (seen.has(id)) continue;
      seen.add(id);
      leads++;
      const list = byCampaign.get(figures.campaign);
      if (list) list.push(figures);
      else byCampaign.set(figures.campaign, [figures]);
    }
  }
  const stats = portalStats(byCampaign, now, horizonDays, version);
  await campaignStats(redis, view.keys).save(stats);
  return { leads, campaigns: byCampaign.size, stats };
}
