import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalScope } from '../../jobs/context.ts';
import { reconcileRecent } from '../../jobs/reconcile.ts';
import { loadConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';
import { type Loop, startLoop } from '../support/loop-harness.ts';
import { leads, pipelineDeal } from '../support/portal-fixtures.ts';
import { type PrivateCluster, startPrivateCluster } from '../support/redis-cluster.ts';

// webinar: leads 1–10, deal 501 won by lead 1 (1,000), deal 502 open with lead 2. ads: leads 11–30.
function portal() {
  return {
    contacts: [...leads(1, 10, 'webinar'), ...leads(11, 20, 'ads')],
    deals: [pipelineDeal(501, 'closedwon', 1000), pipelineDeal(502, 'appointmentscheduled', 1000)],
    associations: [
      { contactId: '1', dealId: '501' },
      { contactId: '2', dealId: '502' },
    ],
  };
}

describe('on a Redis Cluster, with a hash-tagged prefix', () => {
  let cluster: PrivateCluster;
  let loop: Loop;
  const figures = async () =>
    Object.fromEntries((await loop.campaigns()).map((c) => [c.campaign, { leads: c.leads, won: c.won }]));

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    loop = await startLoop('{closeloop-cluster}', {}, { redis: { url: cluster.url, cluster: true } });
    await loop.admin('/__sandbox/seed', portal());
    await loop.backfill();
    await loop.settle();
  }, 120_000);

  afterAll(async () => {
    await loop?.stop();
    await cluster?.stop();
  });

  it('backfills, scores and writes back', async () => {
    expect(await figures()).toEqual({ webinar: { leads: 10, won: 1 }, ads: { leads: 20, won: 0 } });
    expect((await loop.values('contacts', '1')).closeloop_lead_grade).toBeTruthy();
  });

  it('follows live changes through webhooks, queues and the rate budget', async () => {
    await loop.api('PATCH', '/crm/v3/objects/deals/502', { properties: { dealstage: 'closedwon' } });
    await loop.settle();
    expect((await figures()).webinar).toEqual({ leads: 10, won: 2 });
  });

  it('runs a reconcile sweep', async () => {
    await loop.admin('/__sandbox/config', { webhooks: false });
    await loop.api('PATCH', '/crm/v3/objects/contacts/12', { properties: { lifecyclestage: 'opportunity' } });
    const report = await reconcileRecent(loop.workers.context, await portalScope(loop.workers.context));
    expect(report.fixed.contacts).toMatchObject({ changed: 1 });
  });

  it('keeps every key in one slot, on one primary', async () => {
    const counts = await Promise.all(
      cluster.ports.map(async (port) => {
        const node = new Redis(port, '127.0.0.1');
        try {
          return await node.dbsize();
        } finally {
          node.disconnect();
        }
      }),
    );
    expect(counts.filter((count) => count > 0)).toHaveLength(1);
    expect(Math.max(...counts)).toBeGreaterThan(20);
  });

  it('refuses a prefix without a hash tag, which would spread the keys over slots', () => {
    expect(() => loadConfig({ REDIS_CLUSTER: 'true', REDIS_PREFIX: 'closeloop' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_CLUSTER: 'true', REDIS_PREFIX: '{closeloop}' })).not.toThrow();
  });
});
