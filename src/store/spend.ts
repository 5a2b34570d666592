import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { SpendPeriod } from '../core/spend.ts';
import { type PortalKeys, portalKeys } from './keys.ts';
import { loadPortalSettings } from './portal-state.ts';

const periodsSchema = z.array(z.object({ from: z.number(), to: z.number(), amount: z.number() }));

/** Replaces one campaign's spend in the portal set up in this Redis; false before setup. */
export async function saveCampaignSpend(
  redis: Redis,
  prefix: string,
  campaign: string,
  periods: readonly SpendPeriod[],
): Promise<boolean> {
  const portal = await loadPortalSettings(redis, prefix);
  if (!portal) return false;
  await spendStore(redis, portalKeys(prefix, portal.portalId)).replace(new Map([[campaign, periods]]));
  return true;
}

/** One campaign's imported spend in the portal set up in this Redis (none before setup). */
export async function loadCampaignSpend(
  redis: Redis,
  prefix: string,
  campaign: string,
): Promise<SpendPeriod[]> {
  const portal = await loadPortalSettings(redis, prefix);
  if (!portal) return [];
  return (await spendStore(redis, portalKeys(prefix, portal.portalId)).all()).get(campaign) ?? [];
}

/** Spend per campaign: one hash field per campaign holding its periods. Not part of the projection: HubSpot does not hold it. */
export function spendStore(redis: Redis, keys: PortalKeys) {
  const key = `${keys.base}:spend`;
  return {
    async all(): Promise<Map<string, SpendPeriod[]>> {
      const raw = await redis.hgetall(key);
      return new Map(
        Object.entries(raw).map(([campaign, json]) => [campaign, periodsSchema.parse(JSON.parse(json))]),
      );
    },
    /** Replaces the spend of the given campaigns, all in one step. */
    async replace(byCampaign: ReadonlyMap<string, readonly SpendPeriod[]>): Promise<void> {
      const fields = Object.fromEntries(
        [...byCampaign].map(([campaign, periods]) => [campaign, JSON.stringify(periods)]),
      );
      if (Object.keys(fields).length > 0) await redis.hset(key, fields);
    },
  };
}
