import { describe, expect, it } from 'vitest';
import { campaignFigures } from '../../src/core/campaign-figures.ts';
import { campaignOf } from '../../src/core/campaign-of.ts';
import { gradeOf, leadScore, shrunkCloseRate } from '../../src/core/lead-score.ts';
import { contactValues, dealValues } from '../../src/core/lead-values.ts';
import { fingerprint } from '../../src/core/record-values.ts';

describe('shrunkCloseRate', () => {
  it('pulls a tiny campaign almost all the way to the overall rate', () => {
    const shrunk = shrunkCloseRate(1, 3, 0.05);
    expect(shrunk.rate).toBeCloseTo((1 + 30 * 0.05) / 33, 12);
    expect(shrunk.weight).toBeCloseTo(3 / 33, 12);
  });
  it('lets a large campaign speak for itself', () => {
    expect(shrunkCloseRate(200, 1000, 0.05).rate).toBeCloseTo(0.1956, 4);
  });
});

describe('gradeOf', () => {
  it.each([
    [0.15, 0.1, 'A'],
    [0.1, 0.1, 'B'],
    [0.05, 0.1, 'C'],
    [0.049, 0.1, 'D'],
    [0.2, 0, 'C'],
  ])('%f against %f is %s', (rate, overall, grade) => {
    expect(gradeOf(rate, overall)).toBe(grade);
  });
});

describe('record values', () => {
  const [webinar] = campaignFigures([
    {
      campaign: 'Spring webinar',
      leads: 100,
      opportunities: 30,
      won: 9,
      lost: 5,
      open: 86,
      revenue: 9000,
      wonDeals: 9,
      stageSkips: 0,
    },
    {
      campaign: 'Ads',
      leads: 900,
      opportunities: 30,
      won: 9,
      lost: 5,
      open: 886,
      revenue: 1000,
      wonDeals: 9,
      stageSkips: 0,
    },
  ]);

  const openLead = {
    campaign: 'Spring webinar',
    leadDate: 0,
    status: 'open' as const,
    opportunity: false,
    opportunityDate: null,
    closedDate: null,
    revenue: 0,
    wonDeals: 0,
    wonShares: [],
    stage: 0 as const,
    skipped: false,
  };

  it('writes rounded, stable figures and a plain sentence (before lag-aware statistics exist)', () => {
    if (!webinar) throw new Error('no figures');
    expect(
      contactValues(openLead, { figures: webinar }, { overallRate: 18 / 1000, horizonDays: 180 }),
    ).toEqual({
      closeloop_campaign: 'Spring webinar',
      // (9 + 30 × 0.018) / (100 + 30) = 7.34 %
      closeloop_lead_score: '7',
      closeloop_lead_grade: 'A',
      closeloop_campaign_close_rate: '9',
      closeloop_score_reason: 'Spring webinar leads close about 9 % of the time (5–16 %).',
    });
    expect(dealValues({ figures: webinar })).toEqual({
      closeloop_campaign: 'Spring webinar',
      closeloop_campaign_close_rate: '9',
      closeloop_alignment_index: '9.0',
    });
  });

  it('scores won and lost leads 100 and 0', () => {
    if (!webinar) throw new Error('no figures');
    expect(leadScore('won', webinar, 0.1)).toEqual({ score: 100, grade: 'A' });
    expect(leadScore('lost', webinar, 0.1)).toEqual({ score: 0, grade: 'D' });
  });

  it('fingerprints by content, not key order', () => {
    expect(fingerprint({ a: '1', b: '2' })).toBe(fingerprint({ b: '2', a: '1' }));
    expect(fingerprint({ a: '1', b: '2' })).not.toBe(fingerprint({ a: '1', b: '3' }));
    expect(fingerprint({ a: '1=b' })).not.toBe(fingerprint({ a: '1', b: '' }));
  });
});

describe('campaignOf', () => {
  const settings = {
    campaignProperties: ['hs_analytics_first_touch_converting_campaign', 'hs_analytics_source_data_1'],
  };
  it.each([
    [
      { hs_analytics_first_touch_converting_campaign: ' Spring webinar ', hs_analytics_source_data_1: 'x' },
      'Spring webinar',
    ],
    [
      {
        hs_analytics_first_touch_converting_campaign: '',
        hs_analytics_source_data_1: 'spring_sale',
        hs_analytics_source: 'PAID_SEARCH',
      },
      'spring_sale',
    ],
    [{ hs_analytics_source_data_1: 'IMPORT', hs_analytics_source: 'OFFLINE' }, '(none)'],
    [{ hs_analytics_first_touch_converting_campaign: 'Expo', hs_analytics_source: 'OFFLINE' }, 'Expo'],
    [{}, '(none)'],
  ])('%o → %s', (properties, campaign) => {
    expect(campaignOf(properties, settings)).toBe(campaign);
  });
});
