import { daysBetween } from './days.ts';
import type { LeadFigures } from './lead-figures.ts';
import { type Grade, gradeOf } from './lead-score.ts';
import type { DailyCurves } from './score-curves.ts';

export interface WindowChance {
  /** Chance, 0–1, of closing won in the next H days given still open; null without data. */
  readonly chance: number | null;
  /** Leads still open at this age whose outcome by the window's end is known: what the chance rests on. */
  readonly informative: number;
}

/**
 * DESIGN.md's lead score before shrinkage: (F_won(a+H) − F_won(a)) / (1 − F_won(a) − F_lost(a)),
 * read off a group's daily curves at whole days (a rounded down; past the curves' end, their last
 * value).
 *
 * @param ageDays - the lead's age a, days
 * @param horizonDays - H, days
 */
export function windowChance(curves: DailyCurves, ageDays: number, horizonDays: number): WindowChance {
  const last = curves.won.length - 1;
  if (last < 0) return { chance: null, informative: 0 };
  const at = Math.min(Math.floor(ageDays), last);
  const end = Math.min(Math.floor(ageDays) + horizonDays, last);
  const stillOpen = 1 - (curves.won[at] ?? 0) - (curves.lost[at] ?? 0);
  const informative = curves.informative[at] ?? 0;
  // Nobody of this group is still open at this age: no chance left to estimate.
  if (stillOpen <= 1e-9) return { chance: 0, informative };
  return {
    chance: Math.min(1, Math.max(0, ((curves.won[end] ?? 0) - (curves.won[at] ?? 0)) / stillOpen)),
    informative,
  };
}

export interface LagScoreInputs {
  /** This campaign's curves per score stage; undefined for a campaign without leads. */
  readonly campaign: readonly DailyCurves[] | undefined;
  /** Every campaign's curves per score stage. */
  readonly all: readonly DailyCurves[];
  /** Pseudo-leads of prior weight (α + β of the empirical-Bayes prior). */
  readonly priorStrength: number;
  /** All-campaign lag-aware close rate at H, 0–1: what grades are relative to. */
  readonly baseline: number;
  readonly horizonDays: number;
  readonly now: number;
}

export interface LagLeadScore {
  /** 0–100. */
  readonly score: number;
  readonly grade: Grade;
  /** Weight of the campaign's own data, 0–1. */
  readonly weight: number;
}

/**
 * The lead score: the chance an open lead closes won within the next H days, from its campaign's
 * curves among leads that reached its furthest stage, shrunk toward every campaign's: weight
 * n / (n + prior strength), n the campaign's leads of that stage still open at this age whose
 * outcome by the window's end is known. A young campaign (n ≈ 0) thus scores like the portal's
 * leads of that stage, and a campaign with three leads cannot claim 100 %. Past the oldest age
 * the portal has enough leads for (`reliableUntil`), a lead is read at that age: an old open lead
 * is not scored 0 just because nobody that old was observed. Won leads score 100, lost leads 0.
 */
export function lagLeadScore(lead: LeadFigures, inputs: LagScoreInputs): LagLeadScore {
  if (lead.status === 'won') return { score: 100, grade: 'A', weight: 1 };
  if (lead.status === 'lost') return { score: 0, grade: 'D', weight: 1 };
  const all = inputs.all[lead.stage] as DailyCurves;
  const age = daysBetween(lead.leadDate, inputs.now);
  const readAge = all.reliableUntil >= 0 ? Math.min(age, all.reliableUntil) : age;
  const pooled = windowChance(all, readAge, inputs.horizonDays);
  const curves = inputs.campaign?.[lead.stage];
  const own = curves ? windowChance(curves, readAge, inputs.horizonDays) : { chance: null, informative: 0 };
  const weight = own.chance === null ? 0 : own.informative / (own.informative + inputs.priorStrength);
  const chance = weight * (own.chance ?? 0) + (1 - weight) * (pooled.chance ?? 0);
  return { score: Math.round(chance * 100), grade: gradeOf(chance, inputs.baseline), weight };
}
