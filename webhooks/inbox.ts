import { hash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { deadline } from '../src/deadline.ts';
import { UnavailableError } from '../src/errors.ts';
import { DELIVERY_JOB_NAME, DELIVERY_JOB_OPTIONS, type DeliveryJob } from '../src/queue.ts';
import { scripts } from '../src/store/scripts.ts';
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
  // The one-shot hash: createHash().update().digest() cost 4 µs an event, more than the rest of it.
  return `${prefix}:seen:${hash('sha256', eventKey, 'base64url').slice(0, 22)}`;
}

/**
 * Takes accepted events into the queue: drops those seen within the window, adds the rest's
 * delivery job, and only then marks them seen, so a mark never exists without its job. A failed
 * or timed-out enqueue leaves nothing marked and HubSpot's retry gets in; a job already added when
 * the timeout fires is kept and marked, so the retry is dropped as a repeat and nothing is lost.
 * A crash between the job and its marks lets a retry enqueue the events again, and two identical
 * deliveries racing can both pass the read: harmless, because every job is idempotent;
 * deduplication only saves work.
 * Not one MULTI: ioredis builds a transaction by copying every script defined on the connection
 * (BullMQ defines dozens), which cost more CPU per delivery than everything else the receiver
 * does; the job is added the way `queue.add` adds it, and the marks by one script call.
 */
export function createInbox(options: InboxOptions): Inbox {
  const { queue, redis, prefix, dedupeWindowSeconds, timeoutMs, now } = options;
  const { closeloopMarkSeen } = scripts(redis);

  /** `mark` is the event's seen-mark key, or undefined with deduplication off (no hash to compute). */
  type Marked = { readonly event: AcceptedEvent; readonly mark?: string };

  async function unseen(events: readonly AcceptedEvent[]): Promise<Marked[]> {
    if (dedupeWindowSeconds === 0) return events.map((event) => ({ event }));
    const marked = events.map((event) => ({ event, mark: seenKey(prefix, event.key) }));
    const marks = await redis.mget(...marked.map(({ mark }) => mark));
    return marked.filter((_, index) => marks[index] === null);
  }

  async function enqueue(fresh: readonly Marked[]): Promise<string> {
    const data: DeliveryJob = { receivedAt: now(), events: fresh.map(({ event }) => event.change) };
    const job = await queue.add(DELIVERY_JOB_NAME, data, DELIVERY_JOB_OPTIONS);
    const marks = fresh.flatMap(({ mark }) => (mark ? [mark] : []));
    if (marks.length > 0) await closeloopMarkSeen(marks.length, ...marks, dedupeWindowSeconds);
    return String(job.id);
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
