import { describe, expect, it } from 'vitest';
import {
  closeObservations,
  horizonRate,
  maturity,
  opportunityCloseObservations,
  opportunityObservations,
} from '../../src/core/lag-stats.ts';
import type { LeadFigures } from '../../src/core/lead-figures.ts';

import { at, H, lead, NOW } from '../support/lag-leads.ts';

describe('observations', () => {
  const leads = [
    lead(45.5), // open: censored at its age, (now − lead date) / 86.4e6 = 45.5 days
    lead(100, 'won', 30, 10), // won 30 days after its lead date, opportunity at day 10
    lead(200, 'lost', 50, 20), // lost at day 50, opportunity at day 20
    lead(60, 'open', null, 12.25), // an open opportunity since day 12.25
    lead(-1), // dated after now (clock skew): never a negative time
  ];

  it('lead → close: won = 1, lost = 2, open censored at age in days', () => {
    expect(closeObservations(leads, NOW)).toEqual([at(45.5, 0), at(30, 1), at(50, 2), at(60, 0), at(0, 0)]);
  });
  it('lead → opportunity: the opportunity date is the event, everyone else is censored at age', () => {
    expect(opportunityObservations(leads, NOW)).toEqual([
      at(45.5, 0),
      at(10, 1),
      at(20, 1),
      at(12.25, 1),
      at(0, 0),
    ]);
  });
  it('opportunity → close: only opportunities, timed from the opportunity date', () => {
    // won: 30 − 10 = 20; lost: 50 − 20 = 30; open: 60 − 12.25 = 47.75 days of follow-up.
    expect(opportunityCloseObservations(leads, NOW)).toEqual([at(20, 1), at(30, 2), at(47.75, 0)]);
  });
});

describe('maturity: the share observed for at least H days or closed', () => {
  it.each([
    // closed at 10 (known), open 50 (not), open 200 (known), open 180 (known: ≥ H), open 179.9 (not) → 3/5
    [[at(10, 1), at(50, 0), at(200, 0), at(180, 0), at(179.9, 0)], 0.6],
    [[at(1, 2), at(2, 1)], 1],
    [[at(30, 0), at(60, 0)], 0],
    [[], null],
  ] as const)('%j → %s', (observations, expected) => {
    expect(maturity(observations, H)).toBe(expected);
  });
});

describe('horizonRate', () => {
  it('a mature cohort: 10 leads aged 400 days, won at days 30 and 60, lost at 90, 200', () => {
    // AJ: t=30 Y=10 → F₁ = 1/10; t=60 Y=9, S(30−) = 0.9 → F₁ += 0.9·1/9 = 0.1 → 0.2; the loss at 90
    // moves F₂ only, the win at 200 is past H. Nothing is censored before H, so F₁(180) = 2/10 with the
    // binomial variance 0.2·0.8/10 = 0.016; log(−log) interval: spread = exp(1.96·√0.016 / (0.2·|ln 0.2|))
    // = 2.1603, low = 0.2^2.1603 = 0.0309, high = 0.2^(1/2.1603) = 0.4747.
    const leads = [lead(400, 'won', 30), lead(400, 'won', 60), lead(400, 'lost', 90), lead(400, 'won', 200)];
    while (leads.length < 10) leads.push(lead(400));
    const rate = horizonRate(closeObservations(leads, NOW), H);
    expect(rate.days).toBe(180);
    expect(rate.rate).toBeCloseTo(0.2, 12);
    expect(rate.low).toBeCloseTo(0.0309, 4);
    expect(rate.high).toBeCloseTo(0.4747, 4);
    expect(rate.maturity).toBe(1); // 4 closed + 6 open followed 400 ≥ 180 days
  });

  it('a young cohort (every lead younger than H) has no rate at H, only its maturity', () => {
    // 10 leads aged 60 days, one won at day 20. The curve is known to day 60 (F₁ = 0.1) but says nothing
    // about days 60–180; carrying 0.1 flat to H would pretend the other nine can no longer close.
    const leads = [lead(60, 'won', 20), ...Array.from({ length: 9 }, () => lead(60))];
    expect(horizonRate(closeObservations(leads, NOW), H)).toEqual({
      days: 180,
      rate: null,
      low: null,
      high: null,
      maturity: 0.1, // only the closed lead's outcome at H is known
    });
  });

  it('is identified at H once every lead followed longest has closed (S reached 0)', () => {
    // 8 leads aged 30 days (open) and 2 aged 400 days closed at days 50 (won) and 100 (lost): no
    // observation reaches 180, yet after the censoring at 30 both remaining leads close, S falls to 0 and
    // F₁ stays 0.5 for ever: t=50 Y=2 → F₁ = 1/2, S = 1/2; t=100 Y=1 → F₂ = 1/2, S = 0. Delta-method
    // variance: only t=50 contributes, S² d₁ (Y − d₁) / Y³ = 1/8; log(−log) spread
    // exp(1.96·√0.125 / (0.5·ln 2)) = 7.385 → [0.5^7.385, 0.5^(1/7.385)] = [0.0060, 0.9104].
    const leads = [
      lead(400, 'won', 50),
      lead(400, 'lost', 100),
      ...Array.from({ length: 8 }, () => lead(30)),
    ];
    const rate = horizonRate(closeObservations(leads, NOW), H);
    expect(rate.rate).toBeCloseTo(0.5, 12);
    expect(rate.low).toBeCloseTo(0.006, 4);
    expect(rate.high).toBeCloseTo(0.9104, 4);
    expect(rate.maturity).toBe(0.2);
  });

  it('bounds a rate of exactly 0 by Clopper–Pearson on the leads known at H, not a point', () => {
    // 0 wins among 50 leads followed 400 days: high = 1 − 0.025^(1/50) = 1 − e^(ln 0.025 / 50) = 0.0711.
    const rate = horizonRate(
      closeObservations(
        Array.from({ length: 50 }, () => lead(400)),
        NOW,
      ),
      H,
    );
    expect(rate).toMatchObject({ rate: 0, low: 0 });
    expect(rate.high).toBeCloseTo(0.0711, 4);
  });

  it('no observations: nulls throughout', () => {
    expect(horizonRate([], H)).toEqual({ days: 180, rate: null, low: null, high: null, maturity: null });
  });

  it("ranks a young campaign above an old one that naive won/leads prefers (the product's reason to be)", () => {
    // Young: 5 leads aged 400 days (won at 100 and 140, lost twice at 150, one still open) and 15 leads
    // aged 60 days, all open: naive 2/20 = 10 %. AJ: the 15 are censored at 60, leaving Y = 5;
    // t=100 F₁ = 1/5 = 0.2, S = 0.8; t=140 Y=4 → F₁ += 0.8/4 = 0.2 → 0.4, S = 0.6; t=150 losses only.
    // F₁(180) = 0.4. Maturity: 4 closed + 1 followed ≥ 180 of 20 = 0.25.
    const young = [
      lead(400, 'won', 100),
      lead(400, 'won', 140),
      lead(400, 'lost', 150),
      lead(400, 'lost', 150),
      lead(400),
      ...Array.from({ length: 15 }, () => lead(60)),
    ];
    // Old: 10 leads aged 400 days: 3 won at 100, 6 lost at 150, 1 open; nothing censored before H, so
    // naive and lag-aware agree: 3/10 = 30 %.
    const old = [
      ...Array.from({ length: 3 }, () => lead(400, 'won', 100)),
      ...Array.from({ length: 6 }, () => lead(400, 'lost', 150)),
      lead(400),
    ];
    const naive = (leads: LeadFigures[]) => leads.filter((l) => l.status === 'won').length / leads.length;
    expect([naive(young), naive(old)]).toEqual([0.1, 0.3]);
    const youngRate = horizonRate(closeObservations(young, NOW), H);
    const oldRate = horizonRate(closeObservations(old, NOW), H);
    expect(youngRate.rate).toBeCloseTo(0.4, 12);
    expect(youngRate.maturity).toBe(0.25);
    expect(oldRate.rate).toBeCloseTo(0.3, 12);
    expect(oldRate.maturity).toBe(1);
    expect(youngRate.low! < 0.4 && youngRate.high! > 0.4).toBe(true);
  });
});
