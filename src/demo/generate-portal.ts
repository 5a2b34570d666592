import {
  campaignProperties,
  DEMO_CAMPAIGNS,
  type DemoCampaign,
  type DemoSeed,
  exponentialDays,
  iso,
  type SeedRecord,
  seededRandom,
} from './demo-portal.ts';

const DAY = 86_400_000;
const OPEN_STAGES = [
  'appointmentscheduled',
  'qualifiedtobuy',
  'presentationscheduled',
  'decisionmakerboughtin',
  'contractsent',
];

interface Generator {
  readonly random: () => number;
  readonly now: number;
  readonly seed: {
    contacts: SeedRecord[];
    deals: SeedRecord[];
    associations: { contactId: string; dealId: string }[];
  };
  nextContact: number;
  nextDeal: number;
}

function contact(
  gen: Generator,
  campaign: DemoCampaign,
  createdAt: number,
  stages: Record<string, number>,
  stage: string,
): string {
  const id = String(gen.nextContact++);
  const properties: Record<string, string> = {
    email: `lead${id}@example.com`,
    firstname: `Lead ${id}`,
    createdate: iso(createdAt),
    lifecyclestage: stage,
    ...campaignProperties(campaign),
  };
  for (const [name, at] of Object.entries(stages)) properties[`hs_v2_date_entered_${name}`] = iso(at);
  gen.seed.contacts.push({ id, properties });
  return id;
}

function deal(
  gen: Generator,
  campaign: DemoCampaign,
  createdAt: number,
): { id: string; won: boolean; closedAt: number | null } {
  const id = String(gen.nextDeal++);
  const closeAt = createdAt + exponentialDays(gen.random, campaign.daysToClose) + 3 * DAY;
  const closed = closeAt <= gen.now;
  const won = closed && gen.random() < campaign.winRate;
  const stage = !closed
    ? (OPEN_STAGES[Math.floor(gen.random() * OPEN_STAGES.length)] as string)
    : won
      ? 'closedwon'
      : 'closedlost';
  const amount = Math.round((campaign.amount * (0.5 + gen.random() * 1.3)) / 100) * 100;
  gen.seed.deals.push({
    id,
    properties: {
      dealname: `${campaign.name} deal ${id}`,
      pipeline: 'default',
      dealstage: stage,
      amount: String(amount),
      createdate: iso(createdAt),
      closedate: iso(closeAt),
    },
  });
  return { id, won, closedAt: closed ? closeAt : null };
}

/** One lead of a campaign and, if it becomes an opportunity in time, its deal and colleagues. */
function lead(gen: Generator, campaign: DemoCampaign): void {
  const [from, to] = campaign.activeDays;
  const createdAt = gen.now - (to + gen.random() * (from - to)) * DAY;
  const stages: Record<string, number> = { lead: createdAt };
  const dealAt = createdAt + exponentialDays(gen.random, campaign.daysToDeal) + DAY;
  if (gen.random() >= campaign.opportunityRate || dealAt > gen.now) {
    const qualified = gen.random() < 0.35;
    if (qualified) stages.marketingqualifiedlead = createdAt + exponentialDays(gen.random, 5);
    contact(gen, campaign, createdAt, stages, qualified ? 'marketingqualifiedlead' : 'lead');
    return;
  }
  const outcome = deal(gen, campaign, dealAt);
  // A few leads jump straight to customer: HubSpot then has no opportunity entry date.
  if (!(outcome.won && gen.random() < 0.05)) stages.opportunity = dealAt;
  if (outcome.won && outcome.closedAt) stages.customer = outcome.closedAt;
  const id = contact(gen, campaign, createdAt, stages, outcome.won ? 'customer' : 'opportunity');
  gen.seed.associations.push({ contactId: id, dealId: outcome.id });
  if (gen.random() < 0.2) {
    // A colleague from the same campaign joins before the deal (shares it); or a stakeholder after it (does not).
    const before = gen.random() < 0.6;
    const colleagueAt = before ? createdAt + (dealAt - createdAt) * gen.random() : dealAt + 2 * DAY;
    const colleague = contact(gen, campaign, Math.min(colleagueAt, gen.now), { lead: colleagueAt }, 'lead');
    gen.seed.associations.push({ contactId: colleague, dealId: outcome.id });
  }
}

/**
 * The demo portal's records, ready for the sandbox's seed endpoint.
 *
 * @param now - epoch ms the portal's history ends at
 */
export function generateDemoPortal(now: number, seed = 2026): DemoSeed {
  const gen: Generator = {
    random: seededRandom(seed),
    now,
    seed: { contacts: [], deals: [], associations: [] },
    nextContact: 100_001,
    nextDeal: 900_001,
  };
  for (const campaign of DEMO_CAMPAIGNS)
    for (let index = 0; index < campaign.leads; index++) lead(gen, campaign);
  return gen.seed;
}
