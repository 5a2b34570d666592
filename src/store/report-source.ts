import type { Redis } from 'ioredis';
import type { CampaignTotals } from '../core/campaign-figures.ts';
import { groupByCampaign, inCohort, totalsOf } from '../core/cohort.ts';
import { type BetaPrior, fitBetaPrior } from '../core/empirical-bayes.ts';
import type { LeadFigures } from '../core/lead-figures.ts';
import { type CampaignLag, campaignLag } from '../core/portal-stats.ts';
import type { SpendPeriod } from '../core/spend.ts';
import { campaignCatalog, campaignNames, catalogSpend } from './campaign-catalog.ts';
import { campaignStats } from './campaign-stats.ts';
import { liveProjection } from './live.ts';
import type { Projection } from './projection.ts';
import { spendStore } from './spend.ts';

export interface Cohort {
  /** Lead dates from (inclusive), epoch ms. */
  readonly from?: number;
  /** Lead dates to (exclusive), epoch ms. */
  readonly to?: number;
}

/** Everything the campaign report is computed from, for every lead or for a cohort. */
export interface ReportSource {
  readonly totals: readonly CampaignTotals[];
  readonly lag: ReadonlyMap<string, CampaignLag>;
  readonly prior: BetaPrior | null;
  readonly spend: ReadonlyMap<string, readonly SpendPeriod[]>;
  /** Names of HubSpot campaign ids, where the Campaigns API gave them. */
  readonly names: ReadonlyMap<string, string>;
  /** The leads of one campaign within the cohort (for its curves). */
  leadsOf(campaign: string): Promise<LeadFigures[]>;
}

async function cohortLeads(view: Projection, cohort: Cohort): Promise<LeadFigures[]> {
  const leads = new Map<string, LeadFigures>();
  for await (const slice of view.scanLeads()) {
    for (const [id, lead] of slice) if (inCohort(lead, cohort.from, cohort.to)) leads.set(id, lead);
  }
  return [...leads.values()];
}

async function campaignLeads(view: Projection, campaign: string, cohort: Cohort): Promise<LeadFigures[]> {
  const ids = await view.leadIdsOf(campaign);
  const leads = await view.leads(ids);
  return [...leads.values()].filter((lead) => inCohort(lead, cohort.from, cohort.to));
}

/**
 * Reads the report's inputs from the live generation: for every lead, the stored totals and the
 * statistics the stats job computed (cheap); for a cohort, every lead's figures, computed on the
 * spot (a scan of all leads). Undefined before setup.
 */
export async function reportSource(
  redis: Redis,
  prefix: string,
  cohort: Cohort,
  now: number,
  horizonDays: number,
): Promise<ReportSource | undefined> {
  const live = await liveProjection(redis, prefix);
  if (!live) return undefined;
  const { keys, view } = live;
  const everyLead = cohort.from === undefined && cohort.to === undefined;
  const stats = campaignStats(redis, view.keys);
  // Asked for together, so the replies come back to back instead of one round trip each.
  const [catalog, imported, stored] = await Promise.all([
    campaignCatalog(redis, keys).load(),
    spendStore(redis, keys).all(),
    everyLead ? Promise.all([view.totals(), stats.current()]) : undefined,
  ]);
  // Imported spend wins over HubSpot's, which has no dates of its own.
  const spend = new Map([...catalogSpend(catalog), ...imported]);
  const names = campaignNames(catalog);
  const leadsOf = (campaign: string) => campaignLeads(view, campaign, cohort);
  if (stored) {
    const [totals, { lag, meta }] = stored;
    return { totals, lag, prior: meta?.prior ?? null, spend, names, leadsOf };
  }
  const groups = groupByCampaign(await cohortLeads(view, cohort));
  const totals = [...groups].map(([campaign, leads]) => totalsOf(campaign, leads));
  const lag = new Map(
    [...groups].map(([campaign, leads]) => [campaign, campaignLag(leads, now, horizonDays)]),
  );
  const prior = fitBetaPrior(totals.map((t) => ({ successes: t.won, trials: t.leads })));
  return { totals, lag, prior, spend, names, leadsOf };
}
