import { QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalScope } from '../../jobs/context.ts';
import { reconcileRecent } from '../../jobs/reconcile.ts';
import { reconcileIds } from '../../jobs/reconcile-ids.ts';
import { runReconcile } from '../../src/commands/reconcile-command.ts';
import { createLogger } from '../../src/logger.ts';
import { reconcileState } from '../../src/store/reconcile-state.ts';
import { type Loop, startLoop } from '../support/loop-harness.ts';
import { leads, pipelineDeal } from '../support/portal-fixtures.ts';
import { uniquePrefix } from '../support/redis.ts';

// webinar: leads 1–10, deal 501 won by lead 1, deal 503 open with lead 3. ads: leads 11–20, deal
// 504 won by lead 11.
function portal() {
  return {
    contacts: [...leads(1, 10, 'webinar'), ...leads(11, 10, 'ads')],
    deals: [
      pipelineDeal(501, 'closedwon', 1000),
      pipelineDeal(503, 'appointmentscheduled', 800),
      pipelineDeal(504, 'closedwon', 500),
    ],
    associations: [
      { contactId: '1', dealId: '501' },
      { contactId: '3', dealId: '503' },
      { contactId: '11', dealId: '504' },
    ],
  };
}

const none = { missing: 0, deleted: 0, changed: 0, associations: 0 };

describe('reconcile repairs what dropped webhooks left out of date', () => {
  let loop: Loop;
  let mergedInto: string;
  let created: string;
  const scope = () => portalScope(loop.workers.context);
  const figures = async () =>
    Object.fromEntries(
      (await loop.campaigns()).map((c) => [c.campaign, { leads: c.leads, won: c.won, revenue: c.revenue }]),
    );

  beforeAll(async () => {
    loop = await startLoop(uniquePrefix(import.meta.filename));
    await loop.admin('/__sandbox/seed', portal());
    await loop.backfill();
    await loop.settle();
    // A first sweep after setup looks back a day: everything is in step, so it fixes nothing.
    expect((await reconcileRecent(loop.workers.context, await scope())).fixed).toEqual({
      contacts: none,
      deals: none,
    });

    // From here on HubSpot changes and tells nobody.
    await loop.admin('/__sandbox/config', { webhooks: false });
    await loop.api('PATCH', '/crm/v3/objects/contacts/4', { properties: { lifecyclestage: 'opportunity' } });
    // Seeded, because a campaign lives in read-only properties only HubSpot's tracking sets.
    const seeded = await loop.admin('/__sandbox/seed', {
      contacts: [
        {
          properties: {
            email: 'new@example.com',
            lifecyclestage: 'lead',
            hs_analytics_source: 'PAID_SEARCH',
            hs_analytics_source_data_1: 'webinar',
          },
        },
      ],
    });
    created = String((seeded.contacts as string[])[0]);
    await loop.api('PUT', '/crm/v4/objects/contacts/5/associations/default/deals/504');
    await loop.api('PATCH', '/crm/v3/objects/deals/503', { properties: { dealstage: 'closedwon' } });
    await loop.api('DELETE', '/crm/v3/objects/contacts/6');
    const merged = await loop.api('POST', '/crm/v3/objects/contacts/merge', {
      primaryObjectId: '7',
      objectIdToMerge: '8',
    });
    mergedInto = String(merged.id);
  }, 120_000);

  afterAll(async () => {
    await loop?.stop();
  });

  it('the recent sweep finds the changed, created, merged and re-associated records, and only those', async () => {
    const report = await reconcileRecent(loop.workers.context, await scope());
    await loop.settle();

    expect(report.fixed).toEqual({
      // 4 moved stage; the new contact and the merge's survivor are unknown; 5 gained a deal.
      contacts: { ...none, changed: 1, missing: 2, associations: 1 },
      // 503 was won; 504 gained a contact.
      deals: { ...none, changed: 1, associations: 1 },
    });
    expect(report.checked.contacts).toBeGreaterThanOrEqual(4);
    const webinar = (await figures()).webinar;
    // 503 won (800) beside 501 (1,000); 5 shares 504 with 11 (ads) evenly: 250.
    expect(webinar).toMatchObject({ won: 3, revenue: 2050 });
  });

  it('records the report for the operator', async () => {
    const saved = await reconcileState(loop.workers.context.redis, (await scope()).keys).loadReport('recent');
    expect(saved?.fixed.contacts).toMatchObject({ changed: 1, missing: 2, associations: 1 });
  });

  it('a second sweep straight after finds nothing left to fix', async () => {
    const report = await reconcileRecent(loop.workers.context, await scope());
    expect(report.fixed).toEqual({ contacts: none, deals: none });
  });

  it('the id sweep finds the deleted and merged-away records search never returns', async () => {
    const report = await reconcileIds(loop.workers.context, await scope());
    await loop.settle();
    // 6 was deleted. 7 and 8 (merged into a new id) are gone already: the recent sweep's repairs
    // moved webinar's figures, the write-back to 7 and 8 was answered by their survivor, and that
    // made the write-back re-read them.
    expect(report.fixed).toEqual({ contacts: { ...none, deleted: 1 }, deals: none });
    expect(report.checked).toEqual({ contacts: 19, deals: 3 });
    const projection = (await scope()).projection;
    const held = await projection.contacts(['6', '7', '8', mergedInto, created]);
    expect([...held.keys()].sort()).toEqual([created, mergedInto].sort());
  });

  it('leaves the figures exactly as a full rebuild from HubSpot makes them', async () => {
    const repaired = await figures();
    await loop.backfill();
    await loop.settle();
    expect(await figures()).toEqual(repaired);
  });

  it('as a command: one sweep now, a line per object type', async () => {
    await loop.api('PATCH', '/crm/v3/objects/contacts/10', { properties: { lifecyclestage: 'customer' } });
    const lines = await runReconcile(
      loop.config,
      loop.workers.context.redis,
      loop.workers.context.http,
      createLogger({ level: 'silent' }),
      'recent',
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^reconcile \(recent\): contacts: \d+ checked, 1 fixed \(1 changed\)$/);
    expect(lines[1]).toMatch(/^reconcile \(recent\): deals: \d+ checked, 0 fixed$/);
    await loop.settle();
  });

  it('runs from the reconcile queue as the workers schedule it, and says what it fixed', async () => {
    await loop.api('PATCH', '/crm/v3/objects/contacts/9', { properties: { lifecyclestage: 'customer' } });
    const events = new QueueEvents('reconcile', {
      connection: loop.workers.context.redis.duplicate(),
      prefix: loop.config.redis.prefix,
    });
    try {
      await events.waitUntilReady();
      const job = await loop.workers.queues.reconcile.add('recent', { portal: loop.portal });
      const result = await job.waitUntilFinished(events, 30_000);
      expect(result.fixed.contacts).toMatchObject({ changed: 1 });
    } finally {
      await events.close();
    }
  });
});
