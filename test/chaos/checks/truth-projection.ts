import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { backfill } from '../../../jobs/backfill.ts';
import { scheduler, wakeQueues } from '../../../jobs/context.ts';
import { setup } from '../../../src/commands/setup.ts';
import { loadConfig } from '../../../src/config.ts';
import { connectHubSpot } from '../../../src/hubspot/connect.ts';
import { createLogger } from '../../../src/logger.ts';
import { deleteKeys } from '../../support/redis.ts';
import { type ProjectionSnapshot, projectionSnapshot } from './projection-snapshot.ts';

const logger = createLogger({ level: 'silent' });

/**
 * The projection as a rebuild from HubSpot's current state makes it, into a scratch prefix of a
 * Redis the scenario does not fault, writing nothing back: what every acknowledged event should
 * have led the scenario's closeloop to. Compared before any repair, it counts what was lost.
 */
export async function truthProjection(
  env: Readonly<Record<string, string>>,
  redisUrl: string,
): Promise<ProjectionSnapshot> {
  const prefix = `truth-${randomBytes(4).toString('hex')}`;
  const config = loadConfig({ ...env, REDIS_URL: redisUrl, REDIS_PREFIX: prefix });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queues = wakeQueues(redis, prefix);
  try {
    const http = connectHubSpot(config, redis, () => 'UTC');
    const { portal } = await setup(http, redis, prefix);
    const context = { redis, http, config, logger, now: Date.now, schedule: scheduler(queues) };
    await backfill(context, { reason: 'chaos truth' });
    return await projectionSnapshot(redis, prefix, portal.portalId);
  } finally {
    await Promise.all(Object.values(queues).map((queue) => queue.close()));
    redis.disconnect();
    await deleteKeys(redisUrl, prefix);
  }
}
