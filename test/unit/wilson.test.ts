import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/core/wilson.ts';

// Newcombe RG (1998). Two-sided confidence intervals for the single proportion: comparison of
// seven methods. Statistics in Medicine 17:857–872, Table I, method 3 (score, no continuity
// correction).
describe('wilsonInterval against Newcombe (1998) Table I', () => {
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0.0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i → %f–%f', (successes, trials, low, high) => {
    const interval = wilsonInterval(successes, trials);
    expect(interval.rate).toBeCloseTo(successes / trials, 10);
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });
});

describe('wilsonInterval edges', () => {
  it('is null with no trials', () => {
    expect(wilsonInterval(0, 0)).toEqual({ rate: null, low: null, high: null });
  });

  it('stays inside [0, 1] at the extremes', () => {
    const all = wilsonInterval(10, 10);
    expect(all.rate).toBe(1);
    expect(all.high).toBe(1);
    expect(all.low).toBeGreaterThan(0.69);
    expect(all.low).toBeLessThan(0.73);
  });

  it('accepts fractional successes (shared deals)', () => {
    const interval = wilsonInterval(2.5, 10);
    expect(interval.rate).toBe(0.25);
    expect(interval.low).toBeLessThan(0.25);
    expect(interval.high).toBeGreaterThan(0.25);
  });
});
