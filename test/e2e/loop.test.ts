import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Loop, startLoop } from '../support/loop-harness.ts';
import { uniquePrefix } from '../support/redis.ts';

// A small portal. webinar: leads 1–10, deals 501 (lead 1, won 1,000), 502 (lead 2, won 2,000),
// 503 (lead 3, lost). ads: leads 11–50, deal 504 (lead 11, won 500).
function baseline() {
  const contact = (id: number, campaign: string) => ({
    id: String(id),
    properties: {
      email: `lead${id}@example.com`,
      createdate: '2026-05-01T09:00:00.000Z',
      lifecyclestage: 'lead',
      hs_analytics_source: 'PAID_SEARCH',
      hs_analytics_source_data_1: campaign,
    },
  });
  const deal = (id: number, stage: string, amount: number) => ({
    id: String(id),
    properties: {
      dealname: `Deal ${id}`,
      pipeline: 'default',
      dealstage: stage,
      amount: String(amount),
      createdate: '2026-06-01T09:00:00.000Z',
      closedate: '2026-07-01T09:00:00.000Z',
    },
  });
  return {
    contacts: [
      ...Array.from({ length: 10 }, (_, i) => contact(i + 1, 'webinar')),
      ...Array.from({ length: 40 }, (_, i) => contact(i + 11, 'ads')),
    ],
    deals: [
      deal(501, 'closedwon', 1000),
      deal(502, 'closedwon', 2000),
      deal(503, 'closedlost', 0),
      deal(504, 'closedwon', 500),
    ],
    associations: [
      { contactId: '1', dealId: '501' },
      { contactId: '2', dealId: '502' },
      { contactId: '3', dealId: '503' },
      { contactId: '11', dealId: '504' },
    ],
  };
}

describe('the loop, end to end through the sandbox', () => {
  let loop: Loop;
  const campaign = async (name: string) => (await loop.campaigns()).find((c) => c.campaign === name);

  beforeAll(async () => {
    loop = await startLoop(uniquePrefix(import.meta.filename));
    await loop.admin('/__sandbox/seed', baseline());
    await loop.backfill();
    await loop.settle();
  }, 60_000);
  afterAll(async () => {
    await loop?.stop();
  });

  it('starts from the backfilled figures', async () => {
    expect(await campaign('webinar')).toMatchObject({
      leads: 10,
      opportunities: 3,
      won: 2,
      lost: 1,
      open: 7,
      revenue: 3000,
    });
    expect(await campaign('ads')).toMatchObject({
      leads: 40,
      opportunities: 1,
      won: 1,
      lost: 0,
      revenue: 500,
    });
    // webinar closes 2/10 = 20 %.
    expect(await loop.values('contacts', '5')).toMatchObject({
      closeloop_campaign: 'webinar',
      closeloop_campaign_close_rate: '20',
    });
  });

  it('a new lead, a deal associated and closed won: the right fields change within seconds', async () => {
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
      emitWebhooks: true,
    });
    const contactId = (seeded.contacts as string[])[0] as string;
    const deal = await loop.api('POST', '/crm/v3/objects/deals', {
      properties: { dealname: 'New', pipeline: 'default', dealstage: 'appointmentscheduled', amount: '3000' },
    });
    const dealId = String(deal.id);
    await loop.api('PUT', `/crm/v4/objects/contacts/${contactId}/associations/default/deals/${dealId}`);
    await loop.api('PATCH', `/crm/v3/objects/deals/${dealId}`, { properties: { dealstage: 'closedwon' } });
    await loop.settle();

    // webinar: 11 leads, 3 won → 27 %; revenue 6,000 of 6,500 over 11 of 51 leads → 4.3.
    expect(await campaign('webinar')).toMatchObject({ leads: 11, opportunities: 4, won: 3, revenue: 6000 });
    expect(await loop.values('contacts', contactId)).toMatchObject({
      closeloop_campaign: 'webinar',
      closeloop_lead_score: '100',
      closeloop_lead_grade: 'A',
      closeloop_campaign_close_rate: '27',
    });
    expect(await loop.values('deals', dealId)).toMatchObject({
      closeloop_campaign: 'webinar',
      closeloop_campaign_close_rate: '27',
      closeloop_alignment_index: '4.3',
    });
    expect(await loop.values('contacts', '5')).toMatchObject({ closeloop_campaign_close_rate: '27' });
  });

  it('a merge of two leads leaves one', async () => {
    await loop.api('POST', '/crm/v3/objects/contacts/merge', {
      primaryObjectId: '12',
      objectIdToMerge: '13',
    });
    await loop.settle();
    expect(await campaign('ads')).toMatchObject({ leads: 39, won: 1 });
  });

  it('a deletion removes the lead and its won deal; a restore brings both back', async () => {
    await loop.api('DELETE', '/crm/v3/objects/contacts/2');
    await loop.settle();
    expect(await campaign('webinar')).toMatchObject({ leads: 10, won: 2, revenue: 4000 });
    await loop.admin('/__sandbox/restore', { objectType: 'contacts', id: '2' });
    await loop.settle();
    expect(await campaign('webinar')).toMatchObject({ leads: 11, won: 3, revenue: 6000 });
  });

  it('removing an association takes the won deal away from the lead, and clears the deal', async () => {
    await loop.api('DELETE', '/crm/v4/objects/contacts/1/associations/deals/501');
    await loop.settle();
    expect(await campaign('webinar')).toMatchObject({ leads: 11, opportunities: 3, won: 2, revenue: 5000 });
    // Cleared in HubSpot: an empty value reads back as null.
    const deal = await loop.values('deals', '501');
    expect([deal.closeloop_campaign ?? '', deal.closeloop_campaign_close_rate ?? '']).toEqual(['', '']);
  });

  it('replaying every webhook changes no figure and writes nothing', async () => {
    const before = await loop.campaigns();
    const updatesBefore = updateCalls(loop);
    await loop.admin('/__sandbox/webhooks/replay', {});
    await loop.settle();
    expect(await loop.campaigns()).toEqual(before);
    expect(updateCalls(loop)).toBe(updatesBefore);
  });
});

function more(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(1000 + i));
}

/** The test's own calls must get through the faults too (they hit every caller). */
async function throughFaults<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= 20) throw error;
    }
  }
}

function updateCalls(loop: Loop): number {
  const calls = loop.sandbox.stats().calls;
  return ['POST /crm/v3/objects/contacts/batch/update', 'POST /crm/v3/objects/deals/batch/update']
    .flatMap((endpoint) => Object.values(calls[endpoint] ?? {}))
    .reduce((sum, count) => sum + count, 0);
}

describe('write-back under a 429 storm and 207 partial failures', () => {
  let loop: Loop;
  beforeAll(async () => {
    loop = await startLoop(uniquePrefix(`${import.meta.filename}-faults`), { seed: 11 });
    const portal = baseline();
    // 210 more ads leads (250 in all), so the write-back takes several batches for faults to hit.
    const template = portal.contacts[20];
    const extra = more(210).map((id) => ({
      id,
      properties: { ...template?.properties, email: `more${id}@example.com` },
    }));
    await loop.admin('/__sandbox/seed', { ...portal, contacts: [...portal.contacts, ...extra] });
    await loop.backfill();
    await loop.settle();
  }, 60_000);
  afterAll(async () => {
    await loop?.stop();
  });

  it('ends with every write applied exactly once', async () => {
    await loop.admin('/__sandbox/config', { failRate: 0.5, faults: ['429', '207', '503'] });
    loop.accepted.clear();
    // A new ads lead that closes won at once moves ads from 1/250 to 2/251 within 180 days (0 % → 1 %):
    // every ads record shows new values. (A win for an old lead would land past the horizon.)
    const seeded = await loop.admin('/__sandbox/seed', {
      contacts: [
        {
          properties: {
            email: 'fresh@example.com',
            hs_analytics_source: 'PAID_SEARCH',
            hs_analytics_source_data_1: 'ads',
          },
        },
      ],
      emitWebhooks: true,
    });
    const lead = (seeded.contacts as string[])[0] as string;
    const deal = await throughFaults(() =>
      loop.api('POST', '/crm/v3/objects/deals', {
        properties: { dealname: 'Won', pipeline: 'default', dealstage: 'closedwon', amount: '700' },
      }),
    );
    await throughFaults(() =>
      loop.api('PUT', `/crm/v4/objects/contacts/${lead}/associations/default/deals/${String(deal.id)}`),
    );
    await loop.settle();
    await loop.admin('/__sandbox/config', { failRate: 0 });

    const statuses = Object.values(loop.sandbox.stats().calls).flatMap((byStatus) => Object.keys(byStatus));
    expect(statuses).toEqual(expect.arrayContaining(['429']));
    expect(statuses.some((status) => status === '207' || status === '503')).toBe(true);
    const ads = [...Array.from({ length: 40 }, (_, i) => String(11 + i)), ...more(210)];
    for (const id of ads) {
      expect(await loop.values('contacts', id)).toMatchObject({
        closeloop_campaign: 'ads',
        closeloop_campaign_close_rate: '1',
      });
      expect(loop.accepted.get(id)).toBe(1);
    }
    expect(await loop.values('deals', '504')).toMatchObject({
      closeloop_campaign: 'ads',
      closeloop_campaign_close_rate: '1',
    });
    expect([...loop.accepted.values()].every((count) => count === 1)).toBe(true);
    expect((await loop.workers.queues.writeback.getJobCounts('failed')).failed).toBe(0);
  }, 60_000);
});
