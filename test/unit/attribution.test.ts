import { describe, expect, it } from 'vitest';
import { dealCampaign, dealShares } from '../../src/core/attribution.ts';
import { campaignFigures } from '../../src/core/campaign-figures.ts';
import { leadFigures } from '../../src/core/lead-figures.ts';

const DAY = 86_400_000;
const leads = [
  { id: '30', leadDate: 3 * DAY, campaign: 'ads' },
  { id: '10', leadDate: 1 * DAY, campaign: 'webinar' },
  { id: '20', leadDate: 2 * DAY, campaign: 'ads' },
];

describe('dealShares', () => {
  it('even splits equally', () => {
    expect(Object.fromEntries(dealShares(leads, 'even'))).toEqual({ '30': 1 / 3, '10': 1 / 3, '20': 1 / 3 });
  });
  it('first and last go to the earliest and latest lead', () => {
    expect(Object.fromEntries(dealShares(leads, 'first'))).toEqual({ '10': 1 });
    expect(Object.fromEntries(dealShares(leads, 'last'))).toEqual({ '30': 1 });
  });
  it('ties in lead date go to the lowest id', () => {
    const tied = [
      { id: '9', leadDate: DAY, campaign: 'a' },
      { id: '10', leadDate: DAY, campaign: 'b' },
    ];
    expect(Object.fromEntries(dealShares(tied, 'first'))).toEqual({ '9': 1 });
    expect(Object.fromEntries(dealShares(tied, 'last'))).toEqual({ '9': 1 });
  });
  it('no leads, no shares', () => {
    expect(dealShares([], 'even').size).toBe(0);
  });
});

describe('dealCampaign', () => {
  it('is the campaign with the largest share', () => {
    expect(dealCampaign(leads, dealShares(leads, 'even'))).toBe('ads');
    expect(dealCampaign(leads, dealShares(leads, 'first'))).toBe('webinar');
  });
  it('breaks ties by the earliest lead', () => {
    const two = [
      { id: '2', leadDate: 2 * DAY, campaign: 'b' },
      { id: '1', leadDate: DAY, campaign: 'a' },
    ];
    expect(dealCampaign(two, dealShares(two, 'even'))).toBe('a');
  });
  it('is undefined for a deal that counts for nobody', () => {
    expect(dealCampaign([], new Map())).toBeUndefined();
  });
});

describe('revenue is never counted twice', () => {
  const settings = {
    pipelines: [],
    stageOrder: ['lead', 'opportunity'],
    recordedStages: [],
    attribution: 'even' as const,
  };
  const deal = {
    id: 'd',
    pipeline: 'default',
    createdAt: 5 * DAY,
    closedAt: 9 * DAY,
    won: true,
    lost: false,
    amount: 900,
  };
  // A stakeholder added after the fact: its lead date is after the deal was created.
  const stakeholder = { id: '40', leadDate: 6 * DAY, campaign: 'events' };
  const contacts = [...leads, stakeholder];

  it('splits a won deal across its counting leads and gives the stakeholder nothing', () => {
    const figures = contacts.map((contact) =>
      leadFigures(
        { ...contact, stage: 'lead', stageEntered: {} },
        [{ deal, leads: contacts }],
        settings,
        10 * DAY,
      ),
    );
    expect(figures.map((f) => f.revenue)).toEqual([300, 300, 300, 0]);
    expect(figures.map((f) => f.status)).toEqual(['won', 'won', 'won', 'open']);
    expect(figures.reduce((sum, f) => sum + f.wonDeals, 0)).toBeCloseTo(1, 12);
  });
});

describe('campaignFigures', () => {
  const totals = [
    {
      campaign: 'webinar',
      leads: 10,
      opportunities: 5,
      won: 3,
      lost: 1,
      open: 6,
      revenue: 3000,
      wonDeals: 3,
      stageSkips: 0,
    },
    {
      campaign: 'ads',
      leads: 80,
      opportunities: 8,
      won: 2,
      lost: 4,
      open: 74,
      revenue: 1000,
      wonDeals: 2,
      stageSkips: 0,
    },
    {
      campaign: '(none)',
      leads: 10,
      opportunities: 0,
      won: 0,
      lost: 0,
      open: 10,
      revenue: 0,
      wonDeals: 0,
      stageSkips: 0,
    },
  ];

  it('computes the alignment index as share of revenue over share of leads', () => {
    const [webinar, ads, none] = campaignFigures(totals);
    expect(webinar?.alignmentIndex).toBeCloseTo(0.75 / 0.1, 12);
    expect(ads?.alignmentIndex).toBeCloseTo(0.25 / 0.8, 12);
    expect(none?.alignmentIndex).toBe(0);
    expect(webinar?.revenuePerLead).toBe(300);
  });

  it('has no alignment index without won revenue, and null rates without leads', () => {
    const [only] = campaignFigures([
      {
        campaign: 'x',
        leads: 0,
        opportunities: 0,
        won: 0,
        lost: 0,
        open: 0,
        revenue: 0,
        wonDeals: 0,
        stageSkips: 0,
      },
    ]);
    expect(only?.alignmentIndex).toBeNull();
    expect(only?.leadToClose).toEqual({ rate: null, low: null, high: null });
    expect(only?.revenuePerLead).toBeNull();
  });

  it('gives naive rates with Wilson intervals', () => {
    const [webinar] = campaignFigures(totals);
    expect(webinar?.leadToOpportunity.rate).toBe(0.5);
    expect(webinar?.opportunityToClose.rate).toBe(0.6);
    expect(webinar?.leadToClose.low).toBeCloseTo(0.1078, 4);
    expect(webinar?.leadToClose.high).toBeCloseTo(0.6032, 4);
  });
});
