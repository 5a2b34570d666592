import { type AttributionModel, type CountingLead, dealShares } from './attribution.ts';
import {
  type DealFacts,
  dealCounts,
  type FunnelSettings,
  type LeadFacts,
  type LeadStatus,
  leadOutcome,
} from './funnel.ts';
import { furthestStage, type ScoreStage, skippedStages } from './lead-stage.ts';

/** A lead's contribution to its campaign's figures. Dates in epoch ms; revenue in the portal's currency. */
export interface LeadFigures {
  readonly campaign: string;
  readonly leadDate: number;
  readonly status: LeadStatus;
  readonly opportunity: boolean;
  readonly opportunityDate: number | null;
  readonly closedDate: number | null;
  /** This lead's share of the revenue of its won deals. */
  readonly revenue: number;
  /** This lead's share of its won deals (fractions of deals). */
  readonly wonDeals: number;
  /** The furthest score stage reached (0 lead, 1 MQL, 2 SQL, 3 opportunity). */
  readonly stage: ScoreStage;
  /** Passed a stage without entering it. */
  readonly skipped: boolean;
}

export interface DealWithContacts {
  readonly deal: DealFacts;
  /** Every contact associated with the deal that is a lead (has a lead date). */
  readonly leads: readonly CountingLead[];
}

export interface FigureSettings extends FunnelSettings {
  readonly attribution: AttributionModel;
}

/** The leads a deal counts for: it is in a counted pipeline and was created on or after their lead date. */
export function countingLeads(entry: DealWithContacts, settings: FunnelSettings): CountingLead[] {
  return entry.leads.filter((lead) => dealCounts(entry.deal, lead.leadDate, settings));
}

/**
 * A lead's figures from its facts and its deals (each with the deal's other leads, which decide
 * its share of the revenue).
 *
 * @param now - epoch ms
 */
export function leadFigures(
  lead: LeadFacts & { leadDate: number },
  deals: readonly DealWithContacts[],
  settings: FigureSettings,
  now: number,
): LeadFigures {
  const outcome = leadOutcome(
    lead,
    deals.map((entry) => entry.deal),
    settings,
    now,
  );
  let revenue = 0;
  let wonDeals = 0;
  for (const entry of deals) {
    if (!entry.deal.won || !outcome.countedDealIds.includes(entry.deal.id)) continue;
    const share = dealShares(countingLeads(entry, settings), settings.attribution).get(lead.id) ?? 0;
    wonDeals += share;
    revenue += share * (entry.deal.amount ?? 0);
  }
  return {
    campaign: lead.campaign,
    leadDate: lead.leadDate,
    status: outcome.status,
    opportunity: outcome.opportunity,
    opportunityDate: outcome.opportunityDate,
    closedDate: outcome.closedDate,
    revenue,
    wonDeals,
    stage: furthestStage(lead, outcome.opportunity, settings),
    skipped: skippedStages(lead, settings),
  };
}
