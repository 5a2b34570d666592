import { stringify } from 'csv-stringify/sync';
import { type CampaignFigures, campaignFigures } from '../core/campaign-figures.ts';
import { overallCloseRate } from '../core/campaign-values.ts';
import { type BetaPrior, FALLBACK_STRENGTH, shrink } from '../core/empirical-bayes.ts';
import type { HorizonRate } from '../core/lag-stats.ts';
import type { CampaignLag } from '../core/portal-stats.ts';
import { costFigures, type SpendPeriod, spendWithin } from '../core/spend.ts';
import type { Cohort, ReportSource } from '../store/report-source.ts';

export interface CampaignJsonInputs {
  readonly figures: CampaignFigures;
  /** The campaign's name where HubSpot's Campaigns API gave one for its id. */
  readonly name: string | undefined;
  readonly lag: CampaignLag | undefined;
  readonly prior: BetaPrior | null;
  /** All-campaign naive close rate, 0–1: the prior's centre when it could not be fitted. */
  readonly overallRate: number;
  readonly spend: readonly SpendPeriod[] | undefined;
  readonly cohort: { readonly from?: number; readonly to?: number };
  readonly horizonDays: number;
}

function round(value: number | null, digits: number): number | null {
  if (value === null) return null;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function emptyHorizon(horizonDays: number): HorizonRate {
  return { days: horizonDays, rate: null, low: null, high: null, maturity: null };
}

/** A campaign as the API shows it (DESIGN.md): rates are fractions 0–1, money in the portal's currency, null where unknown. */
export function campaignJson(inputs: CampaignJsonInputs) {
  const { figures, lag, horizonDays } = inputs;
  const prior = inputs.prior ?? {
    alpha: FALLBACK_STRENGTH * inputs.overallRate,
    beta: FALLBACK_STRENGTH * (1 - inputs.overallRate),
    method: 'fallback' as const,
  };
  const closeRateAtHorizon = lag?.lag.closeRateAtHorizon ?? emptyHorizon(horizonDays);
  const spend = inputs.spend ? spendWithin(inputs.spend, inputs.cohort.from, inputs.cohort.to) : null;
  const costs = costFigures(spend, figures, closeRateAtHorizon.rate === null ? null : closeRateAtHorizon);
  return {
    campaign: figures.campaign,
    name: inputs.name ?? figures.campaign,
    leads: figures.leads,
    opportunities: figures.opportunities,
    won: figures.won,
    lost: figures.lost,
    open: figures.open,
    wonDeals: round(figures.wonDeals, 6),
    revenue: round(figures.revenue, 2),
    revenuePerLead: round(figures.revenuePerLead, 2),
    alignmentIndex: figures.alignmentIndex,
    leadToOpportunity: figures.leadToOpportunity,
    leadToClose: figures.leadToClose,
    opportunityToClose: figures.opportunityToClose,
    closeRateAtHorizon,
    opportunityRateAtHorizon: lag?.lag.opportunityRateAtHorizon ?? emptyHorizon(horizonDays),
    stageCloseRates: lag?.stageRates ?? null,
    shrunkCloseRate: figures.leads > 0 ? shrink(figures.won, figures.leads, prior) : null,
    medianDaysToOpportunity: lag?.lag.daysToOpportunity.median ?? null,
    daysToOpportunity: lag?.lag.daysToOpportunity ?? null,
    medianDaysToClose: lag?.lag.daysToClose.median ?? null,
    daysToClose: lag?.lag.daysToClose ?? null,
    stageSkips: figures.stageSkips,
    spend: round(costs.spend, 2),
    costPerLead: round(costs.costPerLead, 2),
    costPerWon: round(costs.costPerWon, 2),
    costPerExpectedWon: costs.costPerExpectedWon,
    returnOnSpend: round(costs.returnOnSpend, 4),
  };
}

export type CampaignJson = ReturnType<typeof campaignJson>;

/** Every campaign of a report source, most leads first. */
export function campaignRows(
  source: Pick<ReportSource, 'totals' | 'lag' | 'prior' | 'spend' | 'names'>,
  cohort: Cohort,
  horizonDays: number,
): CampaignJson[] {
  const figures = campaignFigures(source.totals);
  const overallRate = overallCloseRate(figures);
  const rows = figures.map((f) =>
    campaignJson({
      figures: f,
      name: source.names.get(f.campaign),
      lag: source.lag.get(f.campaign),
      prior: source.prior,
      overallRate,
      spend: source.spend.get(f.campaign),
      cohort,
      horizonDays,
    }),
  );
  return rows.sort((a, b) => b.leads - a.leads || a.campaign.localeCompare(b.campaign));
}

/** Flat columns for CSV: nested objects become `leadToClose.rate`, `leadToClose.low`, ... */
export function flatten(row: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(flat, flatten(value as Record<string, unknown>, `${prefix}${key}.`));
    } else {
      flat[`${prefix}${key}`] = Array.isArray(value) ? value.join(' ') : value;
    }
  }
  return flat;
}

const CSV_EXCLUDED = new Set(['stageCloseRates']);

/** The campaign table as CSV, one column per figure (nested ones flattened). */
export function campaignsCsv(rows: readonly CampaignJson[]): string {
  const flat = rows.map((row) => flatten(row));
  // The union of every row's keys: a nested figure that is null in one row is an object in another.
  const columns = [...new Set(flat.flatMap((row) => Object.keys(row)))].filter(
    (column) => !CSV_EXCLUDED.has(column),
  );
  return stringify(flat, { header: true, columns, cast: { number: (value) => String(value) } });
}
