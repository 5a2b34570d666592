import type { Redis } from 'ioredis';
import type { CampaignLag, PortalStats, StatsMeta } from '../core/portal-stats.ts';
import type { DailyCurves } from '../core/score-curves.ts';
import type { ProjectionKeys } from './keys.ts';

/** The lag-aware statistics of one generation, replaced whole in one transaction. */
export function campaignStats(redis: Redis, keys: ProjectionKeys) {
  return {
    async save(stats: PortalStats): Promise<void> {
      const multi = redis.multi().del(keys.lag, keys.curves);
      const lag = Object.fromEntries(
        [...stats.campaigns].map(([campaign, value]) => [campaign, JSON.stringify(value)]),
      );
      const curves = Object.fromEntries(
        [...stats.curves].map(([campaign, value]) => [campaign, JSON.stringify(value)]),
      );
      if (Object.keys(lag).length > 0) multi.hset(keys.lag, lag);
      if (Object.keys(curves).length > 0) multi.hset(keys.curves, curves);
      await multi.set(keys.statsMeta, JSON.stringify(stats.meta)).exec();
    },
    async meta(): Promise<StatsMeta | undefined> {
      const raw = await redis.get(keys.statsMeta);
      return raw ? (JSON.parse(raw) as StatsMeta) : undefined;
    },
    async lag(): Promise<Map<string, CampaignLag>> {
      const raw = await redis.hgetall(keys.lag);
      return new Map(
        Object.entries(raw).map(([campaign, json]) => [campaign, JSON.parse(json) as CampaignLag]),
      );
    },
    async curves(campaigns: readonly string[]): Promise<Map<string, DailyCurves[]>> {
      if (campaigns.length === 0) return new Map();
      const values = await redis.hmget(keys.curves, ...campaigns);
      return new Map(
        campaigns.flatMap((campaign, index) => {
          const value = values[index];
          return value ? [[campaign, JSON.parse(value) as DailyCurves[]] as const] : [];
        }),
      );
    },
  };
}

export type CampaignStatsStore = ReturnType<typeof campaignStats>;
