import type { LeadFigures } from '../../src/core/lead-figures.ts';
import type { Observation, Outcome } from '../../src/core/survival.ts';

/** Shared by the lag-aware tests: a fixed `now`, a 180-day horizon, and leads of a given age. */
export const DAY = 86_400_000;
export const NOW = Date.UTC(2026, 0, 1);
export const H = 180;

/** A lead `age` days old; `closedAfter`/`opportunityAfter` in days after its lead date. */
export function lead(
  age: number,
  status: LeadFigures['status'] = 'open',
  closedAfter: number | null = null,
  opportunityAfter: number | null = null,
): LeadFigures {
  const leadDate = NOW - age * DAY;
  return {
    campaign: 'Webinar',
    leadDate,
    status,
    opportunity: opportunityAfter !== null,
    opportunityDate: opportunityAfter === null ? null : leadDate + opportunityAfter * DAY,
    closedDate: closedAfter === null ? null : leadDate + closedAfter * DAY,
    revenue: 0,
    wonDeals: 0,
    wonShares: [],
    stage: opportunityAfter === null ? 0 : 3,
    skipped: false,
  };
}

export const at = (time: number, outcome: Outcome): Observation => ({ time, outcome });
