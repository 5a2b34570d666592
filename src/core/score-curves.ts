import { type CohortFits, cohortFits, type FittedObservations } from './cohort-fits.ts';
import { leadColumns } from './lead-columns.ts';
import type { LeadFigures } from './lead-figures.ts';
import { countBelow, sortObservations } from './sorted-observations.ts';
import { type CompetingRisksFit, fitSorted, type Observation } from './survival.ts';

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

/** Curve values are whole multiples of 1 / CURVE_STEPS. */
export const CURVE_STEPS = 1e5;

const round = (value: number) => Math.round(value * CURVE_STEPS) / CURVE_STEPS;

/**
 * Samples the Aalen–Johansen curves of `observations` at days 0..lastDay, with the informative
 * leads of each age for a window of H days.
 */
export function dailyCurves(
  observations: readonly Observation[],
  lastDay: number,
  horizonDays: number,
): DailyCurves {
  const sorted = sortObservations(observations);
  return dailyCurvesOf({ sorted, fit: fitSorted(sorted) }, lastDay, horizonDays);
}

/** A fit's cumulative incidence of `cause` at days 0..lastDay, walking its event times once. */
function sampled(fit: CompetingRisksFit, cause: 0 | 1, days: number): number[] {
  const values: number[] = [];
  let index = -1;
  for (let day = 0; day < days; day++) {
    while (index + 1 < fit.times.length && (fit.times[index + 1] as number) <= day) index++;
    values.push(index < 0 ? 0 : round(fit.incidence[cause][index] as number));
  }
  return values;
}

/** `dailyCurves` of observations already sorted and fitted. */
export function dailyCurvesOf(
  { sorted, fit }: FittedObservations,
  lastDay: number,
  horizonDays: number,
): DailyCurves {
  const days = Math.max(0, Math.floor(lastDay)) + 1;
  const [censored, won, lost] = sorted;
  const below = (value: number) => countBelow(won, value) + countBelow(lost, value);
  // Open at a and known by a + H: followed through a + H, or closed in [a, a + H).
  const informative = Array.from({ length: days }, (_, day) => {
    const end = day + horizonDays;
    return censored.length - countBelow(censored, end) + won.length + lost.length - below(day);
  });
  let reliableUntil = informative.length - 1;
  while (reliableUntil >= 0 && (informative[reliableUntil] ?? 0) < RELIABLE_LEADS) reliableUntil--;
  return { won: sampled(fit, 0, days), lost: sampled(fit, 1, days), informative, reliableUntil };
}

/**
 * Curves per score stage (lead, MQL, SQL, opportunity): stage s uses the leads whose furthest
 * stage is s or later, so "leads that reached SQL" includes those that went on to opportunity.
 *
 * @param now - epoch ms
 * @param horizonDays - H; curves run to the oldest lead's age plus H
 */
export function stageCurves(leads: readonly LeadFigures[], now: number, horizonDays: number): DailyCurves[] {
  return curvesOf(cohortFits([leadColumns(leads)], now), horizonDays);
}

/** `stageCurves` from a cohort's fits. */
export function curvesOf(fits: CohortFits, horizonDays: number): DailyCurves[] {
  const lastDay = Math.ceil(fits.oldestDays) + horizonDays;
  return fits.close.map((fitted) => dailyCurvesOf(fitted, lastDay, horizonDays));
}
