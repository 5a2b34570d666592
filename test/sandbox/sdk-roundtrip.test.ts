import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { startTestSandbox } from './sandbox-test-helpers.ts';

const TOKEN = 'pat-sandbox-test';
let sandbox: RunningSandbox;
let hubspot: Client;

beforeAll(async () => {
  sandbox = await startTestSandbox({ accessToken: TOKEN, requestsPer10s: 1000, dailyLimit: 100_000 });
  hubspot = new Client({ accessToken: TOKEN, basePath: sandbox.url, numberOfApiCallRetries: 0 });
});
afterAll(() => sandbox.close());

/** What @hubspot/api-client v14 throws for a non-2xx answer. */
type ApiFailure = {
  code: number;
  body: { category: string; message: string };
  headers: Record<string, string>;
};

async function apiError(promise: Promise<unknown>): Promise<ApiFailure> {
  try {
    await promise;
  } catch (error) {
    return error as ApiFailure;
  }
  throw new Error('expected the call to fail');
}

describe('@hubspot/api-client v14 against the sandbox', () => {
  it('creates properties and groups, and lists them', async () => {
    const group = await hubspot.crm.properties.groupsApi.create('contacts', {
      name: 'closeloop',
      label: 'closeloop',
    });
    expect(group.name).toBe('closeloop');
    const created = await hubspot.crm.properties.coreApi.create('contacts', {
      name: 'closeloop_lead_score',
      label: 'Lead score',
      type: 'number' as never,
      fieldType: 'number' as never,
      groupName: 'closeloop',
    });
    expect(created.modificationMetadata?.readOnlyValue).toBe(false);
    await hubspot.crm.properties.groupsApi.create('deals', { name: 'closeloop', label: 'closeloop' });
    const batch = await hubspot.crm.properties.batchApi.create('deals', {
      inputs: [
        {
          name: 'closeloop_campaign',
          label: 'Campaign',
          type: 'string' as never,
          fieldType: 'text' as never,
          groupName: 'closeloop',
        },
      ],
    });
    expect(batch.results.map((p) => p.name)).toEqual(['closeloop_campaign']);
    const all = await hubspot.crm.properties.coreApi.getAll('contacts');
    expect(all.results.map((p) => p.name)).toEqual(
      expect.arrayContaining(['lifecyclestage', 'hs_analytics_source', 'closeloop_lead_score']),
    );
    const groups = await hubspot.crm.properties.groupsApi.getAll('deals');
    expect(groups.results.map((g) => g.name)).toContain('closeloop');
    const again = await apiError(
      hubspot.crm.properties.coreApi.create('contacts', {
        ...created,
        type: 'number' as never,
        fieldType: 'number' as never,
        groupName: 'closeloop',
      }),
    );
    expect([again.code, again.body.category]).toEqual([409, 'OBJECT_ALREADY_EXISTS']);
  });

  it('round-trips contacts and deals through the basic, batch and search APIs', async () => {
    const contact = await hubspot.crm.contacts.basicApi.create({
      properties: { email: 'ada@example.com', lifecyclestage: 'lead' },
      associations: [],
    });
    const updated = await hubspot.crm.contacts.basicApi.update(contact.id, {
      properties: { closeloop_lead_score: '87' },
    });
    expect(updated.properties.closeloop_lead_score).toBe('87');
    const deal = await hubspot.crm.deals.basicApi.create({
      properties: { dealname: 'Big', amount: '1200', dealstage: 'closedwon' },
      associations: [],
    });
    await hubspot.crm.deals.basicApi.update(deal.id, { properties: { closeloop_campaign: 'spring' } });
    const created = await hubspot.crm.contacts.batchApi.create({
      inputs: [
        { properties: { email: 'b@example.com' }, associations: [] },
        { properties: { email: 'c@example.com' }, associations: [] },
      ],
    });
    const ids = created.results.map((r) => r.id);
    await hubspot.crm.contacts.batchApi.update({
      inputs: ids.map((id) => ({ id, properties: { firstname: 'Batch' } })),
    });
    const read = await hubspot.crm.contacts.batchApi.read({
      inputs: [contact.id, ...ids].map((id) => ({ id })),
      properties: ['firstname', 'email'],
      propertiesWithHistory: [],
    });
    expect(read.results.map((r) => r.properties.email).sort()).toEqual([
      'ada@example.com',
      'b@example.com',
      'c@example.com',
    ]);
    const deals = await hubspot.crm.deals.batchApi.create({
      inputs: [{ properties: { dealname: 'Two', dealstage: 'closedlost' }, associations: [] }],
    });
    await hubspot.crm.deals.batchApi.update({
      inputs: [{ id: deals.results[0]?.id ?? '', properties: { amount: '10' } }],
    });
    const dealRead = await hubspot.crm.deals.batchApi.read({
      inputs: [{ id: deal.id }],
      properties: ['hs_is_closed_won', 'amount_in_home_currency'],
      propertiesWithHistory: [],
    });
    expect(dealRead.results[0]?.properties).toMatchObject({
      hs_is_closed_won: 'true',
      amount_in_home_currency: '1200',
    });
    const found = await hubspot.crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'firstname', operator: 'EQ' as never, value: 'Batch' }] }],
      sorts: ['-hs_object_id'],
      properties: ['email'],
      limit: 1,
      after: '0',
    });
    expect([found.total, found.results[0]?.id, found.paging?.next?.after]).toEqual([2, ids[1], '1']);
    const wonDeals = await hubspot.crm.deals.searchApi.doSearch({
      filterGroups: [
        { filters: [{ propertyName: 'hs_is_closed_won', operator: 'EQ' as never, value: 'true' }] },
      ],
      sorts: [],
      properties: ['dealname'],
      limit: 10,
      after: '0',
    });
    expect(wonDeals.results.map((r) => r.properties.dealname)).toEqual(['Big']);
    const page = await hubspot.crm.contacts.basicApi.getPage(2, undefined, ['email']);
    const next = await hubspot.crm.contacts.basicApi.getPage(2, page.paging?.next?.after, ['email']);
    expect([page.results.length, next.results.length]).toEqual([2, 1]);
    const dealPage = await hubspot.crm.deals.basicApi.getPage(10);
    expect(dealPage.results).toHaveLength(2);
    await hubspot.crm.contacts.basicApi.archive(ids[0] ?? '');
    await hubspot.crm.deals.basicApi.archive(deals.results[0]?.id ?? '');
    const gone = await apiError(hubspot.crm.contacts.basicApi.getById(ids[0] ?? ''));
    expect(gone.code).toBe(404);
  });

  it('reports a 207 as a result with errors and failures as ApiException', async () => {
    const partial = await hubspot.crm.contacts.batchApi.read({
      inputs: [{ id: '424242' }],
      properties: [],
      propertiesWithHistory: [],
    });
    expect(partial).toMatchObject({
      numErrors: 1,
      errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['424242'] } }],
    });
    const refused = await apiError(
      hubspot.crm.contacts.basicApi.create({
        properties: { hs_analytics_source: 'OFFLINE' },
        associations: [],
      }),
    );
    expect([refused.code, refused.body.category]).toEqual([400, 'VALIDATION_ERROR']);
    expect(refused.body.message).toContain('READ_ONLY_VALUE');
    expect(refused.headers['x-hubspot-ratelimit-max']).toBe('1000');
    const stranger = new Client({ accessToken: 'wrong', basePath: sandbox.url, numberOfApiCallRetries: 0 });
    const denied = await apiError(stranger.crm.contacts.basicApi.getPage());
    expect([denied.code, denied.body.category]).toEqual([401, 'INVALID_AUTHENTICATION']);
  });

  it('associates, pages associations, merges and reads pipelines and account details', async () => {
    const { results: contacts } = await hubspot.crm.contacts.batchApi.create({
      inputs: [1, 2].map((i) => ({ properties: { email: `m${i}@example.com` }, associations: [] })),
    });
    const { results: deals } = await hubspot.crm.deals.batchApi.create({
      inputs: [1, 2, 3].map((i) => ({ properties: { dealname: `D${i}` }, associations: [] })),
    });
    const [first, second] = contacts.map((c) => c.id);
    for (const deal of deals)
      await hubspot.crm.associations.v4.basicApi.createDefault('contacts', first ?? '', 'deals', deal.id);
    await hubspot.crm.associations.v4.basicApi.createDefault(
      'deals',
      deals[0]?.id ?? '',
      'contacts',
      second ?? '',
    );
    // Two per page, so the three deals need a second page through the input's own `after`.
    sandbox.options.associationPageSize = 2;
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await hubspot.crm.associations.v4.batchApi.getPage('contacts', 'deals', {
        inputs: [{ id: first ?? '', ...(after ? { after } : {}) }],
      });
      const result = page.results[0];
      seen.push(...(result?.to.map((t) => String(t.toObjectId)) ?? []));
      after = result?.paging?.next?.after;
    } while (after);
    expect(seen.sort()).toEqual(deals.map((d) => d.id).sort());
    await hubspot.crm.associations.v4.basicApi.archive('contacts', first ?? '', 'deals', deals[2]?.id ?? '');
    const merged = await hubspot.crm.contacts.basicApi.merge({
      primaryObjectId: first ?? '',
      objectIdToMerge: second ?? '',
    });
    expect([first, second]).not.toContain(merged.id);
    const viaOldId = await hubspot.crm.contacts.basicApi.getById(second ?? '', undefined, undefined, [
      'deals',
    ]);
    expect(viaOldId.id).toBe(merged.id);
    expect(viaOldId.associations?.deals?.results.map((r) => r.id).sort()).toEqual(
      [deals[0]?.id, deals[1]?.id].sort(),
    );
    const pipelines = await hubspot.crm.pipelines.pipelinesApi.getAll('deals');
    const won = pipelines.results.find((p) => p.id === 'default')?.stages.find((s) => s.id === 'closedwon');
    expect(won?.metadata).toEqual({ isClosed: 'true', probability: '1.0' });
    const response = await hubspot.apiRequest({ method: 'GET', path: '/account-info/v3/details' });
    expect(await response.json()).toMatchObject({ timeZone: 'America/New_York', companyCurrency: 'USD' });
  });
});
