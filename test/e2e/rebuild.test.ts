import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfill } from '../../jobs/backfill.ts';
import { currentGeneration, ProjectionRebuildingError, portalScope } from '../../jobs/context.ts';
import { waitUntilSettled } from '../../src/commands/settled.ts';
import { startWork } from '../../src/commands/work.ts';
import { meaningOf } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { backfillState } from '../../src/store/backfill-state.ts';
import { portalKeys } from '../../src/store/keys.ts';
import { PROJECTION_LAYOUT } from '../../src/store/layout.ts';
import { type Loop, startLoop } from '../support/loop-harness.ts';
import { uniquePrefix } from '../support/redis.ts';

// 30 webinar leads (5 won) and 20 ads leads, all from paid search.
function portal() {
  const contacts = Array.from({ length: 50 }, (_, i) => ({
    id: String(i + 1),
    properties: {
      email: `r${i + 1}@example.com`,
      createdate: '2026-04-01T09:00:00.000Z',
      hs_analytics_source: 'PAID_SEARCH',
      hs_analytics_source_data_1: i < 30 ? 'webinar' : 'ads',
    },
  }));
  const deals = Array.from({ length: 5 }, (_, i) => ({
    id: String(700 + i),
    properties: {
      dealname: `R${i}`,
      pipeline: 'default',
      dealstage: 'closedwon',
      amount: '1000',
      createdate: '2026-05-01T09:00:00.000Z',
      closedate: '2026-06-01T09:00:00.000Z',
    },
  }));
  return {
    contacts,
    deals,
    associations: deals.map((deal, i) => ({ contactId: String(i + 1), dealId: deal.id })),
  };
}

describe('rebuilds', () => {
  let loop: Loop;
  const campaigns = async () =>
    Object.fromEntries((await loop.campaigns()).map((c) => [c.campaign, { leads: c.leads, won: c.won }]));

  beforeAll(async () => {
    loop = await startLoop(uniquePrefix(import.meta.filename));
    await loop.admin('/__sandbox/seed', portal());
  }, 60_000);
  afterAll(async () => {
    await loop?.stop();
  });

  it('an interrupted backfill resumes where it stopped and ends with the right figures', async () => {
    let interrupted = false;
    const stopOnce = (progress: { phase: string }) => {
      if (!interrupted && progress.phase === 'deals') {
        interrupted = true;
        throw new Error('interrupted');
      }
    };
    await expect(backfill(loop.workers.context, { reason: 'test', onProgress: stopOnce })).rejects.toThrow(
      'interrupted',
    );
    const resumed = await backfill(loop.workers.context, { reason: 'test' });
    // The contacts were listed once, before the interruption; the rerun went on from the deals.
    expect(resumed).toMatchObject({ contacts: 50, deals: 5 });
    expect(loop.sandbox.stats().calls['GET /crm/v3/objects/contacts']).toEqual({ '200': 1 });
    await loop.settle();
    expect(await campaigns()).toEqual({ webinar: { leads: 30, won: 5 }, ads: { leads: 20, won: 0 } });
  });

  it('an interrupted backfill saved under other settings or an older layout starts over', async () => {
    const { redis } = loop.workers.context;
    const keys = portalKeys(loop.config.redis.prefix, loop.portal);
    const store = backfillState(redis, keys);
    let interrupted = false;
    const stopInFigures = (progress: { phase: string }) => {
      if (!interrupted && progress.phase === 'figures') {
        interrupted = true;
        throw new Error('interrupted');
      }
    };
    await expect(
      backfill(loop.workers.context, { reason: 'test', onProgress: stopInFigures }),
    ).rejects.toThrow('interrupted');
    const saved = await store.load();
    expect(saved?.meaning).toEqual(expect.any(String));
    // As the previous version saved it: no meaning, a generation in a layout this one cannot read.
    const { meaning: _, ...older } = saved ?? ({} as never);
    await store.save(older);
    const listed = () => loop.sandbox.stats().calls['GET /crm/v3/objects/contacts']?.['200'] ?? 0;
    const before = listed();

    const counts = await backfill(loop.workers.context, { reason: 'test' });

    expect(counts).toMatchObject({ contacts: 50, deals: 5, figured: 50 });
    expect(listed()).toBe(before + 1);
    // The half-built generation was dropped, not reused.
    expect(await currentGeneration(redis, keys)).toBeGreaterThan(older.generation);
    expect(await redis.keys(`${keys.base}:g${older.generation}:*`)).toEqual([]);
    await loop.settle();
    expect(await campaigns()).toEqual({ webinar: { leads: 30, won: 5 }, ads: { leads: 20, won: 0 } });
  });

  it('a projection in an older layout answers 503 and holds its jobs until the rebuild swaps in', async () => {
    const { redis } = loop.workers.context;
    const keys = portalKeys(loop.config.redis.prefix, loop.portal);
    const live = keys.projection(await currentGeneration(redis, keys));
    const older = { ...JSON.parse(meaningOf(loop.config)), figuresLayout: PROJECTION_LAYOUT - 1 };
    await redis.set(live.meaning, JSON.stringify(older));
    const token = loop.config.dashboardToken;
    const response = await fetch(`${loop.server.url}/api/campaigns`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    expect(response.status).toBe(503);
    await expect(portalScope(loop.workers.context)).rejects.toBeInstanceOf(ProjectionRebuildingError);
    // The rebuild itself, and the jobs that only note changes for it, still run.
    await expect(portalScope(loop.workers.context, undefined, { anyLayout: true })).resolves.toBeDefined();

    await backfill(loop.workers.context, { reason: 'layout changed' });

    await loop.settle();
    expect(await campaigns()).toEqual({ webinar: { leads: 30, won: 5 }, ads: { leads: 20, won: 0 } });
  });

  it('a change of what the figures mean rebuilds them under the new settings, never mixing the two', async () => {
    await loop.workers.close();
    const config = loop.configWith({ CAMPAIGN_PROPERTIES: 'hs_analytics_source' });
    const work = await startWork(config, createLogger({ level: 'silent' }));
    try {
      await waitUntilSettled({
        redis: loop.workers.context.redis,
        config,
        portal: loop.portal,
        webhooksPending: () => 0,
      });
      expect(await campaigns()).toEqual({ PAID_SEARCH: { leads: 50, won: 5 } });
      expect(await loop.values('contacts', '40')).toMatchObject({ closeloop_campaign: 'PAID_SEARCH' });
    } finally {
      await work.close();
    }
  });
});
