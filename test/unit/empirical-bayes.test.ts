import { describe, expect, it } from 'vitest';
import {
  FALLBACK_STRENGTH,
  fitBetaPrior,
  type GroupCount,
  intraclassCorrelation,
  shrink,
} from '../../src/core/empirical-bayes.ts';

const group = (successes: number, trials: number): GroupCount => ({ successes, trials });

// Worked by hand. Five groups of 10 trials with 1, 3, 2, 6, 8 successes: k = 5, N = 50,
// pooled p = 20/50 = 0.4, rates 0.1, 0.3, 0.2, 0.6, 0.8.
//   SSB = Σ nᵢ(pᵢ − p)² = 10 (0.09 + 0.01 + 0.04 + 0.04 + 0.16) = 3.4       MSB = 3.4 / 4 = 17/20
//   SSW = Σ nᵢ pᵢ(1 − pᵢ) = 10 (0.09 + 0.21 + 0.16 + 0.24 + 0.16) = 8.6     MSW = 8.6 / 45 = 43/225
//   (check: SSB + SSW = N p(1 − p) = 50 · 0.24 = 12)
//   n₀ = (N − Σnᵢ²/N)/(k − 1) = (50 − 500/50)/4 = 10
//   ρ = (MSB − MSW)/(MSB + (n₀ − 1) MSW) = (593/900)/(257/100) = 593/2313 ≈ 0.2564
//   α + β = (1 − ρ)/ρ = 1720/593 ≈ 2.9005;  α = 0.4 · 1720/593 = 688/593;  β = 0.6 · 1720/593 = 1032/593
//   shrink(1, 10): rate = (1 + 688/593)/(10 + 1720/593) = 1281/7650 ≈ 0.1675, weight = 5930/7650 = 593/765
describe('beta-binomial fit worked by hand (groups differ: little shrinkage)', () => {
  const groups = [group(1, 10), group(3, 10), group(2, 10), group(6, 10), group(8, 10)];

  it('has the hand-computed intraclass correlation', () => {
    expect(intraclassCorrelation(groups)).toBeCloseTo(593 / 2313, 14);
  });

  it('has the hand-computed prior', () => {
    const prior = fitBetaPrior(groups)!;
    expect(prior.method).toBe('moments');
    expect(prior.alpha).toBeCloseTo(688 / 593, 14);
    expect(prior.beta).toBeCloseTo(1032 / 593, 14);
  });

  it('shrinks 1 in 10 to the hand-computed rate and weight', () => {
    const shrunk = shrink(1, 10, fitBetaPrior(groups)!);
    expect(shrunk.rate).toBeCloseTo(1281 / 7650, 14);
    expect(shrunk.weight).toBeCloseTo(593 / 765, 14);
  });
});

// Worked by hand. Five groups of 20 trials with 4, 5, 6, 5, 5 successes: pooled p = 25/100 = 0.25.
//   MSB = 20 (0.05² + 0 + 0.05² + 0 + 0)/4 = 1/40
//   MSW = 20 (0.16 + 3 · 0.1875 + 0.21)/95 = 18.65/95 = 373/1900
//   n₀ = (100 − 2000/100)/4 = 20;  ρ = (1/40 − 373/1900)/(1/40 + 19 · 373/1900) = −651/14269 ≈ −0.0456
// The groups differ less than binomial noise alone would make them: no between-group variance is left, so
// the fallback prior applies: α = 0.25 · 30 = 7.5, β = 0.75 · 30 = 22.5.
describe('beta-binomial fit worked by hand (groups alike: fallback)', () => {
  const groups = [group(4, 20), group(5, 20), group(6, 20), group(5, 20), group(5, 20)];

  it('has the hand-computed negative intraclass correlation and falls back', () => {
    expect(intraclassCorrelation(groups)).toBeCloseTo(-651 / 14269, 14);
    expect(fitBetaPrior(groups)).toEqual({ alpha: 7.5, beta: 22.5, method: 'fallback' });
  });

  it('pulls a group toward the pooled rate with 30 pseudo-trials', () => {
    const shrunk = shrink(3, 3, fitBetaPrior(groups)!);
    expect(shrunk.rate).toBeCloseTo((3 + 7.5) / 33, 14);
    expect(shrunk.weight).toBeCloseTo(3 / 33, 14);
  });
});

describe('fallback paths', () => {
  it('uses the fallback with fewer than 5 groups with trials (empty groups do not count)', () => {
    const prior = fitBetaPrior([
      group(1, 10),
      group(9, 10),
      group(0, 10),
      group(10, 10),
      group(0, 0),
      group(0, 0),
    ]);
    expect(prior).toEqual({
      alpha: 0.5 * FALLBACK_STRENGTH,
      beta: 0.5 * FALLBACK_STRENGTH,
      method: 'fallback',
    });
  });

  it('uses the fallback when every group is all-or-nothing (ρ = 1 would mean no shrinkage)', () => {
    const groups = [group(0, 3), group(0, 3), group(0, 3), group(0, 3), group(3, 3)];
    expect(intraclassCorrelation(groups)).toBe(1);
    expect(fitBetaPrior(groups)!.method).toBe('fallback');
  });

  it('uses the fallback when no group has any success (ρ undefined), centred on 0', () => {
    const groups = Array.from({ length: 6 }, () => group(0, 12));
    expect(intraclassCorrelation(groups)).toBeNull();
    const prior = fitBetaPrior(groups)!;
    expect(prior).toEqual({ alpha: 0, beta: FALLBACK_STRENGTH, method: 'fallback' });
    expect(shrink(0, 10, prior)).toEqual({ rate: 0, weight: 10 / 40 });
  });

  it('uses the fallback when every group has one trial (within-group variance unknowable)', () => {
    const groups = [1, 0, 1, 1, 0, 0].map((successes) => group(successes, 1));
    expect(intraclassCorrelation(groups)).toBeNull();
    expect(fitBetaPrior(groups)!.method).toBe('fallback');
  });

  it('has no prior at all without trials', () => {
    expect(fitBetaPrior([])).toBeNull();
    expect(fitBetaPrior([group(0, 0), group(0, 0)])).toBeNull();
  });
});

describe('shrinkage properties', () => {
  // Twenty groups of 1000 trials with rates 0.070–0.130 (real spread beyond binomial noise) and one group
  // with 3 wins out of 3.
  const groups = [
    ...Array.from({ length: 20 }, (_, i) => group(100 + ((i % 5) - 2) * 15, 1000)),
    group(3, 3),
  ];
  const prior = fitBetaPrior(groups)!;
  const pooled = 2003 / 20003;

  it('estimates a strong prior from groups that differ little', () => {
    expect(prior.method).toBe('moments');
    expect(prior.alpha / (prior.alpha + prior.beta)).toBeCloseTo(pooled, 12);
    expect(prior.alpha + prior.beta).toBeGreaterThan(100);
  });

  it('pulls a group with 3 trials almost all the way to the pooled rate', () => {
    const shrunk = shrink(3, 3, prior);
    expect(shrunk.weight).toBeLessThan(0.02);
    expect(Math.abs(shrunk.rate - pooled)).toBeLessThan(0.02);
  });

  it('lets a group with huge n keep its own rate', () => {
    const shrunk = shrink(300_000, 1_000_000, prior);
    expect(shrunk.weight).toBeGreaterThan(0.999);
    expect(shrunk.rate).toBeCloseTo(0.3, 3);
  });

  it('gives the prior mean with weight 0 to a group without trials', () => {
    expect(shrink(0, 0, prior)).toEqual({ rate: prior.alpha / (prior.alpha + prior.beta), weight: 0 });
  });

  it('accepts fractional successes and clamps them into [0, trials]', () => {
    const fallback = { alpha: 1, beta: 3, method: 'fallback' } as const;
    expect(shrink(2.5, 6, fallback)).toEqual({ rate: 3.5 / 10, weight: 0.6 });
    expect(shrink(6.0000000001, 6, fallback).rate).toBe(7 / 10);
    expect(shrink(-0.1, 6, fallback).rate).toBe(1 / 10);
  });

  it('keeps weights in [0, 1] and rates between the group’s own rate and the prior mean', () => {
    for (let i = 0; i < 500; i++) {
      const trials = (i * 37) % 101;
      const successes = (trials * ((i * 13) % 11)) / 10;
      const candidate = {
        alpha: ((i * 7) % 13) + 0.5,
        beta: ((i * 5) % 17) + 0.5,
        method: 'moments',
      } as const;
      const { rate, weight } = shrink(successes, trials, candidate);
      const mean = candidate.alpha / (candidate.alpha + candidate.beta);
      const own = trials > 0 ? successes / trials : mean;
      expect(weight).toBeGreaterThanOrEqual(0);
      expect(weight).toBeLessThanOrEqual(1);
      expect(rate).toBeGreaterThanOrEqual(Math.min(own, mean) - 1e-12);
      expect(rate).toBeLessThanOrEqual(Math.max(own, mean) + 1e-12);
      expect(rate).toBeCloseTo(weight * own + (1 - weight) * mean, 12);
    }
  });

  it('rejects an invalid prior and negative trials', () => {
    expect(() => shrink(1, 2, { alpha: 0, beta: 0, method: 'moments' })).toThrow(RangeError);
    expect(() => shrink(1, 2, { alpha: -1, beta: 3, method: 'moments' })).toThrow(RangeError);
    expect(() => shrink(1, -2, { alpha: 1, beta: 3, method: 'moments' })).toThrow(RangeError);
  });
});
