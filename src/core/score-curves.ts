import { closeObservations, daysBetween } from './lag-stats.ts';
import type { LeadFigures } from './lead-figures.ts';
import { SCORE_STAGES } from './lead-stage.ts';
import { fitCompetingRisks, incidenceAt, type Observation } from './survival.ts';

/**
 * A group's lead → close curves sampled at whole days 0..D: what a lead score needs, compact
 * enough to keep per campaign and stage. Fractions rounded to 1e-5.
 */
export interface DailyCurves {
  /** Cumulative incidence of won by day d. */
  readonly won: readonly number[];
  /** Cumulative incidence of lost by day d. */
  readonly lost: readonly number[];
  /**
   * Leads still open at age a whose outcome by a + H is known (they closed within the window or
   * were followed through it): what a score for a lead of age a rests on.
   */
  readonly informative: readonly number[];
  /** The last age with at least RELIABLE_LEADS informative leads; -1 when there is none. */
  readonly reliableUntil: number;
}

/** Informative leads an age needs before a window chance read there is trusted. */
export const RELIABLE_LEADS = 20;

const round = (value: number | null) => Math.round((value ?? 0) * 1e5) / 1e5;

/**
 * Samples the Aalen–Johansen curves of `observations` at days 0..lastDay, with the informative
 * leads of each age for a window of H days.
 */
export function dailyCurves(
  observations: readonly Observation[],
  lastDay: number,
  horizonDays: number,
): DailyCurves {
  const fit = fitCompetingRisks(observations);
  const days = Array.from({ length: Math.max(0, Math.floor(lastDay)) + 1 }, (_, day) => day);
  const closedBy = observations
    .filter((o) => o.outcome !== 0)
    .map((o) => o.time)
    .sort((a, b) => a - b);
  const followed = observations.map((o) => o.time).sort((a, b) => a - b);
  // Open at a and known by a + H: followed through a + H, or closed in [a, a + H).
  const informative = days.map(
    (day) =>
      followed.length -
      lowerBound(followed, day + horizonDays) +
      lowerBound(closedBy, day + horizonDays) -
      lowerBound(closedBy, day),
  );
  let reliableUntil = informative.length - 1;
  while (reliableUntil >= 0 && (informative[reliableUntil] ?? 0) < RELIABLE_LEADS) reliableUntil--;
  return {
    won: days.map((day) => round(incidenceAt(fit, day, 1).rate)),
    lost: days.map((day) => round(incidenceAt(fit, day, 2).rate)),
    informative,
    reliableUntil,
  };
}

/** Index of the first element ≥ value in an ascending array. */
function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Curves per score stage (lead, MQL, SQL, opportunity): stage s uses the leads whose furthest
 * stage is s or later, so "leads that reached SQL" includes those that went on to opportunity.
 *
 * @param now - epoch ms
 * @param horizonDays - H; curves run to the oldest lead's age plus H
 */
export function stageCurves(leads: readonly LeadFigures[], now: number, horizonDays: number): DailyCurves[] {
  const oldest = leads.reduce((max, lead) => Math.max(max, daysBetween(lead.leadDate, now)), 0);
  const lastDay = Math.ceil(oldest) + horizonDays;
  return SCORE_STAGES.map((_, stage) =>
    dailyCurves(
      closeObservations(
        leads.filter((lead) => lead.stage >= stage),
        now,
      ),
      lastDay,
      horizonDays,
    ),
  );
}
