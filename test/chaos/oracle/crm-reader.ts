import { z } from 'zod';
import { getParsed, requestJson } from './http-json.ts';

/** A CRM record as HubSpot lists it: every value a string (or null when unset). */
export interface CrmRecord {
  readonly id: string;
  readonly properties: Readonly<Record<string, string | null>>;
  /** The record's top-level `createdAt`, HubSpot's fallback when `createdate` is missing. */
  readonly createdAt: string | null;
}

export interface Portal {
  readonly url: string;
  readonly token: string;
}

const recordPageSchema = z.object({
  results: z.array(
    z.looseObject({
      id: z.string(),
      properties: z.record(z.string(), z.string().nullable()),
      createdAt: z.string().optional(),
    }),
  ),
  paging: z.looseObject({ next: z.looseObject({ after: z.string() }).optional() }).optional(),
});

const propertyListSchema = z.object({
  results: z.array(
    z.looseObject({
      name: z.string(),
      options: z
        .array(
          z.looseObject({
            value: z.string(),
            displayOrder: z.number().optional(),
            hidden: z.boolean().optional(),
          }),
        )
        .optional(),
    }),
  ),
});

export type PropertyList = z.output<typeof propertyListSchema>['results'];

/** Every property defined on the object type. */
export async function listProperties(portal: Portal, type: 'contacts' | 'deals'): Promise<PropertyList> {
  const url = `${portal.url}/crm/v3/properties/${type}`;
  return (await getParsed(propertyListSchema, { url, token: portal.token })).results;
}

/** Every live record of the type with the named properties, paging with `after` to the end. */
export async function listRecords(
  portal: Portal,
  type: 'contacts' | 'deals',
  properties: readonly string[],
): Promise<CrmRecord[]> {
  const records: CrmRecord[] = [];
  let after: string | undefined;
  do {
    const query = new URLSearchParams({ limit: '100', properties: properties.join(',') });
    if (after) query.set('after', after);
    const url = `${portal.url}/crm/v3/objects/${type}?${query}`;
    const page = await getParsed(recordPageSchema, { url, token: portal.token });
    for (const record of page.results)
      records.push({ id: record.id, properties: record.properties, createdAt: record.createdAt ?? null });
    after = page.paging?.next?.after;
  } while (after);
  return records;
}

const campaignPageSchema = z.object({
  results: z.array(
    z.looseObject({ id: z.string(), properties: z.record(z.string(), z.string().nullable().optional()) }),
  ),
  paging: z.looseObject({ next: z.looseObject({ after: z.string() }).optional() }).optional(),
});

/** HubSpot campaign id → name; null when the portal has no Campaigns API (lower tiers answer 403). */
export async function listCampaignNames(portal: Portal): Promise<Map<string, string> | null> {
  const names = new Map<string, string>();
  let after: string | undefined;
  do {
    const query = new URLSearchParams({ limit: '100', properties: 'hs_name' });
    if (after) query.set('after', after);
    const url = `${portal.url}/marketing/v3/campaigns?${query}`;
    const answer = await requestJson({ url, token: portal.token, accept: [403] });
    if (answer.status === 403) return null;
    const page = campaignPageSchema.parse(answer.body);
    for (const campaign of page.results) {
      // HubSpot campaigns always have a name; the id stands in so a missing one stays visible.
      names.set(campaign.id, campaign.properties.hs_name?.trim() || campaign.id);
    }
    after = page.paging?.next?.after;
  } while (after);
  return names;
}

const clockSchema = z.looseObject({ now: z.number() });

/** The sandbox's now: its clock endpoint, else the `Date` header of an ordinary answer. */
export async function portalNow(portal: Portal): Promise<number> {
  const clock = await requestJson({
    method: 'POST',
    url: `${portal.url}/__sandbox/clock`,
    body: {},
    accept: [404],
  });
  const parsed = clockSchema.safeParse(clock.body);
  if (clock.status === 200 && parsed.success) return parsed.data.now;
  const answer = await requestJson({ url: `${portal.url}/crm/v3/properties/deals`, token: portal.token });
  const date = answer.date === null ? Number.NaN : Date.parse(answer.date);
  if (!Number.isFinite(date)) throw new Error('The portal gave no clock and no Date header');
  return date;
}
