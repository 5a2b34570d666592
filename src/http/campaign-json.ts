import type { CampaignFigures } from '../core/campaign-figures.ts';
import { shrunkCloseRate } from '../core/lead-score.ts';

/** A campaign as the API shows it (DESIGN.md: rates are fractions 0–1, null where unknown). */
export function campaignJson(campaign: CampaignFigures, overallRate: number) {
  return {
    campaign: campaign.campaign,
    leads: campaign.leads,
    opportunities: campaign.opportunities,
    won: campaign.won,
    lost: campaign.lost,
    open: campaign.open,
    wonDeals: round(campaign.wonDeals, 6),
    revenue: round(campaign.revenue, 2),
    revenuePerLead: campaign.revenuePerLead === null ? null : round(campaign.revenuePerLead, 2),
    alignmentIndex: campaign.alignmentIndex,
    leadToOpportunity: campaign.leadToOpportunity,
    leadToClose: campaign.leadToClose,
    opportunityToClose: campaign.opportunityToClose,
    shrunkCloseRate: campaign.leads > 0 ? shrunkCloseRate(campaign.won, campaign.leads, overallRate) : null,
  };
}

export type CampaignJson = ReturnType<typeof campaignJson>;

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Flat columns for CSV: nested intervals become `leadToClose.rate`, `leadToClose.low`, ... */
export function flatten(row: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(flat, flatten(value as Record<string, unknown>, `${prefix}${key}.`));
    } else {
      flat[`${prefix}${key}`] = value;
    }
  }
  return flat;
}
