import { describe, expect, it } from 'vitest';
import type { AttributionModel } from '../../src/core/attribution.ts';
import type { FigureSettings, LeadFigures } from '../../src/core/lead-figures.ts';
import {
  type ContactNode,
  type DealNode,
  type Neighbourhood,
  recomputeDealCampaigns,
  recomputeLeads,
} from '../../src/core/recompute.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const NOW = T0 + 100 * DAY;

function settings(attribution: AttributionModel): FigureSettings {
  return {
    // `partners` deals are not counted: only `sales` is.
    pipelines: ['sales'],
    recordedStages: [],
    stageOrder: [
      'subscriber',
      'lead',
      'marketingqualifiedlead',
      'salesqualifiedlead',
      'opportunity',
      'customer',
      'evangelist',
    ],
    attribution,
  };
}

function contact(campaign: string, leadDay: number | null, dealIds: string[]): ContactNode {
  return {
    campaign,
    leadDate: leadDay === null ? null : T0 + leadDay * DAY,
    stage: 'lead',
    stageEntered: {},
    dealIds,
  };
}

function deal(overrides: Partial<DealNode> & Pick<DealNode, 'contactIds'>): DealNode {
  return {
    pipeline: 'sales',
    createdAt: T0 + 10 * DAY,
    closedAt: T0 + 40 * DAY,
    won: true,
    lost: false,
    amount: 900,
    ...overrides,
  };
}

/*
 * The graph (day n = T0 + n days; now = day 100):
 *
 *   big   sales pipeline, created day 10, won day 40, 900.
 *         contacts a (webinar, lead day 1), b (ads, day 2), c (ads, day 3),
 *         s (events, lead day 20: joined after the deal existed, a stakeholder),
 *         n (no lead date: not a lead).
 *   side  partners pipeline (not counted), created day 5, won day 6, 5000; contact c.
 *   ghost referenced by o's deal list but no longer in the projection (deleted).
 *
 * big counts for a, b and c only: s's lead date (day 20) is after big was created (day 10), and
 * n is not a lead. side counts for nobody.
 */
const graph: Neighbourhood = {
  contacts: new Map([
    ['a', contact('webinar', 1, ['big'])],
    ['b', contact('ads', 2, ['big'])],
    ['c', contact('ads', 3, ['big', 'side'])],
    ['s', contact('events', 20, ['big'])],
    ['n', contact('(none)', null, ['big'])],
    ['o', contact('ads', 4, ['ghost'])],
  ]),
  deals: new Map([
    ['big', deal({ contactIds: ['s', 'c', 'n', 'b', 'a'] })],
    [
      'side',
      deal({
        pipeline: 'partners',
        createdAt: T0 + 5 * DAY,
        closedAt: T0 + 6 * DAY,
        amount: 5000,
        contactIds: ['c'],
      }),
    ],
  ]),
};

// Whoever gets a share of big is won on day 40 (its closedate, inside [lead date, now]) and became an
// opportunity on day 10 (big's createdate, after every counting lead's lead date). `side` would make
// c won on day 6 with 5000 more if its pipeline counted.
const wonOnBig = {
  status: 'won',
  opportunity: true,
  opportunityDate: T0 + 10 * DAY,
  closedDate: T0 + 40 * DAY,
} as const;

describe('recomputeLeads', () => {
  it('gives null for contacts that are gone or are not leads', () => {
    const figures = recomputeLeads(['x', 'n'], graph, settings('even'), NOW);
    expect([...figures]).toEqual([
      ['x', null],
      ['n', null],
    ]);
  });

  it.each<[AttributionModel, Record<'a' | 'b' | 'c', number>]>([
    // even: 900 / 3 counting leads = 300 each, a third of the deal each (not a quarter or fifth:
    // the stakeholder and the non-lead do not dilute the split).
    ['even', { a: 1 / 3, b: 1 / 3, c: 1 / 3 }],
    // first: all of it to the earliest lead date, a (day 1).
    ['first', { a: 1, b: 0, c: 0 }],
    // last: all of it to the latest counting lead, c (day 3) — not the stakeholder s (day 20).
    ['last', { a: 0, b: 0, c: 1 }],
  ])('splits a deal shared by three leads per %s attribution', (model, shares) => {
    const figures = recomputeLeads(['a', 'b', 'c'], graph, settings(model), NOW);
    // Won is about counted deals, not shares: under first/last the other two are won too, with
    // no revenue.
    for (const id of ['a', 'b', 'c'] as const) {
      const lead = figures.get(id) as LeadFigures;
      expect(lead).toMatchObject(wonOnBig);
      expect(lead.wonDeals).toBeCloseTo(shares[id], 12);
      expect(lead.revenue).toBeCloseTo(900 * shares[id], 9);
    }
    // The deal is counted once in total, whatever the model.
    const total = [...figures.values()].reduce((sum, lead) => sum + (lead?.revenue ?? 0), 0);
    expect(total).toBeCloseTo(900, 9);
  });

  it.each<[AttributionModel]>([['even'], ['first'], ['last']])(
    'gives a stakeholder added after the deal was created nothing (%s)',
    (model) => {
      // big predates s's lead date, so it is not s's deal: no opportunity, outcome or revenue.
      expect(recomputeLeads(['s'], graph, settings(model), NOW).get('s')).toEqual({
        campaign: 'events',
        leadDate: T0 + 20 * DAY,
        status: 'open',
        opportunity: false,
        opportunityDate: null,
        closedDate: null,
        revenue: 0,
        wonDeals: 0,
        wonShares: [],
        // Not an opportunity and no lifecycle stage past lead: the first score stage.
        stage: 0,
        skipped: false,
      });
    },
  );

  it('ignores deals in uncounted pipelines and deals no longer in the projection', () => {
    const figures = recomputeLeads(['c', 'o'], graph, settings('even'), NOW);
    // c: only big counts → a third of 900, won day 40 (side's day 6 and 5000 are ignored).
    expect(figures.get('c')).toEqual({
      campaign: 'ads',
      leadDate: T0 + 3 * DAY,
      ...wonOnBig,
      revenue: expect.closeTo(300, 9),
      wonDeals: expect.closeTo(1 / 3, 12),
      // The share itself is exact: 900.00 among three leads.
      wonShares: [{ of: 3, cents: 90_000 }],
      // A counted deal makes it an opportunity: the last score stage.
      stage: 3,
      skipped: false,
    });
    // o: its only deal is gone, which counts as never having existed.
    expect(figures.get('o')).toEqual({
      campaign: 'ads',
      leadDate: T0 + 4 * DAY,
      status: 'open',
      opportunity: false,
      opportunityDate: null,
      closedDate: null,
      revenue: 0,
      wonDeals: 0,
      wonShares: [],
      stage: 0,
      skipped: false,
    });
  });

  it('counts an uncounted-pipeline deal once its pipeline is counted (the fixture is not vacuous)', () => {
    const everyPipeline = { ...settings('even'), pipelines: [] };
    const c = recomputeLeads(['c'], graph, everyPipeline, NOW).get('c');
    // side counts for c alone: 5000 + 300 from big; won on the earliest won closedate, day 6;
    // opportunity on the earliest counted createdate, day 5.
    expect(c).toMatchObject({ status: 'won', opportunityDate: T0 + 5 * DAY, closedDate: T0 + 6 * DAY });
    expect(c?.revenue).toBeCloseTo(5300, 9);
    expect(c?.wonDeals).toBeCloseTo(1 + 1 / 3, 12);
    expect(c?.wonShares).toEqual(
      expect.arrayContaining([
        { of: 1, cents: 500_000 },
        { of: 3, cents: 90_000 },
      ]),
    );
  });
});

describe('recomputeDealCampaigns', () => {
  it.each<[AttributionModel, string]>([
    // even: ads holds b + c = 2/3, webinar a = 1/3.
    ['even', 'ads'],
    // first: a (webinar) holds all of it.
    ['first', 'webinar'],
    // last: c (ads) holds all of it; s (events) does not count.
    ['last', 'ads'],
  ])('gives a shared deal the campaign with the largest share (%s)', (model, campaign) => {
    expect(recomputeDealCampaigns(['big'], graph, settings(model)).get('big')).toBe(campaign);
  });

  it('gives null to deals that are gone, in uncounted pipelines, or count for no lead', () => {
    const withStakeholderOnly: Neighbourhood = {
      contacts: graph.contacts,
      deals: new Map([...graph.deals, ['late', deal({ contactIds: ['s', 'n'] })]]),
    };
    // late: s joined after it was created and n is not a lead, so it counts for nobody.
    const campaigns = recomputeDealCampaigns(
      ['side', 'ghost', 'late'],
      withStakeholderOnly,
      settings('even'),
    );
    expect(Object.fromEntries(campaigns)).toEqual({ side: null, ghost: null, late: null });
  });

  it.each<[AttributionModel, string]>([
    // Three leads in three campaigns, a third each: a three-way tie goes to the earliest lead (r1, day 1).
    ['even', 'one'],
    ['first', 'one'],
    // last: r3 (day 3) holds it all, no tie.
    ['last', 'three'],
  ])(
    'breaks ties by the earliest lead, whatever order the deal lists its contacts (%s)',
    (model, campaign) => {
      const trio: Neighbourhood = {
        contacts: new Map([
          ['r3', contact('three', 3, ['t'])],
          ['r1', contact('one', 1, ['t'])],
          ['r2', contact('two', 2, ['t'])],
        ]),
        deals: new Map([['t', deal({ contactIds: ['r3', 'r2', 'r1'] })]]),
      };
      expect(recomputeDealCampaigns(['t'], trio, settings(model)).get('t')).toBe(campaign);
    },
  );

  it('gives a campaign to an open deal too (shares are of the deal, won or not)', () => {
    const open: Neighbourhood = {
      contacts: new Map([
        ['p', contact('ads', 1, ['d'])],
        ['q', contact('webinar', 2, ['d'])],
      ]),
      deals: new Map([['d', deal({ won: false, closedAt: null, contactIds: ['q', 'p'] })]]),
    };
    // even split 1/2 each: a tie, so the earliest lead's campaign, p's.
    expect(recomputeDealCampaigns(['d'], open, settings('even')).get('d')).toBe('ads');
  });
});
