import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeback } from '../../jobs/writeback.ts';
import { TransientError } from '../../src/errors.ts';
import type { HubSpotHttp } from '../../src/hubspot/http.ts';
import { portalKeys } from '../../src/store/keys.ts';
import { outbox } from '../../src/store/outbox.ts';
import { type Loop, startLoop } from '../support/loop-harness.ts';
import { leads } from '../support/portal-fixtures.ts';
import { uniquePrefix } from '../support/redis.ts';

const LEADS = 200;

/** HubSpot answering 5xx to the second batch update, and only to it. */
function failingSecondUpdate(http: HubSpotHttp): HubSpotHttp {
  let updates = 0;
  return async (request) => {
    if (request.path.endsWith('/batch/update') && ++updates === 2)
      throw new TransientError('HubSpot 502: Bad Gateway');
    return http(request);
  };
}

// A long write-back meets a fault now and then. One after records got through must end the run
// (the next starts at once), not fail the job: a job's attempts and backoff would otherwise grow
// with every fault of the whole write-back, to minutes between batches.
describe('a write-back run that meets a fault after writing some batches', () => {
  let loop: Loop;
  beforeAll(async () => {
    loop = await startLoop(uniquePrefix(import.meta.filename));
    await loop.admin('/__sandbox/seed', { contacts: leads(1, LEADS, 'webinar') });
    await loop.backfill();
    await loop.settle();
  }, 60_000);
  afterAll(async () => {
    await loop?.stop();
  });

  it('ends with what it wrote, and the next run writes the rest', async () => {
    const { context } = loop.workers;
    const keys = portalKeys(loop.config.redis.prefix, loop.portal);
    const values = { closeloop_campaign: 'webinar', closeloop_score_reason: 'written in two runs' };
    const queued = new Map(Array.from({ length: LEADS }, (_, i) => [String(i + 1), values]));
    await outbox(context.redis, keys).stage('contacts', queued, Date.now());

    const report = await writeback({ ...context, http: failingSecondUpdate(context.http) });
    expect(report.written).toBe(100);
    await loop.settle();

    expect(await outbox(context.redis, keys).size('contacts')).toBe(0);
    for (const id of ['1', String(LEADS)])
      expect((await loop.values('contacts', id)).closeloop_score_reason).toBe('written in two runs');
  });
});
