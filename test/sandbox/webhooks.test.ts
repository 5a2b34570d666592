import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxOptions } from '../../src/sandbox/sandbox-options.ts';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { client, seed, startTestSandbox } from './sandbox-test-helpers.ts';
import { type Received, type ReceivedEvent, type Receiver, startReceiver } from './webhook-receiver.ts';

const SECRET = 'webhook-test-secret';
let sandbox: RunningSandbox;
let receiver: Receiver;
afterEach(async () => {
  await sandbox.close();
  await receiver.close();
});

async function setUp(
  options: Partial<SandboxOptions> = {},
  respond?: (r: Received, i: number) => number,
  delayMs = 0,
) {
  receiver = await startReceiver(SECRET, respond, delayMs);
  sandbox = await startTestSandbox({
    clientSecret: SECRET,
    webhookUrl: receiver.url,
    appId: 77,
    portalId: 88,
    ...options,
  });
  return client(sandbox);
}

const kinds = (events: ReceivedEvent[]) =>
  events.map((e) => `${e.subscriptionType}${e.propertyName ? `:${e.propertyName}` : ''}`).sort();

describe('webhooks', () => {
  it('sends exactly the subscribed events with HubSpot payload fields, signed v3 and v1', async () => {
    const at = Date.UTC(2026, 2, 3, 10);
    const call = await setUp({ freezeClock: true, now: at });
    const contact = (
      await call('POST', '/crm/v3/objects/contacts', {
        properties: { email: 'w@example.com', lifecyclestage: 'lead' },
      })
    ).body;
    await call('PATCH', `/crm/v3/objects/contacts/${contact.id}`, {
      properties: { firstname: 'Not subscribed' },
    });
    const deal = (
      await call('POST', '/crm/v3/objects/deals', {
        properties: { dealname: 'W', amount: '50', dealstage: 'closedwon' },
      })
    ).body;
    await sandbox.waitForWebhooksIdle();
    const created = receiver.events();
    expect(kinds(created)).toEqual([
      'object.creation',
      'object.creation',
      'object.propertyChange:amount',
      'object.propertyChange:amount_in_home_currency',
      'object.propertyChange:createdate',
      'object.propertyChange:createdate',
      'object.propertyChange:dealstage',
      'object.propertyChange:hs_is_closed_lost',
      'object.propertyChange:hs_is_closed_won',
      'object.propertyChange:hs_v2_date_entered_lead',
      'object.propertyChange:lifecyclestage',
      'object.propertyChange:pipeline',
    ]);
    const lifecycle = created.find((e) => e.propertyName === 'lifecyclestage');
    expect(lifecycle).toEqual({
      eventId: expect.any(Number),
      subscriptionId: expect.any(Number),
      portalId: 88,
      appId: 77,
      occurredAt: at,
      subscriptionType: 'object.propertyChange',
      attemptNumber: 0,
      changeSource: 'API',
      sourceId: '77',
      objectId: Number(contact.id),
      propertyName: 'lifecyclestage',
      propertyValue: 'lead',
      objectTypeId: '0-1',
    });
    expect(
      created.find((e) => e.subscriptionType === 'object.creation' && e.objectTypeId === '0-3')?.objectId,
    ).toBe(Number(deal.id));
    for (const request of receiver.requests) {
      expect([request.validV3, request.validV1]).toEqual([true, true]);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['user-agent']).toMatch(/^HubSpot/);
    }
  });

  it('reports associations, deletion, restore, merge and privacy deletion', async () => {
    const call = await setUp();
    const { contacts, deals } = await seed(sandbox, {
      contacts: [
        { properties: { lifecyclestage: 'lead' } },
        { properties: { lifecyclestage: 'customer', firstname: 'B' } },
      ],
      deals: [{}],
    });
    await call('PUT', `/crm/v4/objects/contacts/${contacts[0]}/associations/default/deals/${deals[0]}`);
    await call('DELETE', `/crm/v4/objects/deals/${deals[0]}/associations/contacts/${contacts[0]}`);
    await call('DELETE', `/crm/v3/objects/deals/${deals[0]}`);
    await call('POST', '/__sandbox/restore', { objectType: 'deals', id: deals[0] });
    const merged = (
      await call('POST', '/crm/v3/objects/contacts/merge', {
        primaryObjectId: contacts[0],
        objectIdToMerge: contacts[1],
      })
    ).body;
    await call('POST', '/crm/v3/objects/contacts/gdpr-delete', { objectId: merged.id });
    await sandbox.waitForWebhooksIdle();
    const events = receiver.events();
    const associations = events.filter((e) => e.subscriptionType === 'object.associationChange');
    expect(
      associations
        .map((e) => [
          e.associationType,
          e.fromObjectId,
          e.toObjectId,
          e.associationTypeId,
          e.associationRemoved,
        ])
        .sort(),
    ).toEqual([
      ['CONTACT_TO_DEAL', Number(contacts[0]), Number(deals[0]), 4, false],
      ['CONTACT_TO_DEAL', Number(contacts[0]), Number(deals[0]), 4, true],
      ['DEAL_TO_CONTACT', Number(deals[0]), Number(contacts[0]), 3, false],
      ['DEAL_TO_CONTACT', Number(deals[0]), Number(contacts[0]), 3, true],
    ]);
    expect(associations[0]).toMatchObject({
      fromObjectTypeId: '0-1',
      toObjectTypeId: '0-3',
      associationCategory: 'HUBSPOT_DEFINED',
      isPrimaryAssociation: false,
    });
    expect(events.find((e) => e.subscriptionType === 'object.restore')).toMatchObject({
      objectId: Number(deals[0]),
      objectTypeId: '0-3',
      changeSource: 'CRM_UI',
    });
    expect(events.find((e) => e.subscriptionType === 'object.merge')).toMatchObject({
      objectId: Number(merged.id),
      primaryObjectId: Number(contacts[0]),
      mergedObjectIds: [Number(contacts[1])],
      newObjectId: Number(merged.id),
      numberOfPropertiesMoved: 2,
    });
    const privacy = events.find((e) => e.subscriptionType === 'contact.privacyDeletion');
    expect(privacy).toMatchObject({ objectId: Number(merged.id) });
    expect(privacy).not.toHaveProperty('objectTypeId');
    expect(
      events
        .filter((e) => e.subscriptionType === 'object.deletion')
        .map((e) => e.objectId)
        .sort(),
    ).toEqual([Number(deals[0]), Number(merged.id)].sort());
    const bySubscription = new Map<number, Set<string>>();
    for (const e of events)
      bySubscription.set(
        e.subscriptionId,
        (bySubscription.get(e.subscriptionId) ?? new Set()).add(
          `${e.subscriptionType}/${e.objectTypeId ?? e.fromObjectTypeId}`,
        ),
      );
    expect([...bySubscription.values()].every((types) => types.size === 1)).toBe(true);
  });

  it('batches at most 100 events per POST with at most 10 in flight', async () => {
    await setUp({ webhookBatchMs: 20 }, () => 200, 100);
    await seed(sandbox, {
      contacts: Array.from({ length: 1_500 }, () => ({ properties: {} })),
      emitWebhooks: true,
    });
    await sandbox.waitForWebhooksIdle();
    const events = receiver.events();
    expect(events).toHaveLength(3_000);
    expect(events.every((e) => e.changeSource === 'CRM_UI')).toBe(true);
    expect(Math.max(...receiver.requests.map((r) => r.events.length))).toBe(100);
    expect(receiver.maxInFlight()).toBe(10);
    expect(sandbox.stats().webhooks).toEqual({ delivered: 3_000, failed: 0, pending: 0 });
  });

  it('retries failed deliveries with increasing attemptNumber, then gives up', async () => {
    const call = await setUp({ webhookMaxRetries: 3 }, (r) =>
      r.events[0]?.objectId === 1001 && r.events[0].attemptNumber < 2 ? 500 : 204,
    );
    await call('POST', '/crm/v3/objects/contacts', { properties: {} });
    await sandbox.waitForWebhooksIdle();
    const attempts = receiver.requests.map((r) => r.events[0]?.attemptNumber);
    expect(attempts).toEqual([0, 1, 2]);
    expect(receiver.requests.every((r) => r.validV3)).toBe(true);
    expect(sandbox.stats().webhooks).toMatchObject({ delivered: 2, pending: 0, failed: 0 });
    await call('POST', '/__sandbox/config', { webhookUrl: 'http://127.0.0.1:9/unreachable' });
    await call('POST', '/crm/v3/objects/deals', { properties: {} });
    const idle = await call('POST', '/__sandbox/webhooks/wait-idle', { timeoutMs: 10_000 });
    // The deal's creation and its createdate, pipeline, dealstage, hs_is_closed_won and
    // hs_is_closed_lost changes: six events given up.
    expect(idle.body).toEqual({ idle: true, delivered: 2, failed: 6, pending: 0 });
  });

  it('delivers duplicates in other POSTs and shuffles order when asked', async () => {
    await setUp({ duplicateRate: 1, shuffle: true, seed: 3, webhookBatchMs: 30 });
    await seed(sandbox, {
      contacts: Array.from({ length: 150 }, () => ({ properties: {} })),
      emitWebhooks: true,
    });
    await sandbox.waitForWebhooksIdle();
    const key = (e: ReceivedEvent) => `${e.eventId}/${e.subscriptionId}`;
    const copies = new Map<string, number[]>();
    receiver.requests.forEach((r, i) => {
      for (const e of r.events) copies.set(key(e), [...(copies.get(key(e)) ?? []), i]);
    });
    expect(copies.size).toBe(300);
    expect(
      [...copies.values()].every((requests) => requests.length === 2 && requests[0] !== requests[1]),
    ).toBe(true);
    const order = receiver.events().map((e) => e.eventId);
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
  });

  it('drops events while asked to, replays the rest, and seeds silently by default', async () => {
    const call = await setUp();
    await seed(sandbox, { contacts: [{ properties: {} }] });
    await call('POST', '/__sandbox/webhooks/drop', { enabled: true });
    await call('POST', '/crm/v3/objects/contacts', { properties: {} });
    await call('POST', '/__sandbox/webhooks/drop', { enabled: false });
    await call('POST', '/crm/v3/objects/deals', { properties: {} });
    await sandbox.waitForWebhooksIdle();
    const kept = kinds(receiver.events());
    expect(receiver.events().every((e) => e.objectTypeId === '0-3')).toBe(true);
    const replay = await call('POST', '/__sandbox/webhooks/replay');
    await sandbox.waitForWebhooksIdle();
    expect(replay.body.replayed).toBe(kept.length);
    expect(receiver.events()).toHaveLength(2 * kept.length);
  });

  it('turns deliveries off entirely at start and at run time, and back on', async () => {
    const call = await setUp({ webhooks: false });
    expect((await call('GET', '/__sandbox/config')).body.webhooks).toBe(false);
    const quiet = (await call('POST', '/crm/v3/objects/contacts', { properties: {} })).body.id;
    await sandbox.waitForWebhooksIdle();
    expect([receiver.requests.length, sandbox.stats().webhooks]).toEqual([
      0,
      { delivered: 0, failed: 0, pending: 0 },
    ]);
    await call('POST', '/__sandbox/config', { webhooks: true });
    const deal = (await call('POST', '/crm/v3/objects/deals', { properties: {} })).body.id;
    await sandbox.waitForWebhooksIdle();
    expect(new Set(receiver.events().map((e) => e.objectId))).toEqual(new Set([Number(deal)]));
    // What happened while off was never kept: a replay has nothing of it either.
    const replayed = (await call('POST', '/__sandbox/webhooks/replay')).body.replayed;
    await sandbox.waitForWebhooksIdle();
    expect(receiver.events().length).toBe(2 * replayed);
    // Turned off at run time, what waits for its batch is dropped, not sent later.
    await call('POST', '/__sandbox/config', { webhookBatchMs: 600_000 });
    const waiting = (await call('POST', '/crm/v3/objects/contacts', { properties: {} })).body.id;
    expect(sandbox.stats().webhooks.pending).toBeGreaterThan(0);
    const off = await call('POST', '/__sandbox/config', { webhooks: false, webhookBatchMs: 5 });
    expect([off.body.webhooks, sandbox.stats().webhooks.pending]).toEqual([false, 0]);
    await call('POST', '/__sandbox/webhooks/drop', { enabled: false });
    const last = (await call('POST', '/crm/v3/objects/contacts', { properties: {} })).body.id;
    await sandbox.waitForWebhooksIdle();
    const ids = new Set(receiver.events().map((e) => e.objectId));
    expect([ids.has(Number(last)), ids.has(Number(waiting)), ids.has(Number(quiet))]).toEqual([
      true,
      false,
      false,
    ]);
    expect((await call('GET', '/__sandbox/config')).body.webhooks).toBe(true);
  });
});
