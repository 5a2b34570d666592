import type { Redis } from 'ioredis';
import { type LeadColumns, type LeadColumnsBuilder, leadColumnsBuilder } from '../core/lead-columns.ts';
import { type PortalStats, portalStatsOfColumns } from '../core/portal-stats.ts';
import { scanBuckets } from './buckets.ts';
import { campaignStats } from './campaign-stats.ts';
import { storedLeadReader } from './lead-figures-codec.ts';
import type { Projection } from './projection.ts';

export interface StatsRebuild {
  readonly leads: number;
  readonly campaigns: number;
  readonly stats: PortalStats;
}

/**
 * Every lead's figures as columns per campaign: one pass over the lead buckets, each lead exactly
 * once, read from the bytes Redis sent (no string per lead), campaigns named after the scan.
 */
async function scanColumns(
  redis: Redis,
  view: Projection,
): Promise<{ byCampaign: Map<string, LeadColumns>; leads: number }> {
  const byCode = new Map<string, LeadColumnsBuilder>();
  const reader = storedLeadReader((code) => {
    const builder = leadColumnsBuilder();
    byCode.set(code, builder);
    return builder;
  });
  let leads = 0;
  for await (const flat of scanBuckets(redis, view.keys.leads)) {
    for (let at = 1; at < flat.length; at += 2) reader.add(flat[at] as Buffer);
    leads += flat.length / 2;
  }
  const names = await view.names(byCode.keys());
  const byCampaign = new Map([...byCode].map(([code, builder]) => [names.nameOf(code), builder.columns()]));
  return { byCampaign, leads };
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
  const { byCampaign, leads } = await scanColumns(redis, view);
  const stats = portalStatsOfColumns(byCampaign, now, horizonDays, version);
  await campaignStats(redis, view.keys).save(stats);
  return { leads, campaigns: byCampaign.size, stats };
}
