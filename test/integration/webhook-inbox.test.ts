import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/errors.ts';
import type { AcceptedEvent } from '../../webhooks/events.ts';
import { createInbox } from '../../webhooks/inbox.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';

const prefix = uniquePrefix(import.meta.filename);
const redis = new Redis(TEST_REDIS_URL);
const queue = new Queue('events', { connection: redis, prefix });
const WINDOW = 600;

afterAll(async () => {
  await queue.close();
  await deleteKeys(TEST_REDIS_URL, prefix);
  redis.disconnect();
});

function events(...ids: string[]): AcceptedEvent[] {
  return ids.map((id) => ({
    key: `62515:contact:${id}:lifecyclestage:1700000000000:${id}`,
    change: { kind: 'changed', portal: 62515, object: 'contact', id, at: 1_700_000_000_000 },
  })) as AcceptedEvent[];
}

const marks = async () => (await redis.keys(`${prefix}:seen:*`)).length;

function inbox(target: Queue = queue) {
  return createInbox({
    queue: target,
    redis,
    prefix,
    dedupeWindowSeconds: WINDOW,
    timeoutMs: 2000,
    now: Date.now,
  });
}

describe('the inbox: marks follow their job', () => {
  it('adds one job, then marks its events seen for the window', async () => {
    const result = await inbox().accept(events('1', '2'));
    expect(result).toMatchObject({ enqueued: 2, duplicates: 0 });
    expect(await queue.getJob(String(result.jobId))).toBeDefined();
    const keys = await redis.keys(`${prefix}:seen:*`);
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(await redis.ttl(key)).toBeGreaterThan(WINDOW - 10);
    expect(await inbox().accept(events('1', '2', '3'))).toMatchObject({ enqueued: 1, duplicates: 2 });
  });

  it('leaves nothing marked when the job cannot be added, so the retry gets in', async () => {
    const before = await marks();
    const failing = Object.create(queue, {
      add: { value: () => Promise.reject(new Error('OOM command not allowed')) },
    }) as Queue;
    await expect(inbox(failing).accept(events('7', '8'))).rejects.toBeInstanceOf(UnavailableError);
    expect(await marks()).toBe(before);
    expect(await inbox().accept(events('7', '8'))).toMatchObject({ enqueued: 2, duplicates: 0 });
  });
});
