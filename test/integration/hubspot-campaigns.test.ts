import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubSpotRequestError, TransientError } from '../../src/errors.ts';
import {
  campaignDate,
  campaignSpend,
  listCampaigns,
  readCampaignCatalog,
} from '../../src/hubspot/campaigns.ts';
import { createHubSpotHttp, type HubSpotHttp } from '../../src/hubspot/http.ts';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { fakeBudget, fakeHubSpot, hubspot, strictNock } from '../support/hubspot-fakes.ts';

const LIST = '/marketing/v3/campaigns';
const FIRST_PAGE = { limit: '100', properties: 'hs_name,hs_start_date,hs_end_date' };
const A = '9dbec438-53e2-4b28-8c0f-38f56574a6e8';
const B = '3f2a1c7e-8b1d-4e6f-9a2b-0c1d2e3f4a5b';

const campaign = (id: string, properties: Record<string, string | null>) => ({
  id,
  properties,
  createdAt: '2026-01-05T10:00:00Z',
  updatedAt: '2026-01-05T10:00:00Z',
  businessUnits: [{ id: 0 }],
});
const spendItem = (amount: number, order: number) => ({
  id: String(order + 1),
  name: `line ${order}`,
  amount,
  order,
  createdAt: 1_767_600_000_000,
  updatedAt: 1_767_600_000_000,
});
const totals = (spend: number[], extra: Record<string, unknown> = {}) => ({
  budgetItems: [],
  spendItems: spend.map(spendItem),
  currencyCode: 'EUR',
  ...extra,
});
const MISSING_SCOPES = {
  status: 'error',
  message:
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
  correlationId: 'aeb5f871-7f07-4993-9211-075dc63e7cbf',
  errors: [
    {
      message: 'One or more of the following scopes are required.',
      context: { requiredGranularScopes: ['marketing.campaigns.read'] },
    },
  ],
  links: { scopes: 'https://developers.hubspot.com/scopes' },
  category: 'MISSING_SCOPES',
};

describe('campaigns adapter against nock', () => {
  strictNock();

  it('lists every campaign, following paging.next.after, with dates as epoch ms', async () => {
    const { http, budget } = fakeHubSpot();
    hubspot()
      .get(LIST)
      .query(FIRST_PAGE)
      .reply(200, {
        total: 2,
        results: [campaign(A, { hs_name: 'Spring', hs_start_date: '2026-03-01', hs_end_date: '2026-05-31' })],
        paging: { next: { after: 'cursor-1', link: '?after=cursor-1' } },
      });
    hubspot()
      .get(LIST)
      .query({ ...FIRST_PAGE, after: 'cursor-1' })
      .reply(200, { total: 2, results: [campaign(B, { hs_name: ' Autumn ', hs_end_date: null })] });

    expect(await listCampaigns(http, 'background')).toEqual([
      { id: A, name: 'Spring', startDate: Date.UTC(2026, 2, 1), endDate: Date.UTC(2026, 4, 31) },
      { id: B, name: 'Autumn', startDate: null, endDate: null },
    ]);
    expect(budget.acquired).toEqual(['background', 'background']);
  });

  it('reads dates HubSpot may send in other forms, and gives null for nonsense', () => {
    expect([campaignDate('1767225600000'), campaignDate('2026-01-01T00:00:00Z')]).toEqual([
      1_767_225_600_000, 1_767_225_600_000,
    ]);
    expect([campaignDate('soon'), campaignDate(''), campaignDate(null), campaignDate(undefined)]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it('takes spendTotal when HubSpot sends it, and sums the spend items when it does not', async () => {
    const { http } = fakeHubSpot();
    hubspot()
      .get(`${LIST}/${A}/budget/totals`)
      .reply(200, totals([100, 50], { spendTotal: 150, budgetTotal: 400, remainingBudget: 250 }));
    hubspot()
      .get(`${LIST}/${B}/budget/totals`)
      .reply(200, totals([0.1, 0.2, 1200]));

    expect(await campaignSpend(http, A, 'live')).toEqual({ amount: 150, currency: 'EUR' });
    expect(await campaignSpend(http, B, 'live')).toEqual({ amount: 1200.3, currency: 'EUR' });
  });

  it('builds the catalog from the list and each campaign’s budget totals', async () => {
    const { http } = fakeHubSpot();
    hubspot()
      .get(LIST)
      .query(FIRST_PAGE)
      .reply(200, {
        total: 2,
        results: [campaign(A, { hs_name: 'Spring' }), campaign(B, { hs_name: 'Autumn' })],
      });
    hubspot()
      .get(`${LIST}/${A}/budget/totals`)
      .reply(200, totals([10, 20]));
    hubspot().get(`${LIST}/${B}/budget/totals`).reply(200, totals([]));

    expect(await readCampaignCatalog(http, 'background')).toEqual({
      available: true,
      campaigns: [
        { id: A, name: 'Spring', startDate: null, endDate: null, spend: 30, currency: 'EUR' },
        { id: B, name: 'Autumn', startDate: null, endDate: null, spend: 0, currency: 'EUR' },
      ],
    });
  });

  it('reports a 403 on the list as no Campaigns API access instead of failing', async () => {
    const { http } = fakeHubSpot();
    hubspot().get(LIST).query(FIRST_PAGE).reply(403, MISSING_SCOPES);

    const catalog = await readCampaignCatalog(http, 'background');

    expect(catalog).toEqual({ available: false, reason: expect.stringContaining('required scopes') });
  });

  it('reports a 403 on a budget read the same way', async () => {
    const { http } = fakeHubSpot();
    hubspot()
      .get(LIST)
      .query(FIRST_PAGE)
      .reply(200, { total: 1, results: [campaign(A, { hs_name: 'Spring' })] });
    hubspot().get(`${LIST}/${A}/budget/totals`).reply(403, MISSING_SCOPES);

    expect((await readCampaignCatalog(http, 'live')).available).toBe(false);
  });

  it('lets a 5xx through as a TransientError so the caller retries', async () => {
    const { http } = fakeHubSpot();
    hubspot()
      .get(LIST)
      .query(FIRST_PAGE)
      .reply(503, { status: 'error', message: 'Service unavailable', category: 'SERVICE_UNAVAILABLE' });

    await expect(readCampaignCatalog(http, 'background')).rejects.toThrow(TransientError);
  });

  it('lets other refusals through (a campaign gone between list and budget read)', async () => {
    const { http } = fakeHubSpot();
    hubspot()
      .get(LIST)
      .query(FIRST_PAGE)
      .reply(200, { total: 1, results: [campaign(A, { hs_name: 'Spring' })] });
    hubspot()
      .get(`${LIST}/${A}/budget/totals`)
      .reply(404, { status: 'error', message: 'not found', category: 'OBJECT_NOT_FOUND' });

    const failure = readCampaignCatalog(http, 'background');
    await expect(failure).rejects.toThrow(HubSpotRequestError);
    await expect(failure).rejects.toMatchObject({ status: 404 });
  });

  it('names the call when HubSpot answers an unexpected shape', async () => {
    const { http } = fakeHubSpot();
    hubspot().get(`${LIST}/${A}/budget/totals`).reply(200, { spendItems: 'none' });

    await expect(campaignSpend(http, A, 'live')).rejects.toThrow(/budget totals/);
  });
});

describe('campaigns adapter against the sandbox', () => {
  const TOKEN = 'pat-sandbox-campaigns';
  let sandbox: RunningSandbox;
  let http: HubSpotHttp;

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      accessToken: TOKEN,
      requestsPer10s: 0,
      dailyLimit: 0,
      subscriptionsPath: resolve(
        import.meta.dirname,
        '../../infra/hubspot/src/app/webhooks/webhooks-hsmeta.json',
      ),
    });
    http = createHubSpotHttp({
      accessToken: TOKEN,
      baseUrl: sandbox.url,
      budget: fakeBudget('budget'),
      searchBudget: fakeBudget('searchBudget'),
      dailyResetAt: () => 0,
    });
  });
  afterAll(() => sandbox.close());

  const admin = async (path: string, body: unknown) => {
    const response = await fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return response.json();
  };

  it('reads every seeded campaign (over more than one page) with its spend, then sees the 403 tier', async () => {
    const campaigns = Array.from({ length: 105 }, (_, i) => ({
      name: `Campaign ${i}`,
      ...(i === 0 ? { startDate: '2026-02-01', endDate: '2026-04-30', currency: 'GBP' } : {}),
      spend:
        i % 2 === 0
          ? [
              { name: 'Ads', amount: i * 10 },
              { name: 'Events', amount: 0.5 },
            ]
          : [],
    }));
    const seeded = (await admin('/__sandbox/seed', { campaigns })) as { campaigns: string[] };

    const catalog = await readCampaignCatalog(http, 'background');

    expect(catalog).toEqual({
      available: true,
      campaigns: campaigns.map((c, i) => ({
        id: seeded.campaigns[i],
        name: c.name,
        startDate: i === 0 ? Date.UTC(2026, 1, 1) : null,
        endDate: i === 0 ? Date.UTC(2026, 3, 30) : null,
        spend: i % 2 === 0 ? i * 10 + 0.5 : 0,
        currency: i === 0 ? 'GBP' : 'USD',
      })),
    });
    expect(sandbox.stats().calls[`GET ${LIST}`]).toEqual({ '200': 2 });

    await admin('/__sandbox/config', { campaignsApi: 'forbidden' });
    const refused = await readCampaignCatalog(http, 'background');
    expect(refused).toEqual({ available: false, reason: expect.stringContaining('HubSpot 403') });
  });
});
