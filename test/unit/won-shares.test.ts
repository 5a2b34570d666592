import { describe, expect, it } from 'vitest';
import { fromDenominatorSums, sumWonShares } from '../../src/core/lead-figures.ts';

describe('sumWonShares: revenue and won deals from exact shares', () => {
  it.each([
    { name: 'nothing won', shares: [], revenue: 0, wonDeals: 0 },
    { name: 'a whole deal', shares: [{ of: 1, cents: 123_456 }], revenue: 1234.56, wonDeals: 1 },
    // Rounded per lead, three thirds of 100.00 would be 3 × 33.33 = 99.99.
    {
      name: 'three thirds of one deal',
      shares: Array(3).fill({ of: 3, cents: 10_000 }),
      revenue: 100,
      wonDeals: 1,
    },
    // Seven sevenths of 10.00: 1/7 is not a finite binary or decimal fraction.
    { name: 'seven sevenths', shares: Array(7).fill({ of: 7, cents: 1_000 }), revenue: 10, wonDeals: 1 },
    {
      name: 'halves and a whole deal',
      shares: [
        { of: 2, cents: 50_001 },
        { of: 2, cents: 50_001 },
        { of: 1, cents: 99 },
      ],
      revenue: 500.01 + 0.99,
      wonDeals: 2,
    },
  ])('$name', ({ shares, revenue, wonDeals }) => {
    const sums = sumWonShares(shares);
    expect(sums.revenue).toBeCloseTo(revenue, 10);
    expect(sums.wonDeals).toBe(wonDeals);
  });

  it('divides each denominator’s integer sums once', () => {
    const sums = new Map([
      [3, { cents: 30_000, deals: 3 }],
      [6, { cents: 600, deals: 6 }],
    ]);
    expect(fromDenominatorSums(sums)).toEqual({ revenue: 101, wonDeals: 2 });
  });
});
