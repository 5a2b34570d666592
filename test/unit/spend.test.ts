import { describe, expect, it } from 'vitest';
import { costFigures, spendWithin } from '../../src/core/spend.ts';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe('spendWithin', () => {
  // March: 31 days for 3,100 → 100 a day; April: 30 days for 600 → 20 a day.
  const periods = [
    { from: day('2026-03-01'), to: day('2026-04-01'), amount: 3100 },
    { from: day('2026-04-01'), to: day('2026-05-01'), amount: 600 },
  ];
  it.each([
    ['everything', undefined, undefined, 3700],
    ['March only', day('2026-03-01'), day('2026-04-01'), 3100],
    [
      'the last 10 days of March and the first 5 of April',
      day('2026-03-22'),
      day('2026-04-06'),
      10 * 100 + 5 * 20,
    ],
    ['from mid-April on', day('2026-04-16'), undefined, 15 * 20],
    ['a cohort before any spend', day('2025-01-01'), day('2025-02-01'), 0],
  ])('%s', (_name, from, to, expected) => {
    expect(spendWithin(periods, from, to)).toBeCloseTo(expected, 9);
  });
});

describe('costFigures', () => {
  it('divides spend by leads, won deals and expected won deals, and revenue by spend', () => {
    // 200 leads; lag-aware close rate 5 % (2 %–10 %) → 10 (4–20) expected won deals.
    const costs = costFigures(
      2000,
      { leads: 200, wonDeals: 4, revenue: 30_000 },
      { rate: 0.05, low: 0.02, high: 0.1 },
    );
    expect(costs.costPerLead).toBe(10);
    expect(costs.costPerWon).toBe(500);
    expect(costs.costPerExpectedWon?.value).toBeCloseTo(200, 9);
    expect(costs.costPerExpectedWon?.low).toBeCloseTo(100, 9);
    expect(costs.costPerExpectedWon?.high).toBeCloseTo(500, 9);
    expect(costs.returnOnSpend).toBe(15);
  });

  it('is null where a denominator is zero or unknown', () => {
    const costs = costFigures(500, { leads: 0, wonDeals: 0, revenue: 0 }, { rate: 0, low: 0, high: 0.3 });
    expect(costs).toMatchObject({ costPerLead: null, costPerWon: null, returnOnSpend: 0 });
    expect(costs.costPerExpectedWon).toEqual({ value: null, low: null, high: null });
    expect(costFigures(null, { leads: 5, wonDeals: 1, revenue: 10 }, null)).toMatchObject({
      spend: null,
      costPerLead: null,
    });
  });
});
