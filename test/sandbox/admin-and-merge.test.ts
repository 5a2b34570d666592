import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { client, seed, startTestSandbox } from './sandbox-test-helpers.ts';

let sandbox: RunningSandbox;
afterEach(() => sandbox.close());

describe('admin seeding', () => {
  it('seeds 100k contacts with read-only properties in a few seconds', async () => {
    sandbox = await startTestSandbox();
    const call = client(sandbox);
    const contacts = Array.from({ length: 100_000 }, (_, i) => ({
      properties: {
        email: `lead${i}@example.com`,
        createdate: String(Date.UTC(2025, 0, 1) + i * 60_000),
        lifecyclestage: 'customer',
        hs_v2_date_entered_customer: '2025-06-01T00:00:00Z',
        hs_analytics_source: 'PAID_SEARCH',
        hs_analytics_source_data_1: `campaign-${i % 7}`,
      },
    }));
    const started = Date.now();
    const result = await seed(sandbox, { contacts });
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(result.contacts).toHaveLength(100_000);
    const read = await call(
      'GET',
      `/crm/v3/objects/contacts/${result.contacts[99_999]}?properties=hs_analytics_source,hs_analytics_source_data_1,hs_v2_date_entered_customer,lifecyclestage`,
    );
    expect(read.body.properties).toMatchObject({
      createdate: new Date(Date.UTC(2025, 0, 1) + 99_999 * 60_000).toISOString(),
      hs_analytics_source: 'PAID_SEARCH',
      hs_analytics_source_data_1: 'campaign-4',
      hs_v2_date_entered_customer: '2025-06-01T00:00:00.000Z',
      lifecyclestage: 'customer',
    });
  }, 30_000);

  it('refuses the whole seed when any record is invalid, and takes explicit ids and associations', async () => {
    sandbox = await startTestSandbox();
    const call = client(sandbox);
    const bad = await call('POST', '/__sandbox/seed', {
      contacts: [{ properties: { email: 'ok@example.com' } }, { properties: { no_such: 'x' } }],
    });
    expect([bad.status, sandbox.stats().records.contacts]).toEqual([400, 0]);
    const ok = await seed(sandbox, {
      contacts: [{ id: 5, properties: {} }],
      deals: [{ id: '6', properties: { dealstage: 'closedwon' } }],
      associations: [{ contactId: 5, dealId: 6 }],
    });
    expect(ok).toMatchObject({ contacts: ['5'], deals: ['6'] });
    const linked = await call('GET', '/crm/v4/objects/contacts/5/associations/deals');
    expect(linked.body.results.map((r: { toObjectId: string }) => r.toObjectId)).toEqual(['6']);
    const next = await call('POST', '/crm/v3/objects/contacts', { properties: {} });
    expect(Number(next.body.id)).toBeGreaterThan(6);
  });
});

describe('merge, deletion and restore', () => {
  it('merges into a new id that both old ids resolve to, keeping the furthest stage and all associations', async () => {
    sandbox = await startTestSandbox();
    const call = client(sandbox);
    const { contacts, deals } = await seed(sandbox, {
      contacts: [
        {
          properties: { email: 'p@example.com', lifecyclestage: 'lead', createdate: '2024-05-01T00:00:00Z' },
        },
        {
          properties: {
            email: 's@example.com',
            firstname: 'Sam',
            lifecyclestage: 'opportunity',
            createdate: '2024-01-01T00:00:00Z',
          },
        },
      ],
      deals: [{}, {}],
    });
    const [primary, secondary] = contacts as [string, string];
    await seed(sandbox, {
      associations: [
        { contactId: primary, dealId: deals[0] },
        { contactId: secondary, dealId: deals[1] },
      ],
    });
    const merged = await call('POST', '/crm/v3/objects/contacts/merge', {
      primaryObjectId: primary,
      objectIdToMerge: secondary,
    });
    expect(merged.status).toBe(200);
    const id = merged.body.id;
    expect([primary, secondary]).not.toContain(id);
    const props = 'email,firstname,lifecyclestage,hs_merged_object_ids,hs_v2_date_entered_opportunity';
    for (const old of [primary, secondary]) {
      const read = await call(
        'GET',
        `/crm/v3/objects/contacts/${old}?properties=${props}&associations=deals`,
      );
      expect(read.body.id).toBe(id);
      expect(read.body.properties).toMatchObject({
        email: 'p@example.com',
        firstname: 'Sam',
        lifecyclestage: 'opportunity',
        createdate: '2024-01-01T00:00:00.000Z',
      });
      expect(read.body.properties.hs_merged_object_ids.split(';').sort()).toEqual(
        [primary, secondary].sort(),
      );
      expect(read.body.associations.deals.results.map((r: { id: string }) => r.id).sort()).toEqual(
        [...deals].sort(),
      );
    }
    const batch = await call('POST', '/crm/v3/objects/contacts/batch/read', {
      inputs: [{ id: primary }, { id: secondary }],
    });
    expect([batch.status, batch.body.results.map((r: { id: string }) => r.id)]).toEqual([200, [id]]);
    const listed = await call('GET', '/crm/v3/objects/contacts');
    expect(listed.body.results.map((r: { id: string }) => r.id)).toEqual([id]);
    const dealSide = await call('POST', '/crm/v4/associations/deals/contacts/batch/read', {
      inputs: deals.map((d) => ({ id: d })),
    });
    expect(dealSide.body.results.map((r: { to: { toObjectId: string }[] }) => r.to[0]?.toObjectId)).toEqual([
      id,
      id,
    ]);
  });

  it('archives to the recycle bin (restorable) while GDPR deletion is final', async () => {
    sandbox = await startTestSandbox();
    const call = client(sandbox);
    const { contacts } = await seed(sandbox, {
      contacts: [{ properties: { email: 'bin@example.com' } }, { properties: { email: 'gdpr@example.com' } }],
    });
    await call('DELETE', `/crm/v3/objects/contacts/${contacts[0]}`);
    expect((await call('GET', `/crm/v3/objects/contacts/${contacts[0]}`)).status).toBe(404);
    const archived = await call('GET', `/crm/v3/objects/contacts/${contacts[0]}?archived=true`);
    expect(archived.body).toMatchObject({ archived: true, archivedAt: expect.any(String) });
    expect((await call('POST', '/__sandbox/restore', { objectType: '0-1', id: contacts[0] })).status).toBe(
      200,
    );
    expect((await call('GET', `/crm/v3/objects/contacts/${contacts[0]}`)).body.archived).toBe(false);
    await call('POST', '/crm/v3/objects/contacts/gdpr-delete', {
      objectId: 'gdpr@example.com',
      idProperty: 'email',
    });
    expect((await call('GET', `/crm/v3/objects/contacts/${contacts[1]}?archived=true`)).status).toBe(404);
    expect(
      (await call('POST', '/__sandbox/restore', { objectType: 'contacts', id: contacts[1] })).status,
    ).toBe(404);
  });
});

describe('clock, stats and reset', () => {
  it('sets and advances the clock, and reset brings everything back', async () => {
    sandbox = await startTestSandbox();
    const call = client(sandbox);
    const set = await call('POST', '/__sandbox/clock', { now: '2025-12-31T23:00:00Z' });
    expect(set.body.iso.slice(0, 16)).toBe('2025-12-31T23:00');
    const advanced = await call('POST', '/__sandbox/clock', { advanceMs: 3_600_000 });
    expect(advanced.body.iso.slice(0, 13)).toBe('2026-01-01T00');
    const created = await call('POST', '/crm/v3/objects/deals', { properties: {} });
    expect(created.body.createdAt.slice(0, 13)).toBe('2026-01-01T00');
    await call('GET', `/crm/v3/objects/0-3/${created.body.id}`);
    expect((await call('GET', '/__sandbox/stats')).body).toEqual({
      calls: { 'GET /crm/v3/objects/deals/{id}': { '200': 1 }, 'POST /crm/v3/objects/deals': { '201': 1 } },
      webhooks: { delivered: 0, failed: 0, pending: 0 },
      records: { contacts: 0, deals: 1 },
      writes: {},
    });
    await call('POST', '/__sandbox/reset');
    expect(sandbox.stats()).toEqual({
      calls: {},
      webhooks: { delivered: 0, failed: 0, pending: 0 },
      records: { contacts: 0, deals: 0 },
      writes: {},
    });
    expect(Math.abs(sandbox.clock.now() - Date.now())).toBeLessThan(5_000);
    expect((await call('POST', '/crm/v3/objects/deals', { properties: {} })).body.id).toBe(created.body.id);
  });
});
