import { z } from 'zod';
import { associate } from '../association-writes.ts';
import { campaignSeedSchema } from '../campaign-store.ts';
import { validationError } from '../hubspot-errors.ts';
import { CONTACTS, DEALS, type ObjectTypeInfo } from '../object-types.ts';
import { type PreparedWrite, prepareCreate, type WriteOptions } from '../record-writes.ts';
import { parseBody, propertiesSchema } from '../request-schemas.ts';
import { parseNumericId } from '../route-helpers.ts';
import type { ApiRequest, Route, SandboxContext } from '../sandbox-context.ts';
import { checkUniqueWithin } from '../unique-values.ts';

const id = z.union([z.string(), z.number()]).transform(String);
const seedRecord = z.object({ id: id.optional(), properties: propertiesSchema.default({}) });

const seedSchema = z.strictObject({
  contacts: z.array(seedRecord).default([]),
  deals: z.array(seedRecord).default([]),
  associations: z.array(z.object({ contactId: id, dealId: id })).default([]),
  campaigns: z.array(campaignSeedSchema).default([]),
  emitWebhooks: z.boolean().default(false),
});

function explicitId(
  ctx: SandboxContext,
  type: ObjectTypeInfo,
  raw: string | undefined,
  taken: Set<number>,
): number | undefined {
  if (raw === undefined) return undefined;
  const value = parseNumericId(raw);
  if (value === undefined || ctx.crm.store(type).resolve(value) || taken.has(value)) {
    throw validationError(`Seed id ${raw} is not a free numeric id.`);
  }
  taken.add(value);
  return value;
}

/** Every seeded association must join records that exist or are being seeded. */
function checkLinks(
  ctx: SandboxContext,
  links: z.output<typeof seedSchema>['associations'],
  taken: Set<number>,
) {
  const known = (type: ObjectTypeInfo, raw: string) => {
    const value = parseNumericId(raw);
    if (value !== undefined && (taken.has(value) || ctx.crm.store(type).resolve(value))) return;
    throw validationError(`Seed association refers to unknown ${type.singular} ${raw}.`);
  };
  for (const link of links) {
    known(CONTACTS, link.contactId);
    known(DEALS, link.dealId);
  }
}

/**
 * Admin seeding: any property (read-only ones too: hs_analytics_*, createdate, lifecycle entry
 * dates) and marketing campaigns, validated as a whole before anything is written; no webhooks
 * unless asked for.
 */
function seed(ctx: SandboxContext, req: ApiRequest) {
  const input = parseBody(seedSchema, req.body);
  const options: WriteOptions = { source: 'CRM_UI', allowReadOnly: true, emit: input.emitWebhooks };
  const taken = new Set<number>();
  const prepare = (type: ObjectTypeInfo, records: z.output<typeof seedRecord>[]): PreparedWrite[] =>
    records.map((r) =>
      prepareCreate(ctx.crm, type, r.properties, options, explicitId(ctx, type, r.id, taken)),
    );
  checkUniqueWithin(
    ctx.crm.contacts,
    input.contacts.map((c) => c.properties),
  );
  const contactWrites = prepare(CONTACTS, input.contacts);
  const dealWrites = prepare(DEALS, input.deals);
  checkLinks(ctx, input.associations, taken);
  const { currency, portalId } = ctx.options;
  const storeCampaigns = ctx.crm.campaigns.prepareSeed(input.campaigns, {
    now: ctx.clock.now(),
    currency,
    portalId,
  });
  const contacts = contactWrites.map((write) => String(write().id));
  const deals = dealWrites.map((write) => String(write().id));
  for (const link of input.associations) {
    const contact = ctx.crm.contacts.resolve(Number(link.contactId));
    const deal = ctx.crm.deals.resolve(Number(link.dealId));
    if (contact && deal) associate(ctx.crm, CONTACTS, contact.id, deal.id, 'CRM_UI', input.emitWebhooks);
  }
  const campaigns = storeCampaigns();
  return { status: 200, body: { contacts, deals, associations: input.associations.length, campaigns } };
}

export const seedRoute: Route = {
  method: 'POST',
  path: '/__sandbox/seed',
  kind: 'admin',
  bodyLimitBytes: 1024 ** 3,
  handler: seed,
};
