import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { waitUntilSettled } from '../../../src/commands/settled.ts';
import type { Config } from '../../../src/config.ts';
import { QUEUE_NAMES } from '../../../src/queue.ts';
import { loadPortalSettings } from '../../../src/store/portal-state.ts';
import { allJobs, type SeenJob, untilJobFailed } from './queue-jobs.ts';
import { type DumpedKey, dumpRedis } from './redis-dump.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Everything a Redis holds (every key, every job), taken at moments that matter: while jobs
 * fail, while deliveries wait, at the end. What was there once and is gone later counts too.
 */
export function redisSnapshots(url: string, prefix: string) {
  const keys: DumpedKey[] = [];
  const jobs: SeenJob[] = [];
  const withRedis = async <T>(run: (redis: Redis) => Promise<T>) => {
    const redis = new Redis(url);
    try {
      return await run(redis);
    } finally {
      redis.disconnect();
    }
  };
  const take = async () => {
    keys.push(...(await withRedis(dumpRedis)));
    jobs.push(...(await allJobs(url, prefix)));
  };
  return {
    keys,
    jobs,
    take,
    /** Once a job failed for that reason, a snapshot. */
    async untilFailed(reason: RegExp) {
      await untilJobFailed(url, prefix, reason);
      await take();
    },
    /** Once a delivery waits in the events queue (no worker runs), a snapshot. */
    async untilWaiting() {
      const events = new Queue(QUEUE_NAMES.events, { connection: { url }, prefix });
      try {
        while ((await events.getWaitingCount()) === 0) await sleep(100);
      } finally {
        await events.close();
      }
      await take();
    },
    /** Until webhooks are delivered and work is done. */
    settled: (config: Config, webhooksPending: () => number) =>
      withRedis(async (redis) => {
        const portal = Number((await loadPortalSettings(redis, prefix))?.portalId);
        await waitUntilSettled({ redis, config, portal, webhooksPending });
      }),
  };
}
