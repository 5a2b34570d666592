import { describe, expect, it } from 'vitest';
import { type LagScoreInputs, lagLeadScore, windowChance } from '../../src/core/lag-score.ts';
import type { LeadFigures } from '../../src/core/lead-figures.ts';
import type { DailyCurves } from '../../src/core/score-curves.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 1);

describe('windowChance = (F_won(a+H) − F_won(a)) / (1 − F_won(a) − F_lost(a)) on whole days', () => {
  const curves: DailyCurves = {
    won: [0, 0.1, 0.2, 0.3, 0.3, 0.3],
    lost: [0, 0.1, 0.1, 0.2, 0.2, 0.2],
    informative: [10, 10, 9, 8, 8, 7],
    reliableUntil: -1,
  };
  it.each([
    // a = 1.7 → day 1, end day 3: (0.3 − 0.1) / (1 − 0.1 − 0.1) = 0.25; informative at the lead's age (day 1): 10.
    [1.7, 2, 0.25, 10],
    // a = 0: (0.2 − 0) / 1 = 0.2; informative[0] = 10.
    [0, 2, 0.2, 10],
    // a = 4.5 → day 4, end = min(7, 5) = 5 (past the curves' end, their last value): 0 / 0.5 = 0; informative[4] = 8.
    [4.5, 3, 0, 8],
    // Older than the curves: both ends at day 5; informative[5] = 7.
    [10, 2, 0, 7],
  ])('age %f, H %i → chance %f, informative %i', (age, horizon, chance, informative) => {
    const result = windowChance(curves, age, horizon);
    expect(result.chance).toBeCloseTo(chance, 12);
    expect(result.informative).toBe(informative);
  });
  it('is null without curves', () => {
    expect(windowChance({ won: [], lost: [], informative: [], reliableUntil: -1 }, 3, 2)).toEqual({
      chance: null,
      informative: 0,
    });
  });
  it('is 0 when nobody of the group is still open at that age', () => {
    expect(
      windowChance({ won: [0, 0.6], lost: [0, 0.4], informative: [5, 5], reliableUntil: -1 }, 1, 1),
    ).toEqual({
      chance: 0,
      informative: 5,
    });
  });
});

// Every age equally informative; reliable everywhere once 20 leads support it (RELIABLE_LEADS).
const flat = (won: number[], lost: number[], informative: number): DailyCurves => ({
  won,
  lost,
  informative: won.map(() => informative),
  reliableUntil: informative >= 20 ? won.length - 1 : -1,
});
// Pooled curves per stage, H = 1: a lead aged 0 has window chance F_won(1) (nobody closed at day 0).
const POOLED = [
  flat([0, 0.1, 0.2], [0, 0, 0.1], 100), // lead: 0.1
  flat([0, 0.15, 0.3], [0, 0, 0], 100), // MQL: 0.15
  flat([0, 0.3, 0.5], [0, 0, 0], 100), // SQL: 0.3
  flat([0, 0.6, 0.7], [0, 0, 0], 100), // opportunity: 0.6
];
const sameForEveryStage = (curves: DailyCurves) => [curves, curves, curves, curves];

function openLead(
  stage: LeadFigures['stage'],
  ageDays = 0,
  status: LeadFigures['status'] = 'open',
): LeadFigures {
  return {
    campaign: 'Expo',
    leadDate: NOW - ageDays * DAY,
    status,
    opportunity: stage === 3,
    opportunityDate: null,
    closedDate: status === 'open' ? null : NOW,
    revenue: 0,
    wonDeals: 0,
    wonShares: [],
    stage,
    skipped: false,
  };
}
function inputs(campaign: DailyCurves[] | undefined, baseline = 0.2): LagScoreInputs {
  return { campaign, all: POOLED, priorStrength: 30, baseline, horizonDays: 1, now: NOW };
}

describe('lagLeadScore', () => {
  it.each([
    // Own chance 0.5 resting on 30 informative leads against a prior of 30: weight 30/60 = 0.5,
    // 0.5·0.5 + 0.5·0.1 = 0.3 → 30; 0.3 / baseline 0.2 = 1.5 → A.
    [
      'a campaign with as many informative leads as the prior',
      flat([0, 0.5, 0.5], [0, 0, 0], 30),
      30,
      'A',
      0.5,
    ],
    // Three leads, all won on day 1: own chance 1 with weight 3/33: (3·1 + 30·0.1)/33 = 6/33 = 0.18 → 18,
    // 0.18 / 0.2 = 0.91 → C. It cannot claim 100.
    ['a campaign with 3 leads', flat([0, 1, 1], [0, 0, 0], 3), 18, 'C', 3 / 33],
    // Young: nothing informative yet → weight 0, the pooled 0.1 → 10; 0.1 / 0.2 = 0.5 → C.
    ['a young campaign (informative = 0)', flat([0, 0, 0], [0, 0, 0], 0), 10, 'C', 0],
    // Hundreds informative: weight 970/1000, 0.97·0.5 + 0.03·0.1 = 0.488 → 49 (2.44× → A).
    ['a large campaign', flat([0, 0.5, 0.5], [0, 0, 0], 970), 49, 'A', 0.97],
  ])('%s scores %i (%s) with weight %f', (_, curves, score, grade, weight) => {
    const result = lagLeadScore(openLead(0), inputs(sameForEveryStage(curves)));
    expect(result.score).toBe(score);
    expect(result.grade).toBe(grade);
    expect(result.weight).toBeCloseTo(weight, 12);
  });

  it('a campaign without curves scores like the pooled curves of the lead’s stage', () => {
    expect(lagLeadScore(openLead(2), inputs(undefined))).toEqual({ score: 30, grade: 'A', weight: 0 });
  });

  it('reads the curves of the lead’s furthest stage', () => {
    expect(
      [0, 1, 2, 3].map(
        (stage) => lagLeadScore(openLead(stage as LeadFigures['stage']), inputs(undefined)).score,
      ),
    ).toEqual([10, 15, 30, 60]);
  });

  it('uses the whole-day age: 1.5 days old reads days 1 → 2', () => {
    // Pooled lead stage: (0.2 − 0.1) / (1 − 0.1 − 0) = 0.111 → 11.
    expect(lagLeadScore(openLead(0, 1.5), inputs(undefined)).score).toBe(11);
    expect(lagLeadScore(openLead(0, 0.99), inputs(undefined)).score).toBe(10);
  });

  it('won leads score 100 (A), lost leads 0 (D), whatever the curves', () => {
    expect(lagLeadScore(openLead(0, 5, 'won'), inputs(undefined))).toEqual({
      score: 100,
      grade: 'A',
      weight: 1,
    });
    expect(lagLeadScore(openLead(3, 5, 'lost'), inputs(undefined))).toEqual({
      score: 0,
      grade: 'D',
      weight: 1,
    });
  });

  it.each([
    // The SQL lead's chance is the pooled 0.3 throughout; only the baseline moves.
    [0.2, 'A'], // 1.5×
    [0.3, 'B'], // 1×
    [0.25, 'B'], // 1.2×
    [0.6, 'C'], // 0.5×
    [0.61, 'D'], // 0.49×
    [0, 'C'], // nothing closes anywhere yet: every open lead is C
  ])('grades relative to the baseline %f: %s', (baseline, grade) => {
    expect(lagLeadScore(openLead(2), inputs(undefined, baseline)).grade).toBe(grade);
  });
});

describe('lagLeadScore past the ages the portal has enough leads for', () => {
  // Pooled: wins keep coming until day 3; from day 3 on fewer than 20 leads are informative
  // (reliableUntil = 2). H = 1.
  const sparse: DailyCurves = {
    won: [0, 0.1, 0.2, 0.35, 0.35, 0.35],
    lost: [0, 0, 0, 0, 0, 0],
    informative: [100, 100, 100, 5, 5, 5],
    reliableUntil: 2,
  };
  const scoreAt = (ageDays: number) =>
    lagLeadScore(openLead(0, ageDays), {
      campaign: undefined,
      all: [sparse, sparse, sparse, sparse],
      priorStrength: 30,
      baseline: 0.2,
      horizonDays: 1,
      now: NOW,
    }).score;

  it('reads an old lead at the oldest reliable age instead of scoring it 0', () => {
    // Read at day 4 the curves are flat: (0.35 − 0.35) / 0.65 = 0. Read at day 2:
    // (F(3) − F(2)) / (1 − F(2)) = 0.15 / 0.8 = 0.1875 → 19.
    expect(scoreAt(4)).toBe(19);
    expect(scoreAt(2)).toBe(19);
    // Younger leads are read at their own age: day 1 → (0.2 − 0.1) / 0.9 = 0.111 → 11.
    expect(scoreAt(1)).toBe(11);
  });
});
