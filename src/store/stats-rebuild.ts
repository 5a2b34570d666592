import type { Redis } from 'ioredis';
import { idSet } from '../core/id-set.ts';
import { type LeadColumnsBuilder, leadColumnsBuilder } from '../core/lead-columns.ts';
import { type PortalStats, portalStatsOfColumns } from '../core/portal-stats.ts';
import { campaignStats } from './campaign-stats.ts';
import type { Projection } from './projection.ts';
import { addStoredLead } from './stored-lead-columns.ts';

export interface StatsRebuild {
  readonly leads: number;
  readonly campaigns: number;
  readonly stats: PortalStats;
}

const SCAN_COUNT = 2000;

/**
 * Every lead of the projection, once (HSCAN may repeat a field while the hash is rehashed). The
 * next slice is asked for before this one is decoded, so Redis builds it meanwhile.
 */
async function forEachLead(redis: Redis, view: Projection, visit: (stored: string) => void): Promise<void> {
  const seen = idSet();
  let next = redis.hscan(view.keys.leads, '0', 'COUNT', SCAN_COUNT);
  for (;;) {
    const [cursor, flat] = await next;
    if (cursor !== '0') {
      next = redis.hscan(view.keys.leads, cursor, 'COUNT', SCAN_COUNT);
      // Observed by the next round; if this one throws first, its failure must not go unhandled.
      next.catch(() => undefined);
    }
    for (let index = 0; index + 1 < flat.length; index += 2) {
      if (seen.add(flat[index] as string)) visit(flat[index + 1] as string);
    }
    if (cursor === '0') return;
  }
}

/**
 * Recomputes the lag-aware statistics of every campaign from every lead's figures (one scan of
 * the projection, kept as columns per campaign) and replaces the stored ones.
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
  const builders = new Map<string, LeadColumnsBuilder>();
  const columnsOf = (campaign: string) => {
    let builder = builders.get(campaign);
    if (!builder) {
      builder = leadColumnsBuilder();
      builders.set(campaign, builder);
    }
    return builder;
  };
  let leads = 0;
  await forEachLead(redis, view, (stored) => {
    leads++;
    addStoredLead(stored, columnsOf);
  });
  const byCampaign = new Map([...builders].map(([campaign, builder]) => [campaign, builder.columns()]));
  const stats = portalStatsOfColumns(byCampaign, now, horizonDays, version);
  await campaignStats(redis, view.keys).save(stats);
  return { leads, campaigns: byCampaign.size, stats };
}
