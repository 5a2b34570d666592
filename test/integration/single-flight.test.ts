import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { scheduler } from '../../jobs/context.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';

describe('single-flight scheduling', () => {
  const prefix = uniquePrefix(import.meta.filename);
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queues = {
    sync: new Queue('sync', { connection: redis, prefix }),
    score: new Queue('score', { connection: redis, prefix }),
    writeback: new Queue('writeback', { connection: redis, prefix }),
    stats: new Queue('stats', { connection: redis, prefix }),
  };
  let worker: Worker | undefined;
  afterAll(async () => {
    await worker?.close();
    await Promise.all(Object.values(queues).map((queue) => queue.close()));
    redis.disconnect();
    await deleteKeys(TEST_REDIS_URL, prefix);
  });

  it('turns a burst of 1,000 score requests into one run, and one more after an active run', async () => {
    const schedule = scheduler(queues);
    await Promise.all(Array.from({ length: 1000 }, () => schedule('score', 7)));
    expect(await queues.score.getJobCounts('delayed', 'waiting')).toEqual({ delayed: 1, waiting: 0 });

    let runs = 0;
    let release: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      worker = new Worker(
        'score',
        async () => {
          runs++;
          if (runs === 1) {
            resolve();
            await new Promise<void>((done) => {
              release = done;
            });
          }
        },
        { connection: redis.duplicate(), prefix },
      );
    });
    await started;
    // While the run is active, another burst leaves exactly one run to follow it.
    await Promise.all(Array.from({ length: 1000 }, () => schedule('score', 7)));
    release();
    await expect.poll(() => runs, { timeout: 10_000 }).toBe(2);
    expect(await queues.score.getJobCounts('delayed', 'waiting', 'active')).toEqual({
      delayed: 0,
      waiting: 0,
      active: 0,
    });
  });
});
