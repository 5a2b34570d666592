import type { Redis } from 'ioredis';
import type { PortalKeys } from './keys.ts';
import { scripts } from './scripts.ts';

export type ObjectKind = 'contact' | 'deal';

/**
 * Ids waiting for a job. A job takes ids into its own in-flight set, so ids survive a crashed or
 * failed attempt: the retry finds them again, and a job that gives up puts them back.
 */
export function workSets(redis: Redis, keys: PortalKeys) {
  const run = scripts(redis);
  const inflight = (object: ObjectKind, jobId: string) => keys.inflight(`${object}:${jobId}`);
  return {
    /** Queues ids to re-read; while a backfill builds, also remembers them for after the swap. */
    async addPending(ids: { contacts: Iterable<string>; deals: Iterable<string> }): Promise<void> {
      const building = await redis.exists(keys.building);
      const pipeline = redis.pipeline();
      for (const [object, list] of [
        ['contact', [...ids.contacts]],
        ['deal', [...ids.deals]],
      ] as const) {
        if (list.length === 0) continue;
        pipeline.sadd(keys.pending(object), ...list);
        if (building) pipeline.sadd(keys.touched(object), ...list);
      }
      await pipeline.exec();
    },

    async take(object: ObjectKind, jobId: string, max: number): Promise<string[]> {
      return (await run.closeloopTakePending(keys.pending(object), inflight(object, jobId), max)) as string[];
    },

    async finish(jobId: string): Promise<void> {
      await redis.del(inflight('contact', jobId), inflight('deal', jobId));
    },

    /** Puts a failed job's ids back into the pending sets. */
    async giveBack(jobId: string): Promise<void> {
      const pipeline = redis.pipeline();
      for (const object of ['contact', 'deal'] as const) {
        pipeline.sunionstore(keys.pending(object), keys.pending(object), inflight(object, jobId));
        pipeline.del(inflight(object, jobId));
      }
      await pipeline.exec();
    },

    /** Drops the pending ids (while a rebuild re-reads them all anyway: they are in `touched`). */
    async dropPending(): Promise<void> {
      await redis.del(keys.pending('contact'), keys.pending('deal'));
    },

    async hasPending(): Promise<boolean> {
      const [contacts, deals] = await Promise.all([
        redis.scard(keys.pending('contact')),
        redis.scard(keys.pending('deal')),
      ]);
      return contacts + deals > 0;
    },

    async markRescore(type: 'contacts' | 'deals', ids: readonly string[]): Promise<void> {
      if (ids.length > 0) await redis.sadd(keys.rescore(type), ...ids);
    },

    /** Takes every id marked for rescoring into the job's in-flight set (a score run handles them all). */
    async takeRescore(type: 'contacts' | 'deals', jobId: string): Promise<string[]> {
      return (await run.closeloopTakePending(
        keys.rescore(type),
        keys.inflight(`rescore:${type}:${jobId}`),
        1e12,
      )) as string[];
    },

    async finishRescore(jobId: string): Promise<void> {
      await redis.del(keys.inflight(`rescore:contacts:${jobId}`), keys.inflight(`rescore:deals:${jobId}`));
    },

    async giveBackRescore(jobId: string): Promise<void> {
      const pipeline = redis.pipeline();
      for (const type of ['contacts', 'deals'] as const) {
        const inflightKey = keys.inflight(`rescore:${type}:${jobId}`);
        pipeline.sunionstore(keys.rescore(type), keys.rescore(type), inflightKey);
        pipeline.del(inflightKey);
      }
      await pipeline.exec();
    },
  };
}

export type WorkSets = ReturnType<typeof workSets>;
