import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import {
  BUCKETS,
  bucketKey,
  bucketOf,
  idsFrom,
  readBucketed,
  scanBuckets,
  storedIds,
} from '../../src/store/buckets.ts';
import { storeFixture } from '../support/store-fixtures.ts';

const store = storeFixture(import.meta.filename);
const redis = store.connect();

async function scanned(client: Redis, base: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for await (const flat of scanBuckets(client, base)) {
    for (let at = 0; at + 1 < flat.length; at += 2) {
      const id = (flat[at] as Buffer).toString();
      expect(found.has(id)).toBe(false);
      found.set(id, (flat[at + 1] as Buffer).toString());
    }
  }
  return found;
}

describe('bucket hashes', () => {
  it('spreads HubSpot-like ids evenly over the buckets', () => {
    const counts = new Uint32Array(BUCKETS);
    for (let id = 0; id < 1_000_000; id++) {
      const bucket = bucketOf(String(51_000_000_000 + id * 7));
      counts[bucket] = (counts[bucket] ?? 0) + 1;
    }
    // A million ids, 61 per bucket on average: none far from it, so every bucket stays a listpack.
    expect(Math.max(...counts)).toBeLessThan(120);
    expect(Math.min(...counts)).toBeGreaterThan(20);
  });

  it('reads the values of ids over many buckets in one go, leaving out absent ones', async () => {
    const base = `${store.freshKeys().base}:records`;
    const ids = Array.from({ length: 2000 }, (_, index) => String(1000 + index));
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hset(bucketKey(base, id), id, `value of ${id}`);
    await pipeline.exec();
    const found = await readBucketed(redis, base, [...ids.slice(0, 500), 'missing', '1000']);
    expect(found.size).toBe(500);
    expect(found.get('1499')).toBe('value of 1499');
    expect(await readBucketed(redis, base, [])).toEqual(new Map());
  });

  it('scans every field once, also of a bucket grown into a full hash table, where HSCAN repeats fields', async () => {
    const base = `${store.freshKeys().base}:records`;
    const expected = new Map<string, string>();
    const pipeline = redis.pipeline();
    // 3,000 fields in bucket 0 (past listpack limits, so HSCAN pages it) and one in each of 100 others.
    for (let index = 0; index < 3000; index++) {
      pipeline.hset(`${base}:0`, `f${index}`, `v${index}`);
      expected.set(`f${index}`, `v${index}`);
    }
    for (let bucket = 1; bucket <= 100; bucket++) {
      pipeline.hset(`${base}:${bucket * 97}`, `b${bucket}`, 'x');
      expected.set(`b${bucket}`, 'x');
    }
    await pipeline.exec();
    expect(await redis.object('ENCODING', `${base}:0`)).toBe('hashtable');
    let continued = 0;
    let last: Buffer[] = [];
    const repeating = new Proxy(redis, {
      get(target, property) {
        if (property !== 'hscanBuffer') return Reflect.get(target, property, target);
        return async (...args: Parameters<Redis['hscanBuffer']>) => {
          const [cursor, flat] = await target.hscanBuffer(...args);
          continued++;
          const repeated = [...flat, ...last];
          last = flat;
          return [cursor, repeated];
        };
      },
    });
    expect(await scanned(repeating, base)).toEqual(expected);
    expect(continued).toBeGreaterThan(0);
    expect(await scanned(redis, `${base}-none`)).toEqual(new Map());
  });

  it('walks every id once in resumable steps, and tells which ids are stored', async () => {
    const base = `${store.freshKeys().base}:records`;
    const ids = Array.from({ length: 3000 }, (_, index) => String(70_000 + index));
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hset(bucketKey(base, id), id, 'x');
    await pipeline.exec();
    const seen: string[] = [];
    let steps = 0;
    let next = 0;
    do {
      const step = await idsFrom(redis, base, next, 500);
      seen.push(...step.ids);
      next = step.next;
      steps++;
    } while (next !== 0);
    expect(seen.sort()).toEqual([...ids].sort());
    expect(steps).toBeGreaterThan(2);
    expect(await idsFrom(redis, `${base}-none`, 0, 500)).toEqual({ ids: [], next: 0 });
    expect(await storedIds(redis, base, ['70000', 'nope', '72999'])).toEqual([true, false, true]);
  });
});
