import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalKeys } from '../../src/store/keys.ts';
import { outbox } from '../../src/store/outbox.ts';
import { type Loop, startLoop } from '../support/loop-harness.ts';
import { leadContact } from '../support/portal-fixtures.ts';
import { uniquePrefix } from '../support/redis.ts';

// Values queued for a record that HubSpot merged meanwhile land on the survivor: HubSpot resolves
// the old id. Whatever the survivor showed before, closeloop must write its own values again.
describe('write-back queued for a merged-away id', () => {
  let loop: Loop;
  beforeAll(async () => {
    loop = await startLoop(uniquePrefix(import.meta.filename));
    await loop.admin('/__sandbox/seed', { contacts: [leadContact(1, 'webinar'), leadContact(2, 'ads')] });
    await loop.backfill();
    await loop.settle();
  }, 60_000);
  afterAll(async () => {
    await loop?.stop();
  });

  it('leaves the survivor showing its own values', async () => {
    const merged = await loop.api('POST', '/crm/v3/objects/contacts/merge', {
      primaryObjectId: '1',
      objectIdToMerge: '2',
    });
    const survivor = String(merged.id);
    await loop.settle();
    const own = await loop.values('contacts', survivor);
    expect(own.closeloop_campaign).toBe('webinar');

    // As if the values had been queued just before the merge reached closeloop.
    const { redis } = loop.workers.context;
    const shownValues = Object.entries(own).filter(
      ([name]) => name.startsWith('closeloop_') && name !== 'closeloop_scored_at',
    );
    const stale = {
      ...Object.fromEntries(shownValues.map(([name, value]) => [name, value ?? ''])),
      closeloop_campaign: 'ads',
    };
    const queued = new Map([
      ['1', stale],
      ['2', stale],
    ]);
    await outbox(redis, portalKeys(loop.config.redis.prefix, loop.portal)).stage(
      'contacts',
      queued,
      Date.now(),
    );
    await loop.workers.context.schedule('writeback', loop.portal);
    await loop.settle();

    const shown = await loop.values('contacts', survivor);
    expect(shown.closeloop_campaign).toBe('webinar');
    expect(shown.closeloop_score_reason).toBe(own.closeloop_score_reason);
  });
});
