import type pg from 'pg';
import { z } from 'zod';
import type { OracleSettings } from './oracle-types.ts';
import { withScratchSchema } from './pg-scratch.ts';
import type { PortalSnapshot } from './portal-snapshot.ts';
import { EXPECTED_VIEWS } from './sql-expected-views.ts';
import { functionStatements } from './sql-functions.ts';
import { LEAD_VIEWS } from './sql-lead-views.ts';
import { TABLES } from './sql-tables.ts';

/** Accepted strings per closeloop_* property of one record. */
export type ExpectedValues = Readonly<Record<string, readonly string[]>>;

export interface ExpectedCampaign {
  /** The API's figures the oracle knows, under the API's names (closeRateAtHorizon null: not checked). */
  readonly figures: Readonly<Record<string, unknown>>;
  readonly lagChecked: boolean;
}

export interface Expectations {
  readonly campaigns: ReadonlyMap<string, ExpectedCampaign>;
  readonly contacts: ReadonlyMap<string, ExpectedValues>;
  /** Each lead's status, for reading the expectations (not compared: HubSpot does not show it). */
  readonly statuses: ReadonlyMap<string, 'won' | 'lost' | 'open'>;
  readonly deals: ReadonlyMap<string, ExpectedValues>;
  /** Deal id → its campaign key; deals that count for no lead are absent. */
  readonly dealCampaigns: ReadonlyMap<string, string>;
}

const valuesSchema = z.record(z.string(), z.array(z.string()));
const campaignRow = z.object({
  campaign: z.string(),
  lag_checked: z.boolean(),
  figures: z.record(z.string(), z.unknown()),
});
const contactRow = z.object({
  id: z.string(),
  fields: valuesSchema,
  status: z.enum(['won', 'lost', 'open']).nullable(),
});
const dealRow = z.object({ id: z.string(), campaign: z.string().nullable(), fields: valuesSchema });

/** PostgreSQL text cannot hold U+0000; say so rather than fail somewhere inside a load. */
function assertNoNul(snapshot: PortalSnapshot): void {
  const text = JSON.stringify([snapshot.contacts, snapshot.deals, [...snapshot.campaignNames]]);
  if (text.includes('\\u0000'))
    throw new Error('The portal holds a U+0000 character, which the oracle cannot load');
}

async function load(client: pg.Client, snapshot: PortalSnapshot, settings: OracleSettings): Promise<void> {
  const json = (rows: unknown[]) => JSON.stringify(rows);
  await client.query('INSERT INTO setting VALUES ($1, $2, $3, $4)', [
    settings.horizonDays,
    settings.attribution,
    settings.leadDateProperty,
    snapshot.now,
  ]);
  const insert = (table: string, columns: string) =>
    `INSERT INTO ${table} SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(${columns})`;
  await client.query(insert('campaign_property', 'ord int, name text'), [
    json(settings.campaignProperties.map((name, ord) => ({ ord, name }))),
  ]);
  await client.query(insert('counted_pipeline', 'id text'), [
    json([...new Set(settings.pipelines)].map((id) => ({ id }))),
  ]);
  await client.query(insert('stage', 'ord int, id text'), [
    json(snapshot.stageOrder.map((id, ord) => ({ ord, id }))),
  ]);
  await client.query(insert('contact_raw', 'id text, props jsonb'), [
    json(snapshot.contacts.map((c) => ({ id: c.id, props: c.properties }))),
  ]);
  await client.query(insert('deal_raw', 'id text, props jsonb, created_at text'), [
    json(snapshot.deals.map((d) => ({ id: d.id, props: d.properties, created_at: d.createdAt }))),
  ]);
  await client.query(insert('association', 'contact_id text, deal_id text'), [
    json(snapshot.associations.map((a) => ({ contact_id: a.contactId, deal_id: a.dealId }))),
  ]);
  await client.query(insert('hs_campaign', 'id text, name text'), [
    json([...snapshot.campaignNames].map(([id, name]) => ({ id, name }))),
  ]);
  await client.query(
    'ANALYZE setting, campaign_property, counted_pipeline, stage, contact_raw, deal_raw, association, hs_campaign',
  );
}

async function rows<T extends z.ZodType>(client: pg.Client, schema: T, sql: string): Promise<z.output<T>[]> {
  return (await client.query(sql)).rows.map((row) => schema.parse(row));
}

async function query(client: pg.Client): Promise<Expectations> {
  const campaigns = await rows(
    client,
    campaignRow,
    'SELECT campaign, lag_checked, figures FROM campaign_expected',
  );
  const contacts = await rows(client, contactRow, 'SELECT id, fields, status FROM contact_expected');
  const deals = await rows(client, dealRow, 'SELECT id, campaign, fields FROM deal_expected');
  return {
    campaigns: new Map(campaigns.map((c) => [c.campaign, { figures: c.figures, lagChecked: c.lag_checked }])),
    contacts: new Map(contacts.map((c) => [c.id, c.fields])),
    statuses: new Map(contacts.flatMap((c) => (c.status ? [[c.id, c.status] as const] : []))),
    deals: new Map(deals.map((d) => [d.id, d.fields])),
    dealCampaigns: new Map(deals.flatMap((d) => (d.campaign === null ? [] : [[d.id, d.campaign] as const]))),
  };
}

/** Loads the snapshot into a scratch PostgreSQL schema and reads what closeloop should show. */
export async function computeExpectations(
  snapshot: PortalSnapshot,
  settings: OracleSettings,
  databaseUrl?: string,
): Promise<Expectations> {
  assertNoNul(snapshot);
  return withScratchSchema(databaseUrl, async (client) => {
    await client.query(functionStatements());
    await client.query(TABLES);
    await client.query(LEAD_VIEWS);
    await client.query(EXPECTED_VIEWS);
    await load(client, snapshot, settings);
    return query(client);
  });
}
