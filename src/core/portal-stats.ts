import { type BetaPrior, fitBetaPrior } from './empirical-bayes.ts';
import { closeObservations, horizonRate, type LagStats, lagStats } from './lag-stats.ts';
import type { LeadFigures } from './lead-figures.ts';
import { SCORE_STAGES } from './lead-stage.ts';
import { type DailyCurves, stageCurves } from './score-curves.ts';

/** Every campaign's curves together, under a name no campaign can have. */
export const ALL_CAMPAIGNS = '\u0000all';

export interface CampaignLag {
  readonly lag: LagStats;
  /** Lag-aware close rate at H, 0–1, among leads that reached each score stage (null where not identified). */
  readonly stageRates: readonly (number | null)[];
}

export interface StatsMeta {
  /** Changes every time statistics are computed: records are rescored against a new version. */
  readonly version: string;
  /** Epoch ms. */
  readonly computedAt: number;
  readonly horizonDays: number;
  /** Empirical-Bayes prior of the campaigns' naive close rates; null without leads. */
  readonly prior: BetaPrior | null;
  readonly all: CampaignLag;
}

export interface PortalStats {
  readonly meta: StatsMeta;
  readonly campaigns: ReadonlyMap<string, CampaignLag>;
  /** Daily curves per score stage, per campaign and for ALL_CAMPAIGNS. */
  readonly curves: ReadonlyMap<string, readonly DailyCurves[]>;
}

/** A cohort's lag-aware statistics, overall and per score stage. */
export function campaignLag(leads: readonly LeadFigures[], now: number, horizonDays: number): CampaignLag {
  return {
    lag: lagStats(leads, now, horizonDays),
    stageRates: SCORE_STAGES.map((_, stage) => {
      const reached = leads.filter((lead) => lead.stage >= stage);
      return horizonRate(closeObservations(reached, now), horizonDays).rate;
    }),
  };
}

/**
 * The lag-aware statistics of every campaign and of all campaigns together, with the per-stage
 * daily curves lead scores are read from and the empirical-Bayes prior they are shrunk with.
 *
 * @param now - epoch ms
 * @param horizonDays - H, days
 */
export function portalStats(
  byCampaign: ReadonlyMap<string, readonly LeadFigures[]>,
  now: number,
  horizonDays: number,
  version: string,
): PortalStats {
  const everyone = [...byCampaign.values()].flat();
  const campaigns = new Map(
    [...byCampaign].map(([campaign, leads]) => [campaign, campaignLag(leads, now, horizonDays)]),
  );
  const curves = new Map(
    [...byCampaign].map(([campaign, leads]) => [campaign, stageCurves(leads, now, horizonDays)]),
  );
  curves.set(ALL_CAMPAIGNS, stageCurves(everyone, now, horizonDays));
  const groups = [...byCampaign.values()].map((leads) => ({
    successes: leads.filter((lead) => lead.status === 'won').length,
    trials: leads.length,
  }));
  return {
    meta: {
      version,
      computedAt: now,
      horizonDays,
      prior: fitBetaPrior(groups),
      all: campaignLag(everyone, now, horizonDays),
    },
    campaigns,
    curves,
  };
}
