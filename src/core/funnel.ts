/**
 * A lead's place in the funnel, exactly as DESIGN.md defines it. Times are epoch milliseconds.
 */

export interface LeadFacts {
  readonly id: string;
  readonly campaign: string;
  /** The lead date (createdate or LEAD_DATE_PROPERTY), epoch ms; null: not a lead (yet). */
  readonly leadDate: number | null;
  /** Current lifecycle stage id, or null. */
  readonly stage: string | null;
  /** Stage id → entry date (epoch ms), for the stages the portal records. */
  readonly stageEntered: Readonly<Record<string, number>>;
}

export interface DealFacts {
  readonly id: string;
  readonly pipeline: string;
  readonly createdAt: number;
  readonly closedAt: number | null;
  readonly won: boolean;
  readonly lost: boolean;
  /** amount_in_home_currency, else amount, in the portal's currency; null when unset. */
  readonly amount: number | null;
}

export interface FunnelSettings {
  /** Counted pipelines; empty counts every pipeline. */
  readonly pipelines: readonly string[];
  /** The portal's lifecycle stage ids in order, `other` left out. */
  readonly stageOrder: readonly string[];
  /** Stages whose entry date the portal records. */
  readonly recordedStages: readonly string[];
}

export type LeadStatus = 'open' | 'won' | 'lost';

export interface LeadOutcome {
  readonly status: LeadStatus;
  readonly opportunity: boolean;
  /** Epoch ms, never before the lead date; null when not an opportunity. */
  readonly opportunityDate: number | null;
  /** Won date (earliest won closedate) or lost date (latest lost closedate), clamped to [lead date, now]. */
  readonly closedDate: number | null;
  readonly countedDealIds: readonly string[];
}

export const OPPORTUNITY_STAGE = 'opportunity';

/**
 * Whether a deal counts for a lead: in a counted pipeline and created on or after the lead date.
 * A deal that existed before the contact became a lead is a stakeholder's, not the lead's source.
 */
export function dealCounts(deal: DealFacts, leadDate: number, settings: FunnelSettings): boolean {
  const pipelineCounts = settings.pipelines.length === 0 || settings.pipelines.includes(deal.pipeline);
  return pipelineCounts && deal.createdAt >= leadDate;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), Math.max(low, high));
}

/**
 * Entry into the first stage at or past `opportunity` that has a date (stages can be skipped). A
 * stage reached with no entry date recorded (older records) dates the opportunity at the lead date.
 */
function opportunityStageEntry(
  lead: LeadFacts,
  settings: FunnelSettings,
): { reached: boolean; date: number | null } {
  const from = settings.stageOrder.indexOf(OPPORTUNITY_STAGE);
  const current = lead.stage === null ? -1 : settings.stageOrder.indexOf(lead.stage);
  if (from < 0 || current < from) return { reached: false, date: null };
  const dates = settings.stageOrder
    .slice(from)
    .map((stage) => lead.stageEntered[stage])
    .filter((date): date is number => date !== undefined);
  return { reached: true, date: dates.length > 0 ? Math.min(...dates) : null };
}

/**
 * The funnel outcome of one lead from its contact facts and its associated deals.
 *
 * @param now - epoch ms; closing dates after it are clamped to it
 */
export function leadOutcome(
  lead: LeadFacts & { leadDate: number },
  deals: readonly DealFacts[],
  settings: FunnelSettings,
  now: number,
): LeadOutcome {
  const counted = deals.filter((deal) => dealCounts(deal, lead.leadDate, settings));
  const stage = opportunityStageEntry(lead, settings);
  const opportunityDates = [
    ...counted.map((deal) => deal.createdAt),
    ...(stage.date === null ? [] : [stage.date]),
  ];
  const opportunity = counted.length > 0 || stage.reached;
  const opportunityDate = opportunity
    ? Math.max(lead.leadDate, opportunityDates.length > 0 ? Math.min(...opportunityDates) : lead.leadDate)
    : null;
  const closeDate = (deal: DealFacts) => clamp(deal.closedAt ?? now, lead.leadDate, now);
  const won = counted.filter((deal) => deal.won);
  const allLost = counted.length > 0 && counted.every((deal) => deal.lost);
  const base = { opportunity, opportunityDate, countedDealIds: counted.map((deal) => deal.id) };
  if (won.length > 0) return { ...base, status: 'won', closedDate: Math.min(...won.map(closeDate)) };
  if (allLost) return { ...base, status: 'lost', closedDate: Math.max(...counted.map(closeDate)) };
  return { ...base, status: 'open', closedDate: null };
}
