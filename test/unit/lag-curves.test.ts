import { describe, expect, it } from 'vitest';
import { daysQuantiles, lagCurves, lagStats } from '../../src/core/lag-stats.ts';

import { at, H, lead, NOW } from '../support/lag-leads.ts';

describe('daysQuantiles: time to the event among those who have it within H', () => {
  // Won at 10.26, 20, 30, 40 and 200; lost at 15; nothing censored (n = 6). F₁ steps: 10.26 → 1/6;
  // the loss leaves S = 4/6; 20 → +(4/6)/4 = 2/6; 30 → 3/6; 40 → 4/6; 200 is past H. F₁(180) = 4/6:
  // q1 = first t with F₁ ≥ 1/6 = 10.26 (shown to 0.1: 10.3), median ≥ 2/6 → 20, q3 ≥ 3/6 → 30.
  const observations = [at(10.26, 1), at(15, 2), at(20, 1), at(30, 1), at(40, 1), at(200, 1)];
  it('reads the quartiles off the incidence curve', () => {
    expect(daysQuantiles(observations, H)).toEqual({ median: 20, q1: 10.3, q3: 30 });
  });
  it('is null without an event by H', () => {
    expect(daysQuantiles([at(15, 2), at(200, 1), at(90, 0)], H)).toEqual({
      median: null,
      q1: null,
      q3: null,
    });
    expect(daysQuantiles([], H)).toEqual({ median: null, q1: null, q3: null });
  });
});

describe('lagStats', () => {
  it('daysToClose is timed from the opportunity, daysToOpportunity from the lead date', () => {
    // Opportunities at days 5, 10, 20 (from lead dates); won 10, 30 and 60 days after them.
    const leads = [lead(300, 'won', 15, 5), lead(300, 'won', 40, 10), lead(300, 'won', 80, 20), lead(300)];
    const stats = lagStats(leads, NOW, H);
    expect(stats.daysToOpportunity).toEqual({ q1: 5, median: 10, q3: 20 });
    expect(stats.daysToClose).toEqual({ q1: 10, median: 30, q3: 60 });
    expect(stats.closeRateAtHorizon.rate).toBeCloseTo(0.75, 12); // 3 of 4, nothing censored before H
    expect(stats.opportunityRateAtHorizon.rate).toBeCloseTo(0.75, 12);
  });
});

describe('lagCurves: null past the longest follow-up', () => {
  // A: aged 5.5 days, opportunity at 0.5, won at 1.2 → close obs (1.2, won), opportunity obs (0.5, event).
  // B: aged 3.5 days, open → (3.5, censored) in both. Longest follow-up: 3.5 days, so days 4..7 are null.
  const leads = [lead(5.5, 'won', 1.2, 0.5), lead(3.5)];
  const curves = lagCurves(leads, NOW, 7);
  it('close: 0 until the win at 1.2, then 1/2 (Y = 2), null from day 4', () => {
    expect(curves.close.map((point) => point.rate)).toEqual([0, 0, 0.5, 0.5, null, null, null, null]);
    expect(curves.close[7]).toEqual({ day: 7, rate: null, low: null, high: null });
  });
  it('opportunity: 1/2 from day 1, null from day 4', () => {
    expect(curves.opportunity.map((point) => point.rate)).toEqual([0, 0.5, 0.5, 0.5, null, null, null, null]);
  });
  it('is identified to H when the lead followed longest has closed', () => {
    // A won at 1.2 (aged 5.5); C open, aged 0.5: after C is censored A is alone at risk and wins, S = 0.
    const closed = lagCurves([lead(5.5, 'won', 1.2, 0.5), lead(0.5)], NOW, 7);
    expect(closed.close.map((point) => point.rate)).toEqual([0, 0, 1, 1, 1, 1, 1, 1]);
  });
  it('without leads every day is null', () => {
    expect(lagCurves([], NOW, 2).close.map((point) => point.rate)).toEqual([null, null, null]);
  });
});
