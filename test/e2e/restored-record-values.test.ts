import { afterEach, describe, expect, it } from 'vitest';
import { type Loop, startLoop } from '../support/loop-harness.ts';
import { leads, pipelineDeal } from '../support/portal-fixtures.ts';
import { uniquePrefix } from '../support/redis.ts';

// HubSpot's recycle bin keeps a record's property values: a restored record shows whatever
// closeloop wrote before the deletion, though closeloop forgot it when the record went away.
function portal() {
  return {
    contacts: leads(1, 2, 'webinar'),
    deals: [pipelineDeal(501, 'closedwon', 1000)],
    associations: [{ contactId: '1', dealId: '501' }],
  };
}

describe('a restored record', () => {
  let loop: Loop | undefined;
  afterEach(async () => {
    await loop?.stop();
    loop = undefined;
  });

  async function started(): Promise<Loop> {
    loop = await startLoop(uniquePrefix(import.meta.filename));
    await loop.admin('/__sandbox/seed', portal());
    await loop.backfill();
    await loop.settle();
    expect((await loop.values('deals', '501')).closeloop_campaign).toBe('webinar');
    return loop;
  }

  it('is cleared when it comes back without a lead, though it still shows the old values', async () => {
    const loop = await started();
    await loop.api('DELETE', '/crm/v3/objects/deals/501');
    await loop.settle();
    await loop.api('DELETE', '/crm/v3/objects/contacts/1');
    await loop.settle();
    await loop.admin('/__sandbox/restore', { objectType: 'deals', id: '501' });
    await loop.settle();

    const deal = await loop.values('deals', '501');
    expect([deal.closeloop_campaign ?? '', deal.closeloop_campaign_close_rate ?? '']).toEqual(['', '']);
  });

  it('is not written again when it already shows the values it should', async () => {
    const loop = await started();
    const writes = loop.accepted.get('501');
    await loop.api('DELETE', '/crm/v3/objects/deals/501');
    await loop.settle();
    await loop.admin('/__sandbox/restore', { objectType: 'deals', id: '501' });
    await loop.settle();

    expect((await loop.values('deals', '501')).closeloop_campaign).toBe('webinar');
    expect(loop.accepted.get('501')).toBe(writes);
  });
});
