import { describe, expect, it } from 'vitest';
import {
  fitCompetingRisks,
  incidenceAt,
  incidenceCurve,
  incidenceQuantile,
  logLogInterval,
  type Observation,
  type Outcome,
  survivalAt,
} from '../../src/core/survival.ts';
import { Z_95 } from '../../src/core/wilson.ts';

const observation = (time: number, outcome: Outcome): Observation => ({ time, outcome });

// Freireich EJ et al. (1963), Blood 21:699–716, 6-MP arm: remission times in weeks, negative = censored.
// Product-limit estimates and Greenwood standard errors as tabulated in Klein & Moeschberger (2003),
// Survival Analysis, Table 4.1A (Example 4.1), and reproduced by R `survfit(Surv(t2, relapse) ~ 1,
// data = KMsurv::drug6mp)`: time, at risk, S(t), SE.
const SIX_MP = [6, 6, 6, -6, 7, -9, 10, -10, -11, 13, 16, -17, -19, -20, 22, 23, -25, -32, -32, -34, -35].map(
  (t) => observation(Math.abs(t), t < 0 ? 0 : 1),
);
const SIX_MP_TABLE = [
  [6, 21, 0.857, 0.0764],
  [7, 17, 0.807, 0.0869],
  [10, 15, 0.753, 0.0963],
  [13, 12, 0.69, 0.1068],
  [16, 11, 0.627, 0.1141],
  [22, 7, 0.538, 0.1282],
  [23, 6, 0.448, 0.1346],
] as const;

describe('Kaplan–Meier against Freireich et al. (1963) 6-MP arm, Klein & Moeschberger Table 4.1A', () => {
  const fit = fitCompetingRisks(SIX_MP);

  it('has the published event times and risk sets', () => {
    expect(fit.times).toEqual(SIX_MP_TABLE.map((row) => row[0]));
    expect(fit.atRisk).toEqual(SIX_MP_TABLE.map((row) => row[1]));
  });

  it.each(SIX_MP_TABLE)('S(%i) (at risk %i) = %f with Greenwood SE %f', (time, _, survival, se) => {
    const estimate = survivalAt(fit, time);
    expect(estimate.rate).toBeCloseTo(survival, 3);
    expect(Math.sqrt(estimate.variance!)).toBeCloseTo(se, 4);
  });

  it('is a right-continuous step: flat between event times and after the last one', () => {
    expect(survivalAt(fit, 5.99).rate).toBe(1);
    expect(survivalAt(fit, 9).rate).toBe(survivalAt(fit, 7).rate);
    expect(survivalAt(fit, 35).rate).toBeCloseTo(0.448, 3);
  });

  it.each(SIX_MP_TABLE)(
    'with no competing event, F₁(%i) = 1 − S and its SE is Greenwood’s',
    (time, _, s, se) => {
      const estimate = incidenceAt(fit, time);
      expect(estimate.rate).toBeCloseTo(1 - s, 3);
      expect(Math.sqrt(estimate.variance!)).toBeCloseTo(se, 4);
    },
  );
});

// Satagopan JM, Ben-Porat L, Berwick M, Robson M, Kutler D, Auerbach AD (2004). A note on competing risks
// in survival data analysis. Br J Cancer 91:1229–1235, Table 2. 305 breast-cancer patients; the table lists
// the first nine by follow-up (months): C = alive (censored), E = breast-cancer death (outcome 1),
// CR = other death (outcome 2). The other 296 are followed beyond 27 months (censored at 60 here; only
// their being at risk matters). Step 1 publishes the overall survival in %, step 2 each time's incidence
// h₁(t_j) · S(t_{j−1}) in % (each 0.3). Its cumulative column (0.3, 0.6, 0.9, 1.2) adds those rounded
// increments; unrounded, F₁(27) = 1/304 + 2 · 303/(304 · 302) + 303 · 299/(304 · 302 · 298) = 1.32 %.
describe('Aalen–Johansen against Satagopan et al. (2004) Table 2', () => {
  const listed = [
    observation(7, 0),
    observation(10, 1),
    observation(14, 0),
    observation(16, 1),
    observation(18, 2),
    observation(23, 1),
    observation(24, 0),
    observation(26, 2),
    observation(27, 1),
  ];
  const fit = fitCompetingRisks([...listed, ...Array.from({ length: 296 }, () => observation(60, 0))]);

  it('has the published risk sets and overall survival (step 1)', () => {
    expect(fit.times).toEqual([10, 16, 18, 23, 26, 27]);
    expect(fit.atRisk).toEqual([304, 302, 301, 300, 298, 297]);
    [0.997, 0.993, 0.99, 0.987, 0.983, 0.98].forEach((s, i) => {
      expect(fit.survival[i]).toBeCloseTo(s, 3);
    });
  });

  it('adds the published 0.3 % at each breast-cancer death (step 2)', () => {
    const steps: [number, number][] = [
      [9, 10],
      [15, 16],
      [22, 23],
      [26, 27],
    ];
    for (const [before, at] of steps) {
      expect(incidenceAt(fit, at).rate! - incidenceAt(fit, before).rate!).toBeCloseTo(0.003, 3);
    }
    expect(incidenceAt(fit, 18).rate).toBe(incidenceAt(fit, 17).rate); // other deaths add nothing to F₁
    expect(incidenceAt(fit, 27).rate).toBeCloseTo(
      1 / 304 + (2 * 303) / (304 * 302) + (303 * 299) / (304 * 302 * 298),
      12,
    );
  });
});

// Worked by hand. Seven leads (days, outcome): (1, won) (2, lost) (2, open) (3, won) (3, won) (4, open)
// (5, lost) — a censoring tied with an event at day 2, two events at day 3, S reaching 0 at day 5.
//   t   Y   d₁  d₂  S(t−)  S(t)            F₁(t)                  F₂(t)
//   1   7   1   0   1      6/7             1/7                    0
//   2   6   0   1   6/7    5/7             1/7                    (6/7)(1/6) = 1/7
//   3   4   2   0   5/7    (5/7)(2/4)=5/14 1/7 + (5/7)(2/4) = 1/2  1/7
//   5   1   0   1   5/14   0               1/2                    1/7 + 5/14 = 1/2
// (The lead open at 2 is at risk at 2, out by 3; the one open at 4 leaves Y = 1 at day 5.)
// Var F₁(3), with a_l = d_l/(Y_l(Y_l − d_l)) = 1/42, 1/30, 1/4 and F₁(3) − F₁(t_l) = 5/14, 5/14, 0:
//   Σ (F₁(3) − F₁(t_l))² a_l                 = (25/196)(1/42 + 1/30)              = 5/686
//   Σ S(t_{l−1})² d₁(Y − d₁)/Y³                = 1·1·6/343 + (25/49)·2·2/64          = 271/5488
//   2 Σ (F₁(3) − F₁(t_l)) S(t_{l−1}) d₁/Y²     = 2 (5/14)(1/49)                      = 5/343
//   Var = 40/5488 + 271/5488 − 80/5488 = 231/5488 = 33/784 ≈ 0.04209, SE = √33/28 ≈ 0.2052.
// Interval: F = 1/2, k = exp(1.96 · SE / (F |ln F|)) ≈ 3.191, [F^k, F^(1/k)] ≈ [0.1095, 0.8047].
// At day 5 S = 0, so F₂ = 1 − F₁ and Var F₂(5) = Var F₁(5) = 33/784. Greenwood at 3:
// S(3)² Σ a_l = (25/196)(1/42 + 1/30 + 1/4) = (25/196)(43/140) = 215/5488.
describe('Aalen–Johansen worked by hand (ties, several events at once, S reaching 0)', () => {
  const fit = fitCompetingRisks([
    observation(1, 1),
    observation(2, 2),
    observation(2, 0),
    observation(3, 1),
    observation(3, 1),
    observation(4, 0),
    observation(5, 2),
  ]);

  it('has the risk sets, survival and incidences of the table', () => {
    expect(fit.times).toEqual([1, 2, 3, 5]);
    expect(fit.atRisk).toEqual([7, 6, 4, 1]);
    expectAll(fit.survival, [6 / 7, 5 / 7, 5 / 14, 0]);
    expectAll(fit.incidence[0], [1 / 7, 1 / 7, 1 / 2, 1 / 2]);
    expectAll(fit.incidence[1], [0, 1 / 7, 1 / 7, 1 / 2]);
  });

  it('has the hand-computed delta-method variances', () => {
    // Binomial (1/7)(6/7)/7: nothing is censored yet.
    expect(incidenceAt(fit, 1).variance).toBeCloseTo(6 / 343, 14);
    expect(incidenceAt(fit, 3).variance).toBeCloseTo(33 / 784, 14);
    expect(incidenceAt(fit, 5).variance).toBeCloseTo(33 / 784, 14);
    expect(incidenceAt(fit, 5, 2).variance).toBeCloseTo(33 / 784, 14);
    expect(survivalAt(fit, 3).variance).toBeCloseTo(215 / 5488, 14);
  });

  it('has the hand-computed log(−log) interval', () => {
    const k = Math.exp((Z_95 * (Math.sqrt(33) / 28)) / (0.5 * Math.LN2));
    const estimate = incidenceAt(fit, 3.5);
    expect(estimate.low).toBeCloseTo(0.5 ** k, 12);
    expect(estimate.high).toBeCloseTo(0.5 ** (1 / k), 12);
    expect(estimate.low).toBeCloseTo(0.1095, 4);
    expect(estimate.high).toBeCloseTo(0.8047, 4);
  });

  it('gives the curve at whole days', () => {
    expect(incidenceCurve(fit, 4).map((point) => [point.day, point.rate])).toEqual([
      [0, 0],
      [1, 1 / 7],
      [2, 1 / 7],
      [3, 1 / 2],
      [4, 1 / 2],
    ]);
    expect(incidenceCurve(fit, 0)).toEqual([{ day: 0, rate: 0, low: 0, high: 0 }]);
  });

  it('gives quantiles of the time to the event among those who have it within H', () => {
    expect(incidenceQuantile(fit, 0.5, 5)).toBe(3); // F₁(5) = 1/2; first F₁ ≥ 1/4 is at 3
    expect(incidenceQuantile(fit, 0.25, 5)).toBe(1); // first F₁ ≥ 1/8 is 1/7 at 1
    expect(incidenceQuantile(fit, 0.5, 2)).toBe(1); // within 2 days only the day-1 win
    expect(incidenceQuantile(fit, 1, 5)).toBe(3);
    expect(incidenceQuantile(fit, 0.5, 0.5)).toBeNull(); // no win by H
    expect(incidenceQuantile(fit, 0.5, 1, 2)).toBeNull(); // no loss by H
    expect(incidenceQuantile(fit, 0.5, 5, 2)).toBe(5); // F₂(5) = 1/2; first F₂ ≥ 1/4 is at 5
  });
});

describe('identities on seeded random data', () => {
  const cases = Array.from({ length: 200 }, (_, seed) => randomObservations(seed));

  it('F₁ + F₂ + S = 1 at every event time; F non-decreasing; intervals contain F inside [0, 1]', () => {
    for (const observations of cases) {
      const fit = fitCompetingRisks(observations);
      fit.times.forEach((time, i) => {
        expect(fit.incidence[0][i]! + fit.incidence[1][i]! + fit.survival[i]!).toBeCloseTo(1, 12);
        if (i > 0) expect(fit.incidence[0][i]!).toBeGreaterThanOrEqual(fit.incidence[0][i - 1]!);
        for (const cause of [1, 2] as const) {
          const { rate, low, high } = incidenceAt(fit, time, cause);
          expect(low!).toBeGreaterThanOrEqual(0);
          expect(low!).toBeLessThanOrEqual(rate!);
          expect(high!).toBeGreaterThanOrEqual(rate!);
          expect(high!).toBeLessThanOrEqual(1);
        }
      });
    }
  });

  it('matches the textbook formulas evaluated term by term at every event time', () => {
    for (const observations of cases) {
      const fit = fitCompetingRisks(observations);
      const direct = directAalenJohansen(observations);
      expect(fit.times).toEqual(direct.times);
      for (const k of [0, 1]) {
        expectAll(fit.incidence[k]!, direct.incidence[k]!);
        expectAll(fit.incidenceVariance[k]!, direct.variance[k]!);
      }
    }
  });

  it('without competing events equals 1 − Kaplan–Meier, with Greenwood’s variance', () => {
    for (let seed = 0; seed < 100; seed++) {
      const fit = fitCompetingRisks(randomObservations(seed, [0, 1]));
      for (const t of [...fit.times, 0.5, 7.5, 100]) {
        expect(incidenceAt(fit, t).rate).toBeCloseTo(1 - survivalAt(fit, t).rate!, 12);
        expect(incidenceAt(fit, t).variance).toBeCloseTo(survivalAt(fit, t).variance!, 12);
      }
    }
  });

  // mstate::Cuminc documentation: "In case of no censoring, the estimated cumulative incidences and
  // variances reduce to simple binomial frequencies and their variances".
  it('without censoring is the binomial frequency with variance F(1 − F)/n', () => {
    for (let seed = 0; seed < 100; seed++) {
      const observations = randomObservations(seed, [1, 2]);
      const fit = fitCompetingRisks(observations);
      for (const t of [0, 3, 10, 29]) {
        for (const cause of [1, 2] as const) {
          const count = observations.filter((o) => o.outcome === cause && o.time <= t).length;
          const frequency = count / observations.length;
          expect(incidenceAt(fit, t, cause).rate).toBeCloseTo(frequency, 12);
          expect(incidenceAt(fit, t, cause).variance).toBeCloseTo(
            (frequency * (1 - frequency)) / observations.length,
            12,
          );
        }
      }
    }
  });

  it('gives quantiles on an event time where F first reaches the fraction of F(H)', () => {
    for (let seed = 0; seed < 100; seed++) {
      const fit = fitCompetingRisks(randomObservations(seed));
      const atHorizon = incidenceAt(fit, 20).rate!;
      for (const fraction of [0.25, 0.5, 0.75]) {
        const quantile = incidenceQuantile(fit, fraction, 20);
        if (atHorizon === 0) expect(quantile).toBeNull();
        else {
          expect(incidenceAt(fit, quantile!).rate).toBeGreaterThanOrEqual(fraction * atHorizon - 1e-12);
          expect(incidenceAt(fit, quantile! - 1e-9).rate).toBeLessThan(fraction * atHorizon);
          expect(quantile!).toBeLessThanOrEqual(20);
        }
      }
    }
  });
});

describe('edges', () => {
  it('zero observations: every figure is null', () => {
    const fit = fitCompetingRisks([]);
    expect(incidenceAt(fit, 10)).toEqual({ rate: null, variance: null, low: null, high: null });
    expect(survivalAt(fit, 10).rate).toBeNull();
    expect(incidenceCurve(fit, 2).map((point) => point.rate)).toEqual([null, null, null]);
    expect(incidenceQuantile(fit, 0.5, 10)).toBeNull();
  });

  it('a single observation', () => {
    const won = fitCompetingRisks([observation(3, 1)]);
    expect(incidenceAt(won, 2.9)).toEqual({ rate: 0, variance: 0, low: 0, high: 0 });
    expect(incidenceAt(won, 3)).toEqual({ rate: 1, variance: 0, low: 1, high: 1 });
    expect(survivalAt(won, 3)).toEqual({ rate: 0, variance: 0, low: 0, high: 0 });
    const open = fitCompetingRisks([observation(3, 0)]);
    expect(incidenceAt(open, 100)).toEqual({ rate: 0, variance: 0, low: 0, high: 0 });
    expect(survivalAt(open, 100).rate).toBe(1);
  });

  it('all censored: incidence 0 with the degenerate interval [0, 0]', () => {
    const fit = fitCompetingRisks([1, 2, 2, 5, 9].map((t) => observation(t, 0)));
    expect(fit.times).toEqual([]);
    expect(incidenceCurve(fit, 10).every((point) => point.rate === 0 && point.high === 0)).toBe(true);
    expect(incidenceQuantile(fit, 0.5, 10)).toBeNull();
  });

  it('all competing: F₁ stays 0, F₂ = 1 − S', () => {
    const fit = fitCompetingRisks([1, 2, 2, 5].map((t) => observation(t, 2)));
    expect(incidenceAt(fit, 10).rate).toBe(0);
    expect(incidenceAt(fit, 2, 2).rate).toBeCloseTo(3 / 4, 15);
    expect(incidenceAt(fit, 5, 2)).toEqual({ rate: 1, variance: 0, low: 1, high: 1 });
  });

  it('all events of interest, none censored: reaches exactly 1', () => {
    const fit = fitCompetingRisks(Array.from({ length: 1000 }, (_, i) => observation(i * 0.37, 1)));
    const end = incidenceAt(fit, 1e9);
    expect(end.rate).toBeCloseTo(1, 14);
    expect(end.variance).toBeCloseTo(0, 14);
    expect([end.low, end.high]).toEqual([end.rate, end.rate]);
  });

  it('events at time 0 count on day 0; censorings at 0 do not', () => {
    const fit = fitCompetingRisks([
      observation(0, 1),
      observation(0, 0),
      observation(0, 2),
      observation(4, 1),
    ]);
    expect(fit.atRisk[0]).toBe(4);
    expect(incidenceCurve(fit, 0)[0]!.rate).toBeCloseTo(1 / 4, 15);
    expect(incidenceAt(fit, 0, 2).rate).toBeCloseTo(1 / 4, 15);
    expect(incidenceAt(fit, 4).rate).toBeCloseTo(1 / 4 + 1 / 2, 15); // S(0) = 2/4, Y(4) = 1
  });

  it('a censoring tied with events stays in the risk set at that time', () => {
    const fit = fitCompetingRisks([
      observation(2, 1),
      observation(2, 1),
      observation(2, 0),
      observation(5, 0),
    ]);
    expect(fit.atRisk).toEqual([4]);
    expect(incidenceAt(fit, 2).rate).toBe(1 / 2);
  });

  it('rejects negative, non-finite and NaN times and unknown outcomes', () => {
    expect(() => fitCompetingRisks([observation(-1, 1)])).toThrow(RangeError);
    expect(() => fitCompetingRisks([observation(Number.POSITIVE_INFINITY, 0)])).toThrow(RangeError);
    expect(() => fitCompetingRisks([{ time: 1, outcome: 3 as Outcome }])).toThrow(RangeError);
    expect(() => incidenceAt(fitCompetingRisks([observation(1, 1)]), Number.NaN)).toThrow(RangeError);
    expect(() => incidenceCurve(fitCompetingRisks([]), 1.5)).toThrow(RangeError);
    expect(() => incidenceQuantile(fitCompetingRisks([]), 0, 10)).toThrow(RangeError);
  });

  it('logLogInterval is degenerate where the transform is undefined or the variance is 0', () => {
    expect(logLogInterval(0, 0.1)).toEqual({ low: 0, high: 0 });
    expect(logLogInterval(1, 0.1)).toEqual({ low: 1, high: 1 });
    expect(logLogInterval(0.3, 0)).toEqual({ low: 0.3, high: 0.3 });
  });
});

function expectAll(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => {
    expect(value).toBeCloseTo(expected[i]!, 12);
  });
}

/** Mulberry32: a small seeded generator, so the random cases are the same on every run. */
function random(seed: number): () => number {
  let state = seed + 0x6d2b79f5;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 1–60 observations on whole days 0–29 (so ties are common) with outcomes drawn from `outcomes`. */
function randomObservations(seed: number, outcomes: readonly Outcome[] = [0, 1, 2]): Observation[] {
  const next = random(seed);
  return Array.from({ length: 1 + Math.floor(next() * 60) }, () =>
    observation(Math.floor(next() * 30), outcomes[Math.floor(next() * outcomes.length)]!),
  );
}

/**
 * The estimator and the Marubini & Valsecchi delta-method variance written out as in the textbook: risk
 * sets counted afresh at each time and the variance summed term by term (O(n²)), sharing nothing with the
 * implementation's one-pass running sums.
 */
function directAalenJohansen(observations: readonly Observation[]) {
  const times = [...new Set(observations.filter((o) => o.outcome !== 0).map((o) => o.time))].sort(
    (a, b) => a - b,
  );
  const rows = times.map((t) => ({
    y: observations.filter((o) => o.time >= t).length,
    d: [1, 2].map((k) => observations.filter((o) => o.time === t && o.outcome === k).length),
  }));
  const before: number[] = []; // S(t_{l−1})
  const incidence: number[][] = [[], []];
  let s = 1;
  rows.forEach(({ y, d }, l) => {
    before.push(s);
    for (const k of [0, 1]) incidence[k]!.push((incidence[k]![l - 1] ?? 0) + (s * d[k]!) / y);
    s *= 1 - (d[0]! + d[1]!) / y;
  });
  const variance = [0, 1].map((k) =>
    times.map((_, j) => {
      const f = incidence[k]!;
      let sum = 0;
      for (let l = 0; l <= j; l++) {
        const { y, d } = rows[l]!;
        const all = d[0]! + d[1]!;
        const gap = f[j]! - f[l]!;
        if (y > all) sum += (gap * gap * all) / (y * (y - all));
        sum += (before[l]! ** 2 * d[k]! * (y - d[k]!)) / y ** 3;
        sum -= (2 * gap * before[l]! * d[k]!) / y ** 2;
      }
      return sum;
    }),
  );
  return { times, incidence, variance };
}
