import { z } from 'zod';
import type { SandboxClient } from '../harness/sandbox-client.ts';
import {
  closeDate,
  dealProperties,
  iso,
  LIFECYCLE,
  leadProperties,
  OPEN_STAGES,
  type Random,
  RENEWAL_OPEN,
} from './portal-seed.ts';
import type { WorkloadModel } from './workload-model.ts';

export interface OpContext {
  readonly client: SandboxClient;
  readonly model: WorkloadModel;
  readonly random: Random;
}

/** One change a user (or HubSpot's tracking) makes; false when there is nothing to act on. */
type Operation = (ctx: OpContext) => Promise<boolean>;

const idOf = (body: unknown) => z.object({ id: z.coerce.string() }).parse(body).id;
const seededIds = z.object({ contacts: z.array(z.string()) });
const DEAL_TO_CONTACT = [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }];

/** Seeded, because a campaign lives in tracking properties only HubSpot itself writes. */
const newLead: Operation = async ({ client, model, random }) => {
  const properties = leadProperties(model, random);
  const seeded = seededIds.parse(
    await client.admin('/__sandbox/seed', { contacts: [{ properties }], emitWebhooks: true }),
  );
  const id = seeded.contacts[0] as string;
  model.contacts.set(id, {
    leadDate: Date.parse(properties.createdate ?? ''),
    stage: properties.lifecyclestage ?? 'lead',
  });
  return true;
};

const newDeal: Operation = async ({ client, model, random }) => {
  const contactId = model.randomKey(model.contacts, random);
  const lead = contactId && model.contacts.get(contactId);
  if (!contactId || !lead) return false;
  const deal = dealProperties(model, random, lead.leadDate);
  const created = await client.api('POST', '/crm/v3/objects/deals', {
    properties: deal.properties,
    associations: [{ to: { id: contactId }, types: DEAL_TO_CONTACT }],
  });
  const id = idOf(created);
  model.deals.set(id, { createdAt: deal.createdAt, renewal: deal.renewal, closed: false });
  model.link(contactId, id);
  return true;
};

function nextStage(random: Random, renewal: boolean, closed: boolean): { stage: string; closes: boolean } {
  const open = renewal ? RENEWAL_OPEN : OPEN_STAGES;
  if (closed || random.chance(0.35)) return { stage: random.pick(open), closes: false };
  const won = random.chance(0.55);
  return {
    stage: renewal ? (won ? '781236453' : '781236454') : won ? 'closedwon' : 'closedlost',
    closes: true,
  };
}

/** Moves a deal along: to another open stage, won or lost (with its close date), or reopened. */
const moveDeal: Operation = async ({ client, model, random }) => {
  const id = model.randomKey(model.deals, random);
  const deal = id && model.deals.get(id);
  if (!id || !deal) return false;
  if (deal.closed && random.chance(0.6)) return changeAmount(id, { client, model, random });
  const { stage, closes } = nextStage(random, deal.renewal, deal.closed);
  const properties: Record<string, string> = { dealstage: stage };
  if (closes) properties.closedate = iso(closeDate(model, random, deal.createdAt));
  await client.api('PATCH', `/crm/v3/objects/deals/${id}`, { properties });
  deal.closed = closes;
  return true;
};

async function changeAmount(id: string, { client, random }: OpContext): Promise<boolean> {
  await client.api('PATCH', `/crm/v3/objects/deals/${id}`, {
    properties: { amount: String(random.int(4, 80) * 250) },
  });
  return true;
}

const advanceLead: Operation = async ({ client, model, random }) => {
  const id = model.randomKey(model.contacts, random);
  const lead = id && model.contacts.get(id);
  const at = lead ? LIFECYCLE.indexOf(lead.stage) : -1;
  if (!id || !lead || at < 0 || at >= LIFECYCLE.length - 1) return false;
  const stage = LIFECYCLE[at + 1] as string;
  await client.api('PATCH', `/crm/v3/objects/contacts/${id}`, { properties: { lifecyclestage: stage } });
  lead.stage = stage;
  return true;
};

const addLink: Operation = async ({ client, model, random }) => {
  const contactId = model.randomKey(model.contacts, random);
  const dealId = model.randomKey(model.deals, random);
  if (!contactId || !dealId || model.linked(contactId, dealId)) return false;
  await client.api('PUT', `/crm/v4/objects/contacts/${contactId}/associations/default/deals/${dealId}`);
  model.link(contactId, dealId);
  return true;
};

const removeLink: Operation = async ({ client, model, random }) => {
  const found = model.liveLink(random);
  if (!found) return false;
  const [contactId, dealId] = found;
  await client.api('DELETE', `/crm/v4/objects/contacts/${contactId}/associations/deals/${dealId}`);
  model.unlink(contactId, dealId);
  return true;
};

const merge: Operation = async ({ client, model, random }) => {
  const a = model.randomKey(model.contacts, random);
  const b = model.randomKey(model.contacts, random);
  if (!a || !b || a === b) return false;
  const merged = await client.api('POST', '/crm/v3/objects/contacts/merge', {
    primaryObjectId: a,
    objectIdToMerge: b,
  });
  model.merge(a, b, idOf(merged), LIFECYCLE);
  return true;
};

function remove(type: 'contacts' | 'deals'): Operation {
  return async ({ client, model, random }) => {
    const live: Map<string, unknown> = type === 'contacts' ? model.contacts : model.deals;
    const id = model.randomKey(live, random);
    if (!id) return false;
    await client.api('DELETE', `/crm/v3/objects/${type}/${id}`);
    if (type === 'contacts') model.deletedContacts.set(id, model.contacts.get(id) as never);
    else model.deletedDeals.set(id, model.deals.get(id) as never);
    live.delete(id);
    return true;
  };
}

const restore: Operation = async ({ client, model, random }) => {
  const type = random.chance(0.5) ? 'contacts' : 'deals';
  const deleted: Map<string, unknown> = type === 'contacts' ? model.deletedContacts : model.deletedDeals;
  const id = model.randomKey(deleted, random);
  if (!id) return false;
  await client.admin('/__sandbox/restore', { objectType: type, id });
  if (type === 'contacts') model.contacts.set(id, model.deletedContacts.get(id) as never);
  else model.deals.set(id, model.deletedDeals.get(id) as never);
  deleted.delete(id);
  return true;
};

const privacyDelete: Operation = async ({ client, model, random }) => {
  const id = model.randomKey(model.contacts, random);
  if (!id) return false;
  await client.api('POST', '/crm/v3/objects/contacts/gdpr-delete', { objectId: id });
  model.purge(id);
  return true;
};

type Mix = ReadonlyArray<readonly [string, number, Operation]>;

/** Operation kinds and their weights in the mix. */
export const OPERATIONS: Mix = [
  ['create lead', 16, newLead],
  ['create deal', 14, newDeal],
  ['deal stage', 24, moveDeal],
  ['lifecycle stage', 10, advanceLead],
  ['associate', 8, addLink],
  ['dissociate', 5, removeLink],
  ['merge', 4, merge],
  ['delete contact', 3, remove('contacts')],
  ['delete deal', 3, remove('deals')],
  ['restore', 5, restore],
  ['privacy delete', 3, privacyDelete],
];

/**
 * Changes that keep the portal the same size (the soak: what grows there must be closeloop's own
 * state): deals move along and links come and go about as often.
 */
export const STEADY_OPERATIONS: Mix = [
  ['deal stage', 70, moveDeal],
  ['associate', 15, addLink],
  ['dissociate', 15, removeLink],
];

/** Picks and runs one operation (the mix's first when the pick finds nothing to act on); returns its kind. */
export async function runOperation(ctx: OpContext, mix: Mix = OPERATIONS): Promise<string> {
  const total = mix.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = ctx.random.next() * total;
  for (const [kind, weight, operation] of mix) {
    roll -= weight;
    if (roll > 0) continue;
    if (await operation(ctx)) return kind;
    break;
  }
  const [kind, , fallback] = mix[0] as Mix[number];
  await fallback(ctx);
  return kind;
}
