import type { DeliveryJob } from '../src/queue.ts';
import { claimEvents } from '../src/store/seen-marks.ts';
import { workSets } from '../src/store/work-sets.ts';
import { type JobContext, portalScope } from './context.ts';

/** The ids a delivery asks to re-read. Every kind of event is a hint to re-read, never a state. */
export function idsToReread(
  job: DeliveryJob,
  portalId: number,
): { contacts: Set<string>; deals: Set<string>; foreign: number } {
  const contacts = new Set<string>();
  const deals = new Set<string>();
  let foreign = 0;
  for (const event of job.events) {
    if (event.portal !== portalId) {
      foreign++;
      continue;
    }
    const target = (object: 'contact' | 'deal') => (object === 'contact' ? contacts : deals);
    if (event.kind === 'associationChanged') {
      contacts.add(event.contactId);
      deals.add(event.dealId);
    } else if (event.kind === 'merged') {
      for (const id of [event.survivorId, ...event.mergedIds]) target(event.object).add(id);
    } else {
      target(event.object).add(event.id);
    }
  }
  return { contacts, deals, foreign };
}

export interface DeliveryReport {
  readonly events: number;
  /** Events another job took within the deduplication window (a repeated delivery). */
  readonly duplicates: number;
}

/** The job's events that no other job took within the window (all of them without identities). */
async function claimed(job: DeliveryJob, jobId: string, context: JobContext): Promise<DeliveryJob['events']> {
  const window = context.config.webhooks.dedupeWindowSeconds;
  if (!job.keys || window === 0) return job.events;
  const taken = await claimEvents(context.redis, context.config.redis.prefix, jobId, job.keys, window);
  return job.events.filter((_, index) => taken[index]);
}

/** A webhook delivery: claim its events, note what to re-read and wake the sync. No HubSpot call here. */
export async function handleDelivery(
  job: DeliveryJob,
  jobId: string,
  context: JobContext,
): Promise<DeliveryReport> {
  // Only notes ids to re-read: runs while a rebuild replaces an unreadable projection.
  const scope = await portalScope(context, undefined, { anyLayout: true });
  const events = await claimed(job, jobId, context);
  const report = { events: job.events.length, duplicates: job.events.length - events.length };
  const ids = idsToReread({ ...job, events }, scope.portal.portalId);
  if (ids.foreign > 0) context.logger.warn({ events: ids.foreign }, 'dropped events of another portal');
  if (ids.contacts.size + ids.deals.size === 0) return report;
  await workSets(context.redis, scope.keys).addPending(ids);
  await context.schedule('sync', scope.portal.portalId);
  return report;
}
