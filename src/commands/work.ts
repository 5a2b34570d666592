import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startWorkers, type Workers } from '../../jobs/worker.ts';
import { type Config, meaningOf } from '../config.ts';
import { workApp } from '../http/work-app.ts';
import { connectHubSpot } from '../hubspot/connect.ts';
import type { Logger } from '../logger.ts';
import { watchDailyBudget, watchQueueDepth } from '../metrics.ts';
import { backfillJobSchema } from '../queue.ts';
import { connectRedis, waitForRedis } from '../redis.ts';
import { portalKeys } from '../store/keys.ts';
import { loadPortalSettings } from '../store/portal-state.ts';
import { migrateWritten } from '../store/written-migration.ts';
import { createWorkMetrics, observeHubSpotCalls } from '../work-metrics.ts';
import { scheduleReconcile } from './reconcile-schedule.ts';

/** How often the lag-aware statistics are recomputed when nothing else triggers them. */
export const STATS_REFRESH_MS = 15 * 60_000;
const SETTINGS_REFRESH_MS = 60_000;

export interface RunningWork {
  /** Where `/healthz`, `/readyz` and `/metrics` answer. */
  readonly url: string;
  /** Readiness fails, in-flight jobs finish (up to `timeoutMs`), then everything closes. */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

/** Starts a rebuild when the live figures were computed under other settings or in an older layout. */
async function rebuildIfMeaningChanged(config: Config, workers: Workers, logger: Logger): Promise<void> {
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

/**
 * What runs on timers once the portal is set up: the portal's settings (its time zone decides
 * when the daily budget resets), the reconcile schedulers, and the statistics refresh (open leads
 * age without any event).
 */
function startTimers(config: Config, workers: Workers, logger: Logger, zone: { timeZone: string }) {
  const { redis } = workers.context;
  let scheduledFor: number | undefined;
  const refresh = async () => {
    const portal = await loadPortalSettings(redis, config.redis.prefix);
    if (!portal) return;
    zone.timeZone = portal.timeZone;
    if (scheduledFor === portal.portalId) return;
    await scheduleReconcile(workers.queues.reconcile, config, portal.portalId);
    scheduledFor = portal.portalId;
  };
  const warn = (what: string) => (error: unknown) => logger.warn({ err: error }, what);
  const settings = setInterval(
    () => refresh().catch(warn('could not refresh the portal settings')),
    SETTINGS_REFRESH_MS,
  );
  const stats = setInterval(() => {
    loadPortalSettings(redis, config.redis.prefix).then(
      (portal) => (portal ? workers.context.schedule('stats', portal.portalId) : undefined),
      warn('could not schedule the statistics refresh'),
    );
  }, STATS_REFRESH_MS);
  return {
    first: () => refresh().catch(warn('could not schedule reconcile')),
    stop() {
      clearInterval(settings);
      clearInterval(stats);
    },
  };
}

/** `closeloop work`: every worker of this process, and its probes and metrics on `WORK_PORT`. */
export async function startWork(config: Config, logger: Logger): Promise<RunningWork> {
  const redis = connectRedis(config.redis, 'worker');
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  await waitForRedis(redis, 10_000);
  const portal = await loadPortalSettings(redis, config.redis.prefix);
  // Before any worker runs: staging against half-moved fingerprints would rewrite records.
  const moved = portal ? await migrateWritten(redis, portalKeys(config.redis.prefix, portal.portalId)) : 0;
  if (moved > 0) logger.info({ moved }, 'write fingerprints moved into bucket hashes');
  const zone = { timeZone: portal?.timeZone ?? 'UTC' };
  const metrics = createWorkMetrics();
  const http = connectHubSpot(config, redis, () => zone.timeZone, observeHubSpotCalls(metrics));
  const workers = startWorkers(config, redis, http, logger, Date.now, metrics);
  watchQueueDepth(metrics, Object.values(workers.queues));
  watchDailyBudget(metrics, redis, config.redis.prefix);
  await rebuildIfMeaningChanged(config, workers, logger);
  const timers = startTimers(config, workers, logger, zone);
  await timers.first();
  let accepting = true;
  const app = workApp({
    redis,
    registry: metrics.registry,
    logger,
    token: config.dashboardToken,
    accepting: () => accepting,
  });
  const server = await listen(app, config.workPort);
  const { port } = server.address() as AddressInfo;
  logger.info({ port }, 'closeloop workers started');
  return {
    url: `http://127.0.0.1:${port}`,
    async close(options = {}) {
      accepting = false;
      timers.stop();
      await finishJobs(workers, options.timeoutMs ?? 30_000, logger);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis.disconnect();
    },
  };
}

/** In-flight jobs finish; one still running at the timeout is left to BullMQ's stalled-job check. */
async function finishJobs(workers: Workers, timeoutMs: number, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([workers.close().then(() => 'closed' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout')
    logger.warn({ timeoutMs }, 'jobs still running at the shutdown timeout: another worker picks them up');
}

function listen(app: ReturnType<typeof workApp>, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}
