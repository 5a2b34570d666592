import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/errors.ts';
import { deliveryJobSchema } from '../../src/queue.ts';
import type { AcceptedEvent } from '../../webhooks/events.ts';
import { createInbox } from '../../webhooks/inbox.ts';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../support/redis.ts';

const prefix = uniquePrefix(import.meta.filename);
const redis = new Redis(TEST_REDIS_URL);
const queue = new Queue('events', { connection: redis, prefix });

afterAll(async () => {
  await queue.close();
  await deleteKeys(TEST_REDIS_URL, prefix);
  redis.disconnect();
});

function events(...ids: string[]): AcceptedEvent[] {
  return ids.map((id) => ({
    key: `62515|object.propertyChange|${id}|lifecyclestage|1700000000000|${id}`,
    change: { kind: 'changed', portal: 62515, object: 'contact', id, at: 1_700_000_000_000 },
  })) as AcceptedEvent[];
}

function inbox(target: Queue = queue, dedupeWindowSeconds = 600) {
  return createInbox({ queue: target, dedupeWindowSeconds, timeoutMs: 2000, now: Date.now });
}

describe('the inbox', () => {
  it('adds one job per delivery holding the events and their identities, and marks nothing', async () => {
    const result = await inbox().accept(events('1', '2'));
    expect(result.enqueued).toBe(2);
    const job = deliveryJobSchema.parse((await queue.getJob(String(result.jobId)))?.data);
    expect(job.events.map((event) => ('id' in event ? event.id : undefined))).toEqual(['1', '2']);
    expect(job.keys).toEqual(events('1', '2').map(({ key }) => key));
    expect(await redis.keys(`${prefix}:seen:*`)).toEqual([]);
  });

  it('leaves the identities out with deduplication off', async () => {
    const result = await inbox(queue, 0).accept(events('3'));
    const job = deliveryJobSchema.parse((await queue.getJob(String(result.jobId)))?.data);
    expect(job.keys).toBeUndefined();
  });

  it('adds nothing for a delivery without events', async () => {
    expect(await inbox().accept([])).toEqual({ enqueued: 0, jobId: undefined });
  });

  it('answers unavailable when the job cannot be added, so HubSpot retries', async () => {
    const failing = Object.create(queue, {
      add: { value: () => Promise.reject(new Error('OOM command not allowed')) },
    }) as Queue;
    await expect(inbox(failing).accept(events('7', '8'))).rejects.toBeInstanceOf(UnavailableError);
  });
});
