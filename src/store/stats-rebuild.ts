import type { Redis } from 'ioredis';
import { idLog, idSet } from '../core/id-set.ts';
import { type LeadColumnsBuilder, leadColumnsBuilder } from '../core/lead-columns.ts';
import { type PortalStats, portalStatsOfColumns } from '../core/portal-stats.ts';
import { campaignStats } from './campaign-stats.ts';
import type { Projection } from './projection.ts';
import { storedLeadReader } from './stored-lead-bytes.ts';

export interface StatsRebuild {
  readonly leads: number;
  readonly campaigns: number;
  readonly stats: PortalStats;
}

const SCAN_COUNT = 2000;

/**
 * Every lead field of the projection in HSCAN order, as the bytes Redis sent (no string is made
 * per lead). The next slice is asked for before this one is visited, so Redis builds it meanwhile.
 */
async function forEachLead(
  redis: Redis,
  view: Projection,
  visit: (id: Buffer, stored: Buffer) => void,
): Promise<void> {
  let next = redis.hscanBuffer(view.keys.leads, '0', 'COUNT', SCAN_COUNT);
  for (;;) {
    const [at, flat] = await next;
    const cursor = at.toString();
    if (cursor !== '0') {
      next = redis.hscanBuffer(view.keys.leads, cursor, 'COUNT', SCAN_COUNT);
      // Observed by the next round; if this one throws first, its failure must not go unhandled.
      next.catch(() => undefined);
    }
    for (let index = 0; index + 1 < flat.length; index += 2)
      visit(flat[index] as Buffer, flat[index + 1] as Buffer);
    if (cursor === '0') return;
  }
}

interface Scanned {
  readonly byCampaign: Map<string, LeadColumnsBuilder>;
  readonly leads: number;
  /** HSCAN returned an id twice (the hash was resized during the scan) and `exact` was off. */
  readonly repeated: boolean;
}

/** Every lead's figures as columns per campaign; `exact` skips repeated ids as they come. */
async function scanColumns(redis: Redis, view: Projection, exact: boolean): Promise<Scanned> {
  const byCampaign = new Map<string, LeadColumnsBuilder>();
  const columnsOf = (campaign: string) => {
    let builder = byCampaign.get(campaign);
    if (!builder) {
      builder = leadColumnsBuilder();
      byCampaign.set(campaign, builder);
    }
    return builder;
  };
  const reader = storedLeadReader(columnsOf);
  const seen = exact ? idSet() : undefined;
  const log = exact ? undefined : idLog();
  let leads = 0;
  await forEachLead(redis, view, (id, stored) => {
    if (seen && !seen.add(id.toString())) return;
    log?.add(id);
    leads++;
    reader.add(stored);
  });
  return { byCampaign, leads, repeated: log?.repeated() ?? false };
}

/**
 * Recomputes the lag-aware statistics of every campaign from every lead's figures (one scan of
 * the projection, kept as columns per campaign; two when HSCAN repeated a lead) and replaces the
 * stored ones.
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
  let scanned = await scanColumns(redis, view, false);
  if (scanned.repeated) scanned = await scanColumns(redis, view, true);
  const byCampaign = new Map(
    [...scanned.byCampaign].map(([campaign, builder]) => [campaign, builder.columns()]),
  );
  const stats = portalStatsOfColumns(byCampaign, now, horizonDays, version);
  await campaignStats(redis, view.keys).save(stats);
  return { leads: scanned.leads, campaigns: byCampaign.size, stats };
}
