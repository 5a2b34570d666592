import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignJson } from '../../src/http/campaign-json.ts';
import { type Loop, startLoop } from '../support/loop-harness.ts';
import { uniquePrefix } from '../support/redis.ts';

// webinar: 20 leads from 2026-01-05 (over 180 days old), 5 won 30 days after their lead date,
// 5 lost; plus 10 leads from 2026-11-01 (three weeks old), none closed.
function portal() {
  const contact = (id: number, created: string) => ({
    id: String(id),
    properties: {
      email: `a${id}@example.com`,
      createdate: `${created}T09:00:00.000Z`,
      hs_analytics_source: 'PAID_SEARCH',
      hs_analytics_source_data_1: 'webinar',
    },
  });
  const deal = (id: number, stage: string) => ({
    id: String(id),
    properties: {
      dealname: `D${id}`,
      pipeline: 'default',
      dealstage: stage,
      amount: '1000',
      createdate: '2026-01-20T09:00:00.000Z',
      closedate: '2026-02-04T09:00:00.000Z',
    },
  });
  const old = Array.from({ length: 20 }, (_, i) => contact(i + 1, '2026-01-05'));
  const young = Array.from({ length: 10 }, (_, i) => contact(i + 101, '2026-11-01'));
  const deals = [
    ...Array.from({ length: 5 }, (_, i) => deal(500 + i, 'closedwon')),
    ...Array.from({ length: 5 }, (_, i) => deal(600 + i, 'closedlost')),
  ];
  return {
    contacts: [...old, ...young],
    deals,
    associations: deals.map((d, i) => ({ contactId: String(i + 1), dealId: d.id })),
  };
}

describe('the campaign API', () => {
  let loop: Loop;
  const get = async (path: string) => fetch(`${loop.server.url}${path}`);

  beforeAll(async () => {
    loop = await startLoop(uniquePrefix(import.meta.filename));
    await loop.admin('/__sandbox/seed', portal());
    await loop.backfill();
    await loop.settle();
  }, 60_000);
  afterAll(async () => {
    await loop?.stop();
  });

  it('shows naive and lag-aware figures side by side', async () => {
    const [webinar] = (await (await get('/api/campaigns')).json()) as CampaignJson[];
    // Naive: 5 won of 30 leads. Lag-aware at 180 days: the 10 young leads are censored at ~3
    // weeks, before any win (day 30): 5 wins among the 20 leads followed → 25 %.
    expect(webinar).toMatchObject({ campaign: 'webinar', leads: 30, won: 5, lost: 5, open: 20 });
    expect(webinar?.leadToClose.rate).toBeCloseTo(5 / 30, 10);
    expect(webinar?.closeRateAtHorizon).toMatchObject({ days: 180, maturity: 20 / 30 });
    expect(webinar?.closeRateAtHorizon.rate).toBeCloseTo(0.25, 10);
    expect(webinar?.closeRateAtHorizon.low).toBeLessThan(0.25);
    expect(webinar?.closeRateAtHorizon.high).toBeGreaterThan(0.25);
    expect(webinar?.medianDaysToClose).toBe(15);
    expect(webinar).toMatchObject({ spend: null, costPerLead: null, stageSkips: 0 });
  });

  it('restricts every figure to a cohort of lead dates', async () => {
    const [young] = (await (
      await get('/api/campaigns?from=2026-10-01&to=2026-11-30')
    ).json()) as CampaignJson[];
    expect(young).toMatchObject({ leads: 10, won: 0, open: 10 });
    // Nobody in this cohort was followed for 180 days: the rate at the horizon is not known yet.
    expect(young?.closeRateAtHorizon).toMatchObject({ rate: null, maturity: 0 });
  });

  it.each([
    ['a bad date', '?from=2026-13-01', /from/],
    ['a reversed range', '?from=2026-05-01&to=2026-01-01', /before/],
  ])('answers 400 for %s', async (_name, query, message) => {
    const response = await get(`/api/campaigns${query}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(message);
  });

  it('gives a campaign its curves for days 0..H, and 404 for an unknown one', async () => {
    const detail = (await (await get('/api/campaigns/webinar')).json()) as {
      closeCurve: { day: number; rate: number | null }[];
      opportunityCurve: unknown[];
    };
    expect(detail.closeCurve).toHaveLength(181);
    expect(detail.closeCurve[29]?.rate).toBe(0);
    expect(detail.closeCurve[31]?.rate).toBeCloseTo(0.25, 10);
    expect(detail.opportunityCurve).toHaveLength(181);
    expect((await get('/api/campaigns/nope')).status).toBe(404);
  });

  it('takes spend, validated, and shows costs', async () => {
    const put = (body: unknown) =>
      fetch(`${loop.server.url}/api/campaigns/webinar/spend`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bad = await put([{ month: '2026-01', amount: -3 }]);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/0\.amount must not be negative/);
    expect(
      (
        await put([
          { month: '2026-01', amount: 3100 },
          { month: '2026-11', amount: 900 },
        ])
      ).status,
    ).toBe(204);
    const [webinar] = (await (await get('/api/campaigns')).json()) as CampaignJson[];
    // 4,000 over 30 leads; per won deal 4,000 / 5; expected won deals 30 × 25 % = 7.5.
    expect(webinar).toMatchObject({ spend: 4000, costPerLead: 133.33, costPerWon: 800, returnOnSpend: 1.25 });
    expect(webinar?.costPerExpectedWon?.value).toBeCloseTo(4000 / 7.5, 6);
    const [january] = (await (
      await get('/api/campaigns?from=2026-01-01&to=2026-01-31')
    ).json()) as CampaignJson[];
    expect(january).toMatchObject({ leads: 20, spend: 3100 });
  });

  it('exports the same table as CSV', async () => {
    const response = await get('/api/campaigns.csv');
    expect(response.headers.get('content-type')).toMatch(/text\/csv/);
    const [header, row] = (await response.text()).trim().split('\n');
    expect(header).toContain('closeRateAtHorizon.rate');
    expect(header).toContain('costPerExpectedWon.value');
    expect(row).toMatch(/^webinar,webinar,30,/);
  });
});

describe('the calibration API', () => {
  let loop: Loop;
  beforeAll(async () => {
    loop = await startLoop(uniquePrefix(`${import.meta.filename}-calibration`));
    await loop.admin('/__sandbox/seed', portal());
    await loop.backfill();
    await loop.settle();
  }, 60_000);
  afterAll(async () => {
    await loop?.stop();
  });

  it('back-tests the lead score on the leads open 180 days ago', async () => {
    const response = await fetch(`${loop.server.url}/api/calibration`);
    const result = (await response.json()) as {
      brier: number | null;
      baselineBrier: number | null;
      bands: { count: number }[];
    };
    // 180 days ago the 10 old leads without a deal were open (the 10 with deals had closed in
    // February; the young ones did not exist yet), and none of them has won since.
    expect(result.bands).toHaveLength(10);
    expect(result.bands.reduce((sum, band) => sum + band.count, 0)).toBe(10);
    expect(result.brier).not.toBeNull();
    expect(result.baselineBrier).toBe(0);
  });
});
