import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { type PortalKeys, portalKeys } from '../../src/store/keys.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from './redis.ts';

export const PORTAL_ID = 62515;

/**
 * A test file's own key prefix and Redis connections, all closed and cleaned up after the file.
 * Call at the top level of a test file.
 */
export function storeFixture(file: string) {
  const prefix = uniquePrefix(file);
  const connections: Redis[] = [];
  const connect = (): Redis => {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    connections.push(redis);
    return redis;
  };
  afterAll(async () => {
    await Promise.all(connections.map((redis) => redis.quit()));
    await deleteKeys(TEST_REDIS_URL, prefix);
  });
  let portals = 0;
  return {
    prefix,
    connect,
    /** Keys of a portal no other test in the file uses, so tests do not see each other's keys. */
    freshKeys: (): PortalKeys => portalKeys(prefix, PORTAL_ID + portals++),
  };
}
