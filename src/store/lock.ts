import type { Redis } from 'ioredis';

const RELEASE =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
const RENEW =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";

/** A lease in Redis: taken if free (or already ours), expiring if its holder dies. */
export function lease(redis: Redis, key: string, holder: string, ttlMs: number) {
  return {
    async take(): Promise<boolean> {
      if (await redis.set(key, holder, 'PX', ttlMs, 'NX')) return true;
      return (await redis.get(key)) === holder;
    },
    renew: async () => Number(await redis.eval(RENEW, 1, key, holder, ttlMs)) === 1,
    release: async () => {
      await redis.eval(RELEASE, 1, key, holder);
    },
  };
}
