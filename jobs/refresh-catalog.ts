import type { Redis } from 'ioredis';
import { readCampaignCatalog } from '../src/hubspot/campaigns.ts';
import type { HubSpotHttp } from '../src/hubspot/http.ts';
import type { Priority } from '../src/hubspot/rate-budget.ts';
import { campaignCatalog } from '../src/store/campaign-catalog.ts';
import type { PortalKeys } from '../src/store/keys.ts';

/** How long HubSpot's campaign names and spend are used before they are read again. */
export const CATALOG_TTL_MS = 6 * 3600_000;

/**
 * Reads HubSpot's campaigns (names, spend) when the stored copy is missing or stale, and says
 * what it found. A portal without the Campaigns API (lower tiers: 403) is noted, not an error.
 */
export async function refreshCatalog(
  http: HubSpotHttp,
  redis: Redis,
  keys: PortalKeys,
  now: number,
  priority: Priority,
): Promise<string | undefined> {
  const store = campaignCatalog(redis, keys);
  const stored = await store.load();
  if (stored && now - stored.readAt < CATALOG_TTL_MS) return undefined;
  const catalog = await readCampaignCatalog(http, priority);
  await store.save(catalog, now);
  if (!catalog.available) {
    return `campaigns: HubSpot's Campaigns API is not available (${catalog.reason}); campaign ids stay as they are, spend only from \`closeloop spend import\``;
  }
  const withSpend = catalog.campaigns.filter((campaign) => campaign.spend > 0).length;
  return `campaigns: ${catalog.campaigns.length} HubSpot campaigns named, ${withSpend} with spend`;
}
