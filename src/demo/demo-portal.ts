import { createHash } from 'node:crypto';

/**
 * A realistic demo portal: about 5,000 contacts over 18 months across twelve campaigns that
 * behave differently, with deals that take weeks to months, lost deals and deals with several
 * contacts. Deterministic for a given seed and `now`.
 */

const DAY = 86_400_000;

export interface DemoCampaign {
  readonly name: string;
  readonly source: string;
  /** Where HubSpot would hold the campaign: a HubSpot campaign (first touch) or the UTM drill-down. */
  readonly via: 'campaign' | 'utm' | 'none';
  readonly leads: number;
  /** Days before now the campaign ran: [start, end]. */
  readonly activeDays: readonly [number, number];
  readonly opportunityRate: number;
  readonly winRate: number;
  readonly daysToDeal: number;
  readonly daysToClose: number;
  readonly amount: number;
  /** What each lead cost to buy, in the portal's currency (0: not a paid channel). */
  readonly costPerLead: number;
}

export const DEMO_CAMPAIGNS: readonly DemoCampaign[] = [
  {
    name: 'spring-sale-ppc',
    source: 'PAID_SEARCH',
    via: 'utm',
    leads: 1400,
    activeDays: [540, 60],
    opportunityRate: 0.05,
    winRate: 0.15,
    daysToDeal: 20,
    daysToClose: 40,
    amount: 1800,
    costPerLead: 25,
  },
  {
    name: 'Spring webinar',
    source: 'OTHER_CAMPAIGNS',
    via: 'campaign',
    leads: 90,
    activeDays: [400, 300],
    opportunityRate: 0.45,
    winRate: 0.5,
    daysToDeal: 14,
    daysToClose: 35,
    amount: 9000,
    costPerLead: 120,
  },
  {
    name: 'brand-search',
    source: 'PAID_SEARCH',
    via: 'utm',
    leads: 700,
    activeDays: [540, 0],
    opportunityRate: 0.16,
    winRate: 0.35,
    daysToDeal: 18,
    daysToClose: 45,
    amount: 6000,
    costPerLead: 60,
  },
  {
    name: 'linkedin-abm',
    source: 'PAID_SOCIAL',
    via: 'utm',
    leads: 320,
    activeDays: [450, 30],
    opportunityRate: 0.2,
    winRate: 0.3,
    daysToDeal: 45,
    daysToClose: 110,
    amount: 42000,
    costPerLead: 180,
  },
  {
    name: 'newsletter',
    source: 'EMAIL_MARKETING',
    via: 'utm',
    leads: 520,
    activeDays: [540, 0],
    opportunityRate: 0.07,
    winRate: 0.3,
    daysToDeal: 30,
    daysToClose: 50,
    amount: 4000,
    costPerLead: 5,
  },
  {
    name: 'Referral program',
    source: 'REFERRALS',
    via: 'campaign',
    leads: 110,
    activeDays: [500, 10],
    opportunityRate: 0.5,
    winRate: 0.55,
    daysToDeal: 7,
    daysToClose: 21,
    amount: 12000,
    costPerLead: 40,
  },
  {
    name: 'Trade show 2026',
    source: 'OFFLINE',
    via: 'campaign',
    leads: 260,
    activeDays: [230, 220],
    opportunityRate: 0.25,
    winRate: 0.3,
    daysToDeal: 21,
    daysToClose: 70,
    amount: 15000,
    costPerLead: 150,
  },
  {
    name: 'content-syndication',
    source: 'OTHER_CAMPAIGNS',
    via: 'utm',
    leads: 650,
    activeDays: [360, 20],
    opportunityRate: 0.03,
    winRate: 0.12,
    daysToDeal: 40,
    daysToClose: 60,
    amount: 5000,
    costPerLead: 35,
  },
  {
    name: 'Partner webinar',
    source: 'OTHER_CAMPAIGNS',
    via: 'campaign',
    leads: 150,
    activeDays: [300, 120],
    opportunityRate: 0.3,
    winRate: 0.4,
    daysToDeal: 20,
    daysToClose: 50,
    amount: 11000,
    costPerLead: 90,
  },
  {
    name: 'retargeting',
    source: 'PAID_SOCIAL',
    via: 'utm',
    leads: 380,
    activeDays: [270, 0],
    opportunityRate: 0.08,
    winRate: 0.25,
    daysToDeal: 25,
    daysToClose: 45,
    amount: 3500,
    costPerLead: 20,
  },
  {
    name: 'AI launch 2026',
    source: 'PAID_SOCIAL',
    via: 'campaign',
    leads: 240,
    activeDays: [42, 0],
    opportunityRate: 0.3,
    winRate: 0.4,
    daysToDeal: 25,
    daysToClose: 90,
    amount: 20000,
    costPerLead: 110,
  },
  {
    name: '(direct)',
    source: 'DIRECT_TRAFFIC',
    via: 'none',
    leads: 330,
    activeDays: [540, 0],
    opportunityRate: 0.1,
    winRate: 0.3,
    daysToDeal: 30,
    daysToClose: 60,
    amount: 7000,
    costPerLead: 0,
  },
];

export interface SeedRecord {
  readonly id: string;
  readonly properties: Record<string, string>;
}

export interface DemoSeed {
  readonly contacts: SeedRecord[];
  readonly deals: SeedRecord[];
  readonly associations: { contactId: string; dealId: string }[];
}

/** A HubSpot campaign of the demo, as the sandbox's Campaigns API serves it. */
export interface SeedCampaign {
  readonly id: string;
  readonly name: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly spend: { name: string; amount: number }[];
}

/** A stable GUID for a demo campaign: HubSpot's analytics properties hold campaign ids, not names. */
export function campaignGuid(name: string): string {
  const hex = createHash('sha256').update(`closeloop-demo:${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The HubSpot campaigns behind the demo's `campaign` sources, with their spend recorded in HubSpot. */
export function demoHubSpotCampaigns(now: number): SeedCampaign[] {
  return DEMO_CAMPAIGNS.filter((campaign) => campaign.via === 'campaign').map((campaign) => ({
    id: campaignGuid(campaign.name),
    name: campaign.name,
    startDate: day(now - campaign.activeDays[0] * DAY),
    endDate: day(now - campaign.activeDays[1] * DAY),
    spend:
      campaign.costPerLead > 0
        ? [{ name: 'Media and production', amount: campaign.leads * campaign.costPerLead }]
        : [],
  }));
}

/** mulberry32: small, fast, good enough to make a demo repeatable. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function exponentialDays(random: () => number, meanDays: number): number {
  return -Math.log(1 - random()) * meanDays * DAY;
}

/** Properties that say where a contact came from, as HubSpot's analytics would have set them. */
export function campaignProperties(campaign: DemoCampaign): Record<string, string> {
  const properties: Record<string, string> = { hs_analytics_source: campaign.source };
  if (campaign.via === 'campaign')
    properties.hs_analytics_first_touch_converting_campaign = campaignGuid(campaign.name);
  if (campaign.via === 'utm') properties.hs_analytics_source_data_1 = campaign.name;
  if (campaign.source === 'OFFLINE') properties.hs_analytics_source_data_1 = 'IMPORT';
  return properties;
}

export const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The demo's imported spend (as `closeloop spend import` would load it): each paid UTM campaign's
 * leads times its cost per lead, over the days it ran. HubSpot campaigns carry theirs in HubSpot.
 */
export function demoSpend(now: number): Map<string, { from: number; to: number; amount: number }[]> {
  const spend = new Map<string, { from: number; to: number; amount: number }[]>();
  for (const campaign of DEMO_CAMPAIGNS) {
    if (campaign.costPerLead === 0 || campaign.via !== 'utm') continue;
    const [start, end] = campaign.activeDays;
    const from = Math.floor((now - start * DAY) / DAY) * DAY;
    const to = Math.floor((now - end * DAY) / DAY) * DAY + DAY;
    spend.set(campaign.name, [{ from, to, amount: campaign.leads * campaign.costPerLead }]);
  }
  return spend;
}
