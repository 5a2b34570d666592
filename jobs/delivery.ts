import type { DeliveryJob } from '../src/queue.ts';
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

/** A webhook delivery: note what to re-read and wake the sync. No HubSpot call here. */
export async function handleDelivery(job: DeliveryJob, context: JobContext): Promise<void> {
  // Only notes ids to re-read: runs while a rebuild replaces an unreadable projection.
  const scope = await portalScope(context, undefined, { anyLayout: true });
  const ids = idsToReread(job, scope.portal.portalId);
  if (ids.foreign > 0) context.logger.warn({ events: ids.foreign }, 'dropped events of another portal');
  if (ids.contacts.size + ids.deals.size === 0) return;
  await workSets(context.redis, scope.keys).addPending(ids);
  await context.schedule('sync', scope.portal.portalId);
}
