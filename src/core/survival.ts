import {
  nextEventTime,
  observationCount,
  type SortedObservations,
  sortObservations,
} from './sorted-observations.ts';
import { type RateInterval, Z_95 } from './wilson.ts';

/** 0 = censored (still open) at `time`, 1 = event of interest (won), 2 = competing event (lost). */
export type Outcome = 0 | 1 | 2;

/** One subject: `time` in days (finite, ≥ 0) from its start (lead date) to its outcome, or if open to now. */
export interface Observation {
  readonly time: number;
  readonly outcome: Outcome;
}

/**
 * An Aalen–Johansen fit, one entry per distinct time with an event (ascending). Each value holds from its
 * time (inclusive) to the next, so the curve at t counts events with time ≤ t. Fractions 0–1.
 */
export interface CompetingRisksFit {
  readonly size: number; // observations
  readonly times: readonly number[]; // distinct event times, days
  readonly atRisk: readonly number[]; // Y: time ≥ it, so those censored at it are included
  readonly survival: readonly number[]; // S(t): Kaplan–Meier with outcomes 1 and 2 both as events
  readonly survivalVariance: readonly number[]; // Greenwood
  readonly incidence: readonly [readonly number[], readonly number[]]; // F₁(t), F₂(t): index cause − 1
  readonly incidenceVariance: readonly [readonly number[], readonly number[]]; // delta method
}

/** Estimate, variance and 95 % log(−log) interval at one time; all null when there are no observations. */
export interface CurveEstimate extends RateInterval {
  readonly variance: number | null;
}

/** One whole day of an incidence curve, as the API serves it. */
export interface CurvePoint extends RateInterval {
  readonly day: number;
}

/**
 * Running sums of one cause's delta-method variance (see `advanceCause`), with a_l = d_l / (Y_l (Y_l − d_l)):
 * f = F(t), p = Σ a_l ΔF_l, v = Σ a_l ΔF_l², b = Σ S(t_{l−1})² d_kl (Y_l − d_kl) / Y_l³,
 * c = Σ S(t_{l−1}) d_kl / Y_l², q = Σ c_l ΔF_l, where ΔF_l = F(t) − F(t_l).
 */
type CauseSums = { f: number; p: number; v: number; b: number; c: number; q: number };

const NO_DATA: CurveEstimate = { rate: null, variance: null, low: null, high: null };

/**
 * Fits the Aalen–Johansen estimator of the cumulative incidence of outcomes 1 and 2 with competing risks
 * (Aalen & Johansen 1978, Scand J Statist 5:141–150; Kalbfleisch & Prentice 2002, The Statistical Analysis
 * of Failure Time Data, ch. 8): F_k(t) = Σ_{t_l ≤ t} S(t_{l−1}) d_kl / Y_l, with S the all-cause
 * Kaplan–Meier survival (Kaplan & Meier 1958) and its Greenwood (1926) variance
 * S(t)² Σ d_l / (Y_l (Y_l − d_l)). At equal times events come before censoring: a subject censored at t is
 * still at risk at t. With no outcome 2, F₁ = 1 − S exactly.
 *
 * Var F_k(t) is the delta-method (Greenwood-type) variance of Marubini & Valsecchi (1995, Analysing Survival
 * Data from Clinical Trials and Observational Studies, ch. 10), as in SAS PROC LIFETEST ERROR=DELTA:
 * Σ_{t_l ≤ t} [F_k(t) − F_k(t_l)]² d_l/(Y_l(Y_l − d_l)) + S(t_{l−1})² d_kl (Y_l − d_kl)/Y_l³
 * − 2 [F_k(t) − F_k(t_l)] S(t_{l−1}) d_kl / Y_l². It equals Greenwood's variance of 1 − S when there is no
 * competing event, and the binomial F(1 − F)/n when nothing is censored. Where Y_l = d_l nobody is left,
 * F_k(t) = F_k(t_l) for every later t, and that term is 0. Sorts once (O(n log n), numeric sorts of
 * typed arrays), then one pass.
 *
 * @param observations - times in days (finite, ≥ 0) with outcomes 0, 1 or 2
 * @throws RangeError on a negative or non-finite time or an unknown outcome
 */
export function fitCompetingRisks(observations: readonly Observation[]): CompetingRisksFit {
  return fitSorted(sortObservations(observations));
}

/**
 * `fitCompetingRisks` of observations already sorted by outcome (`sortObservations`): one pass over
 * the event times; censored observations only leave the risk set, so they are skipped in runs.
 */
export function fitSorted(sorted: SortedObservations): CompetingRisksFit {
  const size = observationCount(sorted);
  const fit = { size, times: [] as number[], atRisk: [] as number[] };
  const survival: number[] = [];
  const survivalVariance: number[] = [];
  const incidence: [number[], number[]] = [[], []];
  const incidenceVariance: [number[], number[]] = [[], []];
  const causes: CauseSums[] = [0, 1].map(() => ({ f: 0, p: 0, v: 0, b: 0, c: 0, q: 0 }));
  let atRisk = size;
  let previousSurvival = 1;
  let greenwoodSum = 0; // Σ a_l, a_l = d_l / (Y_l (Y_l − d_l))
  const at = [0, 0, 0];
  const counts = [0, 0, 0];
  for (;;) {
    const time = nextEventTime(sorted, at, counts);
    atRisk -= counts[0]!;
    if (time === Number.POSITIVE_INFINITY) break;
    const events = counts[1]! + counts[2]!;
    causes.forEach((sums, k) => {
      advanceCause(sums, greenwoodSum, previousSurvival, atRisk, counts[k + 1]!);
      incidence[k]!.push(Math.min(1, sums.f)); // rounding can leave 1 + 1e-16
      incidenceVariance[k]!.push(Math.max(0, sums.v + sums.b - 2 * sums.q));
    });
    if (atRisk > events) greenwoodSum += events / (atRisk * (atRisk - events));
    previousSurvival *= 1 - events / atRisk;
    fit.times.push(time);
    fit.atRisk.push(atRisk);
    survival.push(previousSurvival);
    survivalVariance.push(previousSurvival * previousSurvival * greenwoodSum);
    atRisk -= events;
  }
  return { ...fit, survival, survivalVariance, incidence, incidenceVariance };
}

/**
 * Moves one cause past an event time. Raising F(t) by `jump` raises every earlier F(t) − F(t_l) alike, so
 * the sums over earlier terms update in O(1) and only grow (no cancellation). The new term's own
 * F(t) − F(t_l) is 0, so only its b and c enter now; its a_l joins after both causes.
 */
function advanceCause(sums: CauseSums, sumA: number, survival: number, atRisk: number, events: number) {
  const jump = (survival * events) / atRisk;
  sums.v += 2 * jump * sums.p + jump * jump * sumA;
  sums.p += jump * sumA;
  sums.q += jump * sums.c;
  sums.f += jump;
  sums.b += (survival * survival * events * (atRisk - events)) / atRisk ** 3;
  sums.c += (survival * events) / (atRisk * atRisk);
}

/** How many of the first `length` indices satisfy `holds`, which must be true then false: O(log n). */
function leadingCount(length: number, holds: (index: number) => boolean): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (holds(middle)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Index of the last event time ≤ t, or −1 when there is none. */
function lastIndexAtOrBefore(times: readonly number[], t: number): number {
  if (Number.isNaN(t)) throw new RangeError('time must be a number of days, got NaN');
  return leadingCount(times.length, (index) => times[index]! <= t) - 1;
}

/**
 * 95 % interval for a probability on the log(−log) scale, which keeps both bounds inside [0, 1]
 * (Kalbfleisch & Prentice 1980 for survival; for the cumulative incidence Choudhury 2002, Stat Med
 * 21:1129–1144, and Pintilie 2006, Competing Risks: A Practical Perspective, ch. 4):
 * [p^exp(z·se/(p·|ln p|)), p^exp(−z·se/(p·|ln p|))] with se = √variance.
 * The transform is undefined at p = 0 and p = 1 (taken as within 1e-12, i.e. rounding) and a variance of 0
 * has nothing to spread: those give the degenerate [p, p], so no events yet gives [0, 0].
 *
 * @param estimate - probability, fraction 0–1
 * @param variance - its variance (fraction²)
 * @param z - normal quantile; 1.96 for 95 %
 */
export function logLogInterval(estimate: number, variance: number, z = Z_95): { low: number; high: number } {
  if (!(estimate > 0 && estimate < 1 - 1e-12 && variance > 0)) return { low: estimate, high: estimate };
  const spread = Math.exp((z * Math.sqrt(variance)) / (estimate * Math.abs(Math.log(estimate))));
  return { low: estimate ** spread, high: estimate ** (1 / spread) };
}

/**
 * Cumulative incidence F_cause(t) at time t (days; counts events with time ≤ t) of cause 1 (event of
 * interest) or 2 (competing), with its delta-method variance and log(−log) 95 % interval (see
 * `fitCompetingRisks`, `logLogInterval`). 0 with [0, 0] before the first event; after the last event time it
 * keeps its last value. O(log n). Fractions 0–1; all null when the fit has no observations.
 */
export function incidenceAt(fit: CompetingRisksFit, t: number, cause: 1 | 2 = 1): CurveEstimate {
  if (fit.size === 0) return NO_DATA;
  const index = lastIndexAtOrBefore(fit.times, t);
  if (index < 0) return { rate: 0, variance: 0, low: 0, high: 0 };
  const rate = fit.incidence[cause === 1 ? 0 : 1][index]!;
  const variance = fit.incidenceVariance[cause === 1 ? 0 : 1][index]!;
  return { rate, variance, ...logLogInterval(rate, variance) };
}

/**
 * Kaplan–Meier event-free survival S(t) at time t (days) with Greenwood's variance and log(−log) 95 %
 * interval (Kalbfleisch & Prentice 1980); 1 before the first event. Fractions; null without observations.
 */
export function survivalAt(fit: CompetingRisksFit, t: number): CurveEstimate {
  if (fit.size === 0) return NO_DATA;
  const index = lastIndexAtOrBefore(fit.times, t);
  if (index < 0) return { rate: 1, variance: 0, low: 1, high: 1 };
  const rate = fit.survival[index]!;
  const variance = fit.survivalVariance[index]!;
  return { rate, variance, ...logLogInterval(rate, variance) };
}

/** The cumulative incidence curve at whole days 0..H (`horizonDays`, whole, ≥ 0), as from `incidenceAt`. */
export function incidenceCurve(fit: CompetingRisksFit, horizonDays: number, cause: 1 | 2 = 1): CurvePoint[] {
  if (!(Number.isInteger(horizonDays) && horizonDays >= 0)) {
    throw new RangeError(`horizon must be a whole number of days ≥ 0, got ${horizonDays}`);
  }
  return Array.from({ length: horizonDays + 1 }, (_, day) => {
    const { rate, low, high } = incidenceAt(fit, day, cause);
    return { day, rate, low, high };
  });
}

/**
 * The earliest time t ≤ H (days) at which F_cause(t) ≥ fraction · F_cause(H): the quantile of the time to
 * the event among subjects who have it within H. fraction 0.5 gives "median days to close among those who
 * close within H", 0.25 and 0.75 the quartiles. Always one of the event times. O(log n).
 *
 * @param fraction - in (0, 1]
 * @param horizonDays - H, days
 * @returns days, or null when F_cause(H) is 0 or there are no observations
 */
export function incidenceQuantile(
  fit: CompetingRisksFit,
  fraction: number,
  horizonDays: number,
  cause: 1 | 2 = 1,
): number | null {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`fraction must be in (0, 1], got ${fraction}`);
  const values = fit.incidence[cause === 1 ? 0 : 1];
  const end = lastIndexAtOrBefore(fit.times, horizonDays);
  // The relative slack keeps an exact half (0.5 of F(H)) from missing its step by one rounding error.
  const target = fraction * (end < 0 ? 0 : values[end]!) * (1 - 1e-12);
  if (!(target > 0)) return null;
  return fit.times[leadingCount(end, (index) => values[index]! < target)]!;
}
