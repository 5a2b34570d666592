import { demoHubSpotCampaigns, demoSpend } from '../../src/demo/demo-portal.ts';
import { generateDemoPortal } from '../../src/demo/generate-portal.ts';
import type { CampaignJson } from '../../src/http/campaign-json.ts';
import { type Loop, startLoop } from './loop-harness.ts';

/** A dashboard token long enough for closeloop's rule (16 characters). */
export const DASHBOARD_TOKEN = 'browser-dashboard-token-41c9e';

/** GET on serve's API with the bearer token (when the loop has one), as JSON. */
export async function apiJson<T>(loop: Loop, path: string): Promise<T> {
  const token = loop.config.dashboardToken;
  const response = await fetch(`${loop.server.url}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) throw new Error(`${path} → ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The loop over the demo portal (twelve campaigns, ~5,000 contacts, HubSpot campaigns with their
 * names and spend, seeded before setup reads them), backfilled, with the UTM campaigns' spend
 * imported as `closeloop demo` does, and settled. With `token`, the dashboard needs a sign-in.
 */
export async function startDemoLoop(prefix: string, options: { token?: boolean } = {}): Promise<Loop> {
  let seededAt = 0;
  const loop = await startLoop(
    prefix,
    {},
    {
      env: options.token ? { DASHBOARD_TOKEN } : {},
      seedBeforeSetup: (now) => {
        seededAt = now;
        return { ...generateDemoPortal(now), campaigns: demoHubSpotCampaigns(now) };
      },
    },
  );
  try {
    await loop.backfill();
    await loop.settle();
    const token = loop.config.dashboardToken;
    for (const [campaign, periods] of demoSpend(seededAt)) {
      const response = await fetch(`${loop.server.url}/api/campaigns/${encodeURIComponent(campaign)}/spend`, {
        method: 'PUT',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(
          periods.map((p) => ({ from: day(p.from), to: day(p.to - DAY), amount: p.amount })),
        ),
      });
      if (response.status !== 204) throw new Error(`spend for ${campaign}: ${response.status}`);
    }
    return loop;
  } catch (error) {
    await loop.stop();
    throw error;
  }
}

/** The campaign rows as the dashboard reads them. */
export function apiCampaigns(loop: Loop, query = ''): Promise<CampaignJson[]> {
  return apiJson<CampaignJson[]>(loop, `/api/campaigns${query}`);
}

/** The dashboard's own helpers (`assets/format.js`), loaded in Node: plain functions, no DOM needed. */
export interface DashboardFormat {
  uncertainty(campaign: CampaignJson): string | null;
}

export async function dashboardFormat(): Promise<DashboardFormat> {
  const url = new URL('../../src/http/dashboard/assets/format.js', import.meta.url);
  return (await import(url.href)) as DashboardFormat;
}

/** Ids of the small portal's records the tests change. */
export const SMALL_PORTAL = { openDeal: '520', openDealContact: '20' } as const;

/**
 * A small portal relative to `now`. webinar: leads 1–40 from 200 days ago; deals 501–508 won
 * (1,000 each, leads 1–8), 509–512 lost (leads 9–12), 520 open (lead 20). ads: leads 41–52 from
 * 100 days ago, deal 530 won (lead 41, 500).
 */
export function smallPortal(now: number) {
  const iso = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();
  const contact = (id: number, campaign: string, daysAgo: number) => ({
    id: String(id),
    properties: {
      email: `lead${id}@example.com`,
      createdate: iso(daysAgo),
      lifecyclestage: 'lead',
      hs_analytics_source: 'PAID_SEARCH',
      hs_analytics_source_data_1: campaign,
    },
  });
  const deal = (id: number, stage: string, amount: number, createdDaysAgo: number) => ({
    id: String(id),
    properties: {
      dealname: `Deal ${id}`,
      pipeline: 'default',
      dealstage: stage,
      amount: String(amount),
      createdate: iso(createdDaysAgo),
      closedate: iso(createdDaysAgo - 20),
    },
  });
  const won = Array.from({ length: 8 }, (_, i) => deal(501 + i, 'closedwon', 1000, 180));
  const lost = Array.from({ length: 4 }, (_, i) => deal(509 + i, 'closedlost', 0, 180));
  return {
    contacts: [
      ...Array.from({ length: 40 }, (_, i) => contact(i + 1, 'webinar', 200)),
      ...Array.from({ length: 12 }, (_, i) => contact(i + 41, 'ads', 100)),
    ],
    deals: [
      ...won,
      ...lost,
      deal(Number(SMALL_PORTAL.openDeal), 'appointmentscheduled', 4000, 60),
      deal(530, 'closedwon', 500, 80),
    ],
    associations: [
      ...[...won, ...lost].map((d, i) => ({ contactId: String(i + 1), dealId: d.id })),
      { contactId: SMALL_PORTAL.openDealContact, dealId: SMALL_PORTAL.openDeal },
      { contactId: '41', dealId: '530' },
    ],
  };
}

/** The loop over the small portal, backfilled and settled; `token` as for the demo. */
export async function startSmallLoop(prefix: string, options: { token?: boolean } = {}): Promise<Loop> {
  const loop = await startLoop(
    prefix,
    {},
    { env: options.token ? { DASHBOARD_TOKEN } : {}, seedBeforeSetup: smallPortal },
  );
  try {
    await loop.backfill();
    await loop.settle();
    return loop;
  } catch (error) {
    await loop.stop();
    throw error;
  }
}
