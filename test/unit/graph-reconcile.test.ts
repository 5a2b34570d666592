import { describe, expect, it } from 'vitest';
import { type FreshReads, reconcileGraph, type StoredRecords } from '../../src/core/association-graph.ts';
import type { ContactNode, DealNode } from '../../src/core/recompute.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

// Facts other than the links are fixed: these tests are about links, and the facts let us check
// that a rewritten neighbour keeps everything but the link it gained or lost.
function contact(dealIds: string[], campaign = 'webinar'): ContactNode {
  return { campaign, leadDate: T0, stage: 'lead', stageEntered: {}, dealIds };
}

function deal(contactIds: string[], amount = 1000): DealNode {
  return {
    pipeline: 'default',
    createdAt: T0 + DAY,
    closedAt: null,
    won: false,
    lost: false,
    amount,
    contactIds,
  };
}

/** Links only, sorted: `{id: links}` for records with links, `{id: null}` for deletions. */
type Links = Record<string, string[] | null>;

interface Case {
  readonly stored: { contacts?: Links; deals?: Links };
  readonly fresh: { contacts?: Links; deals?: Links };
  /** Exactly the records written: anything not listed here must not be rewritten. */
  readonly written: { contacts: Links; deals: Links };
  readonly affectedDeals: string[];
  readonly affectedContacts: string[];
}

function storedFrom(links: Case['stored']): StoredRecords {
  const contacts = new Map<string, ContactNode>();
  const deals = new Map<string, DealNode>();
  for (const [id, ids] of Object.entries(links.contacts ?? {})) if (ids) contacts.set(id, contact(ids));
  for (const [id, ids] of Object.entries(links.deals ?? {})) if (ids) deals.set(id, deal(ids));
  return { contacts, deals };
}

function freshFrom(links: Case['fresh']): FreshReads {
  return {
    contacts: new Map(Object.entries(links.contacts ?? {}).map(([id, ids]) => [id, ids && contact(ids)])),
    deals: new Map(Object.entries(links.deals ?? {}).map(([id, ids]) => [id, ids && deal(ids)])),
  };
}

function linksOf<T>(records: ReadonlyMap<string, T | null>, pick: (record: T) => readonly string[]): Links {
  return Object.fromEntries(
    [...records].map(([id, record]) => [id, record === null ? null : [...pick(record)].sort()]),
  );
}

const sorted = (ids: Iterable<string>) => [...ids].sort();

describe('reconcileGraph', () => {
  it.each<[string, Case]>([
    [
      'new association: the unread deal gains the contact, beside the contact it already had',
      {
        stored: { contacts: { c1: [], c2: ['d1'] }, deals: { d1: ['c2'] } },
        fresh: { contacts: { c1: ['d1'] } },
        written: { contacts: { c1: ['d1'] }, deals: { d1: ['c1', 'c2'] } },
        affectedDeals: ['d1'],
        // c2 shares d1's revenue with c1 now, so its figures may change too.
        affectedContacts: ['c1', 'c2'],
      },
    ],
    [
      'removed association: the unread contact loses the deal and keeps its other deal',
      {
        stored: {
          contacts: { c1: ['d1'], c2: ['d1', 'd2'] },
          deals: { d1: ['c1', 'c2'], d2: ['c2'] },
        },
        fresh: { deals: { d1: ['c1'] } },
        // c1 is still linked both ways: it is not rewritten.
        written: { contacts: { c2: ['d2'] }, deals: { d1: ['c1'] } },
        // d2's own leads did not change, so its campaign cannot have changed.
        affectedDeals: ['d1'],
        affectedContacts: ['c1', 'c2'],
      },
    ],
    [
      'contact deleted: it disappears from every deal it was on',
      {
        stored: {
          contacts: { c1: ['d1', 'd2'], c2: ['d1'] },
          deals: { d1: ['c1', 'c2'], d2: ['c1'] },
        },
        fresh: { contacts: { c1: null } },
        written: { contacts: { c1: null }, deals: { d1: ['c2'], d2: [] } },
        affectedDeals: ['d1', 'd2'],
        affectedContacts: ['c1', 'c2'],
      },
    ],
    [
      'deal deleted: it disappears from every contact it was on',
      {
        stored: {
          contacts: { c1: ['d1'], c2: ['d1', 'd2'] },
          deals: { d1: ['c1', 'c2'], d2: ['c2'] },
        },
        fresh: { deals: { d1: null } },
        written: { contacts: { c1: [], c2: ['d2'] }, deals: { d1: null } },
        affectedDeals: ['d1'],
        affectedContacts: ['c1', 'c2'],
      },
    ],
    [
      'merge: the merged-away id is gone and the survivor holds the union of both links',
      {
        stored: {
          contacts: { c1: ['d1'], c2: ['d2'], c3: ['d2'] },
          deals: { d1: ['c1'], d2: ['c2', 'c3'] },
        },
        // HubSpot returns the merged-away id as missing and the survivor under its own id.
        fresh: { contacts: { c1: ['d1', 'd2'], c2: null } },
        // d1 already listed c1: not rewritten. d2 swaps c2 for c1 in one write.
        written: { contacts: { c1: ['d1', 'd2'], c2: null }, deals: { d2: ['c1', 'c3'] } },
        affectedDeals: ['d1', 'd2'],
        affectedContacts: ['c1', 'c2', 'c3'],
      },
    ],
    [
      'merge read the other way round (gone id first): same result',
      {
        stored: {
          contacts: { c1: ['d1'], c2: ['d2'], c3: ['d2'] },
          deals: { d1: ['c1'], d2: ['c2', 'c3'] },
        },
        fresh: { contacts: { c2: null, c1: ['d1', 'd2'] } },
        written: { contacts: { c1: ['d1', 'd2'], c2: null }, deals: { d2: ['c1', 'c3'] } },
        affectedDeals: ['d1', 'd2'],
        affectedContacts: ['c1', 'c2', 'c3'],
      },
    ],
    [
      'both sides read and disagreeing: each is written as HubSpot returned it, neither overrides the other',
      {
        stored: { contacts: { c1: [], c2: ['d1'] }, deals: { d1: ['c2'] } },
        // The two reads straddled an association change; the next event re-reads them.
        fresh: { contacts: { c1: ['d1'] }, deals: { d1: ['c2'] } },
        written: { contacts: { c1: ['d1'] }, deals: { d1: ['c2'] } },
        affectedDeals: ['d1'],
        affectedContacts: ['c1', 'c2'],
      },
    ],
    [
      'unknown deal (not in the projection) is skipped, not invented',
      {
        stored: { contacts: { c1: [] } },
        fresh: { contacts: { c1: ['d9'] } },
        written: { contacts: { c1: ['d9'] }, deals: {} },
        // Still affected: its campaign is recomputed (to nothing, as the projection lacks it).
        affectedDeals: ['d9'],
        affectedContacts: ['c1'],
      },
    ],
    [
      'unknown contact (not in the projection) is skipped, not invented',
      {
        stored: { deals: { d1: [] } },
        fresh: { deals: { d1: ['c9'] } },
        written: { contacts: {}, deals: { d1: ['c9'] } },
        affectedDeals: ['d1'],
        affectedContacts: ['c9'],
      },
    ],
    [
      'unchanged neighbours are not rewritten',
      {
        stored: {
          contacts: { c1: ['d1'], c2: ['d1', 'd2'] },
          deals: { d1: ['c1', 'c2'], d2: ['c2'] },
        },
        fresh: { contacts: { c1: ['d1'] }, deals: { d2: ['c2'] } },
        written: { contacts: { c1: ['d1'] }, deals: { d2: ['c2'] } },
        affectedDeals: ['d1', 'd2'],
        affectedContacts: ['c1', 'c2'],
      },
    ],
    [
      'contact moves from one deal to another: both deals and both deals’ contacts are affected',
      {
        stored: {
          contacts: { c1: ['d1'], c2: ['d1'], c3: ['d2'] },
          deals: { d1: ['c1', 'c2'], d2: ['c3'] },
        },
        fresh: { contacts: { c1: ['d2'] } },
        written: { contacts: { c1: ['d2'] }, deals: { d1: ['c2'], d2: ['c1', 'c3'] } },
        affectedDeals: ['d1', 'd2'],
        affectedContacts: ['c1', 'c2', 'c3'],
      },
    ],
  ])('%s', (_name, c) => {
    const change = reconcileGraph(freshFrom(c.fresh), storedFrom(c.stored));
    expect(linksOf(change.contacts, (record) => record.dealIds)).toEqual(c.written.contacts);
    expect(linksOf(change.deals, (record) => record.contactIds)).toEqual(c.written.deals);
    expect(sorted(change.affectedDeals)).toEqual(c.affectedDeals);
    expect(sorted(change.affectedContacts)).toEqual(c.affectedContacts);
  });

  it('writes fresh records exactly as read and changes only the link of a rewritten neighbour', () => {
    const stored: StoredRecords = {
      contacts: new Map([['c2', contact(['d1'], 'ads')]]),
      deals: new Map([['d1', deal(['c2'], 750)]]),
    };
    const freshContact = contact(['d1'], 'webinar');
    const change = reconcileGraph({ contacts: new Map([['c1', freshContact]]), deals: new Map() }, stored);
    expect(change.contacts.get('c1')).toEqual(freshContact);
    // The neighbour keeps its own facts (amount 750): only c1 is added to its contacts.
    expect(change.deals.get('d1')).toEqual({ ...deal(['c2'], 750), contactIds: ['c2', 'c1'] });
    // The stored record is not mutated: a caller may still need the "before" picture.
    expect(stored.deals.get('d1')?.contactIds).toEqual(['c2']);
  });

  it('keeps associations symmetric across a batch of several fresh records', () => {
    const stored = storedFrom({
      contacts: { c1: ['d1'], c2: ['d1', 'd2'], c3: [] },
      deals: { d1: ['c1', 'c2'], d2: ['c2'], d3: [] },
    });
    // c3 joins d1 and d3, d2 is deleted, c1 leaves d1: three independent changes in one run.
    const change = reconcileGraph(
      freshFrom({ contacts: { c3: ['d1', 'd3'], c1: [] }, deals: { d2: null } }),
      stored,
    );
    const contacts = new Map(stored.contacts);
    const deals = new Map(stored.deals);
    for (const [id, record] of change.contacts) record ? contacts.set(id, record) : contacts.delete(id);
    for (const [id, record] of change.deals) record ? deals.set(id, record) : deals.delete(id);
    const fromContacts = [...contacts].flatMap(([id, c]) => c.dealIds.map((dealId) => `${id}-${dealId}`));
    const fromDeals = [...deals].flatMap(([id, d]) => d.contactIds.map((contactId) => `${contactId}-${id}`));
    // Every contact→deal link has its deal→contact twin, and nothing else remains.
    expect(fromContacts.sort()).toEqual(['c2-d1', 'c3-d1', 'c3-d3']);
    expect(fromDeals.sort()).toEqual(fromContacts.sort());
  });
});
