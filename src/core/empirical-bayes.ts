/** Successes out of trials for a group (a campaign's won leads of its leads); successes may be fractional. */
export interface GroupCount {
  readonly successes: number;
  readonly trials: number;
}

/**
 * A Beta(α, β) prior for the groups' rates: mean α / (α + β), worth α + β pseudo-trials. `method` says
 * whether the groups' spread set its strength ('moments') or there was too little to go on ('fallback').
 */
export interface BetaPrior {
  readonly alpha: number;
  readonly beta: number;
  readonly method: 'moments' | 'fallback';
}

/** A group's rate after shrinkage, fraction 0–1, and the share of it from the group's own data, 0–1. */
export interface ShrunkRate {
  readonly rate: number;
  readonly weight: number;
}

/** Fewer groups with data than this cannot show how far apart groups really are: the fallback applies. */
export const MIN_GROUPS = 5;

/**
 * Strength (α + β, in pseudo-trials) of the fallback prior. A group then needs 30 trials of its own before
 * they outweigh the pooled rate, so 3 leads and 1 win reads as about the pooled rate, not 33 %, while a
 * campaign with hundreds of leads keeps its own rate (weight ≥ 0.9 from 270). It is the fixed prior the lead
 * score used before shrinkage was estimated (PRIOR_LEADS in lead-score.ts), so portals with too little data
 * to estimate see the same figures as before.
 */
export const FALLBACK_STRENGTH = 30;

/**
 * Intraclass correlation ρ of binary outcomes within groups by the one-way ANOVA estimator for unequal group
 * sizes (Donner 1986, Int Stat Rev 54:67–82; ρ_A in Ridout, Demétrio & Firth 1999, Biometrics 55:137–148):
 * ρ = (MSB − MSW) / (MSB + (n₀ − 1) MSW), with p_i = x_i / n_i, pooled p = Σx / N,
 * MSB = Σ n_i (p_i − p)² / (k − 1), MSW = Σ n_i p_i (1 − p_i) / (N − k), n₀ = (N − Σ n_i² / N) / (k − 1).
 * Subtracting MSW removes the binomial sampling noise that small groups add to the spread of their rates, so
 * what is left is the spread of the groups' true rates. Groups without trials are ignored.
 *
 * @returns ρ (may be ≤ 0 when groups differ less than sampling noise explains), or null when it is undefined:
 *   fewer than 2 groups, no more trials than groups, or a zero denominator
 */
export function intraclassCorrelation(groups: readonly GroupCount[]): number | null {
  const withData = groups.filter((group) => group.trials > 0);
  const k = withData.length;
  const total = withData.reduce((sum, group) => sum + group.trials, 0);
  if (k < 2 || !(total > k)) return null;
  const pooled = withData.reduce((sum, group) => sum + group.successes, 0) / total;
  let between = 0;
  let within = 0;
  let squaredSizes = 0;
  for (const { successes, trials } of withData) {
    const rate = successes / trials;
    between += trials * (rate - pooled) ** 2;
    within += trials * rate * (1 - rate);
    squaredSizes += trials * trials;
  }
  const msb = between / (k - 1);
  const msw = within / (total - k);
  const n0 = (total - squaredSizes / total) / (k - 1);
  const denominator = msb + (n0 - 1) * msw;
  return denominator > 0 ? (msb - msw) / denominator : null;
}

/**
 * Empirical-Bayes Beta prior for the groups' rates under a beta-binomial model (for the empirical-Bayes
 * idea, Efron 2010, Large-Scale Inference, ch. 1). Mean: the pooled rate Σx / Σn. Strength by the method of
 * moments: in a beta-binomial, ρ = 1 / (α + β + 1) (Kleinman 1973, JASA 68:46–54), so α + β = (1 − ρ) / ρ
 * with ρ from `intraclassCorrelation`.
 *
 * Fallback, a Beta centred on the pooled rate worth FALLBACK_STRENGTH pseudo-trials, when: fewer than
 * MIN_GROUPS groups have trials; ρ is undefined; ρ ≤ 0 (no between-group variance left, which would mean
 * pooling everything completely); or ρ ≥ 1 (every group all-or-nothing, which would mean no shrinkage at all,
 * exactly what small groups must not get).
 *
 * @param groups - successes out of trials per group; groups without trials are ignored
 * @returns the prior, or null when no group has trials (there is no pooled rate to centre on)
 */
export function fitBetaPrior(groups: readonly GroupCount[]): BetaPrior | null {
  const withData = groups.filter((group) => group.trials > 0);
  const total = withData.reduce((sum, group) => sum + group.trials, 0);
  if (!(total > 0)) return null;
  const pooled = Math.min(1, Math.max(0, withData.reduce((sum, group) => sum + group.successes, 0) / total));
  const rho = withData.length >= MIN_GROUPS ? intraclassCorrelation(withData) : null;
  if (rho === null || !(rho > 0 && rho < 1)) {
    return { alpha: pooled * FALLBACK_STRENGTH, beta: (1 - pooled) * FALLBACK_STRENGTH, method: 'fallback' };
  }
  const strength = (1 - rho) / rho;
  return { alpha: pooled * strength, beta: (1 - pooled) * strength, method: 'moments' };
}

/**
 * Posterior mean of a group's rate under a Beta(α, β) prior: (successes + α) / (trials + α + β); weight =
 * trials / (trials + α + β) is the share given to the group's own rate, the rest going to the prior mean.
 *
 * @param successes - may be fractional (shares of won deals); clamped to [0, trials]
 * @param trials - ≥ 0; with 0 trials the result is the prior mean with weight 0
 * @param prior - α, β ≥ 0 with α + β > 0
 * @returns rate (fraction 0–1) and weight (0–1)
 * @throws RangeError on negative trials or an invalid prior
 */
export function shrink(successes: number, trials: number, prior: BetaPrior): ShrunkRate {
  const strength = prior.alpha + prior.beta;
  if (!(prior.alpha >= 0 && prior.beta >= 0 && strength > 0 && Number.isFinite(strength))) {
    throw new RangeError(`prior needs α, β ≥ 0 with 0 < α + β < ∞, got ${prior.alpha}, ${prior.beta}`);
  }
  if (!(trials >= 0 && Number.isFinite(trials))) {
    throw new RangeError(`trials must be a finite number ≥ 0, got ${trials}`);
  }
  const own = Math.min(trials, Math.max(0, successes));
  return { rate: (own + prior.alpha) / (trials + strength), weight: trials / (trials + strength) };
}
