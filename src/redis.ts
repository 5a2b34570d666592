import { Redis } from 'ioredis';

export type RedisRole = 'web' | 'worker' | 'cli';

/**
 * One connection per role. The web role fails fast (no offline queue, one attempt) so a webhook
 * is answered 503 at once when Redis is away; workers wait for Redis, as BullMQ requires.
 */
export function connectRedis(url: string, role: RedisRole): Redis {
  const shared = {
    connectionName: `closeloop-${role}`,
    connectTimeout: 2000,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
    lazyConnect: false,
  };
  if (role === 'web')
    return new Redis(url, { ...shared, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  return new Redis(url, { ...shared, maxRetriesPerRequest: null });
}

/** Resolves when the connection is ready, rejects after `timeoutMs` with the last connection error. */
export function waitForRedis(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    let lastError: unknown;
    const onError = (error: unknown) => {
      lastError = error;
    };
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      redis.off('error', onError);
      reject(
        new Error(`Redis did not become ready within ${timeoutMs} ms: ${String(lastError ?? 'no answer')}`),
      );
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      redis.off('error', onError);
      resolve();
    };
    redis.once('ready', onReady);
    redis.on('error', onError);
  });
}
