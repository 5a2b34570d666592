import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { schemaProblems } from './openapi-validator.ts';
import { type CallResult, client, seed, startTestSandbox } from './sandbox-test-helpers.ts';

const SPRING = '9dbec438-53e2-4b28-8c0f-38f56574a6e8';
const OTHER = '0b6d3f3e-8d4e-4c1b-9a57-2f4f0c2d1e11';
const SPEC_PATH = '/marketing/v3/campaigns/{campaignGuid}/reports/revenue';
const PATH = `/marketing/v3/campaigns/${SPRING}/reports/revenue`;

let sandbox: RunningSandbox;
afterEach(() => sandbox.close());

function valid(result: CallResult): CallResult {
  expect(schemaProblems('marketing-campaigns-v3', 'GET', SPEC_PATH, result.status, result.body)).toEqual([]);
  return result;
}

/** A: first and last touch Spring; B: first Other, last Spring; C: no campaign. */
async function setUp() {
  sandbox = await startTestSandbox({ currency: 'EUR' });
  const call = client(sandbox);
  const touch = (first: string, last: string) => ({
    properties: {
      hs_analytics_first_touch_converting_campaign: first,
      hs_analytics_last_touch_converting_campaign: last,
    },
  });
  const won = (amount: string, closedate: string) => ({
    properties: { amount, closedate, dealstage: 'closedwon' },
  });
  const { contacts, deals } = await seed(sandbox, {
    campaigns: [
      { id: SPRING, name: 'Spring' },
      { id: OTHER, name: 'Other' },
    ],
    contacts: [touch(SPRING, SPRING), touch(OTHER, SPRING), {}],
    deals: [
      won('1000', '2026-03-10T12:00:00Z'),
      won('600', '2026-04-10T12:00:00Z'),
      { properties: { amount: '999', dealstage: 'qualifiedtobuy', closedate: '2026-03-01T00:00:00Z' } },
    ],
  });
  const [a, b, c] = contacts;
  const [d1, d2, open] = deals;
  await seed(sandbox, {
    associations: [
      { contactId: a, dealId: d1 },
      { contactId: b, dealId: d2 },
      { contactId: c, dealId: d2 },
      { contactId: a, dealId: open },
    ],
  });
  return call;
}

describe('campaign revenue report', () => {
  it('credits won deal revenue by attribution model, in the company currency', async () => {
    const call = await setUp();
    const linear = valid(await call('GET', PATH));
    // Deal 1 is all Spring's; deal 2 is split over two contacts, and B gives Spring half of hers.
    expect(linear.body).toEqual({
      contactsNumber: 2,
      dealsNumber: 2,
      dealAmount: 1600,
      revenueAmount: 1150,
      currencyCode: 'EUR',
    });
    const first = valid(await call('GET', `${PATH}?attributionModel=FIRST_INTERACTION`)).body;
    expect([first.contactsNumber, first.dealsNumber, first.revenueAmount]).toEqual([1, 1, 1000]);
    const last = valid(await call('GET', `${PATH}?attributionModel=LAST_INTERACTION`)).body;
    expect([last.contactsNumber, last.dealsNumber, last.revenueAmount]).toEqual([2, 2, 1300]);
  });

  it('bounds the close dates inclusively and refuses bad parameters and unknown campaigns', async () => {
    const call = await setUp();
    const april = valid(await call('GET', `${PATH}?startDate=2026-04-01`)).body;
    expect([april.dealsNumber, april.dealAmount, april.revenueAmount]).toEqual([1, 600, 150]);
    const march = valid(await call('GET', `${PATH}?startDate=2026-03-10&endDate=2026-03-10`)).body;
    expect([march.dealsNumber, march.revenueAmount]).toEqual([1, 1000]);
    expect(valid(await call('GET', `${PATH}?attributionModel=NEWEST`)).status).toBe(400);
    expect(valid(await call('GET', `${PATH}?startDate=March`)).status).toBe(400);
    const unknown = await call('GET', `/marketing/v3/campaigns/${OTHER.replace('0b', 'ff')}/reports/revenue`);
    expect(valid(unknown).status).toBe(404);
  });

  it('needs marketing.campaigns.revenue.read, which the read scope does not give', async () => {
    const call = await setUp();
    await call('POST', '/__sandbox/config', { scopes: ['marketing.campaigns.read'] });
    const refused = valid(await call('GET', PATH));
    expect([refused.status, refused.body.errors[0].context.requiredGranularScopes]).toEqual([
      403,
      ['marketing.campaigns.revenue.read'],
    ]);
    expect((await call('GET', '/marketing/v3/campaigns')).status).toBe(200);
    await call('POST', '/__sandbox/config', {
      scopes: ['marketing.campaigns.revenue.read'],
      campaignsApi: 'forbidden',
    });
    expect((await call('GET', PATH)).status).toBe(403);
  });
});
