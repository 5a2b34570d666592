import { describe, expect, it } from 'vitest';
import type { LeadFigures } from '../../src/core/lead-figures.ts';
import { dailyCurves, stageCurves } from '../../src/core/score-curves.ts';
import type { Observation, Outcome } from '../../src/core/survival.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 1);
const at = (time: number, outcome: Outcome): Observation => ({ time, outcome });

function lead(age: number, stage: LeadFigures['stage'], status: LeadFigures['status'], closedAfter?: number) {
  const leadDate = NOW - age * DAY;
  const figures: LeadFigures = {
    campaign: 'Expo',
    leadDate,
    status,
    opportunity: stage === 3,
    opportunityDate: stage === 3 ? leadDate : null,
    closedDate: closedAfter === undefined ? null : leadDate + closedAfter * DAY,
    revenue: 0,
    wonDeals: 0,
    wonShares: [],
    stage,
    skipped: false,
  };
  return figures;
}

describe('dailyCurves: sampled per whole day', () => {
  // Won at 1.5, lost at 2, open (censored) at 2.5, won at 4. AJ: t=1.5 Y=4 → F_won = 1/4, S = 3/4;
  // t=2 Y=3 → F_lost = (3/4)/3 = 1/4, S = 1/2; the censoring at 2.5 leaves Y = 1; t=4 → F_won += 1/2 = 3/4.
  // A day d counts events with time ≤ d: day 1 sees nothing yet, day 2 sees both first events.
  const curves = dailyCurves([at(1.5, 1), at(2, 2), at(2.5, 0), at(4, 1)], 5, 1);
  it('samples the incidence of won and of lost at days 0..lastDay', () => {
    expect(curves.won).toEqual([0, 0, 0.25, 0.25, 0.75, 0.75]);
    expect(curves.lost).toEqual([0, 0, 0.25, 0.25, 0.25, 0.25]);
  });
  it('informative[a] = still open at a with the outcome by a + H known (H = 1 here)', () => {
    // Followed through a + 1, or closed in [a, a + 1):
    // a = 0: all four followed ≥ 1 → 4. a = 1: 2, 2.5, 4 followed ≥ 2, and 1.5 closed in [1, 2) → 4.
    // a = 2: 4 followed ≥ 3, the loss at 2 closed in [2, 3); the lead open until 2.5 is unknown by 3 → 2.
    // a = 3: 4 followed ≥ 4 → 1. a = 4: the win at 4 closed in [4, 5) → 1. a = 5: nobody → 0.
    expect(curves.informative).toEqual([4, 4, 2, 1, 1, 0]);
    // Never the 20 leads an age needs to be read with confidence.
    expect(curves.reliableUntil).toBe(-1);
  });
  it.each([
    ['rounds fractions to 1e-5', [at(1, 1), at(5, 0), at(5, 0)], 1, [0, 0.33333]],
    ['takes whole days of a fractional lastDay', [at(1, 1)], 2.7, [0, 1, 1]],
    ['keeps day 0 for a negative lastDay', [at(1, 1)], -3, [0]],
    ['is all zero without observations', [], 2, [0, 0, 0]],
  ] as const)('%s', (_, observations, lastDay, won) => {
    expect(dailyCurves(observations, lastDay, 1).won).toEqual(won);
  });
});

describe('stageCurves: stage s uses the leads whose furthest stage is s or later', () => {
  // Aged 10 days unless said: stage 0 open; stage 1 lost at day 2; stage 2 won at day 3; stage 3 (aged
  // 10.2) won at day 1. Curves run to ceil(oldest age = 10.2) + H = 11 + 2 = 13 days.
  const leads = [lead(10, 0, 'open'), lead(10, 1, 'lost', 2), lead(10, 2, 'won', 3), lead(10.2, 3, 'won', 1)];
  const curves = stageCurves(leads, NOW, 2);

  it('has one curve per stage, each to day 13', () => {
    expect(curves.map((curve) => curve.won.length)).toEqual([14, 14, 14, 14]);
  });
  it.each([
    // stage 0, all 4: t=1 Y=4 → 1/4; t=2 loss Y=3 → F_lost = (3/4)/3 = 1/4; t=3 Y=2, S = 1/2 → +1/4.
    [0, 0.5, 0.25, 4],
    // stage ≥ 1, 3 leads: t=1 Y=3 → 1/3; t=2 Y=2 → F_lost = (2/3)/2 = 1/3; t=3 Y=1 → +1/3.
    [1, 0.66667, 0.33333, 3],
    // stage ≥ 2, 2 leads: t=1 → 1/2; t=3 Y=1 → +1/2.
    [2, 1, 0, 2],
    // stage 3, 1 lead won at day 1.
    [3, 1, 0, 1],
  ])(
    'stage %i: F_won(13) = %f, F_lost(13) = %f, informative at age 0 = %i',
    (stage, won, lost, informative) => {
      const curve = curves[stage]!;
      expect(curve.won.at(-1)).toBe(won);
      expect(curve.lost.at(-1)).toBe(lost);
      // Age 0, H = 2: followed through day 2 (the open lead, the loss at 2, the win at 3) or closed
      // before day 2 (the win at 1) — within the leads of that stage.
      expect(curve.informative[0]).toBe(informative);
    },
  );
  it('without leads: H + 1 days of zeros per stage', () => {
    expect(stageCurves([], NOW, 2)).toEqual(
      Array.from({ length: 4 }, () => ({
        won: [0, 0, 0],
        lost: [0, 0, 0],
        informative: [0, 0, 0],
        reliableUntil: -1,
      })),
    );
  });
});
