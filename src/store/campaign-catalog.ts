import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { SpendPeriod } from '../core/spend.ts';
import type { CampaignCatalog } from '../hubspot/campaigns.ts';
import type { PortalKeys } from './keys.ts';

const DAY = 86_400_000;
const ALL_TIME = { from: Date.UTC(1970, 0, 1), to: Date.UTC(2200, 0, 1) };

const storedSchema = z.object({
  readAt: z.number(),
  available: z.boolean(),
  reason: z.string().optional(),
  campaigns: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      startDate: z.number().nullable(),
      endDate: z.number().nullable(),
      spend: z.number(),
      currency: z.string(),
    }),
  ),
});
export type StoredCatalog = z.infer<typeof storedSchema>;

/** HubSpot's campaigns as last read: names for campaign ids, and spend where the portal records it. */
export function campaignCatalog(redis: Redis, keys: PortalKeys) {
  const key = `${keys.base}:campaign-catalog`;
  return {
    async save(catalog: CampaignCatalog, readAt: number): Promise<void> {
      const stored: StoredCatalog = catalog.available
        ? { readAt, available: true, campaigns: [...catalog.campaigns] }
        : { readAt, available: false, reason: catalog.reason, campaigns: [] };
      await redis.set(key, JSON.stringify(stored));
    },
    async load(): Promise<StoredCatalog | undefined> {
      const raw = await redis.get(key);
      return raw ? storedSchema.parse(JSON.parse(raw)) : undefined;
    },
  };
}

/** Campaign id → name, for showing HubSpot campaign ids by name. */
export function campaignNames(catalog: StoredCatalog | undefined): Map<string, string> {
  return new Map((catalog?.campaigns ?? []).map((campaign) => [campaign.id, campaign.name]));
}

/**
 * HubSpot's spend as periods: HubSpot records spend items without dates, so a campaign's total is
 * spread over its start and end dates (a start alone: that day; no dates: all time, which counts
 * fully in the all-time figures and next to nothing in a cohort's).
 */
export function catalogSpend(catalog: StoredCatalog | undefined): Map<string, SpendPeriod[]> {
  const spend = new Map<string, SpendPeriod[]>();
  for (const campaign of catalog?.campaigns ?? []) {
    if (!(campaign.spend > 0)) continue;
    const from = campaign.startDate ?? ALL_TIME.from;
    const to = campaign.startDate === null ? ALL_TIME.to : (campaign.endDate ?? campaign.startDate) + DAY;
    spend.set(campaign.id, [{ from, to, amount: campaign.spend }]);
  }
  return spend;
}
