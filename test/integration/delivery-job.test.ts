import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleDelivery } from '../../jobs/delivery.ts';
import type { DeliveryJob, SingleFlightKind } from '../../src/queue.ts';
import { portalKeys } from '../../src/store/keys.ts';
import { savePortalSettings } from '../../src/store/portal-state.ts';
import { offlineJobContext } from '../support/job-context.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';

const PORTAL = 82;
const portal = {
  portalId: PORTAL,
  timeZone: 'UTC',
  currency: 'USD',
  uiDomain: 'app.hubspot.com',
  stageOrder: ['lead', 'opportunity', 'customer'],
  stageDateProperties: {},
  pipelines: [],
};

function delivery(ids: string[], withKeys = true): DeliveryJob {
  return {
    receivedAt: 1,
    events: ids.map((id) => ({ kind: 'changed', portal: PORTAL, object: 'contact', id, at: 1 })),
    ...(withKeys
      ? { keys: ids.map((id) => `${PORTAL}|object.propertyChange|${id}|lifecyclestage|1|${id}`) }
      : {}),
  } as DeliveryJob;
}

describe('the delivery job', () => {
  const prefix = uniquePrefix(import.meta.filename);
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const woken: SingleFlightKind[] = [];
  const contextWith = (env: Record<string, string> = {}) => offlineJobContext(redis, prefix, { woken, env });
  const pending = () => redis.smembers(portalKeys(prefix, PORTAL).pending('contact'));

  beforeAll(async () => {
    await savePortalSettings(redis, prefix, portal);
  });
  afterAll(async () => {
    redis.disconnect();
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  it('notes its events’ records for sync; a repeated delivery’s job takes none of them, its own retry all', async () => {
    const context = contextWith();
    expect(await handleDelivery(delivery(['1', '2']), 'job-a', context)).toEqual({
      events: 2,
      duplicates: 0,
    });
    expect((await pending()).sort()).toEqual(['1', '2']);
    expect(woken.splice(0)).toEqual(['sync']);
    await redis.del(portalKeys(prefix, PORTAL).pending('contact'));

    expect(await handleDelivery(delivery(['2', '3']), 'job-b', context)).toEqual({
      events: 2,
      duplicates: 1,
    });
    expect(await pending()).toEqual(['3']);
    expect(await handleDelivery(delivery(['1', '2']), 'job-a', context)).toEqual({
      events: 2,
      duplicates: 0,
    });
  });

  it('takes every event of a job without identities (an older version’s) or with deduplication off', async () => {
    expect(await handleDelivery(delivery(['1', '2'], false), 'job-c', contextWith())).toEqual({
      events: 2,
      duplicates: 0,
    });
    const off = contextWith({ WEBHOOK_DEDUPE_WINDOW_SECONDS: '0' });
    expect(await handleDelivery(delivery(['1', '2']), 'job-d', off)).toEqual({ events: 2, duplicates: 0 });
  });
});
