import { describe, expect, it } from 'vitest';
import { type BacktestPoint, backtest, calibrationOf } from '../../src/core/calibration.ts';
import type { LeadFigures } from '../../src/core/lead-figures.ts';

// Synthetic portals whose true chances are known. Each campaign has constant daily hazards of winning
// (w) and losing (l); the time to close is exponential with rate w + l and the lead wins with
// probability w / (w + l). Exponential times forget their age, so every lead still open at t0,
// whatever its age, wins within the next H days with the same known probability
// P = w / (w + l) · (1 − e^(−(w + l)·H)) — what a perfect lead score would say.

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 1);
const H = 90;
const T0 = NOW - H * DAY;
const HISTORY_DAYS = 720; // lead dates uniform over two years
const LEADS_PER_CAMPAIGN = 4000;

interface Campaign {
  readonly name: string;
  readonly win: number; // per day
  readonly loss: number; // per day
}

const trueChance = ({ win, loss }: Campaign) => (win / (win + loss)) * (1 - Math.exp(-(win + loss) * H));

/** mulberry32 (Tommy Ettinger, public domain): a small seeded PRNG, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Stage-0 leads without opportunities, so the only thing that differs is the campaign. */
function simulate(campaigns: readonly Campaign[], seed: number): LeadFigures[] {
  const random = mulberry32(seed);
  return campaigns.flatMap((campaign) =>
    Array.from({ length: LEADS_PER_CAMPAIGN }, (): LeadFigures => {
      const leadDate = NOW - random() * HISTORY_DAYS * DAY;
      const hazard = campaign.win + campaign.loss;
      const closeAt = leadDate + (-Math.log(1 - random()) / hazard) * DAY;
      const won = random() < campaign.win / hazard;
      const closed = closeAt <= NOW;
      return {
        campaign: campaign.name,
        leadDate,
        status: closed ? (won ? 'won' : 'lost') : 'open',
        opportunity: false,
        opportunityDate: null,
        closedDate: closed ? closeAt : null,
        revenue: 0,
        wonDeals: 0,
        wonShares: [],
        stage: 0,
        skipped: false,
      };
    }),
  );
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/**
 * Leads of a campaign whose whole window (t0 − H, t0] was seen by t0: a lower bound on how many leads
 * its estimated chance rests on (younger and censored leads add information too).
 */
const completeWindows = (leads: readonly LeadFigures[], name: string) =>
  leads.filter((lead) => lead.campaign === name && lead.leadDate < T0 - H * DAY).length;

/**
 * Tolerance for a campaign's mean predicted chance against the truth P. An estimated window chance
 * rests on the leads still open at the lead's age a, about n·S(a), so its standard error is about
 * √(P(1 − P) / (n S(a))). Open leads' ages at t0 have density ∝ S(a) = e^(−λa), so averaged over them
 * E[S(a)^(−1/2)] = ∫ λ e^(−λa/2) da = 2: the mean prediction is off by at most about
 * 2·√(P(1 − P)/n) (errors at different ages are positively correlated, so no √ count helps). Allow
 * 4 of those, plus 0.005 for the score's rounding to a whole percent.
 */
const meanTolerance = (p: number, n: number) => 4 * 2 * Math.sqrt((p * (1 - p)) / n) + 0.005;

function byCampaign(points: readonly BacktestPoint[], name: string): number[] {
  return points.filter((point) => point.campaign === name).map((point) => point.predicted);
}

describe('calibration on campaigns that differ strongly', () => {
  const campaigns: Campaign[] = [
    { name: 'cold', win: 0.0005, loss: 0.0095 }, // P = 0.05 · (1 − e^−0.9) = 0.030
    { name: 'cool', win: 0.003, loss: 0.007 }, // 0.178
    { name: 'warm', win: 0.006, loss: 0.004 }, // 0.356
    { name: 'hot', win: 0.009, loss: 0.001 }, // 0.534
    { name: 'blazing', win: 0.03, loss: 0.002 }, // 0.9375 · (1 − e^−2.88) = 0.885
  ];
  const leads = simulate(campaigns, 1);
  const points = backtest(leads, NOW, H);
  const result = calibrationOf(points);
  const fewestComplete = Math.min(...campaigns.map((campaign) => completeWindows(leads, campaign.name)));

  it.each(campaigns)('$name: mean predicted chance ≈ the true chance', (campaign) => {
    const p = trueChance(campaign);
    const predicted = byCampaign(points, campaign.name);
    expect(predicted.length).toBeGreaterThan(100);
    expect(Math.abs(mean(predicted) - p)).toBeLessThan(
      meanTolerance(p, completeWindows(leads, campaign.name)),
    );
  });

  it('observed share ≈ mean predicted in every band with enough leads', () => {
    // Enough: count·p̄ ≥ 10 and count·(1 − p̄) ≥ 10, the usual condition for a normal approximation to
    // the binomial. The observed share of n independent leads with chances p_i has variance
    // Σ p_i(1 − p_i)/n² ≤ p̄(1 − p̄)/n (concavity); the predictions' own error adds at most
    // (2·√(p̄(1 − p̄)/n_complete))² (see meanTolerance). Allow 4 standard errors of the sum.
    const judged = result.bands.filter(
      (band) =>
        band.predicted !== null &&
        band.count * band.predicted >= 10 &&
        band.count * (1 - band.predicted) >= 10,
    );
    expect(judged.length).toBeGreaterThanOrEqual(4);
    for (const band of judged) {
      const p = band.predicted!;
      const tolerance = 4 * Math.sqrt(p * (1 - p) * (1 / band.count + 4 / fewestComplete));
      expect(Math.abs(band.observed! - p), `band ${band.low}–${band.high}`).toBeLessThan(tolerance);
    }
  });

  it('beats the no-skill baseline by at least half of what perfect knowledge would', () => {
    // With perfect chances P_i, E[Brier] = mean P_i(1 − P_i) = ȳ(1 − ȳ) − Var(P): the gain over the
    // baseline is the spread of the true chances among the scored leads.
    const truth = new Map(campaigns.map((campaign) => [campaign.name, trueChance(campaign)]));
    const chances = points.map((point) => truth.get(point.campaign)!);
    const spread = mean(chances.map((p) => (p - mean(chances)) ** 2));
    expect(spread).toBeGreaterThan(0.05);
    expect(result.brier!).toBeLessThan(result.baselineBrier! - spread / 2);
    expect(result.bands.reduce((sum, band) => sum + band.count, 0)).toBe(points.length);
  });
});

describe('calibration on identical campaigns', () => {
  const campaign = { win: 0.004, loss: 0.006 }; // P = 0.4 · (1 − e^−0.9) = 0.237 everywhere
  const campaigns = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, ...campaign }));
  const p = trueChance(campaigns[0]!);
  const leads = simulate(campaigns, 2);
  const points = backtest(leads, NOW, H);

  it.each(campaigns)('$name: predictions centre on the pooled chance', ({ name }) => {
    const predicted = byCampaign(points, name);
    const tolerance = meanTolerance(p, completeWindows(leads, name));
    expect(Math.abs(mean(predicted) - p)).toBeLessThan(tolerance);
    expect(Math.abs(median(predicted) - p)).toBeLessThan(tolerance);
  });

  it('claims no skill it cannot have', () => {
    // Brier − baseline = mean (p − ȳ)² − 2·mean (p − ȳ)(y − ȳ). Predictions made at t0 cannot know which
    // leads will win, so the cross term has mean 0 and standard error √(Var(p)·ȳ(1 − ȳ)/n): Brier may
    // fall below the baseline by no more than 4 of those.
    const result = calibrationOf(points);
    const predictions = points.map((point) => point.predicted);
    const spread = mean(predictions.map((value) => (value - mean(predictions)) ** 2));
    const wonShare = points.filter((point) => point.won).length / points.length;
    const slack = 4 * Math.sqrt((spread * wonShare * (1 - wonShare)) / points.length);
    expect(result.brier!).toBeGreaterThan(result.baselineBrier! - slack);
  });
});
