import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalKeys } from '../../src/store/keys.ts';
import { outbox } from '../../src/store/outbox.ts';
import { type Loop, startLoop } from '../support/loop-harness.ts';
import { uniquePrefix } from '../support/redis.ts';

const LEASE_LEFT_MS = 2000;

// A write-back run killed mid-batch keeps the portal's write-back lease until it lapses. The run
// that finds it held must come back once it has, or the queued values wait for nobody.
describe('write-back while a dead writer still holds the lease', () => {
  let loop: Loop;
  beforeAll(async () => {
    loop = await startLoop(uniquePrefix(import.meta.filename));
    const lead = {
      id: '1',
      properties: {
        email: 'lead1@example.com',
        createdate: '2026-05-01T09:00:00.000Z',
        lifecyclestage: 'lead',
        hs_analytics_source: 'PAID_SEARCH',
        hs_analytics_source_data_1: 'webinar',
      },
    };
    await loop.admin('/__sandbox/seed', { contacts: [lead] });
    await loop.backfill();
    await loop.settle();
  }, 60_000);
  afterAll(async () => {
    await loop?.stop();
  });

  it('writes the queued values once the lease has lapsed', async () => {
    const { redis } = loop.workers.context;
    const keys = portalKeys(loop.config.redis.prefix, loop.portal);
    await redis.set(`${keys.base}:writeback:lock`, 'a-writer-that-died', 'PX', LEASE_LEFT_MS);
    const shown = Object.entries(await loop.values('contacts', '1')).filter(
      ([name]) => name.startsWith('closeloop_') && name !== 'closeloop_scored_at',
    );
    const queued = {
      ...Object.fromEntries(shown.map(([name, value]) => [name, value ?? ''])),
      closeloop_score_reason: 'queued before the crash',
    };
    await outbox(redis, keys).stage('contacts', new Map([['1', queued]]), Date.now());
    await loop.workers.context.schedule('writeback', loop.portal);
    await loop.settle();

    expect((await loop.values('contacts', '1')).closeloop_score_reason).toBe('queued before the crash');
  }, 30_000);
});
