import { daysBetween } from './days.ts';
import type { LeadColumns } from './lead-columns.ts';
import { SCORE_STAGES } from './lead-stage.ts';
import {
  mergeAllObservations,
  mergeObservations,
  observationCollector,
  type SortedObservations,
} from './sorted-observations.ts';
import { type CompetingRisksFit, fitSorted } from './survival.ts';

/** Observations sorted by outcome and their Aalen–Johansen fit. */
export interface FittedObservations {
  readonly sorted: SortedObservations;
  readonly fit: CompetingRisksFit;
}

/**
 * Every fit a cohort's lag-aware statistics and score curves read, each computed once:
 * lead → close among the leads that reached each score stage (index = stage; stage 0 is every
 * lead), lead → opportunity, and opportunity → close among opportunities with a date.
 */
export interface CohortFits {
  readonly close: readonly FittedObservations[];
  readonly opportunity: FittedObservations;
  readonly opportunityClose: FittedObservations;
  /** The oldest lead's age, days (0 without leads). */
  readonly oldestDays: number;
}

function fitted(sorted: SortedObservations): FittedObservations {
  return { sorted, fit: fitSorted(sorted) };
}

type Collector = ReturnType<typeof observationCollector>;

interface Collectors {
  readonly closeByStage: Collector[];
  readonly opportunity: Collector;
  readonly opportunityClose: Collector;
}

/**
 * One lead's observations, as closeObservations, opportunityObservations and
 * opportunityCloseObservations (lag-stats.ts) define them: won is the event, lost competes, open
 * leads (and closed ones without a date) are censored at their age.
 */
function collect(into: Collectors, part: LeadColumns, index: number, now: number): number {
  const leadDate = part.leadDate[index] as number;
  const closedDate = part.closedDate[index] as number;
  const opportunityDate = part.opportunityDate[index] as number;
  const status = part.status[index] as 0 | 1 | 2;
  const age = daysBetween(leadDate, now);
  const closed = status !== 0 && !Number.isNaN(closedDate);
  const stage = Math.min(part.stage[index] as number, SCORE_STAGES.length - 1);
  (into.closeByStage[stage] as Collector).add(
    closed ? daysBetween(leadDate, closedDate) : age,
    closed ? status : 0,
  );
  if (part.opportunity[index] === 1 && !Number.isNaN(opportunityDate)) {
    into.opportunity.add(daysBetween(leadDate, opportunityDate), 1);
    into.opportunityClose.add(daysBetween(opportunityDate, closed ? closedDate : now), closed ? status : 0);
  } else {
    into.opportunity.add(age, 0);
  }
  return age;
}

/**
 * The fits of a cohort made of `parts` (one campaign's columns, or every campaign's for the
 * portal). Leads are sorted once per exact stage; "reached stage s" merges the sorted runs of
 * stages s and later, so no subset is sorted again.
 *
 * @param now - epoch ms
 */
export function cohortFits(parts: readonly LeadColumns[], now: number): CohortFits {
  const into: Collectors = {
    closeByStage: SCORE_STAGES.map(() => observationCollector()),
    opportunity: observationCollector(),
    opportunityClose: observationCollector(),
  };
  let oldestDays = 0;
  for (const part of parts)
    for (let index = 0; index < part.length; index++)
      oldestDays = Math.max(oldestDays, collect(into, part, index, now));
  const close: FittedObservations[] = [];
  let reached: SortedObservations | undefined;
  for (let stage = SCORE_STAGES.length - 1; stage >= 0; stage--) {
    const own = (into.closeByStage[stage] as Collector).sorted();
    reached = reached ? mergeObservations(own, reached) : own;
    close[stage] = fitted(reached);
  }
  return {
    close,
    opportunity: fitted(into.opportunity.sorted()),
    opportunityClose: fitted(into.opportunityClose.sorted()),
    oldestDays,
  };
}

/**
 * The fits of the union of disjoint cohorts (every campaign's, for the portal), from their sorted
 * observations: merged, not collected and sorted again.
 */
export function unionFits(cohorts: readonly CohortFits[]): CohortFits {
  const merged = (pick: (fits: CohortFits) => FittedObservations) =>
    fitted(mergeAllObservations(cohorts.map((fits) => pick(fits).sorted)));
  return {
    close: SCORE_STAGES.map((_, stage) => merged((fits) => fits.close[stage] as FittedObservations)),
    opportunity: merged((fits) => fits.opportunity),
    opportunityClose: merged((fits) => fits.opportunityClose),
    oldestDays: cohorts.reduce((oldest, fits) => Math.max(oldest, fits.oldestDays), 0),
  };
}
