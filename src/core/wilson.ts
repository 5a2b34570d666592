/** A proportion with its 95 % interval; all three are fractions in [0, 1], null when n = 0. */
export interface RateInterval {
  readonly rate: number | null;
  readonly low: number | null;
  readonly high: number | null;
}

/** The 97.5th percentile of the standard normal distribution, for two-sided 95 % intervals. */
export const Z_95 = 1.959963984540054;

/**
 * Wilson score interval for a binomial proportion (Wilson 1927; method 3 in Newcombe 1998,
 * Statistics in Medicine 17:857–872), without continuity correction.
 *
 * @param successes - count of successes, 0 ≤ successes ≤ trials (fractional counts are allowed,
 *   e.g. shares of won deals)
 * @param trials - count of trials
 * @param z - normal quantile; 1.96 for 95 %
 * @returns rate = successes / trials with the interval bounds, all fractions; nulls when trials is 0
 */
export function wilsonInterval(successes: number, trials: number, z = Z_95): RateInterval {
  if (!(trials > 0)) return { rate: null, low: null, high: null };
  const p = Math.min(1, Math.max(0, successes / trials));
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const spread = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  const denominator = 1 + z2 / trials;
  // At p = 0 or 1 the bound is exactly 0 or 1; rounding would otherwise leave 1 − 1e-16.
  return {
    rate: p,
    low: p === 0 ? 0 : Math.max(0, (centre - spread) / denominator),
    high: p === 1 ? 1 : Math.min(1, (centre + spread) / denominator),
  };
}
