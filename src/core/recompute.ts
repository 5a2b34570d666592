import { type CountingLead, dealCampaign, dealShares } from './attribution.ts';
import type { DealFacts, LeadFacts } from './funnel.ts';
import {
  countingLeads,
  type DealWithContacts,
  type FigureSettings,
  type LeadFigures,
  leadFigures,
} from './lead-figures.ts';

/** A contact as the projection holds it: its facts and the deals it is associated with. */
export interface ContactNode extends Omit<LeadFacts, 'id'> {
  readonly dealIds: readonly string[];
}

/** A deal as the projection holds it: its facts and the contacts it is associated with. */
export interface DealNode extends Omit<DealFacts, 'id'> {
  readonly contactIds: readonly string[];
}

export interface Neighbourhood {
  readonly contacts: ReadonlyMap<string, ContactNode>;
  readonly deals: ReadonlyMap<string, DealNode>;
}

function leadsOf(deal: DealNode, graph: Neighbourhood): CountingLead[] {
  return deal.contactIds.flatMap((id) => {
    const contact = graph.contacts.get(id);
    return contact && contact.leadDate !== null
      ? [{ id, leadDate: contact.leadDate, campaign: contact.campaign }]
      : [];
  });
}

function withContacts(dealId: string, graph: Neighbourhood): DealWithContacts | undefined {
  const deal = graph.deals.get(dealId);
  return deal ? { deal: { ...deal, id: dealId }, leads: leadsOf(deal, graph) } : undefined;
}

/**
 * Figures of each lead from the projection's graph, or null for contacts that are gone or are not
 * leads (no lead date). The graph must hold each lead's deals and those deals' contacts.
 *
 * @param now - epoch ms
 */
export function recomputeLeads(
  ids: Iterable<string>,
  graph: Neighbourhood,
  settings: FigureSettings,
  now: number,
): Map<string, LeadFigures | null> {
  const result = new Map<string, LeadFigures | null>();
  for (const id of ids) {
    const contact = graph.contacts.get(id);
    if (!contact || contact.leadDate === null) {
      result.set(id, null);
      continue;
    }
    const deals = contact.dealIds.flatMap((dealId) => withContacts(dealId, graph) ?? []);
    result.set(id, leadFigures({ ...contact, id, leadDate: contact.leadDate }, deals, settings, now));
  }
  return result;
}

/** Campaign of each deal (largest attributed share), or null for deals gone or counting for no lead. */
export function recomputeDealCampaigns(
  ids: Iterable<string>,
  graph: Neighbourhood,
  settings: FigureSettings,
): Map<string, string | null> {
  const result = new Map<string, string | null>();
  for (const id of ids) {
    const entry = withContacts(id, graph);
    const leads = entry ? countingLeads(entry, settings) : [];
    result.set(id, dealCampaign(leads, dealShares(leads, settings.attribution)) ?? null);
  }
  return result;
}
