import { NO_CAMPAIGN } from '../../src/core/campaign-of.ts';
import { campaignGuid, exponentialDays, seededRandom } from '../../src/demo/demo-portal.ts';
import type { ContactRecord, DealRecord } from '../../src/store/projection.ts';

const DAY = 86_400_000;
const HISTORY_DAYS = 730;

export interface SyntheticOptions {
  readonly contacts: number;
  readonly deals: number;
  readonly campaigns: number;
  /** Epoch ms the portal's history ends at. */
  readonly now: number;
  readonly seed?: number;
}

/** A campaign: HubSpot campaigns are GUIDs with names in the catalog, UTM campaigns plain names. */
export interface SyntheticCampaign {
  readonly id: string;
  readonly name: string;
  readonly hubspot: boolean;
  /** How likely its leads become deals, relative to the portal's average. */
  readonly quality: number;
  readonly winRate: number;
}

export interface SyntheticPortal {
  readonly campaigns: readonly SyntheticCampaign[];
  readonly contacts: Map<string, ContactRecord>;
  readonly deals: Map<string, DealRecord>;
}

interface Lead {
  readonly campaign: SyntheticCampaign;
  readonly leadDate: number;
  stage: string;
  readonly stageEntered: Record<string, number>;
  readonly dealIds: string[];
}

function makeCampaigns(count: number, random: () => number): SyntheticCampaign[] {
  return Array.from({ length: count }, (_, index) => {
    const hubspot = index % 2 === 1;
    const name = index === 0 ? NO_CAMPAIGN : `campaign-${String(index).padStart(3, '0')}`;
    return {
      id: hubspot ? campaignGuid(name) : name,
      name,
      hubspot,
      quality: 0.3 + random() * 1.7,
      winRate: 0.25 + random() * 0.4,
    };
  });
}

/** Campaign sizes fall off as 1/rank (a few large channels, a long tail of small campaigns). */
function campaignPicker(campaigns: readonly SyntheticCampaign[], random: () => number) {
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= campaigns.length; rank++) {
    total += 1 / rank;
    cumulative.push(total);
  }
  return () => {
    const target = random() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] as number) < target) low = middle + 1;
      else high = middle;
    }
    return campaigns[low] as SyntheticCampaign;
  };
}

/** A lead's lifecycle before any deal: lead, then MQL and SQL for some, a few skipping MQL's date. */
function makeLead(campaign: SyntheticCampaign, now: number, random: () => number): Lead {
  const leadDate = Math.round(now - HISTORY_DAYS * DAY * random() ** 1.2);
  const stageEntered: Record<string, number> = { lead: leadDate };
  let stage = 'lead';
  let at = leadDate;
  for (const [next, chance] of [
    ['marketingqualifiedlead', 0.3],
    ['salesqualifiedlead', 0.35],
  ] as const) {
    at += Math.round(exponentialDays(random, 10));
    if (at > now || random() >= chance) break;
    stage = next;
    if (random() >= 0.03) stageEntered[next] = at;
  }
  return { campaign, leadDate, stage, stageEntered, dealIds: [] };
}

/** Contacts on a deal: one mostly, two or three for some (colleagues, possibly of other campaigns). */
function dealContacts(leads: readonly Lead[], pickLead: () => number, random: () => number): number[] {
  const roll = random();
  const count = roll < 0.75 ? 1 : roll < 0.95 ? 2 : 3;
  const chosen = new Set<number>();
  while (chosen.size < count)
    chosen.add(chosen.size === 0 ? pickLead() : Math.floor(random() * leads.length));
  return [...chosen];
}

function makeDeal(primary: Lead, now: number, random: () => number): DealRecord & { contactIds: string[] } {
  const createdAt = Math.min(now, primary.leadDate + Math.round(exponentialDays(random, 30) + DAY));
  const closeAt = createdAt + Math.round(exponentialDays(random, 45) + 3 * DAY);
  const closed = closeAt <= now;
  const won = closed && random() < primary.campaign.winRate;
  const cents = Math.round(Math.exp(Math.log(8000) + 0.8 * normal(random)) * 100);
  return {
    pipeline: random() < 0.9 ? 'default' : 'renewals',
    createdAt,
    closedAt: closed ? closeAt : null,
    won,
    lost: closed && !won,
    amount: random() < 0.03 ? null : cents / 100,
    contactIds: [],
  };
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A deal moves its counted leads to opportunity, and its winners to customer. */
function advanceStage(lead: Lead, deal: DealRecord): void {
  if (deal.createdAt < lead.leadDate) return;
  if (lead.stage !== 'customer') {
    lead.stageEntered.opportunity = Math.min(lead.stageEntered.opportunity ?? deal.createdAt, deal.createdAt);
    lead.stage = 'opportunity';
  }
  if (deal.won && deal.closedAt !== null) {
    lead.stageEntered.customer = Math.min(lead.stageEntered.customer ?? deal.closedAt, deal.closedAt);
    lead.stage = 'customer';
  }
}

/**
 * A portal's projection records: leads over two years in campaigns of falling size, stage dates,
 * deals created after their lead's date that close within weeks (a few % of leads won or lost),
 * some deals shared by two or three contacts. Ids are HubSpot-like numbers; repeatable by seed.
 */
export function syntheticPortal(options: SyntheticOptions): SyntheticPortal {
  const random = seededRandom(options.seed ?? 2026);
  const campaigns = makeCampaigns(options.campaigns, random);
  const pickCampaign = campaignPicker(campaigns, random);
  const leads = Array.from({ length: options.contacts }, () => makeLead(pickCampaign(), options.now, random));
  const pickLead = () => {
    for (;;) {
      const index = Math.floor(random() * leads.length);
      if (random() * 2 < (leads[index] as Lead).campaign.quality) return index;
    }
  };
  const deals = new Map<string, DealRecord>();
  for (let index = 0; index < options.deals; index++) {
    const id = String(5_000_001 + index);
    const members = dealContacts(leads, pickLead, random);
    const deal = makeDeal(leads[members[0] as number] as Lead, options.now, random);
    for (const member of members) {
      const lead = leads[member] as Lead;
      deal.contactIds.push(String(1_000_001 + member));
      lead.dealIds.push(id);
      advanceStage(lead, deal);
    }
    deals.set(id, deal);
  }
  const contacts = new Map<string, ContactRecord>(
    leads.map((lead, index) => [
      String(1_000_001 + index),
      { ...lead, campaign: lead.campaign.id } satisfies ContactRecord,
    ]),
  );
  return { campaigns, contacts, deals };
}
