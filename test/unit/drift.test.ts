import { describe, expect, it } from 'vitest';
import { driftOf, sameFacts, searchDriftOf } from '../../src/core/drift.ts';
import type { ContactNode, DealNode } from '../../src/core/recompute.ts';

const contact: ContactNode = {
  campaign: 'spring-webinar',
  leadDate: 1_700_000_000_000,
  stage: 'lead',
  stageEntered: { lead: 1_700_000_000_000, subscriber: 1_699_000_000_000 },
  dealIds: ['11', '12'],
};

const deal: DealNode = {
  pipeline: 'default',
  createdAt: 1_700_100_000_000,
  closedAt: null,
  won: false,
  lost: false,
  amount: 5000,
  contactIds: ['1'],
};

describe('driftOf', () => {
  it.each<[string, ContactNode | DealNode | undefined, ContactNode | DealNode | null, string | undefined]>([
    ['a contact both sides agree on', contact, { ...contact }, undefined],
    [
      'a contact with its stage dates in another order',
      contact,
      { ...contact, stageEntered: { subscriber: 1_699_000_000_000, lead: 1_700_000_000_000 } },
      undefined,
    ],
    ['a contact with its deals in another order', contact, { ...contact, dealIds: ['12', '11'] }, undefined],
    ['a contact HubSpot has and the projection lacks', undefined, contact, 'missing'],
    ['a contact the projection has and HubSpot lacks', contact, null, 'deleted'],
    ['a contact neither side has', undefined, null, undefined],
    ['a contact whose campaign moved', contact, { ...contact, campaign: 'referral' }, 'changed'],
    ['a contact whose lead date moved', contact, { ...contact, leadDate: 1_700_000_000_001 }, 'changed'],
    ['a contact that moved stage', contact, { ...contact, stage: 'opportunity' }, 'changed'],
    [
      'a contact with a new stage date',
      contact,
      { ...contact, stageEntered: { ...contact.stageEntered, opportunity: 1_701_000_000_000 } },
      'changed',
    ],
    [
      'a contact that lost a stage date',
      contact,
      { ...contact, stageEntered: { lead: 1_700_000_000_000 } },
      'changed',
    ],
    ['a contact with another deal', contact, { ...contact, dealIds: ['11', '12', '13'] }, 'associations'],
    ['a contact with one deal fewer', contact, { ...contact, dealIds: ['11'] }, 'associations'],
    [
      'a contact with other facts and other deals',
      contact,
      { ...contact, stage: 'customer', dealIds: [] },
      'changed',
    ],
    ['a deal both sides agree on', deal, { ...deal }, undefined],
    ['a deal that was won', deal, { ...deal, won: true, closedAt: 1_702_000_000_000 }, 'changed'],
    ['a deal with a new amount', deal, { ...deal, amount: 5100 }, 'changed'],
    ['a deal whose amount was cleared', deal, { ...deal, amount: null }, 'changed'],
    ['a deal moved to another pipeline', deal, { ...deal, pipeline: 'renewals' }, 'changed'],
    ['a deal with another contact', deal, { ...deal, contactIds: ['1', '2'] }, 'associations'],
    ['a deal gone from HubSpot', deal, null, 'deleted'],
  ])('%s', (_name, stored, fresh, expected) => {
    expect(driftOf(stored, fresh)).toBe(expected);
  });
});

describe('searchDriftOf', () => {
  const unlinked = { ...contact, dealIds: [] };

  it.each<[string, ContactNode | undefined, ContactNode, number | undefined, string | undefined]>([
    ['agreeing facts and deal count', contact, unlinked, 2, undefined],
    ['agreeing facts, count not returned', contact, unlinked, undefined, undefined],
    ['a deal count that differs', contact, unlinked, 3, 'associations'],
    ['a deal count of zero against two stored', contact, unlinked, 0, 'associations'],
    ['other facts', contact, { ...unlinked, stage: 'customer' }, 2, 'changed'],
    ['a record the projection lacks', undefined, unlinked, 0, 'missing'],
  ])('%s', (_name, stored, found, count, expected) => {
    expect(searchDriftOf(stored, found, count)).toBe(expected);
  });

  it('counts a stored duplicate link once, as HubSpot counts associated records', () => {
    expect(searchDriftOf({ ...contact, dealIds: ['11', '11'] }, unlinked, 1)).toBeUndefined();
  });
});

describe('sameFacts', () => {
  it('never calls a contact and a deal the same', () => {
    expect(sameFacts(contact, deal)).toBe(false);
  });
});
