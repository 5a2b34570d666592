import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { client, seed, startTestSandbox } from './sandbox-test-helpers.ts';

let sandbox: RunningSandbox;
afterEach(() => sandbox.close());

const T0 = Date.UTC(2026, 3, 1, 9);
const iso = (ms: number) => new Date(ms).toISOString();

async function setUp() {
  sandbox = await startTestSandbox({ freezeClock: true, now: T0 });
  const call = client(sandbox);
  const ids = await seed(sandbox, {
    contacts: [{}, {}, {}],
    deals: [{}, {}],
    associations: [],
  });
  await seed(sandbox, { associations: [{ contactId: ids.contacts[0], dealId: ids.deals[0] }] });
  /** num_associated_* and the last-modified date of one record. */
  const read = async (type: 'contacts' | 'deals', id: string) => {
    const [count, modified] =
      type === 'contacts'
        ? ['num_associated_deals', 'lastmodifieddate']
        : ['num_associated_contacts', 'hs_lastmodifieddate'];
    const r = await call('GET', `/crm/v3/objects/${type}/${id}?properties=${count}`);
    if (r.status !== 200) return r.status;
    return [r.body.properties[count], r.body.properties[modified]];
  };
  const at = (ms: number) => call('POST', '/__sandbox/clock', { now: ms });
  return { call, read, at, c: ids.contacts as string[], d: ids.deals as string[] };
}

describe('association rollups', () => {
  it('defines num_associated_deals and num_associated_contacts as calculated read-only numbers', async () => {
    const { call } = await setUp();
    for (const [type, name] of [
      ['contacts', 'num_associated_deals'],
      ['deals', 'num_associated_contacts'],
    ]) {
      const one = await call('GET', `/crm/v3/properties/${type}/${name}`);
      expect(one.body).toMatchObject({
        name,
        type: 'number',
        calculated: true,
        hubspotDefined: true,
        modificationMetadata: { readOnlyValue: true, readOnlyDefinition: true },
      });
      const all = await call('GET', `/crm/v3/properties/${type}`);
      expect(all.body.results.map((p: { name: string }) => p.name)).toContain(name);
    }
  });

  it('counts links on single and batch association writes, moving the last-modified date', async () => {
    const { call, read, at, c, d } = await setUp();
    expect(await read('contacts', c[0] as string)).toEqual(['1', iso(T0)]);
    expect(await read('deals', d[0] as string)).toEqual(['1', iso(T0)]);
    // Never linked: HubSpot has no count for it yet.
    expect(await read('contacts', c[1] as string)).toEqual([null, iso(T0)]);
    const t1 = T0 + 60_000;
    await at(t1);
    await call('PUT', `/crm/v4/objects/contacts/${c[1]}/associations/default/deals/${d[0]}`);
    expect(await read('contacts', c[1] as string)).toEqual(['1', iso(t1)]);
    expect(await read('deals', d[0] as string)).toEqual(['2', iso(t1)]);
    expect(await read('contacts', c[0] as string)).toEqual(['1', iso(T0)]);
    const t2 = t1 + 60_000;
    await at(t2);
    const spec = [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 4 }];
    const created = await call('POST', '/crm/v4/associations/contacts/deals/batch/create', {
      inputs: d.map((deal) => ({ from: { id: c[2] }, to: { id: deal }, types: spec })),
    });
    expect(created.status).toBe(201);
    expect(await read('contacts', c[2] as string)).toEqual(['2', iso(t2)]);
    expect(await read('deals', d[0] as string)).toEqual(['3', iso(t2)]);
    expect(await read('deals', d[1] as string)).toEqual(['1', iso(t2)]);
    const t3 = t2 + 60_000;
    await at(t3);
    await call('DELETE', `/crm/v4/objects/deals/${d[0]}/associations/contacts/${c[1]}`);
    expect(await read('contacts', c[1] as string)).toEqual(['0', iso(t3)]);
    expect(await read('deals', d[0] as string)).toEqual(['2', iso(t3)]);
    await call('POST', '/crm/v4/associations/contacts/deals/batch/archive', {
      inputs: [{ from: { id: c[2] }, to: [{ id: d[1] }] }],
    });
    expect(await read('contacts', c[2] as string)).toEqual(['1', iso(t3)]);
    expect(await read('deals', d[1] as string)).toEqual(['0', iso(t3)]);
    // A repeated association changes nothing, so it modifies nothing.
    await at(t3 + 60_000);
    await call('PUT', `/crm/v4/objects/contacts/${c[0]}/associations/default/deals/${d[0]}`);
    expect(await read('deals', d[0] as string)).toEqual(['2', iso(t3)]);
  });

  it('follows deletion and restore of the other side, merges and GDPR deletion', async () => {
    const { call, read, at, c, d } = await setUp();
    await call('PUT', `/crm/v4/objects/contacts/${c[2]}/associations/default/deals/${d[0]}`);
    const t1 = T0 + 3_600_000;
    await at(t1);
    await call('DELETE', `/crm/v3/objects/deals/${d[0]}`);
    expect(await read('contacts', c[0] as string)).toEqual(['0', iso(t1)]);
    expect(await read('contacts', c[2] as string)).toEqual(['0', iso(t1)]);
    const t2 = t1 + 3_600_000;
    await at(t2);
    await call('POST', '/__sandbox/restore', { objectType: 'deals', id: d[0] });
    expect(await read('contacts', c[0] as string)).toEqual(['1', iso(t2)]);
    expect(await read('deals', d[0] as string)).toEqual(['2', iso(t2)]);
    const t3 = t2 + 3_600_000;
    await at(t3);
    const merged = await call('POST', '/crm/v3/objects/contacts/merge', {
      primaryObjectId: c[0],
      objectIdToMerge: c[2],
    });
    // Both merged contacts were linked to the same deal: one link remains on each side.
    expect(await read('contacts', merged.body.id)).toEqual(['1', iso(t3)]);
    expect(await read('deals', d[0] as string)).toEqual(['1', iso(t3)]);
    const t4 = t3 + 3_600_000;
    await at(t4);
    await call('POST', '/crm/v3/objects/contacts/gdpr-delete', { objectId: merged.body.id });
    expect(await read('deals', d[0] as string)).toEqual(['0', iso(t4)]);
  });

  it('links made on create count too, and the counts are searchable', async () => {
    const { call, c, d } = await setUp();
    const deal = await call('POST', '/crm/v3/objects/deals?properties=num_associated_contacts', {
      properties: { dealname: 'Linked at birth' },
      associations: [c[1], c[2]].map((id) => ({
        to: { id },
        types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }],
      })),
    });
    expect(deal.status).toBe(201);
    const search = async (type: string, body: unknown) =>
      (await call('POST', `/crm/v3/objects/${type}/search`, body)).body.results.map(
        (r: { id: string }) => r.id,
      );
    const filter = (propertyName: string, operator: string, value: string) => ({
      filterGroups: [{ filters: [{ propertyName, operator, value }] }],
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
    });
    expect(await search('deals', filter('num_associated_contacts', 'EQ', '2'))).toEqual([deal.body.id]);
    expect(await search('deals', filter('num_associated_contacts', 'GT', '0'))).toEqual([d[0], deal.body.id]);
    expect(await search('contacts', filter('num_associated_deals', 'GTE', '1'))).toEqual(c);
    const read = await call('GET', `/crm/v3/objects/contacts/${c[1]}?properties=num_associated_deals`);
    expect(read.body.properties.num_associated_deals).toBe('1');
  });

  it('refuses writes like any read-only property, and seeding cannot set them either', async () => {
    const { call, c } = await setUp();
    const patched = await call('PATCH', `/crm/v3/objects/contacts/${c[0]}`, {
      properties: { num_associated_deals: '5' },
    });
    expect([patched.status, patched.body.message]).toEqual([400, expect.stringContaining('READ_ONLY_VALUE')]);
    const created = await call('POST', '/crm/v3/objects/deals', {
      properties: { num_associated_contacts: '1' },
    });
    expect([created.status, created.body.message]).toEqual([400, expect.stringContaining('READ_ONLY_VALUE')]);
    const seeded = await seed(sandbox, { contacts: [{ properties: { num_associated_deals: '9' } }] });
    const read = await call(
      'GET',
      `/crm/v3/objects/contacts/${seeded.contacts[0]}?properties=num_associated_deals`,
    );
    expect(read.body.properties.num_associated_deals).toBeNull();
  });
});
