import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeObservations, sortObservations } from '../../src/core/sorted-observations.ts';
import { fitCompetingRisks, fitSorted, type Observation, type Outcome } from '../../src/core/survival.ts';
import { at } from '../support/lag-leads.ts';

const observations = fc.array(
  fc.record({
    // Whole days and quarters give ties between and within outcomes.
    time: fc.oneof(
      fc.integer({ min: 0, max: 40 }),
      fc.integer({ min: 0, max: 160 }).map((q) => q / 4),
    ),
    outcome: fc.constantFrom<Outcome>(0, 1, 2),
  }),
  { maxLength: 60 },
);

describe('sorted observations', () => {
  it('splits observations by outcome, each ascending', () => {
    const sorted = sortObservations([at(3, 1), at(1, 0), at(2, 2), at(0.5, 1), at(1, 0)]);
    expect(sorted.map((times) => [...times])).toEqual([[1, 1], [0.5, 3], [2]]);
  });

  it('fits merged halves exactly as the whole (the fit only reads times and outcomes)', () => {
    fc.assert(
      fc.property(observations, observations, (a: Observation[], b: Observation[]) => {
        const merged = mergeObservations(sortObservations(a), sortObservations(b));
        expect(fitSorted(merged)).toEqual(fitCompetingRisks([...a, ...b]));
      }),
      { seed: 2026, numRuns: 300 },
    );
  });

  it('refuses what is not a survival time or outcome', () => {
    expect(() => sortObservations([at(-1, 0)])).toThrow(RangeError);
    expect(() => sortObservations([at(Number.NaN, 1)])).toThrow(RangeError);
    expect(() => sortObservations([{ time: 1, outcome: 3 as Outcome }])).toThrow(RangeError);
  });
});
