import { type CohortFits, cohortFits, type FittedObservations } from './cohort-fits.ts';
import { daysBetween } from './days.ts';
import { leadColumns } from './lead-columns.ts';
import type { LeadFigures } from './lead-figures.ts';
import {
  countBelow,
  longestTime,
  observationCount,
  type SortedObservations,
  sortObservations,
} from './sorted-observations.ts';
import {
  type CompetingRisksFit,
  type CurvePoint,
  fitCompetingRisks,
  fitSorted,
  incidenceAt,
  incidenceCurve,
  incidenceQuantile,
  type Observation,
} from './survival.ts';
import type { RateInterval } from './wilson.ts';

/** Lead → close: won is the event, lost competes, open leads are censored at their age. */
export function closeObservations(leads: readonly LeadFigures[], now: number): Observation[] {
  return leads.map((lead) => {
    if (lead.status === 'open' || lead.closedDate === null)
      return { time: daysBetween(lead.leadDate, now), outcome: 0 };
    return { time: daysBetween(lead.leadDate, lead.closedDate), outcome: lead.status === 'won' ? 1 : 2 };
  });
}

/** Lead → opportunity: becoming one is the event; others are censored at their age. */
export function opportunityObservations(leads: readonly LeadFigures[], now: number): Observation[] {
  return leads.map((lead) =>
    lead.opportunity && lead.opportunityDate !== null
      ? { time: daysBetween(lead.leadDate, lead.opportunityDate), outcome: 1 }
      : { time: daysBetween(lead.leadDate, now), outcome: 0 },
  );
}

/** Opportunity → close, among opportunities: won is the event, lost competes, open ones are censored. */
export function opportunityCloseObservations(leads: readonly LeadFigures[], now: number): Observation[] {
  return leads.flatMap((lead): Observation[] => {
    if (!lead.opportunity || lead.opportunityDate === null) return [];
    if (lead.status === 'open' || lead.closedDate === null)
      return [{ time: daysBetween(lead.opportunityDate, now), outcome: 0 }];
    const time = daysBetween(lead.opportunityDate, lead.closedDate);
    return [{ time, outcome: lead.status === 'won' ? 1 : 2 }];
  });
}

/**
 * Maturity: the share of observations followed for at least the horizon or whose event (or
 * competing event) has happened — how much of the cohort's outcome is already known.
 *
 * @returns fraction 0–1; null without observations
 */
export function maturity(observations: readonly Observation[], horizonDays: number): number | null {
  if (observations.length === 0) return null;
  const known = observations.filter(
    (observation) => observation.outcome !== 0 || observation.time >= horizonDays,
  ).length;
  return known / observations.length;
}

export interface HorizonRate extends RateInterval {
  /** The horizon H, days. */
  readonly days: number;
  /** Share of the cohort whose outcome at H is known, 0–1. */
  readonly maturity: number | null;
}

/**
 * The last day up to which the curves are identified: the longest follow-up, or every day once
 * nobody is left at risk (those followed longest all closed, so S reached 0 and the curves stay put).
 */
function identifiedUntil({ sorted, fit }: FittedObservations): number {
  if (fit.survival.at(-1) === 0) return Number.POSITIVE_INFINITY;
  return longestTime(sorted);
}

/** Observations whose outcome by H is known: closed, or followed for at least H days. */
function knownBy(sorted: SortedObservations, horizonDays: number): number {
  return sorted[1].length + sorted[2].length + sorted[0].length - countBelow(sorted[0], horizonDays);
}

function fittedOf(observations: readonly Observation[]): FittedObservations {
  const sorted = sortObservations(observations);
  return { sorted, fit: fitSorted(sorted) };
}

/**
 * The cumulative incidence at H with its interval. Null estimates when no observation reaches H
 * and a lead is still at risk at the end: the curve is not identified past the longest follow-up,
 * and a flat extension would understate a young cohort. Once everyone left has closed, it is.
 */
export function horizonRate(observations: readonly Observation[], horizonDays: number): HorizonRate {
  return horizonRateOf(fittedOf(observations), horizonDays);
}

/** `horizonRate` of observations already sorted and fitted. */
export function horizonRateOf(fitted: FittedObservations, horizonDays: number): HorizonRate {
  const followed = identifiedUntil(fitted) >= horizonDays;
  const estimate = followed ? incidenceAt(fitted.fit, horizonDays) : { rate: null, low: null, high: null };
  const count = observationCount(fitted.sorted);
  const known = knownBy(fitted.sorted, horizonDays);
  const { rate, low, high } = boundedAtExtremes(estimate, known);
  return { days: horizonDays, rate, low, high, maturity: count === 0 ? null : known / count };
}

/**
 * At an incidence of exactly 0 (or 1) the delta-method variance is 0 and the interval collapses to
 * a point, which would claim certainty from, say, 0 wins in 50 leads. There the exact binomial
 * (Clopper–Pearson) bound on the leads whose outcome by H is known is used instead:
 * 1 − 0.025^(1/n) (Clopper & Pearson 1934).
 */
function boundedAtExtremes(estimate: RateInterval, known: number): RateInterval {
  if (estimate.rate !== 0 && estimate.rate !== 1) return estimate;
  const bound = known > 0 ? 1 - 0.025 ** (1 / known) : 1;
  return estimate.rate === 0 ? { rate: 0, low: 0, high: bound } : { rate: 1, low: 1 - bound, high: 1 };
}

export interface DaysQuantiles {
  readonly median: number | null;
  readonly q1: number | null;
  readonly q3: number | null;
}

/** Quartiles of the time to the event among those who have it within H, read off the incidence curve. */
export function daysQuantiles(observations: readonly Observation[], horizonDays: number): DaysQuantiles {
  return quantilesOf(fitCompetingRisks(observations), horizonDays);
}

/** `daysQuantiles` of a fit. */
export function quantilesOf(fit: CompetingRisksFit, horizonDays: number): DaysQuantiles {
  const at = (fraction: number) => {
    const days = incidenceQuantile(fit, fraction, horizonDays);
    return days === null ? null : Math.round(days * 10) / 10;
  };
  return { median: at(0.5), q1: at(0.25), q3: at(0.75) };
}

/** Lag-aware figures of a cohort of leads (DESIGN.md), at horizon H days. */
export interface LagStats {
  readonly closeRateAtHorizon: HorizonRate;
  readonly opportunityRateAtHorizon: HorizonRate;
  readonly daysToOpportunity: DaysQuantiles;
  readonly daysToClose: DaysQuantiles;
}

/**
 * Lag-aware close and opportunity rates at H (Aalen–Johansen; lost competes with won; open leads
 * censored at their age) and the quartiles of days lead → opportunity and opportunity → won.
 *
 * @param now - epoch ms
 * @param horizonDays - H, days
 */
export function lagStats(leads: readonly LeadFigures[], now: number, horizonDays: number): LagStats {
  return lagOf(cohortFits([leadColumns(leads)], now), horizonDays);
}

/** `lagStats` from a cohort's fits. */
export function lagOf(fits: CohortFits, horizonDays: number): LagStats {
  return {
    closeRateAtHorizon: horizonRateOf(fits.close[0] as FittedObservations, horizonDays),
    opportunityRateAtHorizon: horizonRateOf(fits.opportunity, horizonDays),
    daysToOpportunity: quantilesOf(fits.opportunity.fit, horizonDays),
    daysToClose: quantilesOf(fits.opportunityClose.fit, horizonDays),
  };
}

/** An incidence curve for days 0..H, null past the longest follow-up (where it is not identified). */
function identifiedCurve(observations: readonly Observation[], horizonDays: number): CurvePoint[] {
  const fitted = fittedOf(observations);
  const until = identifiedUntil(fitted);
  return incidenceCurve(fitted.fit, horizonDays).map((point) =>
    point.day <= until ? point : { day: point.day, rate: null, low: null, high: null },
  );
}

/** The close and opportunity curves for days 0..H, for a campaign's page. */
export function lagCurves(
  leads: readonly LeadFigures[],
  now: number,
  horizonDays: number,
): { close: CurvePoint[]; opportunity: CurvePoint[] } {
  return {
    close: identifiedCurve(closeObservations(leads, now), horizonDays),
    opportunity: identifiedCurve(opportunityObservations(leads, now), horizonDays),
  };
}
