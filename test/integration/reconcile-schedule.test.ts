import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { scheduleReconcile } from '../../src/commands/reconcile-schedule.ts';
import { loadConfig } from '../../src/config.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';

const prefix = uniquePrefix(import.meta.filename);
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const queue = new Queue('reconcile', { connection: redis, prefix });

afterAll(async () => {
  await queue.close();
  redis.disconnect();
  await deleteKeys(TEST_REDIS_URL, prefix);
});

const configWith = (env: Record<string, string>) => loadConfig({ REDIS_PREFIX: prefix, ...env });
const schedulers = async () =>
  Object.fromEntries(
    (await queue.getJobSchedulers()).map((scheduler) => [
      scheduler.key,
      { every: scheduler.every, name: scheduler.name },
    ]),
  );

describe('scheduleReconcile', () => {
  it('keeps one scheduler per sweep at the configured intervals, however often work starts', async () => {
    const config = configWith({ RECONCILE_INTERVAL_MINUTES: '15', RECONCILE_ID_SWEEP_HOURS: '24' });
    await scheduleReconcile(queue, config, 42);
    await scheduleReconcile(queue, config, 42);
    expect(await schedulers()).toEqual({
      'reconcile-recent': { every: 15 * 60_000, name: 'recent' },
      'reconcile-ids': { every: 24 * 3600_000, name: 'ids' },
    });
    // The recent sweep runs at once; the id sweep (a call per 100 records) one interval later.
    const jobs = await queue.getJobs(['waiting', 'delayed']);
    expect(jobs.map((job) => [job.name, job.data])).toEqual(
      expect.arrayContaining([
        ['recent', { portal: 42 }],
        ['ids', { portal: 42 }],
      ]),
    );
    const ids = jobs.find((job) => job.name === 'ids');
    expect(await ids?.getState()).toBe('delayed');
    expect(ids?.delay).toBeGreaterThan(23 * 3600_000);
    expect(await queue.getJobCountByTypes('waiting', 'delayed')).toBe(2);
  });

  it('follows a changed interval and drops a sweep set to 0', async () => {
    await scheduleReconcile(
      queue,
      configWith({ RECONCILE_INTERVAL_MINUTES: '5', RECONCILE_ID_SWEEP_HOURS: '0' }),
      42,
    );
    expect(await schedulers()).toEqual({ 'reconcile-recent': { every: 5 * 60_000, name: 'recent' } });
  });
});
