import { describe, expect, it } from 'vitest';
import { claimEvents } from '../../src/store/seen-marks.ts';
import { storeFixture } from '../support/store-fixtures.ts';

const store = storeFixture(import.meta.filename);
const redis = store.connect();
const WINDOW = 600;

describe('claiming webhook events', () => {
  it('gives each event to the first job that claims it, for the window, and again to that job’s retry', async () => {
    const { prefix } = store;
    expect(await claimEvents(redis, prefix, 'job-1', ['a', 'b'], WINDOW)).toEqual([true, true]);
    // A repeated delivery's job: the events it shares with job 1 are repeats.
    expect(await claimEvents(redis, prefix, 'job-2', ['b', 'c'], WINDOW)).toEqual([false, true]);
    // Job 1 stopped halfway and runs again: its events are still its own.
    expect(await claimEvents(redis, prefix, 'job-1', ['a', 'b'], WINDOW)).toEqual([true, true]);
    const marks = await redis.keys(`${prefix}:seen:*`);
    expect(marks).toHaveLength(3);
    for (const mark of marks) expect(await redis.ttl(mark)).toBeGreaterThan(WINDOW - 10);
    expect(await claimEvents(redis, prefix, 'job-3', [], WINDOW)).toEqual([]);
  });

  it('takes an event again once its mark has expired', async () => {
    const { prefix } = store;
    expect(await claimEvents(redis, prefix, 'job-4', ['d'], 1)).toEqual([true]);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await claimEvents(redis, prefix, 'job-5', ['d'], WINDOW)).toEqual([true]);
  });
});
