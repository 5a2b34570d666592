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

/**
 * One won deal as a lead holds it: the deal's amount in whole cents, shared equally among `of`
 * leads (1 when the lead has the whole deal). Kept as a fraction so campaign totals can be exact
 * integer sums per denominator: a third of 100.00, three times, is 100.00 and not 99.99.
 */
export interface WonShare {
  readonly of: number;
  readonly cents: number;
}

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
  /** The won deals behind `revenue` and `wonDeals`, exactly. */
  readonly wonShares: readonly WonShare[];
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
  const wonShares: WonShare[] = [];
  for (const entry of deals) {
    if (!entry.deal.won || !outcome.countedDealIds.includes(entry.deal.id)) continue;
    const share = dealShares(countingLeads(entry, settings), settings.attribution).get(lead.id) ?? 0;
    // Shares are 1/n of a deal (even) or the whole deal (first, last).
    if (share > 0)
      wonShares.push({ of: Math.round(1 / share), cents: Math.round((entry.deal.amount ?? 0) * 100) });
  }
  const { revenue, wonDeals } = sumWonShares(wonShares);
  return {
    campaign: lead.campaign,
    leadDate: lead.leadDate,
    status: outcome.status,
    opportunity: outcome.opportunity,
    opportunityDate: outcome.opportunityDate,
    closedDate: outcome.closedDate,
    revenue,
    wonDeals,
    wonShares,
    stage: furthestStage(lead, outcome.opportunity, settings),
    skipped: skippedStages(lead, settings),
  };
}

/**
 * Revenue (currency units) and won deals (fractions of deals) of won shares, summing whole cents
 * and whole deals per denominator before dividing, so equal shares add up exactly.
 */
export function sumWonShares(shares: readonly WonShare[]): { revenue: number; wonDeals: number } {
  const byDenominator = new Map<number, { cents: number; deals: number }>();
  for (const { of, cents } of shares) {
    const sum = byDenominator.get(of) ?? { cents: 0, deals: 0 };
    byDenominator.set(of, { cents: sum.cents + cents, deals: sum.deals + 1 });
  }
  return fromDenominatorSums(byDenominator);
}

/**
 * Revenue and won deals from integer sums per denominator: `cents` whole cents and `deals` whole
 * deals, each shared among `of` leads (the key).
 */
export function fromDenominatorSums(sums: ReadonlyMap<number, { cents: number; deals: number }>): {
  revenue: number;
  wonDeals: number;
} {
  let cents = 0;
  let wonDeals = 0;
  for (const [of, sum] of sums) {
    cents += sum.cents / of;
    wonDeals += sum.deals / of;
  }
  return { revenue: cents / 100, wonDeals };
}
