import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalScope } from '../../jobs/context.ts';
import { reconcileRecent } from '../../jobs/reconcile.ts';
import { type Loop, startLoop } from '../support/loop-harness.ts';
import { leads } from '../support/portal-fixtures.ts';
import { uniquePrefix } from '../support/redis.ts';

// Redis that loses its last second (a host crash with appendfsync everysec) can take with it the
// memory of a write HubSpot kept. closeloop then believes a record shows values it no longer does,
// and would skip it when it needs those values again. The recent sweep compares and repairs.
describe('reconcile after closeloop forgot a write HubSpot kept', () => {
  let loop: Loop;
  beforeAll(async () => {
    loop = await startLoop(uniquePrefix(import.meta.filename));
    await loop.admin('/__sandbox/seed', { contacts: leads(1, 2, 'webinar') });
    await loop.backfill();
    await loop.settle();
  }, 60_000);
  afterAll(async () => {
    await loop?.stop();
  });

  it('writes the values again where the record shows others', async () => {
    const own = await loop.values('contacts', '1');
    await loop.api('PATCH', '/crm/v3/objects/contacts/1', {
      properties: { closeloop_score_reason: 'a write whose memory Redis lost' },
    });
    await loop.settle();
    expect((await loop.values('contacts', '1')).closeloop_score_reason).toBe(
      'a write whose memory Redis lost',
    );

    const { context } = loop.workers;
    await reconcileRecent(context, await portalScope(context));
    await loop.settle();

    expect((await loop.values('contacts', '1')).closeloop_score_reason).toBe(own.closeloop_score_reason);
    expect((await loop.values('contacts', '2')).closeloop_score_reason).toBe(own.closeloop_score_reason);
  });
});
