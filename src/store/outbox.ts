import type { Redis } from 'ioredis';
import { fingerprint, type RecordValues } from '../core/record-values.ts';
import { bucketKey, byBucket, readBucketed } from './buckets.ts';
import type { PortalKeys } from './keys.ts';
import { pipelineScripts, scripts } from './scripts.ts';

export type RecordType = 'contacts' | 'deals';

/** Shown beside the values on contacts; changes only when they do, so it is not fingerprinted. */
export const SCORED_AT = 'closeloop_scored_at';

export interface OutgoingWrite {
  readonly id: string;
  readonly properties: Readonly<Record<string, string>>;
  /** The stored form, to acknowledge exactly what was sent. */
  readonly raw: string;
}

/** Stands for a written value nobody knows; equal to no fingerprint. */
const UNKNOWN_WRITE = '?';

/** KEYS: the record's written bucket, outbox. ARGV: id, fingerprint shown, unknown. Atomic against the write-back's acknowledgements. */
const MARK_DISAGREEING = `
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
local known = redis.call('HGET', KEYS[1], ARGV[1])
if not known or known == ARGV[2] or known == ARGV[3] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`;

/** The fingerprints written of ids, in order (null where none). */
async function readWritten(redis: Redis, keys: PortalKeys, type: RecordType, ids: readonly string[]) {
  const found = await readBucketed(redis, keys.written(type), ids);
  return ids.map((id) => found.get(id) ?? null);
}

function withoutScoredAt(values: RecordValues): RecordValues {
  const { [SCORED_AT]: _, ...rest } = values;
  return rest;
}

/**
 * Writes waiting for HubSpot, and fingerprints of what HubSpot accepted (one per record ever
 * written, so kept in bucket hashes like the projection: 29 bytes a record where one big hash
 * took 72, and twice that while Redis grew its table). Staging compares new
 * values with the fingerprint, so records whose visible values did not change cost nothing.
 */
export function outbox(redis: Redis, keys: PortalKeys) {
  scripts(redis);
  return {
    /** Queues the records whose values differ from what HubSpot shows; drops stale queued writes. */
    async stage(
      type: RecordType,
      records: ReadonlyMap<string, RecordValues>,
      now: number,
    ): Promise<{ queued: number; unchanged: number }> {
      const ids = [...records.keys()];
      if (ids.length === 0) return { queued: 0, unchanged: 0 };
      const written = await readWritten(redis, keys, type, ids);
      const waiting = await redis.hmget(keys.outbox(type), ...ids);
      const pipeline = redis.pipeline();
      let queued = 0;
      ids.forEach((id, index) => {
        const values = records.get(id) ?? {};
        const wanted = fingerprint(values);
        // Never written and nothing to show is the same as written: nothing to do.
        const blank = Object.values(values).every((value) => value === '');
        if (written[index] === wanted || (written[index] === null && blank)) {
          pipeline.hdel(keys.outbox(type), id);
          return;
        }
        // Already queued with these values: keep it (a new scored_at would only cost a rewrite).
        const queuedValues = waiting[index];
        if (queuedValues && fingerprint(withoutScoredAt(JSON.parse(queuedValues) as RecordValues)) === wanted)
          return;
        const stamped =
          type === 'contacts' ? { ...values, [SCORED_AT]: new Date(now).toISOString() } : values;
        pipeline.hset(keys.outbox(type), id, JSON.stringify(stamped));
        queued++;
      });
      await pipeline.exec();
      return { queued, unchanged: ids.length - queued };
    },

    /** Up to `max` queued writes, none of the ids in `skip` (those another writer is sending). */
    async next(
      type: RecordType,
      max: number,
      skip: ReadonlySet<string> = new Set(),
    ): Promise<OutgoingWrite[]> {
      const flat = (await redis.hrandfield(keys.outbox(type), max + skip.size, 'WITHVALUES')) as string[];
      const writes: OutgoingWrite[] = [];
      for (let index = 0; index + 1 < flat.length && writes.length < max; index += 2) {
        const id = flat[index] as string;
        if (skip.has(id)) continue;
        const raw = flat[index + 1] as string;
        writes.push({ id, raw, properties: JSON.parse(raw) as Record<string, string> });
      }
      return writes;
    },

    /** HubSpot accepted these: remember their fingerprint; drop them unless restaged meanwhile. */
    async accepted(type: RecordType, writes: readonly OutgoingWrite[]): Promise<void> {
      const pipeline = redis.pipeline();
      const run = pipelineScripts(pipeline);
      for (const write of writes) {
        pipeline.hset(
          bucketKey(keys.written(type), write.id),
          write.id,
          fingerprint(withoutScoredAt(write.properties)),
        );
        run.closeloopAckWrite(keys.outbox(type), write.id, write.raw);
      }
      await pipeline.exec();
    },

    /**
     * What HubSpot shows on records read afresh, kept where closeloop knows of no write: a record
     * restored from the recycle bin still shows what was written before its deletion, which
     * forget() dropped, and staging must compare with that rather than take it for blank.
     */
    async learnShown(type: RecordType, shown: ReadonlyMap<string, RecordValues>): Promise<void> {
      const pipeline = redis.pipeline();
      for (const [id, values] of shown) {
        if (Object.values(values).every((value) => value === '')) continue;
        pipeline.hsetnx(bucketKey(keys.written(type), id), id, fingerprint(withoutScoredAt(values)));
      }
      if (pipeline.length > 0) await pipeline.exec();
    },

    /**
     * HubSpot applied values meant for another record to these (a merged-away id it resolved to
     * its survivor): what they show is unknown, so their next values are written whatever they are.
     */
    async overwritten(type: RecordType, ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      const pipeline = redis.pipeline();
      for (const [key, group] of byBucket(keys.written(type), ids))
        pipeline.hset(key, Object.fromEntries(group.map((id) => [id, UNKNOWN_WRITE])));
      await pipeline.exec();
    },

    /**
     * Records with no write pending whose known write is not what they show (fingerprints of the
     * values shown, `closeloop_scored_at` left out).
     */
    async disagreeing(type: RecordType, shown: ReadonlyMap<string, RecordValues>): Promise<string[]> {
      const ids = [...shown.keys()];
      if (ids.length === 0) return [];
      const [written, waiting] = await Promise.all([
        readWritten(redis, keys, type, ids),
        redis.hmget(keys.outbox(type), ...ids),
      ]);
      return ids.filter((id, i) => {
        const known = written[i];
        const values = shown.get(id) ?? {};
        return (
          !waiting[i] && known && known !== UNKNOWN_WRITE && known !== fingerprint(withoutScoredAt(values))
        );
      });
    },

    /**
     * Marks as unknown the writes of records that (still, and with no write pending) show other
     * values than closeloop wrote; returns their ids, to be rescored and written again.
     */
    async markDisagreeing(type: RecordType, shown: ReadonlyMap<string, RecordValues>): Promise<string[]> {
      const ids = [...shown.keys()];
      if (ids.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const id of ids) {
        const seen = fingerprint(withoutScoredAt(shown.get(id) ?? {}));
        const written = bucketKey(keys.written(type), id);
        pipeline.eval(MARK_DISAGREEING, 2, written, keys.outbox(type), id, seen, UNKNOWN_WRITE);
      }
      const results = (await pipeline.exec()) ?? [];
      return ids.filter((_, i) => results[i]?.[1] === 1);
    },

    /** The records are gone from HubSpot (or the person asked to be forgotten): keep nothing of them. */
    async forget(type: RecordType, ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      // The base key too: an older version's single hash, until written-migration.ts has moved it.
      const pipeline = redis
        .pipeline()
        .hdel(keys.outbox(type), ...ids)
        .hdel(keys.written(type), ...ids);
      for (const [key, group] of byBucket(keys.written(type), ids)) pipeline.hdel(key, ...group);
      await pipeline.exec();
    },

    size: (type: RecordType) => redis.hlen(keys.outbox(type)),
  };
}

export type Outbox = ReturnType<typeof outbox>;
