import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stageCurves } from '../../src/core/score-curves.ts';
import { decodeCurves, encodeCurves } from '../../src/store/curves-codec.ts';
import { H, NOW } from '../support/lag-leads.ts';
import { leadFiguresArbitrary } from '../support/lead-figures-arbitrary.ts';

describe('curves codec', () => {
  it('gives back exactly the curves it was given', () => {
    fc.assert(
      fc.property(fc.array(leadFiguresArbitrary, { maxLength: 200 }), (leads) => {
        const curves = stageCurves(leads, NOW, H);
        expect(decodeCurves(encodeCurves(curves))).toEqual(curves);
      }),
      { seed: 2026, numRuns: 100 },
    );
  });

  it('reads curves saved as plain JSON', () => {
    const curves = stageCurves(fc.sample(leadFiguresArbitrary, { numRuns: 300, seed: 3 }), NOW, H);
    expect(decodeCurves(JSON.stringify(curves))).toEqual(curves);
  });

  it('stores a campaign of a few thousand leads in under half the plain JSON', () => {
    const curves = stageCurves(fc.sample(leadFiguresArbitrary, { numRuns: 3000, seed: 4 }), NOW, H);
    expect(encodeCurves(curves).length).toBeLessThan(JSON.stringify(curves).length / 2);
  });
});
