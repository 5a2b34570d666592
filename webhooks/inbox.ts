import type { Queue } from 'bullmq';
import { deadline } from '../src/deadline.ts';
import { UnavailableError } from '../src/errors.ts';
import { DELIVERY_JOB_NAME, DELIVERY_JOB_OPTIONS, type DeliveryJob } from '../src/queue.ts';
import type { AcceptedEvent } from './events.ts';

export interface InboxOptions {
  readonly queue: Queue;
  /** 0 switches deduplication off: the job then carries no event identities to claim. */
  readonly dedupeWindowSeconds: number;
  /** How long a delivery may wait on Redis before HubSpot is told to retry. */
  readonly timeoutMs: number;
  readonly now: () => number;
}

export interface InboxResult {
  readonly enqueued: number;
  readonly jobId: string | undefined;
}

export interface Inbox {
  accept(events: readonly AcceptedEvent[]): Promise<InboxResult>;
}

/**
 * Takes accepted events into the queue: one delivery job, one Redis command, as a bare receiver
 * would. Repeated deliveries are recognized by the job when it runs (jobs/delivery.ts claims its
 * events by their identities, which it carries): checking and marking here cost three commands a
 * delivery and a quarter of the receiver's CPU. A failed or timed-out enqueue is answered 503 and
 * HubSpot retries; a job already added when the timeout fires is kept, and the retry's own job
 * then finds its events claimed.
 */
export function createInbox(options: InboxOptions): Inbox {
  const { queue, dedupeWindowSeconds, timeoutMs, now } = options;

  async function accept(events: readonly AcceptedEvent[], expired: () => boolean): Promise<InboxResult> {
    if (events.length === 0) return { enqueued: 0, jobId: undefined };
    const data: DeliveryJob = {
      receivedAt: now(),
      events: events.map(({ change }) => change),
      ...(dedupeWindowSeconds > 0 ? { keys: events.map(({ key }) => key) } : {}),
    };
    // Already answered 503: HubSpot will retry, so enqueuing now would only race that retry.
    if (expired()) throw new UnavailableError('Gave up waiting for Redis');
    const job = await queue.add(DELIVERY_JOB_NAME, data, DELIVERY_JOB_OPTIONS);
    return { enqueued: events.length, jobId: String(job.id) };
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
