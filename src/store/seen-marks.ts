import { hash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { scripts } from './scripts.ts';

function seenKey(prefix: string, eventKey: string): string {
  // The one-shot hash: createHash().update().digest() cost 4 µs an event, more than the rest of it.
  return `${prefix}:seen:${hash('sha256', eventKey, 'base64url').slice(0, 22)}`;
}

/**
 * Which of a delivery job's events it takes: those no other job took within the window. The
 * marks name the job, so a retry of the same job takes its events again (one that stopped
 * halfway loses nothing). Deduplication only saves work: every job is idempotent.
 *
 * @param eventKeys - HubSpot's composite identities of the events (webhooks/events.ts eventKey)
 * @param windowSeconds - how long a mark lasts
 */
export async function claimEvents(
  redis: Redis,
  prefix: string,
  jobId: string,
  eventKeys: readonly string[],
  windowSeconds: number,
): Promise<boolean[]> {
  if (eventKeys.length === 0) return [];
  const marks = eventKeys.map((key) => seenKey(prefix, key));
  const taken = (await scripts(redis).closeloopClaimEvents(
    marks.length,
    ...marks,
    jobId,
    windowSeconds,
  )) as number[];
  return taken.map((flag) => flag === 1);
}
