import type { Redis } from 'ioredis';
import type { CampaignTotals } from '../core/campaign-figures.ts';
import { portalKeys } from './keys.ts';
import { loadPortalSettings } from './portal-state.ts';
import { projection } from './projection.ts';

/** Every campaign's totals from the live generation; undefined before setup. */
export async function liveTotals(redis: Redis, prefix: string): Promise<CampaignTotals[] | undefined> {
  const portal = await loadPortalSettings(redis, prefix);
  if (!portal) return undefined;
  const keys = portalKeys(prefix, portal.portalId);
  const generation = Number((await redis.get(keys.generation)) ?? '1');
  return projection(redis, keys.projection(generation)).totals();
}
