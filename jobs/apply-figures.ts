import type { ContactNode, DealNode, Neighbourhood } from '../src/core/recompute.ts';
import { recomputeDealCampaigns, recomputeLeads } from '../src/core/recompute.ts';
import type { PortalScope } from './context.ts';

/** Loads what the figures of these leads and deals depend on: their deals, and those deals' contacts. */
export async function loadNeighbourhood(
  scope: PortalScope,
  contactIds: Iterable<string>,
  dealIds: Iterable<string>,
): Promise<Neighbourhood> {
  const contacts = new Map<string, ContactNode>(await scope.projection.contacts([...new Set(contactIds)]));
  const wantedDeals = new Set(dealIds);
  for (const contact of contacts.values()) for (const id of contact.dealIds) wantedDeals.add(id);
  const deals = new Map<string, DealNode>(await scope.projection.deals([...wantedDeals]));
  const moreContacts = new Set<string>();
  for (const deal of deals.values())
    for (const id of deal.contactIds) if (!contacts.has(id)) moreContacts.add(id);
  for (const [id, contact] of await scope.projection.contacts([...moreContacts])) contacts.set(id, contact);
  return { contacts, deals };
}

/**
 * Recomputes the figures of the given leads and the campaigns of the given deals from the
 * projection, and applies them (the store's scripts move the differences into the totals).
 *
 * @param now - epoch ms
 */
export async function applyFigures(
  scope: PortalScope,
  contactIds: ReadonlySet<string>,
  dealIds: ReadonlySet<string>,
  now: number,
): Promise<void> {
  const graph = await loadNeighbourhood(scope, contactIds, dealIds);
  await scope.projection.applyLeads(recomputeLeads(contactIds, graph, scope.figureSettings, now));
  await scope.projection.applyDealCampaigns(recomputeDealCampaigns(dealIds, graph, scope.figureSettings));
}
