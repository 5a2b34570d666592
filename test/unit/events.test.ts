import { describe, expect, it } from 'vitest';
import { eventKey, parseDelivery } from '../../webhooks/events.ts';

const tracked = {
  campaignProperties: ['hs_analytics_first_touch_converting_campaign', 'hs_analytics_source_data_1'],
  leadDateProperty: 'createdate',
};
const base = {
  eventId: 7,
  subscriptionId: 11,
  portalId: 62515,
  appId: 5,
  occurredAt: 1_764_000_000_000,
  attemptNumber: 0,
};

function one(event: Record<string, unknown>) {
  return parseDelivery([{ ...base, ...event }], tracked).accepted.map((accepted) => accepted.change);
}

describe('parseDelivery: what each HubSpot event means', () => {
  const at = base.occurredAt;
  const portal = base.portalId;
  it.each([
    [
      'generic contact creation',
      { subscriptionType: 'object.creation', objectTypeId: '0-1', objectId: 5 },
      [{ kind: 'changed', portal, at, object: 'contact', id: '5' }],
    ],
    [
      'legacy deal creation',
      { subscriptionType: 'deal.creation', objectId: 9 },
      [{ kind: 'changed', portal, at, object: 'deal', id: '9' }],
    ],
    [
      'restore',
      { subscriptionType: 'object.restore', objectTypeId: '0-3', objectId: 9 },
      [{ kind: 'changed', portal, at, object: 'deal', id: '9' }],
    ],
    [
      'deletion',
      { subscriptionType: 'object.deletion', objectTypeId: '0-1', objectId: 5 },
      [{ kind: 'deleted', portal, at, object: 'contact', id: '5' }],
    ],
    [
      'privacy deletion',
      { subscriptionType: 'contact.privacyDeletion', objectId: 5 },
      [{ kind: 'privacyDeleted', portal, at, object: 'contact', id: '5' }],
    ],
    [
      'tracked property',
      {
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-1',
        objectId: 5,
        propertyName: 'lifecyclestage',
        propertyValue: 'lead',
      },
      [{ kind: 'changed', portal, at, object: 'contact', id: '5' }],
    ],
    [
      'lifecycle entry date',
      {
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-1',
        objectId: 5,
        propertyName: 'hs_v2_date_entered_opportunity',
      },
      [{ kind: 'changed', portal, at, object: 'contact', id: '5' }],
    ],
    [
      'deal stage',
      { subscriptionType: 'deal.propertyChange', objectId: 9, propertyName: 'dealstage' },
      [{ kind: 'changed', portal, at, object: 'deal', id: '9' }],
    ],
    [
      'untracked property',
      {
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-1',
        objectId: 5,
        propertyName: 'firstname',
      },
      [],
    ],
    [
      "closeloop's own property",
      {
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-1',
        objectId: 5,
        propertyName: 'closeloop_lead_score',
      },
      [],
    ],
    ['another object type', { subscriptionType: 'object.creation', objectTypeId: '0-2', objectId: 5 }, []],
    ['company event', { subscriptionType: 'company.creation', objectId: 5 }, []],
    [
      'merge into a new record',
      {
        subscriptionType: 'object.merge',
        objectTypeId: '0-1',
        objectId: 30,
        primaryObjectId: 10,
        mergedObjectIds: [20],
        newObjectId: 30,
      },
      [{ kind: 'merged', portal, at, object: 'contact', survivorId: '30', mergedIds: ['10', '20'] }],
    ],
    [
      'merge keeping the primary',
      {
        subscriptionType: 'object.merge',
        objectTypeId: '0-1',
        objectId: 10,
        primaryObjectId: 10,
        mergedObjectIds: [20, 21],
      },
      [{ kind: 'merged', portal, at, object: 'contact', survivorId: '10', mergedIds: ['20', '21'] }],
    ],
    [
      'contact→deal association',
      {
        subscriptionType: 'object.associationChange',
        associationType: 'CONTACT_TO_DEAL',
        fromObjectId: 5,
        toObjectId: 9,
        associationRemoved: false,
      },
      [{ kind: 'associationChanged', portal, at, contactId: '5', dealId: '9', removed: false }],
    ],
    [
      'deal→contact removal by type ids',
      {
        subscriptionType: 'object.associationChange',
        fromObjectTypeId: '0-3',
        toObjectTypeId: '0-1',
        fromObjectId: 9,
        toObjectId: 5,
        associationRemoved: true,
      },
      [{ kind: 'associationChanged', portal, at, contactId: '5', dealId: '9', removed: true }],
    ],
    [
      'contact→company association',
      {
        subscriptionType: 'contact.associationChange',
        associationType: 'CONTACT_TO_COMPANY',
        fromObjectId: 5,
        toObjectId: 3,
        associationRemoved: false,
      },
      [],
    ],
  ])('%s', (_name, event, expected) => {
    expect(one(event)).toEqual(expected);
  });

  it('keeps one of each repeated event in a delivery and counts what it received', () => {
    const event = { ...base, subscriptionType: 'object.creation', objectTypeId: '0-1', objectId: 5 };
    const parsed = parseDelivery(
      [event, event, { ...event, eventId: 8 }, { ...event, objectTypeId: '0-2' }],
      tracked,
    );
    expect(parsed.received).toBe(4);
    expect(parsed.accepted).toHaveLength(2);
  });

  it('accepts an empty delivery', () => {
    expect(parseDelivery([], tracked)).toEqual({ accepted: [], received: 0 });
  });

  it.each([
    ['an object', { events: [] }, /not an array/],
    ['a string', 'hello', /not an array/],
    [
      'an event without portalId',
      [{ ...base, portalId: undefined, subscriptionType: 'object.creation', objectId: 1 }],
      /0\.portalId/,
    ],
    [
      'a creation without objectId',
      [{ ...base, subscriptionType: 'object.creation', objectTypeId: '0-1' }],
      /Event 0 \(object\.creation\): objectId/,
    ],
    [
      'a merge without mergedObjectIds',
      [{ ...base, subscriptionType: 'object.merge', objectTypeId: '0-1', objectId: 1, primaryObjectId: 1 }],
      /mergedObjectIds/,
    ],
    [
      'an association without ids',
      [{ ...base, subscriptionType: 'object.associationChange', associationType: 'CONTACT_TO_DEAL' }],
      /fromObjectId/,
    ],
  ])('rejects %s with 400 and says why', (_name, body, message) => {
    expect(() => parseDelivery(body, tracked)).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringMatching(message) }),
    );
  });
});

describe('eventKey', () => {
  it('distinguishes what HubSpot distinguishes and nothing else', () => {
    const event = {
      ...base,
      subscriptionType: 'object.propertyChange',
      objectId: 5,
      propertyName: 'dealstage',
    };
    expect(eventKey({ ...event, attemptNumber: 3 })).toBe(eventKey(event));
    expect(eventKey({ ...event, eventId: 8 })).not.toBe(eventKey(event));
    expect(eventKey({ ...event, propertyName: 'amount' })).not.toBe(eventKey(event));
    expect(eventKey({ ...event, occurredAt: event.occurredAt + 1 })).not.toBe(eventKey(event));
    expect(eventKey({ ...event, portalId: 1 })).not.toBe(eventKey(event));
  });

  it('keeps association events of other records apart, as parsed from a delivery', () => {
    const link = (fromObjectId: number, toObjectId: number) => ({
      ...base,
      subscriptionType: 'object.associationChange',
      associationType: 'CONTACT_TO_DEAL',
      fromObjectId,
      toObjectId,
      associationRemoved: false,
    });
    const { accepted } = parseDelivery([link(5, 9), link(6, 9), link(5, 10), link(5, 9)], tracked);
    expect(accepted.map(({ change }) => change)).toEqual([
      {
        kind: 'associationChanged',
        portal: base.portalId,
        at: base.occurredAt,
        contactId: '5',
        dealId: '9',
        removed: false,
      },
      {
        kind: 'associationChanged',
        portal: base.portalId,
        at: base.occurredAt,
        contactId: '6',
        dealId: '9',
        removed: false,
      },
      {
        kind: 'associationChanged',
        portal: base.portalId,
        at: base.occurredAt,
        contactId: '5',
        dealId: '10',
        removed: false,
      },
    ]);
  });
});
