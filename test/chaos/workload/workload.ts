import { z } from 'zod';
import type { SandboxClient } from '../harness/sandbox-client.ts';
import { OPERATIONS, type OpContext, runOperation } from './operations.ts';
import {
  CAMPAIGNS,
  closeDate,
  dayStart,
  dealProperties,
  iso,
  leadProperties,
  type Random,
  seededRandom,
} from './portal-seed.ts';
import { WorkloadModel } from './workload-model.ts';

const seeded = z.object({ contacts: z.array(z.string()), deals: z.array(z.string()) });

export interface Workload {
  readonly ctx: OpContext;
  /** Operations run so far, by kind. */
  readonly done: Record<string, number>;
  /**
   * Runs `count` operations (drawn from `mix`, every kind by default) at about `perSecond`;
   * `at(i)` runs before operation i (a scenario's fault injection, mid-stream), and the workload
   * waits for it.
   */
  run(
    count: number,
    perSecond: number,
    at?: (index: number) => Promise<void> | void,
    mix?: typeof OPERATIONS,
  ): Promise<void>;
}

type Campaign = (typeof CAMPAIGNS)[number];

function campaignOf(properties: Record<string, string>): Campaign | undefined {
  const name =
    properties.hs_analytics_first_touch_converting_campaign ?? properties.hs_analytics_source_data_1;
  return CAMPAIGNS.find((campaign) => campaign.name === name);
}

/** A seeded deal for a lead: open, or won or lost as often as its campaign's deals are. */
function seedDeal(model: WorkloadModel, random: Random, leadDate: number, campaign: Campaign | undefined) {
  const deal = dealProperties(model, random, leadDate);
  const closes = random.chance(0.6);
  const won = random.chance(campaign?.win ?? 0.3);
  const stage = deal.renewal ? (won ? '781236453' : '781236454') : won ? 'closedwon' : 'closedlost';
  const properties = closes
    ? { ...deal.properties, dealstage: stage, closedate: iso(closeDate(model, random, deal.createdAt)) }
    : deal.properties;
  return { deal, closes, properties };
}

/** The portal before closeloop is installed: leads and deals, some won, some lost, no webhooks. */
export async function seedPortal(client: SandboxClient, model: WorkloadModel, random: Random, leads: number) {
  const contacts = Array.from({ length: leads }, () => ({ properties: leadProperties(model, random) }));
  const ids = seeded.parse(await client.admin('/__sandbox/seed', { contacts })).contacts;
  const owners: string[] = [];
  const deals: ReturnType<typeof seedDeal>[] = [];
  ids.forEach((id, i) => {
    const properties = contacts[i]?.properties ?? {};
    const leadDate = Date.parse(properties.createdate ?? '');
    model.contacts.set(id, { leadDate, stage: properties.lifecyclestage ?? 'lead' });
    const campaign = campaignOf(properties);
    if (!random.chance(campaign?.deal ?? 0.2)) return;
    owners.push(id);
    deals.push(seedDeal(model, random, leadDate, campaign));
  });
  const body = { deals: deals.map((d) => ({ properties: d.properties })) };
  const dealIds = seeded.parse(await client.admin('/__sandbox/seed', body)).deals;
  await client.admin('/__sandbox/seed', {
    associations: dealIds.map((dealId, i) => ({ contactId: owners[i] as string, dealId })),
  });
  dealIds.forEach((id, i) => {
    const { deal, closes } = deals[i] as (typeof deals)[number];
    model.deals.set(id, { createdAt: deal.createdAt, renewal: deal.renewal, closed: closes });
    model.link(owners[i] as string, id);
  });
}

/** A seeded workload against the sandbox: the same seed gives the same operations in the same order. */
export function createWorkload(client: SandboxClient, seed: number, now: number): Workload {
  const random = seededRandom(seed);
  const model = new WorkloadModel(dayStart(now), `s${seed}-${now.toString(36)}`);
  const ctx: OpContext = { client, model, random };
  const done: Record<string, number> = {};
  return {
    ctx,
    done,
    async run(count, perSecond, at, mix = OPERATIONS) {
      const started = performance.now();
      for (let index = 0; index < count; index++) {
        await at?.(index);
        const kind = await runOperation(ctx, mix);
        done[kind] = (done[kind] ?? 0) + 1;
        const due = started + ((index + 1) * 1000) / perSecond;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    },
  };
}
