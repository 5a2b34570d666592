import fc from 'fast-check';
import { type LeadFigures, sumWonShares } from '../../src/core/lead-figures.ts';
import type { ScoreStage } from '../../src/core/lead-stage.ts';
import { DAY, NOW } from './lag-leads.ts';

/** A date some whole days (ties, as HubSpot's date-only values give) or milliseconds after `from`. */
const after = (from: number) =>
  fc.oneof(
    fc.integer({ min: 0, max: 400 }).map((days) => from + days * DAY),
    fc.integer({ min: 0, max: 400 * DAY }).map((ms) => from + ms),
  );

/**
 * Any lead's figures the projection can hold: lead dates over two years (a few just after `NOW`,
 * which clamps ages to 0), closing and opportunity dates after them or missing, any stage, won
 * deals shared by one to three leads.
 */
export const leadFiguresArbitrary: fc.Arbitrary<LeadFigures> = fc
  .record({
    campaign: fc.constantFrom('Webinar', 'Spring "Sale" \\ é', '(none)', 'c1'),
    leadDate: fc.integer({ min: -730, max: 2 }).map((days) => NOW + days * DAY),
    status: fc.constantFrom('open', 'won', 'lost'),
    stage: fc.constantFrom<ScoreStage>(0, 1, 2, 3),
    opportunity: fc.boolean(),
    skipped: fc.boolean(),
    wonShares: fc.array(
      fc.record({ of: fc.integer({ min: 1, max: 3 }), cents: fc.integer({ min: 0, max: 10_000_000 }) }),
      { maxLength: 3 },
    ),
  })
  .chain((lead) =>
    fc
      .record({
        opportunityDate: lead.opportunity ? fc.option(after(lead.leadDate)) : fc.constant(null),
        closedDate: fc.option(after(lead.leadDate)),
      })
      .map((dates) => ({ ...lead, ...dates, ...sumWonShares(lead.wonShares) }) satisfies LeadFigures),
  );
