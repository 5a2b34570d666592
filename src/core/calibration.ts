import { groupByCampaign } from './cohort.ts';
import { FALLBACK_STRENGTH } from './empirical-bayes.ts';
import { type LagScoreInputs, lagLeadScore } from './lag-score.ts';
import type { LeadFigures } from './lead-figures.ts';
import { ALL_CAMPAIGNS, portalStats } from './portal-stats.ts';

const DAY = 86_400_000;
/** Bands of predicted probability: [0, 0.1), [0.1, 0.2) … [0.9, 1.0]. */
const BANDS = 10;

/** One band of a reliability diagram. Fractions 0–1; null predicted/observed when the band is empty. */
export interface CalibrationBand {
  readonly low: number;
  readonly high: number;
  /** Mean predicted probability of the band's leads. */
  readonly predicted: number | null;
  /** Share of them that actually won within the window. */
  readonly observed: number | null;
  readonly count: number;
}

/** What `GET /api/calibration` serves (DESIGN.md). Brier scores in probability² (0 best, 1 worst). */
export interface Calibration {
  readonly brier: number | null;
  readonly baselineBrier: number | null;
  readonly bands: readonly CalibrationBand[];
}

/** One back-tested lead: its score as it would have been at t0, and whether it then won in time. */
export interface BacktestPoint {
  readonly campaign: string;
  /** The lead score at t0 as a probability: the shown whole percent ÷ 100. */
  readonly predicted: number;
  readonly won: boolean;
}

/**
 * A lead's figures as they were known at t0 (epoch ms), or null when it was not a lead yet
 * (lead date ≥ t0). An outcome dated after t0 was unknown then, so the lead was open; an
 * opportunity counts only when its date is ≤ t0. Approximation: LeadFigures carries no
 * lifecycle-stage entry dates, so a lead that was not yet an opportunity at t0 keeps its current
 * MQL/SQL stage, capped below opportunity. An MQL or SQL reached after t0 thus leaks into the back
 * test, flattering the stage curves a little; opportunity, the stage that matters most, does not.
 */
export function figuresAsOf(lead: LeadFigures, t0: number): LeadFigures | null {
  if (!(lead.leadDate < t0)) return null;
  const opportunity = lead.opportunity && lead.opportunityDate !== null && lead.opportunityDate <= t0;
  const closed = lead.status !== 'open' && lead.closedDate !== null && lead.closedDate <= t0;
  const wonByThen = closed && lead.status === 'won';
  return {
    ...lead,
    status: closed ? lead.status : 'open',
    closedDate: closed ? lead.closedDate : null,
    opportunity,
    opportunityDate: opportunity ? lead.opportunityDate : null,
    revenue: wonByThen ? lead.revenue : 0,
    wonDeals: wonByThen ? lead.wonDeals : 0,
    wonShares: wonByThen ? lead.wonShares : [],
    stage: opportunity ? 3 : lead.stage === 3 ? 2 : lead.stage,
  };
}

/**
 * The lead-score inputs as of t0: statistics from `portalStats` on the figures known then (now =
 * t0), prior strength α + β of its empirical-Bayes prior (FALLBACK_STRENGTH without one), baseline
 * the pooled lag-aware close rate at H, else the pooled naive won/leads — as the score job does.
 */
function inputsAsOf(known: readonly LeadFigures[], t0: number, horizonDays: number) {
  const byCampaign = groupByCampaign(known);
  const stats = portalStats(byCampaign, t0, horizonDays, `calibration@${t0}`);
  const prior = stats.meta.prior;
  const naive = known.filter((lead) => lead.status === 'won').length / known.length;
  const base: Omit<LagScoreInputs, 'campaign'> = {
    all: stats.curves.get(ALL_CAMPAIGNS) ?? [],
    priorStrength: prior ? prior.alpha + prior.beta : FALLBACK_STRENGTH,
    baseline: stats.meta.all.lag.closeRateAtHorizon.rate ?? naive,
    horizonDays,
    now: t0,
  };
  return (campaign: string): LagScoreInputs => ({ ...base, campaign: stats.curves.get(campaign) });
}

/**
 * Back-tests the lead score: pretends it is t0 = now − H, scores every lead open at t0 from what
 * was known then (`figuresAsOf`, `lagLeadScore` with now = t0), and records whether it won within
 * (t0, t0 + H] — the score's own promise, fully observed by now, so nothing is censored.
 *
 * @param now - epoch ms
 * @param horizonDays - H, whole days ≥ 1
 * @returns one point per lead open at t0, in input order; empty when none was
 */
export function backtest(leads: readonly LeadFigures[], now: number, horizonDays: number): BacktestPoint[] {
  if (!(Number.isInteger(horizonDays) && horizonDays >= 1)) {
    throw new RangeError(`horizon must be a whole number of days ≥ 1, got ${horizonDays}`);
  }
  if (!Number.isFinite(now)) throw new RangeError(`now must be epoch ms, got ${now}`);
  const t0 = now - horizonDays * DAY;
  const pairs = leads.flatMap((lead) => {
    const then = figuresAsOf(lead, t0);
    return then ? [{ lead, then }] : [];
  });
  if (pairs.length === 0) return [];
  const inputsOf = inputsAsOf(
    pairs.map((pair) => pair.then),
    t0,
    horizonDays,
  );
  return pairs
    .filter(({ then }) => then.status === 'open')
    .map(({ lead, then }) => ({
      campaign: lead.campaign,
      predicted: lagLeadScore(then, inputsOf(then.campaign)).score / 100,
      won:
        lead.status === 'won' && lead.closedDate !== null && lead.closedDate > t0 && lead.closedDate <= now,
    }));
}

/**
 * Brier score (Brier 1950, Monthly Weather Review 78:1–3): mean (p − y)² over the points, y = 1 for
 * won. baselineBrier is the Brier score of a no-skill forecast: the pooled share ȳ that actually
 * won, given to everyone, i.e. ȳ(1 − ȳ) — the "uncertainty" term of Murphy's decomposition
 * (Murphy 1973, J Appl Meteorol 12:595–600). Being the best constant in hindsight, it is a fair bar:
 * a score below it separates leads better than knowing the overall rate in advance. Bands form a
 * reliability diagram (Murphy & Winkler 1977, Applied Statistics 26:41–47): per band of predicted
 * probability, the mean prediction against the observed share; a calibrated score has them close.
 *
 * @returns brier and baselineBrier null without points; every band listed, empty ones with nulls
 */
export function calibrationOf(points: readonly BacktestPoint[]): Calibration {
  const n = points.length;
  const wonShare = points.filter((point) => point.won).length / n;
  const outcome = (point: BacktestPoint) => (point.won ? 1 : 0);
  const mean = (value: (point: BacktestPoint) => number) => points.reduce((s, p) => s + value(p), 0) / n;
  return {
    brier: n === 0 ? null : mean((point) => (point.predicted - outcome(point)) ** 2),
    baselineBrier: n === 0 ? null : mean((point) => (wonShare - outcome(point)) ** 2),
    bands: Array.from({ length: BANDS }, (_, band) => bandOf(points, band)),
  };
}

function bandOf(points: readonly BacktestPoint[], band: number): CalibrationBand {
  // The 1e-9 puts a prediction a rounding error below an edge (0.7 − 0.4 = 0.29999999999999993) in the
  // band it names; 1.0 joins the last band, [0.9, 1.0].
  const inBand = points.filter(
    (point) => Math.min(BANDS - 1, Math.floor(point.predicted * BANDS + 1e-9)) === band,
  );
  const count = inBand.length;
  return {
    low: band / BANDS,
    high: (band + 1) / BANDS,
    predicted: count === 0 ? null : inBand.reduce((sum, point) => sum + point.predicted, 0) / count,
    observed: count === 0 ? null : inBand.filter((point) => point.won).length / count,
    count,
  };
}

/**
 * Back-tests the lead score over the last H days and summarises it (see `backtest`,
 * `calibrationOf`). Pure: `now` (epoch ms) is a parameter.
 *
 * @param horizonDays - H, whole days ≥ 1
 */
export function calibrate(leads: readonly LeadFigures[], now: number, horizonDays: number): Calibration {
  return calibrationOf(backtest(leads, now, horizonDays));
}
