import type { Redis } from 'ioredis';
import { bucketKey } from './buckets.ts';
import type { PortalKeys } from './keys.ts';

/**
 * Moves the write fingerprints that versions before the bucket layout kept in one hash per
 * record type into the buckets, then drops that hash; returns how many it moved. HSETNX: a
 * fingerprint written since (in a bucket) wins. Safe to run again and from several processes.
 * Without it every record would look never written, and the next scoring would write them all.
 */
export async function migrateWritten(redis: Redis, keys: PortalKeys): Promise<number> {
  let moved = 0;
  for (const type of ['contacts', 'deals'] as const) {
    const old = keys.written(type);
    if ((await redis.type(old)) !== 'hash') continue;
    let cursor = '0';
    do {
      const [next, flat] = await redis.hscan(old, cursor, 'COUNT', 1000);
      cursor = next;
      const pipeline = redis.pipeline();
      for (let index = 0; index + 1 < flat.length; index += 2) {
        const id = flat[index] as string;
        pipeline.hsetnx(bucketKey(old, id), id, flat[index + 1] as string);
      }
      if (pipeline.length > 0) await pipeline.exec();
      moved += flat.length / 2;
    } while (cursor !== '0');
    await redis.unlink(old);
  }
  return moved;
}
