import type { Redis } from 'ioredis';
import type { JobContext } from '../../jobs/context.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import type { SingleFlightKind } from '../../src/queue.ts';

/**
 * A job context for jobs that make no HubSpot call: any call fails the test, and the jobs they
 * wake are collected in `woken` instead of queued.
 */
export function offlineJobContext(
  redis: Redis,
  prefix: string,
  options: { woken: SingleFlightKind[]; now?: () => number; env?: Record<string, string> },
): JobContext {
  return {
    redis,
    http: async () => {
      throw new Error('HubSpot is not part of this test');
    },
    config: loadConfig({ REDIS_PREFIX: prefix, ...options.env }),
    logger: createLogger({ level: 'silent' }),
    now: options.now ?? Date.now,
    schedule: async (kind) => {
      options.woken.push(kind);
    },
  };
}
