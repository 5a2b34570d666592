export type AttributionModel = 'even' | 'first' | 'last';

/** A lead a deal counts for (see `dealCounts`). Lead date in epoch ms. */
export interface CountingLead {
  readonly id: string;
  readonly leadDate: number;
  readonly campaign: string;
}

function byLeadDate(a: CountingLead, b: CountingLead): number {
  return a.leadDate - b.leadDate || compareIds(a.id, b.id);
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * How a deal's revenue is split across the leads it counts for: `even` splits it equally,
 * `first` gives it all to the earliest lead, `last` to the latest (ties by lead id). Shares are
 * fractions that sum to 1, so a deal is never counted twice; no leads, no shares.
 */
export function dealShares(leads: readonly CountingLead[], model: AttributionModel): Map<string, number> {
  if (leads.length === 0) return new Map();
  if (model === 'even') return new Map(leads.map((lead) => [lead.id, 1 / leads.length]));
  const ordered = [...leads].sort(byLeadDate);
  const chosen =
    model === 'first'
      ? ordered[0]
      : ordered.reduce((latest, lead) => (lead.leadDate > latest.leadDate ? lead : latest));
  return new Map(chosen ? [[chosen.id, 1]] : []);
}

/**
 * The campaign a deal belongs to: the one whose leads hold the largest share of it; on a tie, the
 * campaign of the earliest lead. Undefined when the deal counts for no lead.
 */
export function dealCampaign(
  leads: readonly CountingLead[],
  shares: ReadonlyMap<string, number>,
): string | undefined {
  const totals = new Map<string, number>();
  for (const lead of leads)
    totals.set(lead.campaign, (totals.get(lead.campaign) ?? 0) + (shares.get(lead.id) ?? 0));
  let best: { campaign: string; share: number } | undefined;
  for (const lead of [...leads].sort(byLeadDate)) {
    const share = totals.get(lead.campaign) ?? 0;
    // 1e-9: even shares of three leads are 0.333…, and their sums must compare equal.
    if (!best || share > best.share + 1e-9) best = { campaign: lead.campaign, share };
  }
  return best?.campaign;
}
