import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { client, startTestSandbox } from './sandbox-test-helpers.ts';

let sandbox: RunningSandbox;
afterEach(() => sandbox.close());

/** The list inside HubSpot's "Property values were not valid: [...]" message. */
function problems(body: { message: string }): { name: string; error: string }[] {
  return JSON.parse(body.message.replace('Property values were not valid: ', ''));
}

describe('property rules on records', () => {
  it('rejects unknown and read-only properties in one HubSpot VALIDATION_ERROR, writing nothing', async () => {
    sandbox = await startTestSandbox();
    const call = client(sandbox);
    const refused = await call('POST', '/crm/v3/objects/contacts', {
      properties: {
        email: 'a@example.com',
        favourite_colour: 'blue',
        hs_analytics_source: 'OFFLINE',
        hs_v2_date_entered_lead: '2024-01-01',
        lastmodifieddate: '2024-01-01',
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      status: 'error',
      category: 'VALIDATION_ERROR',
      correlationId: expect.any(String),
    });
    expect(problems(refused.body).map((p) => [p.name, p.error])).toEqual([
      ['favourite_colour', 'PROPERTY_DOESNT_EXIST'],
      ['hs_analytics_source', 'READ_ONLY_VALUE'],
      ['hs_v2_date_entered_lead', 'READ_ONLY_VALUE'],
      ['lastmodifieddate', 'READ_ONLY_VALUE'],
    ]);
    expect(problems(refused.body)[0]).toMatchObject({
      isValid: false,
      message: 'Property "favourite_colour" does not exist',
    });
    const deal = await call('POST', '/crm/v3/objects/deals', {
      properties: { hs_is_closed_won: 'true', amount_in_home_currency: '5', hs_object_id: '9' },
    });
    expect(problems(deal.body).map((p) => p.error)).toEqual([
      'READ_ONLY_VALUE',
      'READ_ONLY_VALUE',
      'READ_ONLY_VALUE',
    ]);
    expect(sandbox.stats().records).toEqual({ contacts: 0, deals: 0 });
  });

  it('validates enumerations, numbers and stages against their pipeline', async () => {
    sandbox = await startTestSandbox();
    const call = client(sandbox);
    const badStage = await call('POST', '/crm/v3/objects/contacts', {
      properties: { lifecyclestage: 'prospect' },
    });
    expect(problems(badStage.body)).toMatchObject([{ name: 'lifecyclestage', error: 'INVALID_OPTION' }]);
    const badAmount = await call('POST', '/crm/v3/objects/deals', { properties: { amount: 'lots' } });
    expect(problems(badAmount.body)).toMatchObject([{ name: 'amount', error: 'INVALID_DECIMAL' }]);
    const wrongPipeline = await call('POST', '/crm/v3/objects/deals', {
      properties: { pipeline: '781236450', dealstage: 'closedwon' },
    });
    expect(problems(wrongPipeline.body)).toMatchObject([{ name: 'dealstage', error: 'INVALID_OPTION' }]);
    const renewal = await call('POST', '/crm/v3/objects/deals', {
      properties: { pipeline: '781236450', dealstage: '781236454', amount: 300 },
    });
    const read = await call(
      'GET',
      `/crm/v3/objects/deals/${renewal.body.id}?properties=hs_is_closed,hs_is_closed_won,hs_is_closed_lost,amount_in_home_currency`,
    );
    expect(read.body.properties).toMatchObject({
      hs_is_closed: 'true',
      hs_is_closed_won: 'false',
      hs_is_closed_lost: 'true',
      amount_in_home_currency: '300',
    });
    const moved = await call('PATCH', `/crm/v3/objects/deals/${renewal.body.id}`, {
      properties: { pipeline: 'default' },
    });
    expect(problems(moved.body)).toMatchObject([{ name: 'dealstage' }]);
  });

  it('keeps createdate and closedate as given and HubSpot datetimes on output', async () => {
    sandbox = await startTestSandbox({ freezeClock: true, now: Date.UTC(2026, 4, 1, 9) });
    const call = client(sandbox);
    const deal = await call('POST', '/crm/v3/objects/deals', {
      properties: {
        dealname: 'Old',
        createdate: '2025-02-03T04:05:06.789Z',
        closedate: '1740960000000',
        dealstage: 'closedwon',
      },
    });
    const read = await call(
      'GET',
      `/crm/v3/objects/deals/${deal.body.id}?properties=closedate,pipeline,hs_is_closed`,
    );
    expect(read.body.properties).toEqual({
      createdate: '2025-02-03T04:05:06.789Z',
      closedate: '2025-03-03T00:00:00.000Z',
      hs_lastmodifieddate: '2026-05-01T09:00:00.000Z',
      hs_object_id: deal.body.id,
      pipeline: 'default',
      hs_is_closed: 'true',
    });
    expect(read.body.createdAt).toBe('2025-02-03T04:05:06.789Z');
  });

  it('stamps lifecycle entry dates, v2 names by default and legacy names on request', async () => {
    for (const [mode, property, absent] of [
      ['v2', 'hs_v2_date_entered_opportunity', 'hs_lifecyclestage_opportunity_date'],
      ['legacy', 'hs_lifecyclestage_opportunity_date', 'hs_v2_date_entered_opportunity'],
    ] as const) {
      sandbox = await startTestSandbox({
        lifecycleDates: mode,
        freezeClock: true,
        now: Date.UTC(2026, 1, 1),
      });
      const call = client(sandbox);
      const contact = await call('POST', '/crm/v3/objects/contacts', {
        properties: { lifecyclestage: 'lead' },
      });
      sandbox.clock.advance(86_400_000);
      await call('PATCH', `/crm/v3/objects/contacts/${contact.body.id}`, {
        properties: { lifecyclestage: 'opportunity' },
      });
      const read = await call(
        'GET',
        `/crm/v3/objects/contacts/${contact.body.id}?properties=${property},${absent}`,
      );
      expect(read.body.properties[property]).toBe('2026-02-02T00:00:00.000Z');
      expect(read.body.properties).not.toHaveProperty(absent);
      const definition = await call('GET', `/crm/v3/properties/contacts/${property}`);
      expect(definition.body).toMatchObject({
        type: 'datetime',
        modificationMetadata: { readOnlyValue: true },
      });
      expect((await call('GET', `/crm/v3/properties/contacts/${absent}`)).status).toBe(404);
      await sandbox.close();
    }
    sandbox = await startTestSandbox();
  });

  it('makes created properties writable and lists HubSpot default lifecycle options in order', async () => {
    sandbox = await startTestSandbox();
    const call = client(sandbox);
    const before = await call('POST', '/crm/v3/objects/contacts', {
      properties: { closeloop_lead_grade: 'A' },
    });
    expect(problems(before.body)).toMatchObject([{ error: 'PROPERTY_DOESNT_EXIST' }]);
    const noGroup = await call('POST', '/crm/v3/properties/contacts', {
      name: 'closeloop_lead_grade',
      label: 'Grade',
      type: 'string',
      fieldType: 'text',
      groupName: 'closeloop',
    });
    expect(noGroup.status).toBe(400);
    await call('POST', '/crm/v3/properties/contacts/groups', { name: 'closeloop', label: 'closeloop' });
    await call('POST', '/crm/v3/properties/contacts', {
      name: 'closeloop_lead_grade',
      label: 'Grade',
      type: 'enumeration',
      fieldType: 'select',
      groupName: 'closeloop',
      options: ['A', 'B'].map((v) => ({ label: v, value: v, hidden: false })),
    });
    expect(
      (await call('POST', '/crm/v3/objects/contacts', { properties: { closeloop_lead_grade: 'A' } })).status,
    ).toBe(201);
    expect(
      (await call('POST', '/crm/v3/objects/contacts', { properties: { closeloop_lead_grade: 'E' } })).status,
    ).toBe(400);
    const lifecycle = await call('GET', '/crm/v3/properties/contacts/lifecyclestage');
    expect(lifecycle.body.options.map((o: { value: string }) => o.value)).toEqual([
      'subscriber',
      'lead',
      'marketingqualifiedlead',
      'salesqualifiedlead',
      'opportunity',
      'customer',
      'evangelist',
      'other',
    ]);
    const source = await call('GET', '/crm/v3/properties/contacts/hs_analytics_source');
    expect(source.body.options.map((o: { value: string }) => o.value)).toEqual([
      'ORGANIC_SEARCH',
      'PAID_SEARCH',
      'EMAIL_MARKETING',
      'SOCIAL_MEDIA',
      'REFERRALS',
      'OTHER_CAMPAIGNS',
      'DIRECT_TRAFFIC',
      'OFFLINE',
      'PAID_SOCIAL',
    ]);
  });

  it('answers a malformed body with HubSpot 400 shape', async () => {
    sandbox = await startTestSandbox();
    const call = client(sandbox);
    const broken = await call('POST', '/crm/v3/objects/contacts/batch/read', '{"inputs": [');
    const wrongShape = await call('POST', '/crm/v3/objects/contacts/batch/read', { inputs: 'all' });
    for (const r of [broken, wrongShape]) {
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
      expect(r.body.message).toMatch(/^Invalid input JSON/);
    }
  });

  it('keeps contact emails unique, as HubSpot does, and finds contacts by email', async () => {
    sandbox = await startTestSandbox();
    const call = client(sandbox);
    const first = await call('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'Ada@Example.com' },
    });
    const again = await call('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'ada@example.com' },
    });
    expect([again.status, again.body.category, again.body.message]).toEqual([
      409,
      'CONFLICT',
      `Contact already exists. Existing ID: ${first.body.id}`,
    ]);
    const inBatch = await call('POST', '/crm/v3/objects/contacts/batch/create', {
      inputs: [{ properties: { email: 'x@example.com' } }, { properties: { email: 'X@example.com' } }],
    });
    expect(inBatch.status).toBe(409);
    const other = await call('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'bob@example.com' },
    });
    expect(
      (
        await call('PATCH', `/crm/v3/objects/contacts/${other.body.id}`, {
          properties: { email: 'ada@example.com' },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await call('PATCH', `/crm/v3/objects/contacts/${other.body.id}`, {
          properties: { email: 'robert@example.com' },
        })
      ).status,
    ).toBe(200);
    expect(
      (await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'bob@example.com' } })).status,
    ).toBe(201);
    const byEmail = await call('POST', '/crm/v3/objects/contacts/batch/read', {
      idProperty: 'email',
      inputs: [{ id: 'ada@example.com' }, { id: 'robert@example.com' }],
      properties: ['email'],
    });
    expect(byEmail.body.results.map((r: { id: string }) => r.id).sort()).toEqual(
      [first.body.id, other.body.id].sort(),
    );
    const merged = await call('POST', '/crm/v3/objects/contacts/merge', {
      primaryObjectId: first.body.id,
      objectIdToMerge: other.body.id,
    });
    const reused = await call('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'robert@example.com' },
    });
    expect(reused.body.message).toBe(`Contact already exists. Existing ID: ${merged.body.id}`);
    await call('POST', '/crm/v3/objects/contacts/gdpr-delete', {
      objectId: 'ada@example.com',
      idProperty: 'email',
    });
    expect(
      (await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'ada@example.com' } })).status,
    ).toBe(201);
  });
});
