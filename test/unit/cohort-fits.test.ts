import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cohortFits, unionFits } from '../../src/core/cohort-fits.ts';
import { daysBetween } from '../../src/core/days.ts';
import {
  closeObservations,
  opportunityCloseObservations,
  opportunityObservations,
} from '../../src/core/lag-stats.ts';
import { leadColumns } from '../../src/core/lead-columns.ts';
import { fitCompetingRisks } from '../../src/core/survival.ts';
import { NOW } from '../support/lag-leads.ts';
import { leadFiguresArbitrary } from '../support/lead-figures-arbitrary.ts';

describe('cohortFits', () => {
  it("fits each observation kind of a cohort split in parts as lag-stats' observations of the whole", () => {
    fc.assert(
      fc.property(fc.array(leadFiguresArbitrary, { maxLength: 80 }), fc.nat(80), (leads, cut) => {
        const parts = [leads.slice(0, cut), leads.slice(cut)].map(leadColumns);
        const fits = cohortFits(parts, NOW);
        fits.close.forEach((fitted, stage) => {
          const reached = leads.filter((lead) => lead.stage >= stage);
          expect(fitted.fit).toEqual(fitCompetingRisks(closeObservations(reached, NOW)));
        });
        expect(fits.opportunity.fit).toEqual(fitCompetingRisks(opportunityObservations(leads, NOW)));
        expect(fits.opportunityClose.fit).toEqual(
          fitCompetingRisks(opportunityCloseObservations(leads, NOW)),
        );
        expect(fits.oldestDays).toBe(
          leads.reduce((max, lead) => Math.max(max, daysBetween(lead.leadDate, NOW)), 0),
        );
      }),
      { seed: 2026, numRuns: 200 },
    );
  });

  it('fits a union of cohorts from their fits exactly as from all their leads', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(leadFiguresArbitrary, { maxLength: 30 }), { maxLength: 5 }),
        (cohorts) => {
          const columns = cohorts.map(leadColumns);
          const union = unionFits(columns.map((part) => cohortFits([part], NOW)));
          expect(union).toEqual(cohortFits(columns, NOW));
        },
      ),
      { seed: 2026, numRuns: 200 },
    );
  });
});
