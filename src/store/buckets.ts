import type { Redis } from 'ioredis';

/**
 * Per-record values are spread over this many small hashes instead of one big one. Redis keeps a
 * hash of at most `hash-max-listpack-entries` (512 by default) fields of at most
 * `hash-max-listpack-value` (64) bytes as one listpack, a few bytes per field, where a big hash
 * spends about 60 bytes of pointers and allocations on each. 2^14 buckets keep a million records
 * at about 61 a bucket and stay listpacks up to about 8M records; past that, buckets turn into
 * ordinary hashes, which costs memory, not correctness.
 */
export const BUCKETS = 1 << 14;

/** FNV-1a of the id: HubSpot's ids are decimal strings with no useful order to bucket by. */
export function bucketOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < id.length; index++) hash = Math.imul(hash ^ id.charCodeAt(index), 0x01000193);
  return (hash >>> 0) & (BUCKETS - 1);
}

export function bucketKey(base: string, id: string): string {
  return `${base}:${bucketOf(id)}`;
}

/** Ids grouped by their bucket's key, in first-seen order. */
export function byBucket(base: string, ids: Iterable<string>): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const id of ids) {
    const key = bucketKey(base, id);
    const group = groups.get(key);
    if (group) group.push(id);
    else groups.set(key, [id]);
  }
  return groups;
}

/** The stored values of ids (HMGET per bucket, one round trip); absent ids are left out. */
export async function readBucketed(
  redis: Redis,
  base: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (ids.length === 0) return found;
  const groups = [...byBucket(base, ids)];
  const pipeline = redis.pipeline();
  for (const [key, group] of groups) pipeline.hmget(key, ...group);
  const results = (await pipeline.exec()) ?? [];
  groups.forEach(([, group], index) => {
    const [error, values] = results[index] ?? [new Error('no reply')];
    if (error) throw error;
    group.forEach((id, at) => {
      const value = (values as (string | null)[])[at];
      if (value !== null && value !== undefined) found.set(id, value);
    });
  });
  return found;
}

/** Buckets asked for per round trip while scanning. */
const SCAN_BATCH = 256;

function scanBatch(redis: Redis, base: string, from: number) {
  const pipeline = redis.pipeline();
  for (let bucket = from; bucket < Math.min(from + SCAN_BATCH, BUCKETS); bucket++)
    pipeline.hscanBuffer(`${base}:${bucket}`, '0', 'COUNT', 1000);
  return pipeline.exec();
}

/** The rest of a bucket that HSCAN could not return at once (one kept as a full hash table). */
async function restOfBucket(redis: Redis, key: string, first: [Buffer, Buffer[]]): Promise<Buffer[]> {
  // HSCAN may return a field twice across calls (a resize in between): keep the last of each.
  const fields = new Map<string, [Buffer, Buffer]>();
  let [cursor, flat] = first;
  for (;;) {
    for (let index = 0; index + 1 < flat.length; index += 2)
      fields.set((flat[index] as Buffer).toString('latin1'), [
        flat[index] as Buffer,
        flat[index + 1] as Buffer,
      ]);
    if (cursor.toString() === '0') return [...fields.values()].flat();
    [cursor, flat] = await redis.hscanBuffer(key, cursor.toString(), 'COUNT', 1000);
  }
}

/**
 * Every field and value of every bucket, as the bytes Redis sent (field, value, field, …), a batch
 * of buckets at a time, each field exactly once. The next batch is asked for before this one is
 * handed out, so Redis builds it meanwhile.
 */
export async function* scanBuckets(redis: Redis, base: string): AsyncGenerator<Buffer[]> {
  let next = scanBatch(redis, base, 0);
  for (let from = 0; from < BUCKETS; from += SCAN_BATCH) {
    const results = (await next) ?? [];
    if (from + SCAN_BATCH < BUCKETS) {
      next = scanBatch(redis, base, from + SCAN_BATCH);
      // Observed by the next round; if this one throws first, its failure must not go unhandled.
      next.catch(() => undefined);
    }
    const batch: Buffer[] = [];
    for (const [index, [error, reply]] of results.entries()) {
      if (error) throw error;
      const [cursor, flat] = reply as [Buffer, Buffer[]];
      const whole =
        cursor.toString() === '0'
          ? flat
          : await restOfBucket(redis, `${base}:${from + index}`, [cursor, flat]);
      for (const part of whole) batch.push(part);
    }
    yield batch;
  }
}

/** Buckets whose ids `idsFrom` reads in its first round trip; each further one reads twice as many. */
const IDS_BATCH = 64;
const MAX_IDS_BATCH = 4096;

/**
 * The ids in buckets `from` onwards, a few batches of buckets until at least `want` ids or the
 * last bucket: a resumable walk (the cursor is a bucket number, `next` 0 once the walk is done).
 * An id added or removed meanwhile may or may not be seen, as with SCAN; none is seen twice.
 */
export async function idsFrom(
  redis: Redis,
  base: string,
  from: number,
  want: number,
): Promise<{ ids: string[]; next: number }> {
  const ids: string[] = [];
  let bucket = from;
  // A small portal's buckets are mostly empty: growing batches walk them in a few round trips.
  for (
    let batch = IDS_BATCH;
    bucket < BUCKETS && ids.length < want;
    batch = Math.min(batch * 2, MAX_IDS_BATCH)
  ) {
    const end = Math.min(bucket + batch, BUCKETS);
    const pipeline = redis.pipeline();
    for (let at = bucket; at < end; at++) pipeline.hkeys(`${base}:${at}`);
    for (const [error, fields] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      for (const field of fields as string[]) ids.push(field);
    }
    bucket = end;
  }
  return { ids, next: bucket >= BUCKETS ? 0 : bucket };
}

/** Whether each id has a value (HEXISTS per id, one round trip). */
export async function storedIds(redis: Redis, base: string, ids: readonly string[]): Promise<boolean[]> {
  if (ids.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hexists(bucketKey(base, id), id);
  return ((await pipeline.exec()) ?? []).map(([error, exists]) => {
    if (error) throw error;
    return exists === 1;
  });
}
