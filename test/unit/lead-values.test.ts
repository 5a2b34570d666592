import { describe, expect, it } from 'vitest';
import {
  type CampaignFigures,
  type CampaignTotals,
  campaignFigures,
} from '../../src/core/campaign-figures.ts';
import type { LagScoreInputs } from '../../src/core/lag-score.ts';
import type { HorizonRate, LagStats } from '../../src/core/lag-stats.ts';
import type { LeadFigures } from '../../src/core/lead-figures.ts';
import {
  type CampaignView,
  contactValues,
  dealValues,
  type PortalView,
  scoreReason,
  shownCloseRate,
} from '../../src/core/lead-values.ts';
import type { DailyCurves } from '../../src/core/score-curves.ts';

const NOW = Date.UTC(2026, 0, 1);
const totals = (campaign: string, leads: number, won: number, revenue: number): CampaignTotals => ({
  campaign,
  leads,
  opportunities: won,
  won,
  lost: 0,
  open: leads - won,
  revenue,
  wonDeals: won,
  stageSkips: 0,
});
// Webinar: 9 won of 100 → Wilson 95 %: centre 0.09 + 1.96²/200 = 0.1092, spread
// 1.96·√(0.09·0.91/100 + 1.96²/40000) = 0.0593, ÷ (1 + 1.96²/100) → 4.8–16.2 %, shown 5–16.
// Quiet: 0 of 10 → Wilson high = z²/(n + z²) = 3.84/13.84 = 27.8 % → 0–28. Revenue: Webinar 9000 of
// 10000 with 100 of 1000 leads → alignment (0.9)/(0.1) = 9.0; (none) 1000 of 10000 with 890 leads → 0.1.
const [webinar, quiet, none, empty] = campaignFigures([
  totals('Webinar', 100, 9, 9000),
  totals('Quiet', 10, 0, 0),
  totals('(none)', 890, 9, 1000),
  totals('Empty', 0, 0, 0),
]) as [CampaignFigures, CampaignFigures, CampaignFigures, CampaignFigures];

const horizon = (rate: number | null, low: number | null, high: number | null): HorizonRate => ({
  days: 180,
  rate,
  low,
  high,
  maturity: 0.8,
});
const lag = (close: HorizonRate): LagStats => ({
  closeRateAtHorizon: close,
  opportunityRateAtHorizon: horizon(null, null, null),
  daysToOpportunity: { median: null, q1: null, q3: null },
  daysToClose: { median: null, q1: null, q3: null },
});
const MATURE = lag(horizon(0.234, 0.15, 0.349));
const TOO_NEW = lag(horizon(null, null, null));
const PORTAL: PortalView = { overallRate: 0.018, pooledStageRates: [0.1, 0.2, 0.35, 0.6], horizonDays: 180 };

function lead(stage: LeadFigures['stage'], status: LeadFigures['status'] = 'open', campaign = 'Webinar') {
  return {
    campaign,
    leadDate: NOW,
    status,
    opportunity: stage === 3,
    opportunityDate: null,
    closedDate: null,
    revenue: 0,
    wonDeals: 0,
    wonShares: [],
    stage,
    skipped: false,
  } satisfies LeadFigures;
}

describe('scoreReason', () => {
  const stages = { figures: webinar, lag: MATURE, stageRates: [0.23, 0.3, 0.456, null] };
  const lagAware = 'Webinar leads close about 23 % within 180 days (15–35 %).';
  const naive = 'Webinar leads close about 9 % of the time (5–16 %).';
  const unidentified: PortalView = { ...PORTAL, pooledStageRates: [null, null, null, null] };
  it.each([
    ['lag-aware', lead(0), { figures: webinar, lag: MATURE }, PORTAL, lagAware],
    [
      'lag-aware with the stage clause',
      lead(2),
      stages,
      PORTAL,
      `${lagAware.slice(0, -1)}; those that reached SQL close 46 %.`,
    ],
    ['no stage clause at the lead stage', lead(0), stages, PORTAL, lagAware],
    ['no stage clause where the stage rate is not identified', lead(3), stages, PORTAL, lagAware],
    [
      'lag stats but no rate at H: too new to judge',
      lead(1),
      { figures: webinar, lag: TOO_NEW },
      PORTAL,
      'Webinar is too new to judge; leads at MQL stage close about 20 % across all campaigns.',
    ],
    [
      'leads without a campaign, lag-aware',
      lead(0, 'open', '(none)'),
      { figures: none, lag: MATURE },
      PORTAL,
      'Leads without a campaign close about 23 % within 180 days (15–35 %).',
    ],
    [
      'leads without a campaign, too new',
      lead(0, 'open', '(none)'),
      { figures: none, lag: TOO_NEW },
      PORTAL,
      'This lead has no campaign; leads at lead stage close about 10 % across all campaigns.',
    ],
    ['naive before statistics exist', lead(0), { figures: webinar }, PORTAL, naive],
    [
      'naive when nothing is identified anywhere',
      lead(0),
      { figures: webinar, lag: TOO_NEW },
      unidentified,
      naive,
    ],
    [
      'naive with no win yet',
      lead(0, 'open', 'Quiet'),
      { figures: quiet },
      PORTAL,
      'Quiet leads close about 0 % of the time (0–28 %).',
    ],
    [
      'naive without leads',
      lead(0, 'open', 'Empty'),
      { figures: empty },
      PORTAL,
      'Empty leads have no outcome yet.',
    ],
    ['won', lead(3, 'won'), stages, PORTAL, 'This lead has a won deal.'],
    ['lost', lead(3, 'lost'), stages, PORTAL, 'Every deal of this lead was lost.'],
  ] as [string, LeadFigures, CampaignView, PortalView, string][])(
    '%s',
    (_, figures, view, portal, sentence) => {
      expect(scoreReason(figures, view, portal)).toBe(sentence);
    },
  );
});

describe('shownCloseRate: lag-aware once it exists, naive until then', () => {
  it.each([
    ['lag-aware', { figures: webinar, lag: MATURE }, 0.234],
    ['naive while the lag-aware rate is not identified', { figures: webinar, lag: TOO_NEW }, 0.09],
    ['naive before statistics', { figures: webinar }, 0.09],
    ['null without leads', { figures: empty }, null],
  ] as [string, CampaignView, number | null][])('%s', (_, view, rate) => {
    expect(shownCloseRate(view).rate).toBe(rate);
  });
});

describe('contactValues and dealValues', () => {
  // One curve for every stage, H = 1: pooled window chance 0.1 for a lead aged 0 (see lag-score tests).
  const pooled: DailyCurves = {
    won: [0, 0.1, 0.2],
    lost: [0, 0, 0],
    informative: [50, 50, 50],
    reliableUntil: 2,
  };
  const score: LagScoreInputs = {
    campaign: undefined,
    all: [pooled, pooled, pooled, pooled],
    priorStrength: 30,
    baseline: 0.05,
    horizonDays: 1,
    now: NOW,
  };
  it('scores from the curves once lag-aware inputs are given and shows the lag-aware rate', () => {
    expect(contactValues(lead(0), { figures: webinar, lag: MATURE }, PORTAL, score)).toEqual({
      closeloop_campaign: 'Webinar',
      closeloop_lead_score: '10', // no campaign curves: the pooled 0.1
      closeloop_lead_grade: 'A', // 0.1 / 0.05 = 2×
      closeloop_campaign_close_rate: '23',
      closeloop_score_reason: 'Webinar leads close about 23 % within 180 days (15–35 %).',
    });
  });
  it('falls back to the naive shrunk rate without curves', () => {
    // (9 + 30·0.018) / (100 + 30) = 7.3 % → 7; 0.073 / 0.018 ≥ 1.5 → A.
    expect(contactValues(lead(0), { figures: webinar }, PORTAL)).toMatchObject({
      closeloop_lead_score: '7',
      closeloop_lead_grade: 'A',
      closeloop_campaign_close_rate: '9',
    });
  });
  it.each([
    ['lag-aware rate, alignment 9.0', { figures: webinar, lag: MATURE }, '23', '9.0'],
    ['naive rate, alignment 0.1', { figures: none }, '1', '0.1'],
    ['no rate and no alignment without leads or revenue', { figures: empty }, '', ''],
  ] as [string, CampaignView, string, string][])('deal: %s', (_, view, rate, alignment) => {
    expect(dealValues(view)).toEqual({
      closeloop_campaign: view.figures.campaign,
      closeloop_campaign_close_rate: rate,
      closeloop_alignment_index: alignment,
    });
  });
});
