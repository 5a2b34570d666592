import { afterEach, describe, expect, it } from 'vitest';
import { sandboxOptionsFromFlags } from '../../src/sandbox/sandbox-flags.ts';
import type { SandboxOptions } from '../../src/sandbox/sandbox-options.ts';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { type Case, failuresOf } from './conformance-fixture.ts';
import { schemaProblems } from './openapi-validator.ts';
import { type CallResult, client, seed, startTestSandbox } from './sandbox-test-helpers.ts';

const SPEC = 'marketing-campaigns-v3';
const LIST = '/marketing/v3/campaigns';
const TOTALS = '/marketing/v3/campaigns/{campaignGuid}/budget/totals';
const SPRING = '9dbec438-53e2-4b28-8c0f-38f56574a6e8';
const NOW = Date.UTC(2026, 2, 1, 12);

let sandboxes: RunningSandbox[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
  sandboxes = [];
});

async function start(overrides: Partial<SandboxOptions> = {}) {
  const sandbox = await startTestSandbox({ now: NOW, freezeClock: true, ...overrides });
  sandboxes.push(sandbox);
  return { sandbox, call: client(sandbox) };
}

const SPRING_SEED = {
  id: SPRING.toUpperCase(),
  name: 'Spring launch',
  startDate: '2026-03-01',
  endDate: '2026-05-31',
  spend: [
    { name: 'Search ads', amount: 1200.5, description: 'Google' },
    { name: 'Print', amount: 300 },
  ],
  budget: [{ name: 'Q1', amount: 2000 }],
};

/** Seven campaigns: Spring launch first, then Campaign 1..6 (no dates, euros). */
async function seedSeven(sandbox: RunningSandbox): Promise<string[]> {
  const others = Array.from({ length: 6 }, (_, i) => ({ name: `Campaign ${i + 1}`, currency: 'EUR' }));
  const body = await seed(sandbox, { campaigns: [SPRING_SEED, ...others] });
  return (body as unknown as { campaigns: string[] }).campaigns;
}

function valid(method: string, path: string, result: CallResult): CallResult {
  expect(schemaProblems(SPEC, method, path, result.status, result.body)).toEqual([]);
  return result;
}

describe('campaigns routes match the published OpenAPI file', () => {
  it('answers each route with the documented status and shape', async () => {
    const { sandbox, call } = await start();
    const ids = await seedSeven(sandbox);
    const batch = (inputs: string[]) => () =>
      call('POST', '/marketing/v3/campaigns/batch/read?properties=hs_name', {
        inputs: inputs.map((id) => ({ id })),
      });
    const cases: Case[] = [
      ['list', SPEC, 'GET', LIST, 200, () => call('GET', `${LIST}?limit=2&properties=hs_name,hs_end_date`)],
      ['last page', SPEC, 'GET', LIST, 200, () => call('GET', `${LIST}?after=6&limit=2`)],
      ['bad cursor', SPEC, 'GET', LIST, 400, () => call('GET', `${LIST}?after=zzz`)],
      ['batch read', SPEC, 'POST', `${LIST}/batch/read`, 200, batch([SPRING, ids[1] ?? ''])],
      ['batch read, unknown', SPEC, 'POST', `${LIST}/batch/read`, 207, batch([SPRING, 'nope'])],
      [
        'batch read, too many',
        SPEC,
        'POST',
        `${LIST}/batch/read`,
        400,
        batch(ids.concat(Array(44).fill('x'))),
      ],
      ['budget totals', SPEC, 'GET', TOTALS, 200, () => call('GET', `${LIST}/${SPRING}/budget/totals`)],
      ['empty budget', SPEC, 'GET', TOTALS, 200, () => call('GET', `${LIST}/${ids[3]}/budget/totals`)],
      ['unknown campaign', SPEC, 'GET', TOTALS, 404, () => call('GET', `${LIST}/nope/budget/totals`)],
    ];
    expect(await failuresOf(cases)).toEqual([]);
  });

  it('answers HubSpot’s missing-scope 403 on every route when the tier has no Campaigns API', async () => {
    const { sandbox, call } = await start({ campaignsApi: 'forbidden' });
    await seed(sandbox, { campaigns: [SPRING_SEED] });
    const calls: [string, string, () => Promise<CallResult>][] = [
      ['GET', LIST, () => call('GET', LIST)],
      ['POST', `${LIST}/batch/read`, () => call('POST', `${LIST}/batch/read`, { inputs: [{ id: SPRING }] })],
      ['GET', TOTALS, () => call('GET', `${LIST}/${SPRING}/budget/totals`)],
    ];
    for (const [method, path, run] of calls) {
      const result = valid(method, path, await run());
      expect(result.status).toBe(403);
      expect(result.body).toMatchObject({
        status: 'error',
        category: 'MISSING_SCOPES',
        errors: [{ context: { requiredGranularScopes: ['marketing.campaigns.read'] } }],
      });
    }
    const switched = await call('POST', '/__sandbox/config', { campaignsApi: 'available' });
    expect(switched.body.campaignsApi).toBe('available');
    expect((await call('GET', LIST)).status).toBe(200);
    expect((await call('POST', '/__sandbox/config', { campaignsApi: 'maybe' })).status).toBe(400);
    expect(sandbox.stats().calls[`GET ${LIST}`]).toEqual({ '200': 1, '403': 1 });
    expect(sandbox.stats().calls[`GET ${TOTALS}`]).toEqual({ '403': 1 });
  });
});

describe('campaign reads', () => {
  it('pages with after/limit, reporting the total and the requested non-empty properties', async () => {
    const { sandbox, call } = await start();
    const ids = await seedSeven(sandbox);
    expect(ids[0]).toBe(SPRING);
    const seen: string[] = [];
    let path = `${LIST}?limit=3&properties=hs_name&properties=hs_end_date,hs_currency_code,no_such`;
    const pages: number[] = [];
    for (;;) {
      const page = valid('GET', LIST, await call('GET', path));
      expect(page.body.total).toBe(7);
      pages.push(page.body.results.length);
      seen.push(...page.body.results.map((c: { id: string }) => c.id));
      const after = page.body.paging?.next?.after;
      if (!after) break;
      path = `${LIST}?limit=3&after=${after}&properties=hs_name`;
    }
    expect([pages, seen]).toEqual([[3, 3, 1], ids]);
    const first = (
      await call('GET', `${LIST}?limit=1&properties=hs_name,hs_end_date,hs_currency_code,no_such`)
    ).body.results[0];
    expect(first).toEqual({
      id: SPRING,
      properties: { hs_name: 'Spring launch', hs_end_date: '2026-05-31', hs_currency_code: 'USD' },
      createdAt: new Date(NOW).toISOString(),
      updatedAt: new Date(NOW).toISOString(),
      businessUnits: [{ id: 0 }],
    });
    const bare = (await call('GET', `${LIST}?after=1&limit=1&properties=hs_start_date,hs_name`)).body;
    expect(bare.results[0].properties).toEqual({ hs_name: 'Campaign 1' });
    expect((await call('GET', `${LIST}?limit=1`)).body.results[0].properties).toEqual({});
    const named = (await call('GET', `${LIST}?name=campaign%205&properties=hs_name`)).body;
    expect([named.total, named.results[0].properties.hs_name]).toEqual([1, 'Campaign 5']);
  });

  it('reports budget and spend lines with their totals and the campaign currency', async () => {
    const { sandbox, call } = await start();
    const ids = await seedSeven(sandbox);
    const totals = valid('GET', TOTALS, await call('GET', `${LIST}/${SPRING.toUpperCase()}/budget/totals`));
    const line = (name: string, amount: number, order: number) => ({
      id: expect.any(String),
      name,
      amount,
      order,
      createdAt: NOW,
      updatedAt: NOW,
    });
    expect(totals.body).toEqual({
      budgetItems: [line('Q1', 2000, 0)],
      spendItems: [{ ...line('Search ads', 1200.5, 0), description: 'Google' }, line('Print', 300, 1)],
      currencyCode: 'USD',
      budgetTotal: 2000,
      spendTotal: 1500.5,
      remainingBudget: 499.5,
    });
    const empty = (await call('GET', `${LIST}/${ids[6]}/budget/totals`)).body;
    expect(empty).toEqual({
      budgetItems: [],
      spendItems: [],
      currencyCode: 'EUR',
      budgetTotal: 0,
      spendTotal: 0,
      remainingBudget: 0,
    });
    const sums = await call(
      'GET',
      `${LIST}?limit=1&properties=hs_spend_items_sum_amount,hs_budget_items_sum_amount`,
    );
    expect(sums.body.results[0].properties).toEqual({
      hs_spend_items_sum_amount: '1500.5',
      hs_budget_items_sum_amount: '2000',
    });
  });

  it('reads a batch once per id, listing unknown ids as a 207 error', async () => {
    const { sandbox, call } = await start();
    const ids = await seedSeven(sandbox);
    const result = await call('POST', `${LIST}/batch/read?properties=hs_name`, {
      inputs: [{ id: SPRING }, { id: ids[2] }, { id: SPRING }, { id: 'gone' }],
    });
    expect(result.status).toBe(207);
    expect(result.body.results.map((c: { id: string; assets: unknown }) => [c.id, c.assets])).toEqual([
      [SPRING, {}],
      [ids[2], {}],
    ]);
    expect(result.body).toMatchObject({
      numErrors: 1,
      errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['gone'] } }],
    });
  });
});

describe('campaigns under the budget and faults', () => {
  it('count against the ten-second window and take injected faults like other API calls', async () => {
    const { call } = await start({ requestsPer10s: 2 });
    expect((await call('GET', LIST)).headers.get('x-hubspot-ratelimit-remaining')).toBe('1');
    await call('GET', `${LIST}/${SPRING}/budget/totals`);
    const limited = await call('GET', LIST);
    expect([limited.status, limited.body.policyName]).toEqual([429, 'TEN_SECONDLY_ROLLING']);
    await call('POST', '/__sandbox/config', { requestsPer10s: 0, failRate: 1, faults: ['503'] });
    expect((await call('POST', `${LIST}/batch/read`, { inputs: [] })).status).toBe(503);
  });
});

describe('campaign seeding', () => {
  it.each<[string, unknown]>([
    ['a duplicate name', [{ name: 'Spring launch' }, { name: 'spring LAUNCH' }]],
    ['an end before the start', [{ name: 'Late', startDate: '2026-05-01', endDate: '2026-04-01' }]],
    ['an id that is not a GUID', [{ id: '1234', name: 'Numeric' }]],
    [
      'a repeated id',
      [
        { id: SPRING, name: 'A' },
        { id: SPRING, name: 'B' },
      ],
    ],
    ['a negative amount', [{ name: 'Refund', spend: [{ name: 'x', amount: -5 }] }]],
    ['a date that is not YYYY-MM-DD', [{ name: 'Vague', startDate: 'March' }]],
    ['an unknown currency', [{ name: 'Play money', currency: 'XYZ' }]],
    ['an unknown field', [{ name: 'Extra', owner: 'me' }]],
    ['no name', [{ spend: [] }]],
  ])('refuses the whole seed for %s', async (_title, campaigns) => {
    const { sandbox, call } = await start();
    const result = await call('POST', '/__sandbox/seed', {
      contacts: [{ properties: { email: 'kept-out@example.com' } }],
      campaigns,
    });
    expect(result.status).toBe(400);
    expect(sandbox.stats().records.contacts).toBe(0);
    expect((await call('GET', LIST)).body.total).toBe(0);
  });

  it('refuses a name or id already in the portal, gives reproducible ids and is cleared by reset', async () => {
    const { sandbox, call } = await start();
    const first = await seedSeven(sandbox);
    expect((await call('POST', '/__sandbox/seed', { campaigns: [{ name: 'Campaign 3' }] })).status).toBe(400);
    expect((await call('POST', '/__sandbox/seed', { campaigns: [{ id: SPRING, name: 'New' }] })).status).toBe(
      400,
    );
    const other = await start();
    expect(await seedSeven(other.sandbox)).toEqual(first);
    expect(
      first.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)),
    ).toBe(true);
    await call('POST', '/__sandbox/reset');
    expect((await call('GET', LIST)).body).toEqual({ total: 0, results: [] });
    expect((await call('GET', `${LIST}/${SPRING}/budget/totals`)).status).toBe(404);
  });
});

describe('closeloop sandbox --campaigns-api', () => {
  const flags = {
    port: '0',
    timeZone: 'UTC',
    currency: 'USD',
    requestsPer10s: '100',
    windowMs: '10000',
    dailyLimit: '0',
    searchPerSecond: '5',
    subscriptions: 'p',
  };

  it('maps the flag to the option and names a bad value', () => {
    const ok = sandboxOptionsFromFlags({ ...flags, campaignsApi: 'forbidden' });
    expect(ok.ok && ok.options.campaignsApi).toBe('forbidden');
    const bad = sandboxOptionsFromFlags({ ...flags, campaignsApi: 'sometimes' });
    expect(bad.ok ? [] : bad.problems.map((p) => p.split(':')[0])).toEqual(['--campaigns-api']);
  });
});
