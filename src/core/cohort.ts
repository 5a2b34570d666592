import type { CampaignTotals } from './campaign-figures.ts';
import type { LeadFigures } from './lead-figures.ts';

/** Leads whose lead date falls in [from, to) (epoch ms; either end open). */
export function inCohort(lead: LeadFigures, from?: number, to?: number): boolean {
  return (from === undefined || lead.leadDate >= from) && (to === undefined || lead.leadDate < to);
}

export function groupByCampaign(leads: Iterable<LeadFigures>): Map<string, LeadFigures[]> {
  const groups = new Map<string, LeadFigures[]>();
  for (const lead of leads) {
    const group = groups.get(lead.campaign);
    if (group) group.push(lead);
    else groups.set(lead.campaign, [lead]);
  }
  return groups;
}

/** A campaign's totals summed from its leads' figures: what the store keeps, for any cohort. */
export function totalsOf(campaign: string, leads: readonly LeadFigures[]): CampaignTotals {
  const count = (test: (lead: LeadFigures) => boolean) => leads.filter(test).length;
  return {
    campaign,
    leads: leads.length,
    opportunities: count((lead) => lead.opportunity),
    won: count((lead) => lead.status === 'won'),
    lost: count((lead) => lead.status === 'lost'),
    open: count((lead) => lead.status === 'open'),
    revenue: leads.reduce((sum, lead) => sum + lead.revenue, 0),
    wonDeals: leads.reduce((sum, lead) => sum + lead.wonDeals, 0),
    stageSkips: count((lead) => lead.skipped),
  };
}
