import type { Redis } from 'ioredis';
import { campaignFigures } from '../core/campaign-figures.ts';
import { overallCloseRate } from '../core/campaign-values.ts';
import { FALLBACK_STRENGTH } from '../core/empirical-bayes.ts';
import type { LagScoreInputs } from '../core/lag-score.ts';
import type { CampaignView, PortalView } from '../core/lead-values.ts';
import { ALL_CAMPAIGNS, type StatsMeta } from '../core/portal-stats.ts';
import type { DailyCurves } from '../core/score-curves.ts';
import { campaignCatalog, campaignNames } from './campaign-catalog.ts';
import { campaignStats } from './campaign-stats.ts';
import type { PortalKeys } from './keys.ts';
import type { Projection } from './projection.ts';

/** Everything a record's values are computed from, for one generation. */
export interface Scoring {
  readonly views: ReadonlyMap<string, CampaignView>;
  readonly portal: PortalView;
  readonly meta: StatsMeta | undefined;
  /** Lead-score inputs of a campaign, once lag-aware statistics exist (curves loaded as needed). */
  inputs(campaign: string): Promise<LagScoreInputs | undefined>;
}

/**
 * Naive figures always; lag-aware statistics and curves once the statistics job computed them;
 * campaign names where HubSpot's Campaigns API gave them. Shared by the score job and the API.
 *
 * @param now - epoch ms the lead scores are computed for
 */
export async function loadScoring(
  redis: Redis,
  keys: PortalKeys,
  view: Projection,
  horizonDays: number,
  now: number,
): Promise<Scoring> {
  const store = campaignStats(redis, view.keys);
  const figures = campaignFigures(await view.totals());
  const meta = await store.meta();
  const lags = meta ? await store.lag() : new Map();
  const portal: PortalView = {
    overallRate: overallCloseRate(figures),
    pooledStageRates: meta?.all.stageRates,
    horizonDays,
  };
  const names = campaignNames(await campaignCatalog(redis, keys).load());
  const views = new Map<string, CampaignView>(
    figures.map((f) => [
      f.campaign,
      {
        figures: f,
        name: names.get(f.campaign),
        lag: lags.get(f.campaign)?.lag,
        stageRates: lags.get(f.campaign)?.stageRates,
      },
    ]),
  );
  const curves = new Map<string, DailyCurves[] | undefined>();
  const curvesOf = async (campaign: string) => {
    if (!curves.has(campaign)) curves.set(campaign, (await store.curves([campaign])).get(campaign));
    return curves.get(campaign);
  };
  const inputs = async (campaign: string): Promise<LagScoreInputs | undefined> => {
    const all = meta && (await curvesOf(ALL_CAMPAIGNS));
    if (!meta || !all) return undefined;
    const priorStrength = meta.prior ? meta.prior.alpha + meta.prior.beta : FALLBACK_STRENGTH;
    const baseline = meta.all.lag.closeRateAtHorizon.rate ?? portal.overallRate;
    return { campaign: await curvesOf(campaign), all, priorStrength, baseline, horizonDays, now };
  };
  return { views, portal, meta, inputs };
}
