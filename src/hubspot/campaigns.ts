import { z } from 'zod';
import { HubSpotRequestError } from '../errors.ts';
import type { HubSpotHttp } from './http.ts';
import type { Priority } from './rate-budget.ts';
import { parseResponse } from './schemas.ts';

/**
 * The Marketing Campaigns API: names, dates and spend of HubSpot campaigns. Optional: it needs
 * Marketing Hub Professional or higher and the `marketing.campaigns.read` scope; lower tiers get 403.
 */
const BASE = '/marketing/v3/campaigns';
const PAGE_SIZE = 100;
const PROPERTIES = ['hs_name', 'hs_start_date', 'hs_end_date'];

const campaignPageSchema = z.looseObject({
  results: z.array(
    z.looseObject({
      id: z.string(),
      properties: z.record(z.string(), z.string().nullable().optional()),
    }),
  ),
  paging: z.looseObject({ next: z.looseObject({ after: z.string() }).optional() }).optional(),
});

const budgetTotalsSchema = z.looseObject({
  spendItems: z.array(z.looseObject({ amount: z.number() })),
  spendTotal: z.number().optional(),
  currencyCode: z.string(),
});

export interface Campaign {
  /** The campaign GUID, which contact properties such as hs_analytics_first_touch_converting_campaign hold. */
  readonly id: string;
  readonly name: string;
  /** Epoch ms of the start / end day (UTC midnight), null when the campaign has none. */
  readonly startDate: number | null;
  readonly endDate: number | null;
}

export interface CampaignSpend {
  readonly amount: number;
  /** ISO 4217 code of the campaign's budget. */
  readonly currency: string;
}

export interface CatalogCampaign extends Campaign {
  readonly spend: number;
  readonly currency: string;
}

export type CampaignCatalog =
  | { readonly available: true; readonly campaigns: readonly CatalogCampaign[] }
  | { readonly available: false; readonly reason: string };

/** HubSpot keeps campaign dates as `YYYY-MM-DD`; epoch-ms and ISO values are read too, anything else is null. */
export function campaignDate(value: string | null | undefined): number | null {
  const text = value?.trim();
  if (!text) return null;
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/** Every campaign of the portal, following `paging.next.after` to the last page. */
export async function listCampaigns(http: HubSpotHttp, priority: Priority): Promise<Campaign[]> {
  const campaigns: Campaign[] = [];
  let after: string | undefined;
  do {
    const qs: Record<string, string> = { limit: String(PAGE_SIZE), properties: PROPERTIES.join(',') };
    if (after) qs.after = after;
    const response = await http({ method: 'GET', path: BASE, qs, priority });
    const page = parseResponse(campaignPageSchema, response.body, 'campaigns list');
    for (const { id, properties } of page.results) {
      campaigns.push({
        id,
        // A campaign always has a name in HubSpot; the id stands in so a missing one stays visible.
        name: properties.hs_name?.trim() || id,
        startDate: campaignDate(properties.hs_start_date),
        endDate: campaignDate(properties.hs_end_date),
      });
    }
    after = page.paging?.next?.after;
  } while (after);
  return campaigns;
}

/** A campaign's total spend: HubSpot's `spendTotal`, else the sum of its spend items. */
export async function campaignSpend(
  http: HubSpotHttp,
  id: string,
  priority: Priority,
): Promise<CampaignSpend> {
  const response = await http({
    method: 'GET',
    path: `${BASE}/${encodeURIComponent(id)}/budget/totals`,
    priority,
  });
  const totals = parseResponse(budgetTotalsSchema, response.body, `campaign ${id} budget totals`);
  const summed = totals.spendItems.reduce((total, item) => total + item.amount, 0);
  // Rounding to 1e-6 drops binary noise (0.1 + 0.2) without assuming the currency's minor unit.
  return { amount: totals.spendTotal ?? Math.round(summed * 1e6) / 1e6, currency: totals.currencyCode };
}

/**
 * Names and spend of every campaign, or why the portal has none to give: a 403 means no Campaigns
 * API for this portal or app (tier or scope), which is a normal state, not a failure. Anything
 * else (rate limits, 5xx, a campaign deleted mid-read) propagates so the caller retries later.
 */
export async function readCampaignCatalog(http: HubSpotHttp, priority: Priority): Promise<CampaignCatalog> {
  try {
    const campaigns: CatalogCampaign[] = [];
    // One call per campaign, in sequence: the shared rate budget paces them either way.
    for (const campaign of await listCampaigns(http, priority)) {
      const spend = await campaignSpend(http, campaign.id, priority);
      campaigns.push({ ...campaign, spend: spend.amount, currency: spend.currency });
    }
    return { available: true, campaigns };
  } catch (error) {
    if (!(error instanceof HubSpotRequestError) || error.status !== 403) throw error;
    return {
      available: false,
      reason: `No Campaigns API access (needs Marketing Hub Professional+ and marketing.campaigns.read): ${error.message}`,
    };
  }
}
