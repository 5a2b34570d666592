import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATS_PUT_OFF_MAX_MS, statsJob } from '../../jobs/stats.ts';
import type { SingleFlightKind } from '../../src/queue.ts';
import { portalKeys } from '../../src/store/keys.ts';
import { savePortalSettings } from '../../src/store/portal-state.ts';
import { workSets } from '../../src/store/work-sets.ts';
import { offlineJobContext } from '../support/job-context.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';

const portal = {
  portalId: 81,
  timeZone: 'UTC',
  currency: 'USD',
  uiDomain: 'app.hubspot.com',
  stageOrder: ['lead', 'opportunity', 'customer'],
  stageDateProperties: {},
  pipelines: [],
};

describe('the statistics job while a burst is being synced', () => {
  const prefix = uniquePrefix(import.meta.filename);
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const sets = workSets(redis, portalKeys(prefix, portal.portalId));
  let now = Date.UTC(2026, 5, 1);
  const woken: SingleFlightKind[] = [];
  // The campaign catalog is a nicety the job reads first; here HubSpot is unreachable.
  const context = offlineJobContext(redis, prefix, { woken, now: () => now });

  beforeAll(async () => {
    await savePortalSettings(redis, prefix, portal);
  });
  afterAll(async () => {
    redis.disconnect();
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  it('is put off and asked for again while ids wait to be synced, then runs once they are', async () => {
    await sets.addPending({ contacts: ['1', '2'], deals: [] });

    expect(await statsJob(context)).toEqual({ putOff: true });
    expect(woken.splice(0)).toEqual(['stats']);

    now += 5000;
    expect(await statsJob(context)).toEqual({ putOff: true });
    expect(woken.splice(0)).toEqual(['stats']);

    await redis.del(portalKeys(prefix, portal.portalId).pending('contact'));
    expect(await statsJob(context)).toEqual({ leads: 0, campaigns: 0 });
    expect(woken.splice(0)).toEqual(['score']);
  });

  it('runs all the same once a steady stream has put it off for the longest wait', async () => {
    await sets.addPending({ contacts: ['3'], deals: [] });
    expect(await statsJob(context)).toEqual({ putOff: true });
    woken.splice(0);

    now += STATS_PUT_OFF_MAX_MS;
    expect(await statsJob(context)).toEqual({ leads: 0, campaigns: 0 });
    expect(woken.splice(0)).toEqual(['score']);
    // The wait starts again from the next burst, not from the first one.
    expect(await statsJob(context)).toEqual({ putOff: true });
  });
});
