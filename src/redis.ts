import { Cluster, Redis, type RedisOptions } from 'ioredis';

export type RedisRole = 'web' | 'worker' | 'cli';

/** Where Redis is: a URL, or the config's `{url, cluster}` when it may be a Redis Cluster node. */
export type RedisTarget = string | { readonly url: string; readonly cluster?: boolean };

function options(role: RedisRole): RedisOptions {
  return {
    connectionName: `closeloop-${role}`,
    connectTimeout: 2000,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
    lazyConnect: false,
    // The web role fails fast, so a webhook is answered 503 at once when Redis is away; workers
    // wait for Redis, as BullMQ requires.
    ...(role === 'web'
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 1 }
      : { maxRetriesPerRequest: null }),
  };
}

function clusterOf(url: string, role: RedisRole): Cluster {
  const node = new URL(url);
  // Without its offline queue a cluster client cannot finish its own startup checks; the web
  // role still answers 503 in time, because the inbox puts its own deadline on every enqueue.
  const { retryStrategy, enableOfflineQueue: _failFast, ...redisOptions } = options(role);
  return new Cluster([{ host: node.hostname, port: Number(node.port || 6379) }], {
    redisOptions: {
      ...redisOptions,
      username: node.username ? decodeURIComponent(node.username) : undefined,
      password: node.password ? decodeURIComponent(node.password) : undefined,
      tls: node.protocol === 'rediss:' ? {} : undefined,
    },
    clusterRetryStrategy: retryStrategy,
  });
}

/**
 * One connection per role. On a Redis Cluster every closeloop key shares one hash tag (the
 * prefix), so all of them live in one slot and the cluster client answers like one Redis:
 * scripts, transactions and pipelines never cross slots. The rest of the code sees a `Redis`.
 */
export function connectRedis(target: RedisTarget, role: RedisRole): Redis {
  const { url, cluster } = typeof target === 'string' ? { url: target, cluster: false } : target;
  if (cluster) return clusterOf(url, role) as unknown as Redis;
  return new Redis(url, options(role));
}

/** Another connection to the same Redis that waits for it instead of failing fast (subscribers). */
export function patientCopy(redis: Redis): Redis {
  if (!(redis instanceof Cluster))
    return redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
  const cluster = redis as Cluster;
  return cluster.duplicate(undefined, {
    enableOfflineQueue: true,
    redisOptions: { ...cluster.options.redisOptions, maxRetriesPerRequest: null },
  }) as unknown as Redis;
}

/**
 * Every key matching `pattern`. SCAN walks one server: on a cluster, every primary is walked,
 * since a random node need not hold the slot.
 */
export async function* scanKeys(redis: Redis, pattern: string, count = 1000): AsyncGenerator<string[]> {
  const servers = redis instanceof Cluster ? (redis as Cluster).nodes('master') : [redis];
  for (const server of servers) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      cursor = next;
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }
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
