import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { CampaignTotals } from '../../src/core/campaign-figures.ts';
import type { ContactRecord, DealRecord, Projection } from '../../src/store/projection.ts';
import { NAIVE_TOTALS_SQL, SCHEMA_SQL } from './naive-totals-sql.ts';
import { copyField, copyRows } from './pg-copy.ts';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A campaign's naive figures as PostgreSQL computed them; money exact, as numeric text. */
export interface SqlTotals {
  readonly campaign: string;
  readonly leads: number;
  readonly opportunities: number;
  readonly won: number;
  readonly lost: number;
  readonly open: number;
  readonly revenue: string;
  readonly won_deals: string;
}

export interface PostgresBaseline {
  readonly rows: { contacts: number; deals: number; associations: number };
  readonly loadSeconds: number;
  /** Runs the GROUP BY query once. */
  naiveTotals(): Promise<SqlTotals[]>;
  /** Drops the scratch schema and disconnects. */
  close(): Promise<void>;
}

/** Every record of one part of the projection, decoded. */
async function allRecords<T>(scan: AsyncGenerator<[string, T][]>): Promise<Map<string, T>> {
  const records = new Map<string, T>();
  for await (const slice of scan) for (const [id, record] of slice) records.set(id, record);
  return records;
}

function* contactRows(contacts: Map<string, ContactRecord>): Generator<string> {
  for (const [id, contact] of contacts) {
    yield [id, copyField(contact.campaign), copyField(contact.leadDate), copyField(contact.stage)].join('\t');
  }
}

function* dealRows(deals: Map<string, DealRecord>): Generator<string> {
  for (const [id, deal] of deals) {
    const fields = [deal.pipeline, deal.createdAt, deal.closedAt, deal.won, deal.lost, deal.amount];
    yield [id, ...fields.map(copyField)].join('\t');
  }
}

function* associationRows(deals: Map<string, DealRecord>): Generator<string> {
  for (const [id, deal] of deals) for (const contactId of deal.contactIds) yield `${contactId}\t${id}`;
}

async function load(client: pg.Client, view: Projection, stageOrder: readonly string[]) {
  const contacts = await allRecords(view.scanContacts());
  const deals = await allRecords(view.scanDeals());
  await client.query(SCHEMA_SQL);
  await copyRows(client, 'COPY contact FROM STDIN', contactRows(contacts));
  await copyRows(client, 'COPY deal FROM STDIN', dealRows(deals));
  await copyRows(client, 'COPY contact_deal FROM STDIN', associationRows(deals));
  await copyRows(
    client,
    'COPY stage_order FROM STDIN',
    stageOrder.map((stage, position) => `${copyField(stage)}\t${position}`),
  );
  await client.query('ANALYZE');
  const associations = [...deals.values()].reduce((sum, deal) => sum + deal.contactIds.length, 0);
  return { contacts: contacts.size, deals: deals.size, associations };
}

/**
 * The projection's contacts, deals and associations (read back from Redis) in a scratch schema of
 * the local PostgreSQL, loaded with COPY and analysed. Counted pipelines: all (none listed).
 * `work_mem` is raised to 256 MB so the aggregates hash in memory, as an analyst would set it.
 */
export async function postgresBaseline(
  view: Projection,
  stageOrder: readonly string[],
): Promise<PostgresBaseline> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const close = async () => {
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await client.end();
    }
  };
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`SET search_path TO ${schema}; SET work_mem = '256MB'`);
    const started = performance.now();
    const rows = await load(client, view, stageOrder);
    const loadSeconds = (performance.now() - started) / 1000;
    const naiveTotals = async () => (await client.query<SqlTotals>(NAIVE_TOTALS_SQL)).rows;
    return { rows, loadSeconds, naiveTotals, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface TotalsCheck {
  readonly campaigns: number;
  /** What differs, one line per difference; empty when everything is equal. */
  readonly differences: string[];
  /** Largest |closeloop − exact| revenue of a campaign, in cents. */
  readonly maxRevenueCents: number;
  /** Largest |closeloop − exact| won deals of a campaign. */
  readonly maxWonDeals: number;
}

/** Counts must be equal; revenue within half a cent of the exact sum; won deals within 1e-9. */
export function compareTotals(closeloop: readonly CampaignTotals[], sql: readonly SqlTotals[]): TotalsCheck {
  const differences: string[] = [];
  const byCampaign = new Map(closeloop.map((totals) => [totals.campaign, totals]));
  let maxRevenueCents = 0;
  let maxWonDeals = 0;
  for (const expected of sql) {
    const actual = byCampaign.get(expected.campaign);
    byCampaign.delete(expected.campaign);
    if (!actual) {
      differences.push(`${expected.campaign}: missing in closeloop`);
      continue;
    }
    for (const field of ['leads', 'opportunities', 'won', 'lost', 'open'] as const)
      if (actual[field] !== expected[field])
        differences.push(`${expected.campaign} ${field}: closeloop ${actual[field]}, SQL ${expected[field]}`);
    const cents = Math.abs(actual.revenue - Number(expected.revenue)) * 100;
    const deals = Math.abs(actual.wonDeals - Number(expected.won_deals));
    maxRevenueCents = Math.max(maxRevenueCents, cents);
    maxWonDeals = Math.max(maxWonDeals, deals);
    if (cents >= 0.5)
      differences.push(`${expected.campaign} revenue: closeloop ${actual.revenue}, SQL ${expected.revenue}`);
    if (deals > 1e-9)
      differences.push(
        `${expected.campaign} won deals: closeloop ${actual.wonDeals}, SQL ${expected.won_deals}`,
      );
  }
  for (const campaign of byCampaign.keys()) differences.push(`${campaign}: missing in SQL`);
  return { campaigns: sql.length, differences, maxRevenueCents, maxWonDeals };
}
