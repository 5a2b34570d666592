import { createHash } from 'node:crypto';
import { Job, type Queue } from 'bullmq';
import type { ChainableCommander, Redis } from 'ioredis';
import { deadline } from '../src/deadline.ts';
import { UnavailableError } from '../src/errors.ts';
import { DELIVERY_JOB_NAME, DELIVERY_JOB_OPTIONS, type DeliveryJob } from '../src/queue.ts';
import type { AcceptedEvent } from './events.ts';

export interface InboxOptions {
  readonly queue: Queue;
  /** The connection the queue was built on. */
  readonly redis: Redis;
  /** Key prefix for the seen-marks; share the queue's hash tag on Redis Cluster. */
  readonly prefix: string;
  /** 0 switches deduplication off. */
  readonly dedupeWindowSeconds: number;
  /** How long a delivery may wait on Redis before HubSpot is told to retry. */
  readonly timeoutMs: number;
  readonly now: () => number;
}

export interface InboxResult {
  readonly enqueued: number;
  readonly duplicates: number;
  readonly jobId: string | undefined;
}

export interface Inbox {
  accept(events: readonly AcceptedEvent[]): Promise<InboxResult>;
}

function seenKey(prefix: string, eventKey: string): string {
  return `${prefix}:seen:${createHash('sha256').update(eventKey).digest('base64url').slice(0, 22)}`;
}

/**
 * Takes accepted events into the queue: drops those seen within the window, then marks the rest
 * seen and adds their delivery job in one MULTI, so a mark never exists without its job. A
 * failed or timed-out enqueue leaves nothing marked and HubSpot's retry gets in; a transaction
 * already sent when the timeout fires still lands with its job, so nothing is lost either way,
 * and one not yet sent is not sent at all.
 * Two identical deliveries racing can both pass the read and both enqueue: harmless, because
 * every job is idempotent; deduplication only saves work.
 */
export function createInbox(options: InboxOptions): Inbox {
  const { queue, redis, prefix, dedupeWindowSeconds, timeoutMs, now } = options;
  const backend = queue.getBackend();

  async function unseen(events: readonly AcceptedEvent[]): Promise<AcceptedEvent[]> {
    if (dedupeWindowSeconds === 0) return [...events];
    const marks = await redis.mget(...events.map((event) => seenKey(prefix, event.key)));
    return events.filter((_, index) => marks[index] === null);
  }

  async function enqueue(events: readonly AcceptedEvent[]): Promise<string> {
    const data: DeliveryJob = { receivedAt: now(), events: events.map((event) => event.change) };
    const job = new Job(queue, DELIVERY_JOB_NAME, data, DELIVERY_JOB_OPTIONS);
    // BullMQ's ioredis adapter hands out ioredis transactions; its own flows add jobs this way.
    const multi = (await backend.client).multi() as unknown as ChainableCommander;
    await backend.addJobToTransaction(multi as never, job.asJSON(), '');
    if (dedupeWindowSeconds > 0) {
      for (const event of events) multi.set(seenKey(prefix, event.key), '1', 'EX', dedupeWindowSeconds);
    }
    const results = await multi.exec();
    if (!results) throw new UnavailableError('Redis discarded the enqueue transaction');
    const failure = results.find(([error]) => error !== null)?.[0];
    if (failure) throw new UnavailableError('Redis rejected the enqueue transaction', { cause: failure });
    return String(results[0]?.[1]);
  }

  async function accept(events: readonly AcceptedEvent[], expired: () => boolean): Promise<InboxResult> {
    if (events.length === 0) return { enqueued: 0, duplicates: 0, jobId: undefined };
    const fresh = await unseen(events);
    // Already answered 503: HubSpot will retry, so enqueuing now would only race that retry.
    if (expired()) throw new UnavailableError('Gave up waiting for Redis');
    if (fresh.length === 0) return { enqueued: 0, duplicates: events.length, jobId: undefined };
    const jobId = await enqueue(fresh);
    return { enqueued: fresh.length, duplicates: events.length - fresh.length, jobId };
  }

  return {
    accept: (events) => {
      let expired = false;
      return deadline(
        accept(events, () => expired),
        timeoutMs,
        () => {
          expired = true;
          return new UnavailableError(`Redis did not answer within ${timeoutMs} ms`);
        },
      ).catch((error: unknown) => {
        if (error instanceof UnavailableError) throw error;
        throw new UnavailableError('Queue unavailable', { cause: error });
      });
    },
  };
}
