import type { Redis } from 'ioredis';
import type { FigureSettings } from '../../src/core/lead-figures.ts';
import { recomputeDealCampaigns, recomputeLeads } from '../../src/core/recompute.ts';
import { chunk } from '../../src/hubspot/crm.ts';
import type { PortalSettings } from '../../src/hubspot/portal.ts';
import { LIFECYCLE_STAGES } from '../../src/sandbox/lifecycle.ts';
import { campaignCatalog } from '../../src/store/campaign-catalog.ts';
import { type PortalKeys, portalKeys } from '../../src/store/keys.ts';
import { savePortalSettings } from '../../src/store/portal-state.ts';
import { type Projection, projection } from '../../src/store/projection.ts';
import type { SyntheticPortal } from './synthetic-portal.ts';

const BATCH = 5000;

export interface WrittenProjection {
  readonly keys: PortalKeys;
  readonly view: Projection;
  readonly settings: PortalSettings;
}

function portalSettings(portalId: number): PortalSettings {
  const stageOrder = LIFECYCLE_STAGES.map((stage) => stage.value).filter((stage) => stage !== 'other');
  return {
    portalId,
    timeZone: 'UTC',
    currency: 'USD',
    uiDomain: 'app.hubspot.com',
    stageOrder,
    stageDateProperties: Object.fromEntries(
      stageOrder.map((stage) => [stage, `hs_v2_date_entered_${stage}`]),
    ),
    pipelines: [
      { id: 'default', label: 'Sales Pipeline' },
      { id: 'renewals', label: 'Renewals' },
    ],
  };
}

/** HubSpot's names (and some spend) for the portal's HubSpot campaigns, read just now. */
async function saveCatalog(redis: Redis, keys: PortalKeys, portal: SyntheticPortal, now: number) {
  const campaigns = portal.campaigns
    .filter((campaign) => campaign.hubspot)
    .map((campaign, index) => ({
      id: campaign.id,
      name: campaign.name,
      startDate: null,
      endDate: null,
      spend: index % 3 === 0 ? 1000 * (index + 1) : 0,
      currency: 'USD',
    }));
  await campaignCatalog(redis, keys).save({ available: true, campaigns }, now);
}

/**
 * Writes a synthetic portal into Redis as setup and a backfill would leave it: portal settings,
 * generation 1 with its contacts and deals, lead figures and deal campaigns applied through the
 * store's scripts (which keep the totals and member sets), and a fresh campaign catalog.
 *
 * @param now - epoch ms the figures are computed at
 */
export async function writeSyntheticProjection(
  redis: Redis,
  prefix: string,
  portal: SyntheticPortal,
  now: number,
): Promise<WrittenProjection> {
  const settings = portalSettings(4_200_001);
  await savePortalSettings(redis, prefix, settings);
  const keys = portalKeys(prefix, settings.portalId);
  await redis.set(keys.generation, '1');
  await saveCatalog(redis, keys, portal, now);
  const view = projection(redis, keys.projection(1));
  for (const ids of chunk([...portal.contacts.keys()], BATCH))
    await view.write({ contacts: new Map(ids.map((id) => [id, portal.contacts.get(id) ?? null])) });
  for (const ids of chunk([...portal.deals.keys()], BATCH))
    await view.write({ deals: new Map(ids.map((id) => [id, portal.deals.get(id) ?? null])) });
  const figureSettings: FigureSettings = {
    pipelines: [],
    stageOrder: settings.stageOrder,
    recordedStages: Object.keys(settings.stageDateProperties),
    attribution: 'even',
  };
  const graph = { contacts: portal.contacts, deals: portal.deals };
  for (const ids of chunk([...portal.contacts.keys()], BATCH))
    await view.applyLeads(recomputeLeads(ids, graph, figureSettings, now));
  for (const ids of chunk([...portal.deals.keys()], BATCH))
    await view.applyDealCampaigns(recomputeDealCampaigns(ids, graph, figureSettings));
  return { keys, view, settings };
}
