import { startWorkers, type Workers } from '../../jobs/worker.ts';
import { type Config, meaningOf } from '../config.ts';
import { connectHubSpot } from '../hubspot/connect.ts';
import type { Logger } from '../logger.ts';
import { backfillJobSchema } from '../queue.ts';
import { connectRedis, waitForRedis } from '../redis.ts';
import { portalKeys } from '../store/keys.ts';
import { loadPortalSettings } from '../store/portal-state.ts';

/** How often the lag-aware statistics are recomputed when nothing else triggers them. */
export const STATS_REFRESH_MS = 15 * 60_000;

/** Starts a rebuild when the live figures were computed under other settings. */
async function rebuildIfSettingsChanged(config: Config, workers: Workers, logger: Logger): Promise<void> {
  const { redis } = workers.context;
  const portal = await loadPortalSettings(redis, config.redis.prefix);
  if (!portal) {
    logger.warn('portal not set up yet: run `closeloop setup`; jobs wait for it');
    return;
  }
  const keys = portalKeys(config.redis.prefix, portal.portalId);
  const generation = Number((await redis.get(keys.generation)) ?? '1');
  const meaning = await redis.get(keys.projection(generation).meaning);
  if (meaning === null || meaning === meaningOf(config) || (await redis.exists(keys.building))) return;
  logger.info('settings that change what figures mean have changed: rebuilding the projection');
  const data = backfillJobSchema.parse({ portal: portal.portalId, reason: 'settings changed' });
  await workers.queues.backfill.add('backfill', data, {
    deduplication: { id: `backfill:${portal.portalId}` },
    attempts: 50,
    backoff: { type: 'closeloop' },
  });
}

/** `closeloop work`: every worker of this process; close() lets in-flight jobs finish. */
export async function startWork(config: Config, logger: Logger): Promise<{ close(): Promise<void> }> {
  const redis = connectRedis(config.redis.url, 'worker');
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  await waitForRedis(redis, 10_000);
  let timeZone = (await loadPortalSettings(redis, config.redis.prefix))?.timeZone ?? 'UTC';
  const refresh = setInterval(() => {
    loadPortalSettings(redis, config.redis.prefix).then(
      (portal) => {
        timeZone = portal?.timeZone ?? timeZone;
      },
      () => undefined,
    );
  }, 60_000);
  const http = connectHubSpot(config, redis, () => timeZone);
  const workers = startWorkers(config, redis, http, logger);
  await rebuildIfSettingsChanged(config, workers, logger);
  // Open leads age without any event: the lag-aware statistics and scores are refreshed regularly.
  const refreshStats = setInterval(() => {
    loadPortalSettings(redis, config.redis.prefix).then(
      (portal) => (portal ? workers.context.schedule('stats', portal.portalId) : undefined),
      (error: unknown) => logger.warn({ err: error }, 'could not schedule the statistics refresh'),
    );
  }, STATS_REFRESH_MS);
  logger.info('closeloop workers started');
  return {
    async close() {
      clearInterval(refresh);
      clearInterval(refreshStats);
      await workers.close();
      redis.disconnect();
    },
  };
}
