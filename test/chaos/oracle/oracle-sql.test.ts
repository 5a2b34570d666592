import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../../src/sandbox/start-sandbox.ts';
import {
  HORIZON_DAYS,
  handPortal,
  incidenceByHand,
  RENEWALS,
  WEBINAR_ID,
  WEBINAR_NAME,
  wilsonByHand,
} from './hand-portal.ts';
import { computeExpectations, type Expectations } from './oracle-expectations.ts';
import type { OracleSettings } from './oracle-types.ts';
import { type PortalSnapshot, readPortalSnapshot } from './portal-snapshot.ts';

const TOKEN = 'oracle-sql-token-31c9';
const SETTINGS: OracleSettings = {
  campaignProperties: ['hs_analytics_first_touch_converting_campaign', 'hs_analytics_source_data_1'],
  leadDateProperty: 'createdate',
  horizonDays: HORIZON_DAYS,
  pipelines: ['default'],
  attribution: 'even',
};

describe('the oracle on a portal worked out by hand', () => {
  let sandbox: RunningSandbox;
  let snapshot: PortalSnapshot;
  let even: Expectations;
  const figures = (expectations: Expectations, campaign: string) =>
    expectations.campaigns.get(campaign)?.figures as Record<string, unknown>;

  beforeAll(async () => {
    sandbox = await startSandbox({ accessToken: TOKEN, webhooks: false, requestsPer10s: 0 });
    const response = await fetch(`${sandbox.url}/__sandbox/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(handPortal(sandbox.clock.now())),
    });
    expect(response.status).toBe(200);
    snapshot = await readPortalSnapshot({ url: sandbox.url, token: TOKEN }, SETTINGS);
    even = await computeExpectations(snapshot, SETTINGS);
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('reads the portal: records, associations, stage order and campaign names', () => {
    expect(snapshot.contacts).toHaveLength(11);
    expect(snapshot.deals).toHaveLength(6);
    expect(snapshot.associations).toHaveLength(7);
    expect(snapshot.stageOrder.indexOf('opportunity')).toBeLessThan(snapshot.stageOrder.indexOf('customer'));
    expect(snapshot.stageOrder).not.toContain('other');
    expect(snapshot.campaignNames.get(WEBINAR_ID)).toBe(WEBINAR_NAME);
  });

  it('counts leads, opportunities and outcomes per campaign, with the offline import in (none)', () => {
    const counts = (campaign: string) => {
      const { leads, opportunities, won, lost, open } = figures(even, campaign);
      return { leads, opportunities, won, lost, open };
    };
    expect([...even.campaigns.keys()].sort()).toEqual(['(none)', WEBINAR_ID, 'ads', 'fresh'].sort());
    // 11 and 12 won by deal, 13 an opportunity by its stage only, 18 won through the shared deal.
    expect(counts(WEBINAR_ID)).toEqual({ leads: 4, opportunities: 4, won: 3, lost: 0, open: 1 });
    // 14 lost; 15's deal predates it; 16's deal is in Renewals, not counted; 17 shares 906.
    expect(counts('ads')).toEqual({ leads: 4, opportunities: 2, won: 1, lost: 1, open: 2 });
    // 19 is an OFFLINE import; 20 has no source but reached customer, past opportunity.
    expect(counts('(none)')).toEqual({ leads: 2, opportunities: 1, won: 0, lost: 0, open: 2 });
    expect(counts('fresh')).toEqual({ leads: 1, opportunities: 0, won: 0, lost: 0, open: 1 });
    expect(even.statuses.get('15')).toBe('open');
    expect(even.statuses.get('16')).toBe('open');
  });

  it('splits revenue evenly and derives the alignment index and naive rates', () => {
    const webinar = figures(even, WEBINAR_ID);
    // 1000 + 3000 + half of 900; shares 1 + 1 + 0.5. 11 leads, 4,900 of revenue in all.
    expect(webinar).toMatchObject({
      name: WEBINAR_NAME,
      revenue: 4450,
      wonDeals: 2.5,
      revenuePerLead: 1112.5,
    });
    expect(webinar.alignmentIndex).toBeCloseTo(4450 / 4900 / (4 / 11), 12);
    expect(figures(even, 'ads')).toMatchObject({ revenue: 450, wonDeals: 0.5 });
    expect(figures(even, 'ads').alignmentIndex).toBeCloseTo(450 / 4900 / (4 / 11), 12);
    expect(figures(even, '(none)')).toMatchObject({ revenue: 0, wonDeals: 0, alignmentIndex: 0 });
    for (const [key, [won, n]] of Object.entries({ leadToClose: [3, 4], opportunityToClose: [3, 4] })) {
      const rate = webinar[key] as Record<string, number>;
      const hand = wilsonByHand(won as number, n as number);
      for (const bound of ['rate', 'low', 'high'] as const) expect(rate[bound]).toBeCloseTo(hand[bound], 12);
    }
    expect(figures(even, 'fresh').opportunityToClose).toEqual({ rate: null, low: null, high: null });
  });

  it('gives the lag-aware close rate where every lead is older than H, and leaves it out elsewhere', () => {
    // Within 30 days: 11 (day 10) and 18 (day 15); 12 won on day 100, 17 on day 35.
    const webinar = figures(even, WEBINAR_ID).closeRateAtHorizon as Record<string, number>;
    const hand = incidenceByHand(2, 4);
    expect(webinar.rate).toBe(0.5);
    expect(webinar.low).toBeCloseTo(hand.low, 12);
    expect(webinar.high).toBeCloseTo(hand.high, 12);
    expect(webinar).toMatchObject({ days: 30, maturity: 1 });
    expect(figures(even, 'ads').closeRateAtHorizon).toMatchObject({ rate: 0, low: 0 });
    expect((figures(even, 'ads').closeRateAtHorizon as { high: number }).high).toBeCloseTo(
      1 - 0.025 ** 0.25,
      12,
    );
    expect(even.campaigns.get('fresh')).toMatchObject({
      lagChecked: false,
      figures: { closeRateAtHorizon: null },
    });
  });

  it('expects the written values: names for campaign ids, outcomes, percentages and alignment', () => {
    expect(even.contacts.get('11')).toEqual({
      closeloop_campaign: [WEBINAR_NAME],
      closeloop_campaign_close_rate: ['50'],
      closeloop_lead_score: ['100'],
      closeloop_score_reason: ['This lead has a won deal.'],
    });
    expect(even.contacts.get('14')).toMatchObject({
      closeloop_lead_score: ['0'],
      closeloop_campaign_close_rate: ['0'],
    });
    expect(even.contacts.get('14')?.closeloop_score_reason).toEqual(['Every deal of this lead was lost.']);
    // Open leads' scores are not the oracle's; a young campaign's close rate is not checked.
    expect(even.contacts.get('13')).toEqual({
      closeloop_campaign: [WEBINAR_NAME],
      closeloop_campaign_close_rate: ['50'],
    });
    expect(even.contacts.get('21')).toEqual({ closeloop_campaign: ['fresh'] });
    expect(even.deals.get('901')).toEqual({
      closeloop_campaign: [WEBINAR_NAME],
      closeloop_alignment_index: ['2.5'],
      closeloop_campaign_close_rate: ['50'],
    });
    // 906 is shared half and half: the tie goes to the earlier lead, 17 of ads (0.2525… shows 0.3).
    expect(even.deals.get('906')).toMatchObject({
      closeloop_campaign: ['ads'],
      closeloop_alignment_index: ['0.3'],
    });
    const blank = {
      closeloop_campaign: [''],
      closeloop_alignment_index: [''],
      closeloop_campaign_close_rate: [''],
    };
    expect(even.deals.get('904')).toEqual(blank);
    expect(even.deals.get('905')).toEqual(blank);
  });

  it('follows the attribution model: first and last lead by lead date', async () => {
    const first = await computeExpectations(snapshot, { ...SETTINGS, attribution: 'first' });
    expect(figures(first, 'ads')).toMatchObject({ revenue: 900, wonDeals: 1 });
    expect(figures(first, WEBINAR_ID)).toMatchObject({ revenue: 4000, wonDeals: 2 });
    expect(first.dealCampaigns.get('906')).toBe('ads');
    const last = await computeExpectations(snapshot, { ...SETTINGS, attribution: 'last' });
    expect(figures(last, 'ads')).toMatchObject({ revenue: 0, wonDeals: 0, won: 1 });
    expect(figures(last, WEBINAR_ID)).toMatchObject({ revenue: 4900, wonDeals: 3 });
    expect(last.dealCampaigns.get('906')).toBe(WEBINAR_ID);
  });

  it('counts every pipeline when none is configured', async () => {
    const all = await computeExpectations(snapshot, { ...SETTINGS, pipelines: [] });
    // 905 (Renewals, won 20 days after 16's lead date) now counts.
    expect(figures(all, 'ads')).toMatchObject({
      opportunities: 3,
      won: 2,
      open: 1,
      revenue: 7450,
      wonDeals: 1.5,
    });
    expect((figures(all, 'ads').closeRateAtHorizon as { rate: number }).rate).toBe(0.25);
    expect(all.dealCampaigns.get('905')).toBe('ads');
    expect(snapshot.deals.find((deal) => deal.id === '905')?.properties.pipeline).toBe(RENEWALS);
  });
});
