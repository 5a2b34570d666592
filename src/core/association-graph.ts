import type { ContactNode, DealNode } from './recompute.ts';

/** Fresh reads from HubSpot: a record, or null when HubSpot no longer has it. */
export interface FreshReads {
  readonly contacts: ReadonlyMap<string, ContactNode | null>;
  readonly deals: ReadonlyMap<string, DealNode | null>;
}

/** What the projection held before, for the records read and their neighbours. */
export interface StoredRecords {
  readonly contacts: ReadonlyMap<string, ContactNode>;
  readonly deals: ReadonlyMap<string, DealNode>;
}

export interface GraphChange {
  /** Records to write (null deletes): the fresh ones and the neighbours whose links changed. */
  readonly contacts: Map<string, ContactNode | null>;
  readonly deals: Map<string, DealNode | null>;
  /** Deals whose campaign may have changed; contacts whose figures may have changed. */
  readonly affectedDeals: Set<string>;
  readonly affectedContacts: Set<string>;
}

function linked(ids: readonly string[] | undefined, other: readonly string[] | undefined): Set<string> {
  return new Set([...(ids ?? []), ...(other ?? [])]);
}

function toggled(list: readonly string[], id: string, present: boolean): readonly string[] {
  if (list.includes(id) === present) return list;
  return present ? [...list, id] : list.filter((item) => item !== id);
}

/**
 * Writes fresh reads into the graph and keeps associations symmetric: a neighbour that was not
 * read this time gains or loses the link the fresh record shows. Returns every record to write
 * and which deals and leads may have new figures (a lead's figures depend on its deals and on
 * those deals' other leads, which share the revenue).
 */
export function reconcileGraph(fresh: FreshReads, stored: StoredRecords): GraphChange {
  const contacts = new Map<string, ContactNode | null>(fresh.contacts);
  const deals = new Map<string, DealNode | null>(fresh.deals);
  const affectedDeals = new Set<string>(fresh.deals.keys());
  const affectedContacts = new Set<string>(fresh.contacts.keys());

  for (const [contactId, record] of fresh.contacts) {
    for (const dealId of linked(stored.contacts.get(contactId)?.dealIds, record?.dealIds)) {
      affectedDeals.add(dealId);
      if (fresh.deals.has(dealId)) continue;
      const deal = deals.get(dealId) ?? stored.deals.get(dealId);
      if (!deal) continue;
      const contactIds = toggled(deal.contactIds, contactId, record?.dealIds.includes(dealId) ?? false);
      if (contactIds !== deal.contactIds) deals.set(dealId, { ...deal, contactIds });
    }
  }
  for (const [dealId, record] of fresh.deals) {
    for (const contactId of linked(stored.deals.get(dealId)?.contactIds, record?.contactIds)) {
      affectedContacts.add(contactId);
      if (fresh.contacts.has(contactId)) continue;
      const contact = contacts.get(contactId) ?? stored.contacts.get(contactId);
      if (!contact) continue;
      const dealIds = toggled(contact.dealIds, dealId, record?.contactIds.includes(contactId) ?? false);
      if (dealIds !== contact.dealIds) contacts.set(contactId, { ...contact, dealIds });
    }
  }
  for (const dealId of affectedDeals) {
    const before = stored.deals.get(dealId)?.contactIds;
    const after = deals.get(dealId)?.contactIds;
    for (const contactId of linked(before, after)) affectedContacts.add(contactId);
  }
  return { contacts, deals, affectedDeals, affectedContacts };
}
