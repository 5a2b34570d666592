import { type CohortFits, cohortFits, unionFits } from './cohort-fits.ts';
import { type BetaPrior, fitBetaPrior } from './empirical-bayes.ts';
import { horizonRateOf, type LagStats, lagOf } from './lag-stats.ts';
import { type LeadColumns, leadColumns } from './lead-columns.ts';
import type { LeadFigures } from './lead-figures.ts';
import { curvesOf, type DailyCurves } from './score-curves.ts';

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

function lagOfFits(fits: CohortFits, horizonDays: number): CampaignLag {
  return {
    lag: lagOf(fits, horizonDays),
    stageRates: fits.close.map((fitted) => horizonRateOf(fitted, horizonDays).rate),
  };
}

/** A cohort's lag-aware statistics, overall and per score stage. */
export function campaignLag(leads: readonly LeadFigures[], now: number, horizonDays: number): CampaignLag {
  return lagOfFits(cohortFits([leadColumns(leads)], now), horizonDays);
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
  const columns = new Map([...byCampaign].map(([campaign, leads]) => [campaign, leadColumns(leads)]));
  return portalStatsOfColumns(columns, now, horizonDays, version);
}

function wonCount(columns: LeadColumns): number {
  let won = 0;
  for (let index = 0; index < columns.length; index++) if (columns.status[index] === 1) won++;
  return won;
}

/** `portalStats` of every campaign's leads as columns: each cohort's fits computed once, shared by its rates and curves. */
export function portalStatsOfColumns(
  byCampaign: ReadonlyMap<string, LeadColumns>,
  now: number,
  horizonDays: number,
  version: string,
): PortalStats {
  const campaigns = new Map<string, CampaignLag>();
  const curves = new Map<string, readonly DailyCurves[]>();
  const fitsOfCampaigns: CohortFits[] = [];
  for (const [campaign, columns] of byCampaign) {
    const fits = cohortFits([columns], now);
    fitsOfCampaigns.push(fits);
    campaigns.set(campaign, lagOfFits(fits, horizonDays));
    curves.set(campaign, curvesOf(fits, horizonDays));
  }
  const everyone = unionFits(fitsOfCampaigns);
  curves.set(ALL_CAMPAIGNS, curvesOf(everyone, horizonDays));
  const groups = [...byCampaign.values()].map((columns) => ({
    successes: wonCount(columns),
    trials: columns.length,
  }));
  return {
    meta: {
      version,
      computedAt: now,
      horizonDays,
      prior: fitBetaPrior(groups),
      all: lagOfFits(everyone, horizonDays),
    },
    campaigns,
    curves,
  };
}
