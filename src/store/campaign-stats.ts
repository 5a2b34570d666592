import type { Redis } from 'ioredis';
import type { CampaignLag, PortalStats, StatsMeta } from '../core/portal-stats.ts';
import type { DailyCurves } from '../core/score-curves.ts';
import { decodeCurves, encodeCurves } from './curves-codec.ts';
import type { ProjectionKeys } from './keys.ts';

/** Parsed lag per connection and lag key, with the statistics version it belongs to. */
const parsedLag = new WeakMap<Redis, Map<string, { version: string; lag: Map<string, CampaignLag> }>>();

function parseLag(raw: Record<string, string>): Map<string, CampaignLag> {
  return new Map(Object.entries(raw).map(([campaign, json]) => [campaign, JSON.parse(json) as CampaignLag]));
}

/** The lag-aware statistics of one generation, replaced whole in one transaction. */
export function campaignStats(redis: Redis, keys: ProjectionKeys) {
  const readMeta = async (): Promise<StatsMeta | undefined> => {
    const raw = await redis.get(keys.statsMeta);
    return raw ? (JSON.parse(raw) as StatsMeta) : undefined;
  };
  return {
    async save(stats: PortalStats): Promise<void> {
      const multi = redis.multi().del(keys.lag, keys.curves);
      const lag = Object.fromEntries(
        [...stats.campaigns].map(([campaign, value]) => [campaign, JSON.stringify(value)]),
      );
      const curves = Object.fromEntries(
        [...stats.curves].map(([campaign, value]) => [campaign, encodeCurves(value)]),
      );
      if (Object.keys(lag).length > 0) multi.hset(keys.lag, lag);
      if (Object.keys(curves).length > 0) multi.hset(keys.curves, curves);
      await multi.set(keys.statsMeta, JSON.stringify(stats.meta)).exec();
    },
    meta: readMeta,
    async lag(): Promise<Map<string, CampaignLag>> {
      return parseLag(await redis.hgetall(keys.lag));
    },
    /**
     * Meta and lag as saved together. A version's lag never changes (`save` replaces both under a
     * new version), so the lag last parsed on this connection is reused while the version stays:
     * a read of every campaign then costs a GET, not the whole hash parsed again.
     */
    async current(): Promise<{ meta: StatsMeta | undefined; lag: Map<string, CampaignLag> }> {
      const meta = await readMeta();
      const cached = parsedLag.get(redis)?.get(keys.lag);
      if (meta && cached?.version === meta.version) return { meta, lag: cached.lag };
      const replies = (await redis.multi().get(keys.statsMeta).hgetall(keys.lag).exec()) ?? [];
      for (const [error] of replies) if (error) throw error;
      const rawMeta = replies[0]?.[1];
      const saved = typeof rawMeta === 'string' ? (JSON.parse(rawMeta) as StatsMeta) : undefined;
      const lag = parseLag((replies[1]?.[1] ?? {}) as Record<string, string>);
      if (saved) {
        const byKey = parsedLag.get(redis) ?? new Map();
        byKey.set(keys.lag, { version: saved.version, lag });
        parsedLag.set(redis, byKey);
      }
      return { meta: saved, lag };
    },
    async curves(campaigns: readonly string[]): Promise<Map<string, DailyCurves[]>> {
      if (campaigns.length === 0) return new Map();
      const values = await redis.hmget(keys.curves, ...campaigns);
      return new Map(
        campaigns.flatMap((campaign, index) => {
          const value = values[index];
          return value ? [[campaign, decodeCurves(value)] as const] : [];
        }),
      );
    },
  };
}

export type CampaignStatsStore = ReturnType<typeof campaignStats>;
