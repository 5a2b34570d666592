import { type RateInterval, wilsonInterval } from './wilson.ts';

/** Sums over a campaign's leads, as the store keeps them. Revenue in the portal's currency. */
export interface CampaignTotals {
  readonly campaign: string;
  readonly leads: number;
  readonly opportunities: number;
  readonly won: number;
  readonly lost: number;
  readonly open: number;
  readonly revenue: number;
  /** Sum of the campaign's shares of won deals. */
  readonly wonDeals: number;
  /** Leads that passed a stage without entering it. */
  readonly stageSkips: number;
}

export interface CampaignFigures extends CampaignTotals {
  readonly leadToOpportunity: RateInterval;
  readonly leadToClose: RateInterval;
  readonly opportunityToClose: RateInterval;
  /** Share of all won revenue ÷ share of all leads; null when there is no won revenue. */
  readonly alignmentIndex: number | null;
  /** Revenue ÷ leads, in the portal's currency; null without leads. */
  readonly revenuePerLead: number | null;
}

/**
 * Naive funnel rates (Wilson 95 % intervals), alignment index and revenue per lead for every
 * campaign, from the totals of all campaigns (`(none)` included, so shares are of everything).
 */
export function campaignFigures(all: readonly CampaignTotals[]): CampaignFigures[] {
  const totalLeads = all.reduce((sum, campaign) => sum + campaign.leads, 0);
  const totalRevenue = all.reduce((sum, campaign) => sum + campaign.revenue, 0);
  return all.map((campaign) => ({
    ...campaign,
    leadToOpportunity: wilsonInterval(campaign.opportunities, campaign.leads),
    leadToClose: wilsonInterval(campaign.won, campaign.leads),
    opportunityToClose: wilsonInterval(campaign.won, campaign.opportunities),
    alignmentIndex:
      totalRevenue > 0 && totalLeads > 0 && campaign.leads > 0
        ? campaign.revenue / totalRevenue / (campaign.leads / totalLeads)
        : null,
    revenuePerLead: campaign.leads > 0 ? campaign.revenue / campaign.leads : null,
  }));
}
